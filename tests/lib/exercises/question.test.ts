import { describe, expect, it } from 'vitest';
import { findEvent, run, toNested } from '../../../src/lib/engine';
import { expectedValue, parseAsk, type Question } from '../../../src/lib/exercises/question';
import { DESIGN_EXAMPLE, loadFixture } from '../../helpers';

const design = run(DESIGN_EXAMPLE);
const conv = run((loadFixture('conv-valid.yaml') as { scenario: unknown }).scenario);
const counts = (loadFixture('param-counts.yaml') as { counts: { model: unknown; params: number; output_shape?: number[] }[] }).counts;
/** Course 003's 2-3-1 network, trained on 10 instances (one batch of 10). */
const course003 = run({
	model: { input: 2, layers: [{ type: 'dense', units: 3, activation: 'sigmoid' }, { type: 'dense', units: 1, activation: 'sigmoid' }] },
	loss: 'half_squared_error',
	optimizer: { type: 'sgd', lr: 0.1 },
	data: { X: Array.from({ length: 10 }, (_, i) => [i / 10, 1 - i / 10]), Y: Array.from({ length: 10 }, (_, i) => [i % 2]) },
	training: { epochs: 1, batch_size: 10, shuffle: false, seed: 3 }
});
const perceptron = run({
	perceptron: { w: [0.1, 0.1], b: null, threshold: 0.5, strict: true, rule: 'sign', lr: 0.1 },
	data: { X: [[0, 0], [1, 0]], Y: [[0], [1]] },
	training: { epochs: 1 }
});

describe('parseAsk', () => {
	it.each([
		['Z[1]', { name: 'Z[1]', quantity: { symbol: 'Z', layer: 1 }, index: [] }],
		['dW[1][0][1]', { name: 'dW[1]', quantity: { symbol: 'dW', layer: 1 }, index: [0, 1] }],
		['A[0]', { name: 'A[0]', quantity: { symbol: 'A', layer: 0 }, index: [] }],
		['loss', { name: 'loss', quantity: { symbol: 'loss', layer: null }, index: [] }],
		['error', { name: 'error', quantity: { symbol: 'error', layer: null }, index: [] }],
		[' db[12][3] ', { name: 'db[12]', quantity: { symbol: 'db', layer: 12 }, index: [3] }]
	])('%s', (ask, parsed) => expect(parseAsk(ask)).toEqual(parsed));

	it.each(['W[1', 'W[x]', 'W[1][-1]', 'W', 'W[1][0', 'W[1] [0]', 'X[1]', 'W[01]', 'W[1][01]', 'W[1.5]', 'lossy', '', 'W[1][]', 'diverged'])('refuses %j', (ask) =>
		expect(parseAsk(ask)).toBeNull()
	);
});

describe('expectedValue: tensors from the trace', () => {
	it('reads a whole batch-first tensor as rows (DESIGN.md: Z[1] = [[0.1, 0.45]])', () => {
		const r = expectedValue(design, { ask: 'Z[1]', step: 1 });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.shape).toEqual([1, 2]);
		const rows = r.value as number[][];
		expect(rows[0][0]).toBeCloseTo(0.1, 12);
		expect(rows[0][1]).toBeCloseTo(0.45, 12);
	});

	it('reads one element, 0-based, as the event holds it', () => {
		const dW = findEvent(design, 1, 'dW[1]');
		expect(dW).toBeDefined();
		const nested = toNested(dW!.value.shape, dW!.value.data) as number[][];
		expect(expectedValue(design, { ask: 'dW[1][0][1]', step: 1 })).toEqual({ ok: true, value: nested[0][1], shape: [] });
		expect(expectedValue(design, { ask: 'W[1][1][0]', step: 0 })).toEqual({ ok: true, value: 0.4, shape: [] });
		expect(expectedValue(design, { ask: 'b[2]', step: 0 })).toEqual({ ok: true, value: [0.2], shape: [1] });
	});

	it('reads the loss as a number', () => {
		const r = expectedValue(design, { ask: 'loss', step: 1 });
		expect(r.ok && r.shape).toEqual([]);
		expect(r.ok && typeof r.value).toBe('number');
	});

	it('reads a conv feature map element (conv-valid.yaml: Z[1] row 1 = 17, 20, 23)', () => {
		expect(expectedValue(conv, { ask: 'Z[1][0][0][1][2]', step: 1 })).toEqual({ ok: true, value: 23, shape: [] });
		const whole = expectedValue(conv, { ask: 'Z[1]', step: 1 });
		expect(whole).toEqual({ ok: true, value: [[[[15, 24, 15], [17, 20, 23], [24, 19, 20]]]], shape: [1, 1, 3, 3] });
	});

	it('reads the perceptron error', () => {
		const r = expectedValue(perceptron, { ask: 'error[0][0]', step: 1 });
		expect(r.ok).toBe(true);
	});

	it.each<[Question, RegExp]>([
		[{ ask: 'dW[3]', step: 1 }, /^no event dW\[3\] at step 1; the model has 2 layers$/],
		[{ ask: 'Z[1]', step: 5 }, /^no event Z\[1\] at step 5; the run has steps 0 to 1$/],
		[{ ask: 'Z[1]', step: 0 }, /^no event Z\[1\] at step 0; Z\[1\] is first recorded at step 1$/],
		[{ ask: 'error', step: 1 }, /never records error/],
		[{ ask: 'W[1][2][0]', step: 0 }, /index 2 is out of range for W\[1\] of shape 2×2 \(indices 0 to 1\)/],
		[{ ask: 'W[1][0][1][0]', step: 0 }, /W\[1\] has shape 2×2, so an element needs 2 indices, not 3/],
		[{ ask: 'loss[0]', step: 1 }, /loss has shape scalar/],
		[{ ask: 'W[1', step: 0 }, /cannot read "W\[1"/]
	])('says what is missing: %j', (question, message) => {
		const r = expectedValue(design, question);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toMatch(message);
	});
});

