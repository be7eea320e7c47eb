import { describe, expect, it } from 'vitest';
import { findEvent, run } from '../../../../src/lib/engine';
import { values } from '../../../helpers';

/*
 * Batch normalisation as Keras computes it: the batch's mean and biased variance (÷ m) at
 * training, ε = 0.001, momentum 0.99, moving mean 0 and moving variance 1 at the start, and the
 * moving statistics at evaluation. Hand values on one feature, then the gradients against
 * central finite differences of J, read from the `loss` event of runs with one number nudged.
 */

const EPSILON = 0.001;

/** One input feature (x, identity weights 1) → batch normalisation → output weight 1: a = γ x̂ + β, J = ½Σ(a − y)². */
function oneFeature(X: number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		model: {
			input: 1,
			layers: [
				{ type: 'dense', units: 1, W: [[1]], b: [0] },
				{ type: 'batchnorm', gamma: [2], beta: [0.5], ...extra }
			]
		},
		loss: 'half_squared_error',
		reduction: 'sum',
		optimizer: { type: 'sgd', lr: 0.1 },
		data: { X: X.map((x) => [x]), Y: X.map(() => [1]) },
		training: { epochs: 1, batch_size: X.length, shuffle: false }
	};
}

describe('batch normalisation at training, by hand', () => {
	const X = [1, 2, 3, 6];
	const trace = run(oneFeature(X));
	// μ = 12/4 = 3, σ² = (4 + 1 + 0 + 9)/4 = 3.5 (divided by m = 4, not m − 1 = 3)
	const xhat = X.map((x) => (x - 3) / Math.sqrt(3.5 + EPSILON));

	it('takes the mean and the biased variance of the batch', () => {
		expect(values(trace, 1, 'mu[2]')).toEqual([3]);
		expect(values(trace, 1, 'sigma2[2]')[0]).toBeCloseTo(3.5, 14);
	});

	it('normalises with ε under the square root, then scales by γ and shifts by β', () => {
		values(trace, 1, 'xhat[2]').forEach((v, i) => expect(v).toBeCloseTo(xhat[i], 14));
		values(trace, 1, 'A[2]').forEach((v, i) => expect(v).toBeCloseTo(2 * xhat[i] + 0.5, 14));
	});

	it('gives dγ = Σ ∂J/∂a · x̂ and dβ = Σ ∂J/∂a, and trains them by gradient descent', () => {
		const dA = xhat.map((x) => 2 * x + 0.5 - 1);
		const dgamma = dA.reduce((s, g, i) => s + g * xhat[i], 0);
		const dbeta = dA.reduce((s, g) => s + g, 0);
		expect(values(trace, 1, 'dgamma[2]')[0]).toBeCloseTo(dgamma, 12);
		expect(values(trace, 1, 'dbeta[2]')[0]).toBeCloseTo(dbeta, 12);
		expect(values(trace, 1, 'gamma[2]')[0]).toBeCloseTo(2 - 0.1 * dgamma, 12);
		expect(values(trace, 1, 'beta[2]')[0]).toBeCloseTo(0.5 - 0.1 * dbeta, 12);
	});

	it('moves the moving statistics by Keras momentum 0.99 from 0 and 1', () => {
		expect(values(trace, 1, 'moving_mean[2]')[0]).toBeCloseTo(0.99 * 0 + 0.01 * 3, 14);
		expect(values(trace, 1, 'moving_variance[2]')[0]).toBeCloseTo(0.99 * 1 + 0.01 * 3.5, 14);
	});

	it('starts γ at 1, β at 0, the moving mean at 0 and the moving variance at 1 when the file leaves them out', () => {
		const bare = run({ ...oneFeature(X), model: { input: 1, layers: [{ type: 'dense', units: 1, W: [[1]], b: [0] }, { type: 'batchnorm' }] } });
		expect(['gamma[2]', 'beta[2]', 'moving_mean[2]', 'moving_variance[2]'].map((name) => values(bare, 0, name)[0])).toEqual([1, 0, 0, 1]);
	});

	it('takes its momentum and ε from the file', () => {
		const own = run(oneFeature(X, { momentum: 0.5, epsilon: 0.1 }));
		values(own, 1, 'xhat[2]').forEach((v, i) => expect(v).toBeCloseTo((X[i] - 3) / Math.sqrt(3.5 + 0.1), 14));
		expect(values(own, 1, 'moving_mean[2]')[0]).toBeCloseTo(1.5, 14);
	});
});

describe('batch normalisation at evaluation', () => {
	it('normalises by the moving statistics, not the batch, and records no batch statistics', () => {
		const scenario = oneFeature([1, 2, 3, 6], { moving_mean: [2], moving_variance: [4] });
		const trace = run({ model: scenario.model, data: { X: [[1], [2], [3], [6]] } });
		expect(findEvent(trace, 1, 'mu[2]')).toBeUndefined();
		values(trace, 1, 'A[2]').forEach((v, i) => expect(v).toBeCloseTo((2 * ([1, 2, 3, 6][i] - 2)) / Math.sqrt(4 + EPSILON) + 0.5, 14));
	});

	it('refuses a negative moving variance, naming where it is', () => {
		expect(() => run({ ...oneFeature([1, 2], { moving_variance: [-1] }) })).toThrow(/layers.*1.*moving_variance.*below 0/s);
	});
});

