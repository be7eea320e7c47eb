import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { batchnormFrame, MAX_CELLS } from '../../../src/lib/viz/batchnorm';

function seqOf(trace: Trace, step: number, name: string): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.seq;
}

/** Two features over four samples, normalised then scaled by γ = (2, 1) and shifted by β = (0.5, 0). */
const model = {
	input: 2,
	layers: [
		{ type: 'batchnorm', gamma: [2, 1], beta: [0.5, 0], moving_mean: [1, 10], moving_variance: [4, 25] },
		{ type: 'dense', units: 1, W: [[1, 1]], b: [0] }
	]
};
const X = [[1, 10], [2, 20], [3, 20], [6, 30]];
const trained = run({ model, loss: 'half_squared_error', optimizer: { type: 'sgd', lr: 0.1 }, data: { X, Y: [[0], [0], [0], [0]] }, training: { epochs: 1, batch_size: 4 } });

describe('the batch normalisation picture', () => {
	it('shows the feature the selection is on, with the batch’s statistics at training', () => {
		const frame = batchnormFrame(trained, seqOf(trained, 1, 'xhat[1]'), [2, 1]);
		expect(frame).toMatchObject({ layer: 1, feature: 1, features: 2, training: true, mean: 20, variance: 50, gamma: 1, beta: 0, count: 4 });
		expect(frame?.cells.map((cell) => cell.input)).toEqual([10, 20, 20, 30]);
		frame?.cells.forEach((cell, n) => expect(cell.output).toBeCloseTo((X[n][1] - 20) / Math.sqrt(50.001), 12));
	});

	it('reads a per-feature event’s index as the feature itself', () => {
		expect(batchnormFrame(trained, seqOf(trained, 1, 'sigma2[1]'), [0])).toMatchObject({ feature: 0, mean: 3, variance: 3.5, gamma: 2, beta: 0.5 });
	});

	it('shows the moving statistics outside training', () => {
		const evaluated = run({ model, data: { X } });
		expect(batchnormFrame(evaluated, seqOf(evaluated, 1, 'A[1]'), null)).toMatchObject({ feature: 0, training: false, mean: 1, variance: 4 });
	});

	it('shows an image channel’s first values only, and nothing for another layer', () => {
		const image = run({ model: { input: [1, 5, 5], layers: [{ type: 'batchnorm' }] }, data: { X: [[Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => i + j))]] } });
		const frame = batchnormFrame(image, seqOf(image, 1, 'A[1]'), [0, 0, 1, 1]);
		expect(frame?.count).toBe(25);
		expect(frame?.cells).toHaveLength(MAX_CELLS);
		expect(batchnormFrame(trained, seqOf(trained, 1, 'A[2]'), null)).toBeNull();
	});
});