describe('expectedValue: facts of the model', () => {
	it('param_count: 13 for course 003 2-3-1, per layer 9 and 4', () => {
		expect(expectedValue(course003, { ask: 'param_count' })).toEqual({ ok: true, value: 13, shape: [] });
		expect(expectedValue(course003, { ask: 'param_count', layer: 1 })).toEqual({ ok: true, value: 9, shape: [] });
		expect(expectedValue(course003, { ask: 'param_count', layer: 2 })).toEqual({ ok: true, value: 4, shape: [] });
		expect(expectedValue(design, { ask: 'param_count' })).toEqual({ ok: true, value: 9, shape: [] });
	});

	it('param_count and output_size of the param-counts.yaml conv layer: 224, [8, 7, 7]', () => {
		const small = counts.filter((c) => c.params < 1e6);
		for (const c of small) {
			const modelOnly = c.model as { input: number | number[]; layers: Record<string, unknown>[] };
			// forward-only run of one zero sample, only to get a trace of the model
			const X = [zerosOf(modelOnly.input)];
			const trace = run({ model: modelOnly, data: { X } });
			expect(expectedValue(trace, { ask: 'param_count' })).toEqual({ ok: true, value: c.params, shape: [] });
			if (c.output_shape) {
				expect(expectedValue(trace, { ask: 'output_size', layer: 1 })).toEqual({ ok: true, value: c.output_shape, shape: [3] });
			}
		}
		expect(small.some((c) => c.params === 224)).toBe(true);
	});

	it('param_count of a perceptron without bias counts its weights only', () => {
		expect(expectedValue(perceptron, { ask: 'param_count' })).toEqual({ ok: true, value: 2, shape: [] });
		expect(expectedValue(perceptron, { ask: 'shape', of: 'b[1]' })).toMatchObject({ ok: false });
	});

	it('output_size of a dense layer is its number of units; layer 0 is the input', () => {
		expect(expectedValue(course003, { ask: 'output_size', layer: 1 })).toEqual({ ok: true, value: 3, shape: [] });
		expect(expectedValue(course003, { ask: 'output_size', layer: 0 })).toEqual({ ok: true, value: 2, shape: [] });
		expect(expectedValue(conv, { ask: 'output_size', layer: 1 })).toEqual({ ok: true, value: [1, 3, 3], shape: [3] });
	});

	it.each<[string, number[]]>([
		['A[0]', [10, 2]],
		['W[1]', [3, 2]],
		['b[1]', [3]],
		['Z[1]', [10, 3]],
		['A[1]', [10, 3]],
		['W[2]', [1, 3]],
		['b[2]', [1]],
		['Z[2]', [10, 1]],
		['A[2]', [10, 1]],
		['dW[1]', [3, 2]],
		['dZ[2]', [10, 1]],
		['loss', []]
	])('course 003, 10 instances: shape of %s is %j (batch-first)', (of, shape) => {
		expect(expectedValue(course003, { ask: 'shape', of, samples: 10 })).toEqual({ ok: true, value: shape, shape: [shape.length] });
	});

	it('shape defaults to the batch of step 1, and agrees with the recorded events', () => {
		for (const of of ['A[0]', 'Z[1]', 'A[1]', 'Z[2]', 'W[1]', 'dW[2]']) {
			const fact = expectedValue(course003, { ask: 'shape', of });
			const event = expectedValue(course003, { ask: of, step: 1 });
			expect(fact.ok && event.ok && fact.value).toEqual(event.ok && event.shape);
		}
		expect(expectedValue(conv, { ask: 'shape', of: 'W[1]' })).toEqual({ ok: true, value: [1, 1, 3, 3], shape: [4] });
	});

	it.each<[Question, RegExp]>([
		[{ ask: 'output_size', layer: 3 }, /layer 3 does not exist; the model has 2 layers/],
		[{ ask: 'param_count', layer: 0 }, /layer 0 does not exist/],
		[{ ask: 'shape', of: 'W[3]', samples: 10 }, /shape of W\[3\]: layer 3 does not exist; the model has 2 layers/],
		[{ ask: 'shape', of: 'W[1][0]' }, /cannot read "W\[1\]\[0\]"/],
		[{ ask: 'shape', of: 'Z[1]', samples: 0 }, /samples must be a whole number of at least 1/],
		[{ ask: 'shape', of: 'error' }, /perceptron quantity/]
	])('refuses %j', (question, message) => {
		const r = expectedValue(course003, question);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toMatch(message);
	});
});

function zerosOf(input: number | number[]): number[] | number[][][] {
	if (typeof input === 'number') return new Array<number>(input).fill(0);
	const [c, h, w] = input;
	return Array.from({ length: c }, () => Array.from({ length: h }, () => new Array<number>(w).fill(0)));
}
