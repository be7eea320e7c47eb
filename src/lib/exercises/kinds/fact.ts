/** `fact` questions: a fact of the model (`ask: output_size`, `param_count`, `shape`), read from its plan. */
import type { NestedNumbers } from '../../engine/tensor';
import type { ExerciseIssue, FactQuestion } from '../exercise';
import { readAnswer } from '../mark';
import { expectedValue, type FactQuestion as EngineFact } from '../question';
import type { FactAsk, KindModule } from './kind';
import { keyInCourse, markNumbers } from './numeric';

/** The question the engine resolves: a switch over every fact, so that a new one is named here. */
export function engineFact(q: FactQuestion): EngineFact {
	switch (q.ask) {
		case 'output_size':
			return { ask: 'output_size', layer: q.layer ?? 0 };
		case 'param_count':
			return q.layer === undefined ? { ask: 'param_count' } : { ask: 'param_count', layer: q.layer };
		case 'shape':
			return q.samples === undefined ? { ask: 'shape', of: q.of ?? '' } : { ask: 'shape', of: q.of ?? '', samples: q.samples };
	}
}

/** What each fact needs besides its `ask`, as the file must give it: a record, so that a new fact says. */
const NEEDS: Record<FactQuestion['ask'], { key: 'layer' | 'of'; why: string } | null> = {
	output_size: { key: 'layer', why: 'output_size needs a layer (1-based, 0: the input)' },
	param_count: null,
	shape: { key: 'of', why: 'shape needs the name of a tensor, such as of: "Z[1]"' }
};

/** What a fact question of the file lacks, when the file is read. */
export function factIssues(ask: FactQuestion['ask'], given: { layer?: number; of?: string }): ExerciseIssue[] {
	const need = NEEDS[ask];
	return need && given[need.key] === undefined ? [{ path: [need.key], message: `missing; ${need.why}` }] : [];
}

/** Sizes may be written 8×7×7 rather than as a list. */
const writtenAsSizes = (q: FactQuestion): boolean => q.ask === 'shape' || q.ask === 'output_size';

const factAsk = (q: FactQuestion): FactAsk => ({ ask: q.ask, ...(q.layer === undefined ? {} : { layer: q.layer }), ...(q.of === undefined ? {} : { of: q.of }) });

export const fact: KindModule<FactQuestion, NestedNumbers> = {
	kind: 'fact',
	readsRun: false,
	expected: (trace, q) => expectedValue(trace, engineFact(q)),
	read: (text, q, shape) => {
		const reading = readAnswer(text, shape, writtenAsSizes(q));
		// a one-map output is written height × width (course 004: (n − a + 1) × (m − b + 1)): its single channel is implied
		const heightByWidth = q.ask === 'output_size' && shape.length === 1 && shape[0] === 3 && reading.ok && Array.isArray(reading.value) && reading.value.length === 2 && reading.value.every((x) => typeof x === 'number');
		return heightByWidth && reading.ok ? { ...reading, value: [1, ...(reading.value as number[])] } : reading;
	},
	mark: markNumbers,
	key: keyInCourse,
	field: (q) => ({ kind: 'fact', fact: factAsk(q) })
};
