import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';

/** Rows of a 2-D event value. */
function rows(trace: Trace, step: number, name: string): number[][] {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	const [height, width] = event.value.shape;
	return Array.from({ length: height }, (_, i) => Array.from(event.value.data.subarray(i * width, (i + 1) * width)));
}

function columns(matrix: number[][]): number[][] {
	return matrix[0].map((_, j) => matrix.map((row) => row[j]));
}

// Seed 003 ("Initialisation aléatoire"): with every weight at 0, the hidden units of a 2-3-1
// network stay identical and ∂J/∂W[1] has identical rows (u v / u v / u v).
describe('zero initialisation of a 2-3-1 network (course 003)', () => {
	const trace = run({
		model: {
			input: 2,
			layers: [
				{ type: 'dense', units: 3, activation: 'sigmoid', init: { weights: 'zeros' } },
				{ type: 'dense', units: 1, activation: 'sigmoid', init: { weights: 'zeros' } }
			]
		},
		loss: 'binary_cross_entropy',
		optimizer: { type: 'sgd', lr: 0.5 },
		// the student example: hours of study, hours of rest
		data: { X: [[4, 8], [6, 5], [2, 9], [8, 7]], Y: [[1], [1], [0], [1]] },
		training: { epochs: 5, batch_size: 2 }
	});

	it('has 13 parameters starting at 0', () => {
		expect(Array.from(findEvent(trace, 0, 'W[1]')?.value.data ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
		expect(Array.from(findEvent(trace, 0, 'W[2]')?.value.data ?? [])).toEqual([0, 0, 0]);
	});

	it.each(Array.from({ length: trace.steps }, (_, i) => i + 1))('step %i: identical hidden units and gradient rows', (step) => {
		for (const sample of rows(trace, step, 'A[1]')) expect(new Set(sample).size).toBe(1);
		const [u, ...others] = rows(trace, step, 'dW[1]');
		for (const row of others) expect(row).toEqual(u);
		const [w, ...otherWeights] = rows(trace, step, 'W[1]');
		for (const row of otherWeights) expect(row).toEqual(w);
	});

	it('is not trivially true: the hidden gradients become non-zero once W[2] has moved', () => {
		const [u, v] = rows(trace, 2, 'dW[1]')[0];
		expect(Math.abs(u) + Math.abs(v)).toBeGreaterThan(1e-6);
	});
});

// Seed 003 ("Linear activations collapse"): with identity activations a 2-layer network is the
// single linear map W'X + b' with W' = W[2]W[1] and b' = W[2]b[1] + b[2].
describe('identity activations make two layers one linear map (course 003)', () => {
	const W1 = [[0.5, -1.2], [0.3, 0.8], [-0.7, 0.1]];
	const b1 = [0.1, -0.2, 0.3];
	const W2 = [[1.5, -0.4, 0.6], [0.2, 0.9, -1.1]];
	const b2 = [0.05, -0.5];
	const X = [[1, 2], [-0.5, 0.25], [3, -1]];
	const trace = run({
		model: {
			input: 2,
			layers: [
				{ type: 'dense', units: 3, activation: 'identity', W: W1, b: b1 },
				{ type: 'dense', units: 2, activation: 'identity', W: W2, b: b2 }
			]
		},
		data: { X }
	});
	const collapsed = W2.map((row) => W1[0].map((_, k) => row.reduce((s, w, j) => s + w * W1[j][k], 0)));
	const collapsedBias = W2.map((row, i) => row.reduce((s, w, j) => s + w * b1[j], 0) + b2[i]);

	it.each(X.map((x, n) => [n, x] as const))('sample %i', (n, x) => {
		const output = rows(trace, 1, 'A[2]')[n];
		collapsed.forEach((row, i) => {
			const linear = row[0] * x[0] + row[1] * x[1] + collapsedBias[i];
			expect(output[i]).toBeCloseTo(linear, 12);
		});
	});

	it('is a forward-only run: one step, no loss', () => {
		expect(trace.steps).toBe(1);
		expect(findEvent(trace, 1, 'loss')).toBeUndefined();
		expect(columns(rows(trace, 1, 'Z[2]'))).toEqual(columns(rows(trace, 1, 'A[2]')));
	});
});