/** Central difference step and tolerance, as tests/lib/engine/gradients.test.ts. */
const H = 1e-5;
const RELATIVE = 1e-6;
const NOISE = 1e-9;

type Layers = Record<string, unknown>[];

/** J of step 1 for `layers` with one number of one layer's key nudged (entry in row-major order). */
function costWith(base: Record<string, unknown>, layers: Layers, layer: number, key: string, entry: number, by: number): number {
	const nudged = layers.map((spec, i) => {
		if (i !== layer - 1) return spec;
		const flat = (spec[key] as unknown[]).flat(3) as number[];
		flat[entry] += by;
		return { ...spec, [key]: reshapeLike(spec[key], flat) };
	});
	const trace = run({ ...base, model: { ...(base.model as object), layers: nudged } });
	return values(trace, 1, 'loss')[0];
}

function reshapeLike(like: unknown, flat: number[]): unknown {
	let k = 0;
	const fill = (node: unknown): unknown => (Array.isArray(node) ? node.map(fill) : flat[k++]);
	return fill(like);
}

function expectMatchesFiniteDifferences(base: Record<string, unknown>, checks: { layer: number; key: string; gradient: string }[]): void {
	const layers = (base.model as { layers: Layers }).layers;
	const trace = run(base);
	for (const { layer, key, gradient } of checks) {
		const analytic = values(trace, 1, `${gradient}[${layer}]`);
		analytic.forEach((a, entry) => {
			const n = (costWith(base, layers, layer, key, entry, H) - costWith(base, layers, layer, key, entry, -H)) / (2 * H);
			expect(Math.abs(a - n), `${gradient}[${layer}] entry ${entry}: ${a} vs ${n}`).toBeLessThanOrEqual(RELATIVE * Math.max(Math.abs(a), Math.abs(n)) + NOISE);
		});
	}
}

describe('batch normalisation agrees with finite differences of J', () => {
	it('after a dense layer: dW, db below it (through μ and σ²), dγ and dβ', () => {
		const base = {
			model: {
				input: 2,
				layers: [
					{ type: 'dense', units: 3, activation: 'tanh', W: [[0.4, -0.7], [0.9, 0.2], [-0.3, 0.5]], b: [0.1, -0.2, 0.05] },
					{ type: 'batchnorm', gamma: [1.5, 0.8, -0.6], beta: [0.2, -0.1, 0.3] },
					{ type: 'dense', units: 1, activation: 'sigmoid', W: [[0.7, -1.2, 0.4]], b: [0.1] }
				]
			},
			loss: 'binary_cross_entropy',
			optimizer: { type: 'sgd', lr: 0.1 },
			data: { X: [[1, 0.5], [-0.3, 2], [0.8, -1], [0.1, 0.1], [-1.5, 0.4]], Y: [[1], [0], [1], [0], [1]] },
			training: { epochs: 1, batch_size: 5, shuffle: false }
		};
		expectMatchesFiniteDifferences(base, [
			{ layer: 1, key: 'W', gradient: 'dW' },
			{ layer: 1, key: 'b', gradient: 'db' },
			{ layer: 2, key: 'gamma', gradient: 'dgamma' },
			{ layer: 2, key: 'beta', gradient: 'dbeta' },
			{ layer: 3, key: 'W', gradient: 'dW' }
		]);
	});

	it('after a convolution, per channel over the batch and the positions', () => {
		const base = {
			model: {
				input: [1, 3, 3],
				layers: [
					{ type: 'conv2d', filters: 2, kernel: 2, W: [[[[0.5, -0.3], [0.2, 0.8]]], [[[-0.6, 0.1], [0.4, -0.2]]]], b: [0.1, -0.1] },
					{ type: 'batchnorm', gamma: [1.2, -0.7], beta: [0.1, 0.3] },
					{ type: 'flatten' },
					{ type: 'dense', units: 1, W: [[0.3, -0.5, 0.2, 0.6, -0.4, 0.1, 0.7, -0.2]], b: [0] }
				]
			},
			loss: 'half_squared_error',
			optimizer: { type: 'sgd', lr: 0.1 },
			data: {
				X: [[[[1, 0, 2], [0.5, -1, 1], [2, 1, 0]]], [[[0, 1, -1], [1, 2, 0.5], [-0.5, 0, 1]]]],
				Y: [[1], [-0.5]]
			},
			training: { epochs: 1, batch_size: 2, shuffle: false }
		};
		expectMatchesFiniteDifferences(base, [
			{ layer: 1, key: 'W', gradient: 'dW' },
			{ layer: 1, key: 'b', gradient: 'db' },
			{ layer: 2, key: 'gamma', gradient: 'dgamma' },
			{ layer: 2, key: 'beta', gradient: 'dbeta' }
		]);
	});
});
