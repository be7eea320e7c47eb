import { describe, expect, it } from 'vitest';
import { findEvent, run } from '../../../../src/lib/engine';
import { POOL_MODES, poolBackward, poolForward, type PoolMode } from '../../../../src/lib/engine/layers/pool';
import type { WindowGeometry } from '../../../../src/lib/engine/layers/window';

/*
 * Pooling by hand, one 4×4 channel (row-major indices 0…15):
 *
 *   1 3 | 2 0        windows of 2×2, stride 2:
 *   4 2 | 1 5        (0,0): 1 3 4 2   (0,1): 2 0 1 5
 *   ----+----        (1,0): 0 6 2 1   (1,1): 3 3 7 3
 *   0 6 | 3 3
 *   2 1 | 7 3        the last window ties its minimum 3 three times: the first, index 10, wins
 */
const X = [1, 3, 2, 0, 4, 2, 1, 5, 0, 6, 3, 3, 2, 1, 7, 3];
const input = { shape: [1, 1, 4, 4], data: Float64Array.from(X) };
const windows: WindowGeometry = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
/** the δ of each output cell */
const dA = { shape: [1, 1, 2, 2], data: Float64Array.of(1, 2, 3, 4) };

/** Each mode's values by hand: A, the input cell each window keeps (none for a mean), and dX for dA = 1 2 3 4. */
const BY_HAND: Record<PoolMode, { A: number[]; winners: number[]; dInput: number[] }> = {
	max: {
		A: [4, 5, 6, 7],
		winners: [4, 7, 9, 14],
		dInput: [0, 0, 0, 0, 1, 0, 0, 2, 0, 3, 0, 0, 0, 0, 4, 0]
	},
	avg: {
		A: [10 / 4, 8 / 4, 9 / 4, 16 / 4],
		winners: [],
		dInput: [0.25, 0.25, 0.5, 0.5, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1, 0.75, 0.75, 1, 1]
	},
	min: {
		A: [1, 0, 0, 3],
		winners: [0, 3, 8, 10],
		dInput: [1, 0, 0, 2, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0]
	}
};

describe('pooling by hand, 2×2 windows with stride 2', () => {
	it.each(POOL_MODES)('%s: the forward values and the cells each window keeps', (mode) => {
		const { A, winners } = poolForward(input, mode, windows);
		expect(A.shape).toEqual([1, 1, 2, 2]);
		expect(Array.from(A.data)).toEqual(BY_HAND[mode].A);
		expect(Array.from(winners)).toEqual(BY_HAND[mode].winners);
	});

	it.each(POOL_MODES)('%s: the gradient goes back to the kept cells, or is shared', (mode) => {
		const { winners } = poolForward(input, mode, windows);
		const dInput = poolBackward(dA, input, mode, windows, winners);
		expect(dInput.shape).toEqual([1, 1, 4, 4]);
		expect(Array.from(dInput.data)).toEqual(BY_HAND[mode].dInput);
	});

	it.each(POOL_MODES)('%s: a run records the same A[1]', (mode) => {
		const trace = run({ model: { input: [1, 4, 4], layers: [{ type: 'pool', mode, size: 2 }] }, data: { X: [[[X.slice(0, 4), X.slice(4, 8), X.slice(8, 12), X.slice(12)]]] } });
		expect(Array.from(findEvent(trace, 1, 'A[1]')?.value.data ?? [])).toEqual(BY_HAND[mode].A);
	});
});

describe('overlapping windows (3×3, stride 1) add up the gradients a cell receives', () => {
	it('a cell that wins two windows of max pooling receives both δ', () => {
		// 7 (index 14) is the maximum of both windows of the bottom row
		const overlapping: WindowGeometry = { kernel: [3, 3], stride: [1, 1], padding: [0, 0] };
		const { A, winners } = poolForward(input, 'max', overlapping);
		expect(Array.from(A.data)).toEqual([6, 6, 7, 7]);
		const dInput = poolBackward(dA, input, 'max', overlapping, winners);
		expect(dInput.data[9]).toBe(1 + 2);
		expect(dInput.data[14]).toBe(3 + 4);
	});
});
