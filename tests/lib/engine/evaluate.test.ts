import { describe, expect, it } from 'vitest';
import { findEvent, run } from '../../../src/lib/engine';

/** One identity unit ŷ = x (W = 1, b = 0), so that ŷ is the input and every number can be checked by hand. */
function identity(extra: Record<string, unknown>): Record<string, unknown> {
	return {
		model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'identity', W: [[1]], b: [0] }] },
		optimizer: { type: 'sgd', lr: 0.1 },
		...extra
	};
}

describe('mae loss', () => {
	it('is the mean of |ŷ − y| and its gradient sign(ŷ − y)/n, 0 where ŷ = y (as TensorFlow)', () => {
		const trace = run(identity({ loss: 'mae', data: { X: [[1], [2], [-1]], Y: [[0], [2], [3]] } }));
		// |1 − 0| + |2 − 2| + |−1 − 3| = 5, over m = 3
		expect(findEvent(trace, 1, 'loss')?.value.data[0]).toBeCloseTo(5 / 3, 15);
		// sign(ŷ − y)·(1/m): 1/3, 0 (ŷ = y), −1/3
		expect([...(findEvent(trace, 1, 'dA[1]')?.value.data ?? [])]).toEqual([1 / 3, 0, -1 / 3]);
	});
});
