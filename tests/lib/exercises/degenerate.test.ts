import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine/run';
import { findDegeneracy, type AskedValue, type DegeneracyCode } from '../../../src/lib/exercises/degenerate';
import { expectedValue, parseAsk } from '../../../src/lib/exercises/question';
import type { Tolerance } from '../../../src/lib/exercises/tolerance';

const dense = (activation: string, W: number[][], b: number[], X: number[][], extra: Record<string, unknown> = {}) => ({
	model: { input: W[0].length, layers: [{ type: 'dense', units: W.length, activation, W, b }] },
	data: { X },
	...extra
});
const trained = { loss: 'half_squared_error', optimizer: { type: 'sgd', lr: 0.5 } };

function asked(scenario: unknown, ask: string, tolerance: Tolerance = { decimals: 4 }, step = 1): [ReturnType<typeof run>, AskedValue[]] {
	const trace = run(scenario);
	const name = parseAsk(ask)?.name ?? ask;
	return [trace, [{ ask, name, element: ask !== name, step, tolerance, expected: expectedValue(trace, { ask, step }) }]];
}

describe('variants a question cannot be asked about', () => {
	const cases: [string, unknown, string, Tolerance | undefined, DegeneracyCode | null][] = [
		['a ReLU input exactly at 0', dense('relu', [[1, -1]], [0], [[0.5, 0.5]]), 'A[1]', undefined, 'relu-at-zero'],
		// the scenario's convention decides the derivative, but a variant on the kink still grades a convention
		['a ReLU input at 0 under ReLU′(0) = 1', dense('relu', [[1, -1]], [0], [[0.5, 0.5]], { ...trained, data: { X: [[0.5, 0.5]], Y: [[1]] }, conventions: { relu_derivative_at_zero: 1 } }), 'dZ[1]', undefined, 'relu-at-zero'],
		['a ReLU input near but not at 0', dense('relu', [[1, -1]], [0.01], [[0.5, 0.5]]), 'A[1]', undefined, null],
		['a step unit at its threshold', dense('step', [[1, 1]], [-1], [[0.5, 0.5]]), 'A[1]', undefined, 'step-at-threshold'],
		['a gradient element exactly 0', { ...dense('identity', [[1, 1]], [0], [[0, 1]]), ...trained, data: { X: [[0, 1]], Y: [[0]] } }, 'dW[1][0][0]', undefined, 'zero-gradient'],
		['a value that rounds to 0', dense('identity', [[0.00001, 0]], [0], [[1, 1]]), 'Z[1]', undefined, 'rounds-to-zero'],
		['the same value asked with enough digits', dense('identity', [[0.00001, 0]], [0], [[1, 1]]), 'Z[1]', { sig: 3 }, null],
		['a saturated sigmoid', dense('sigmoid', [[10, 10]], [0], [[1, 1]]), 'A[1]', undefined, 'saturated'],
		['a value beyond a hand computation', dense('identity', [[1e7, 0]], [0], [[1, 1]]), 'Z[1]', undefined, 'too-large'],
		['an ordinary sigmoid', dense('sigmoid', [[0.5, -0.5]], [0.2], [[1, 0.5]]), 'A[1]', undefined, null]
	];
	it.each(cases)('%s', (_, scenario, ask, tolerance, code) => {
		const [trace, values] = asked(scenario, ask, tolerance);
		expect(findDegeneracy(trace, values)?.code ?? null).toBe(code);
	});

	const pool = (X: number[][][], loss: boolean, mode = 'max') => ({
		model: { input: [1, 2, 2], layers: [{ type: 'pool', mode, size: 2 }, { type: 'flatten' }, { type: 'dense', units: 1, W: [[1]], b: [0] }] },
		data: { X: [X], ...(loss ? { Y: [[1]] } : {}) },
		...(loss ? trained : {})
	});
	it('a max-pooling tie when a gradient flows through it', () => {
		const [trace, values] = asked(pool([[[1, 3], [3, 0]]], true), 'A[1]');
		expect(findDegeneracy(trace, values)?.code).toBe('pool-tie');
	});
	it('but not in a forward pass, where the maximum itself is unambiguous', () => {
		const [trace, values] = asked(pool([[[1, 3], [3, 0]]], false), 'A[1]');
		expect(findDegeneracy(trace, values)).toBeNull();
	});
	it('and not without a tie', () => {
		const [trace, values] = asked(pool([[[1, 3], [2, 0]]], true), 'A[1]');
		expect(findDegeneracy(trace, values)).toBeNull();
	});
	it('a min-pooling tie when a gradient flows through it, but not a tie of two maxima', () => {
		const [trace, values] = asked(pool([[[1, 3], [1, 2]]], true, 'min'), 'A[1]');
		expect(findDegeneracy(trace, values)).toEqual({ code: 'pool-tie', where: 'the min pooling of layer 1 at step 1' });
		const [untied, asked2] = asked(pool([[[1, 3], [3, 2]]], true, 'min'), 'A[1]');
		expect(findDegeneracy(untied, asked2)).toBeNull();
	});

	it('a perceptron whose weighted sum equals its threshold', () => {
		const scenario = { perceptron: { w: [0.3, 0.2], b: null, threshold: 0.5, strict: true, rule: 'sign', lr: 0.1 }, data: { X: [[1, 1]], Y: [[1]] }, training: { epochs: 1 } };
		const [trace, values] = asked(scenario, 'W[1]');
		expect(findDegeneracy(trace, values)).toEqual({ code: 'step-at-threshold', where: 'Z[1] at step 1' });
	});

	it('lets an author ask about a tie on purpose', () => {
		const scenario = { perceptron: { w: [0.3, 0.2], b: null, threshold: 0.5, strict: true, rule: 'sign', lr: 0.1 }, data: { X: [[1, 1]], Y: [[1]] }, training: { epochs: 1 } };
		const [trace, values] = asked(scenario, 'W[1]');
		expect(findDegeneracy(trace, values, ['step-at-threshold'])).toBeNull();
		expect(findDegeneracy(trace, values, ['relu-at-zero'])?.code).toBe('step-at-threshold');
	});
});
