/** How a question's value is written in each layout, and read back into the engine's. */
import { describe, expect, it } from 'vitest';
import type { NestedNumbers } from '../../../src/lib/engine/tensor';
import type { NumericQuestion } from '../../../src/lib/exercises/exercise';
import { answerLayoutOf, cellToCourse, cellToEngine, otherLayouts, shapeToCourse, toCourse, toEngine, viewOf, type AnswerLayout, type Layout } from '../../../src/lib/exercises/layout';
import { isFactAsk } from '../../../src/lib/exercises/question';
import { profileOf } from '../../../src/lib/profiles';

const question = ({ ask = 'Z[1]', of, layer, samples, layout }: { ask?: string; of?: string; layer?: number; samples?: number; layout?: AnswerLayout }): NumericQuestion => {
	const common = { id: 'q', points: 1, tolerance: { decimals: 4 }, feedback: 'key' as const, ...(layout ? { layout } : {}) };
	return isFactAsk(ask) ? { ...common, kind: 'fact', ask, of, layer, samples } : { ...common, kind: 'value', ask, step: 1 };
};
const L001 = profileOf('001').layout;
const L003 = profileOf('003').layout;
const NEUTRAL = profileOf(undefined).layout;

interface Case {
	what: string;
	layout: Layout;
	q: NumericQuestion;
	/** the engine's value, and its shape */
	engine: NestedNumbers;
	shape: number[];
	/** as the course writes it */
	course: NestedNumbers;
	/** a cell of the engine's value, and the same cell in the course's */
	cell: [number[], number[]];
}

const cases: Case[] = [
	{ what: '003: Z[1] for 2 instances, one column each', layout: L003, q: question({}), engine: [[1, 2, 3], [4, 5, 6]], shape: [2, 3], course: [[1, 4], [2, 5], [3, 6]], cell: [[0, 2], [2, 0]] },
	{ what: '003: dA[2] of one instance, a column', layout: L003, q: question({ ask: 'dA[2]' }), engine: [[7, 8]], shape: [1, 2], course: [[7], [8]], cell: [[0, 1], [1, 0]] },
	{ what: '003: b[1] as an n × 1 column', layout: L003, q: question({ ask: 'b[1]' }), engine: [1, 2, 3], shape: [3], course: [[1], [2], [3]], cell: [[2], [2, 0]] },
	{ what: '003: the shape of X for 10 instances', layout: L003, q: question({ ask: 'shape', of: 'A[0]', samples: 10 }), engine: [10, 2], shape: [2], course: [2, 10], cell: [[0], [1]] },
	{ what: '003: the shape of b[1], n × 1', layout: L003, q: question({ ask: 'shape', of: 'b[1]' }), engine: [3], shape: [1], course: [3, 1], cell: [[0], [0]] },
	{ what: '003: W[1] as everywhere', layout: L003, q: question({ ask: 'W[1]' }), engine: [[1, 2], [3, 4]], shape: [2, 2], course: [[1, 2], [3, 4]], cell: [[0, 1], [0, 1]] },
	{ what: '003: one element as everywhere', layout: L003, q: question({ ask: 'Z[1][0][1]' }), engine: 5, shape: [], course: 5, cell: [[], []] },
	{ what: '001: an output size, h × w × channels', layout: L001, q: question({ ask: 'output_size', layer: 1 }), engine: [8, 7, 7], shape: [3], course: [7, 7, 8], cell: [[0], [2]] },
	{ what: '001: the shape of a batch of images', layout: L001, q: question({ ask: 'shape', of: 'A[1]', samples: 4 }), engine: [4, 8, 7, 6], shape: [4], course: [4, 7, 6, 8], cell: [[1], [3]] },
	{ what: '001: a dense size, a number', layout: L001, q: question({ ask: 'output_size', layer: 2 }), engine: 10, shape: [], course: 10, cell: [[], []] },
	{ what: 'neutral: Z[1] as stored', layout: NEUTRAL, q: question({}), engine: [[1, 2], [3, 4]], shape: [2, 2], course: [[1, 2], [3, 4]], cell: [[0, 1], [0, 1]] }
];

describe('a value in a course’s layout', () => {
	it.each(cases)('$what', ({ layout, q, engine, shape, course, cell }) => {
		const view = viewOf(layout, q, engine);
		expect(toCourse(view, engine)).toEqual(course);
		expect(toEngine(view, course)).toEqual(engine);
		expect(cellToCourse(view, cell[0])).toEqual(cell[1]);
		expect(cellToEngine(view, cell[1])).toEqual(cell[0]);
		if (q.ask !== 'shape' && q.ask !== 'output_size') expect(shapeToCourse(view, shape)).toEqual(Array.isArray(course) ? [course.length, ...(Array.isArray(course[0]) ? [course[0].length] : [])] : []);
	});

	it('leaves an answer that cannot be the view’s as it is, for marking to say what is wrong', () => {
		const view = viewOf(L003, question({}), [[1, 2, 3], [4, 5, 6]]);
		expect(toEngine(view, [1, 2, 3])).toEqual([1, 2, 3]);
		expect(toEngine(viewOf(L003, question({ ask: 'b[1]' }), [1, 2]), [[1, 2]])).toEqual([[1, 2]]);
	});
});

describe('the other layouts of a value', () => {
	it.each<[string, NumericQuestion, NestedNumbers, Layout, NestedNumbers[]]>([
		['the shape of Z[1]: one row per instance', question({ ask: 'shape', of: 'Z[1]', samples: 10 }), [10, 3], L003, [[10, 3]]],
		['the shape of b[1]: a vector', question({ ask: 'shape', of: 'b[1]' }), [3], L003, [[3]]],
		['an image size: channels first', question({ ask: 'output_size', layer: 1 }), [8, 7, 7], L001, [[8, 7, 7]]],
		['W: none', question({ ask: 'W[1]' }), [[1, 2], [3, 4]], L003, []],
		['a count: none', question({ ask: 'param_count' }), 13, L003, []]
	])('%s', (_, q, engine, layout, others) => {
		expect(otherLayouts(layout, q, engine).map((o) => o.value)).toEqual(others);
	});

	it.each([
		['a shape', question({ ask: 'shape', of: 'Z[1]' }), 'either'],
		['an output size', question({ ask: 'output_size', layer: 1 }), 'either'],
		['a matrix of values', question({}), 'course'],
		['a count', question({ ask: 'param_count' }), 'course'],
		['a shape the file says course for', question({ ask: 'shape', of: 'Z[1]', layout: 'course' }), 'course']
	] as const)('accepts by default, for %s: %s', (_, q, layout) => {
		expect(answerLayoutOf(q)).toBe(layout);
	});
});
