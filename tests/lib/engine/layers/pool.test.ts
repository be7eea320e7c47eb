import { describe, expect, it } from 'vitest';
import { findEvent, run } from '../../../../src/lib/engine';
import { POOL_MODES, poolBackward, poolForward, type PoolMode } from '../../../../src/lib/engine/layers/pool';
import { samePadding, type WindowGeometry } from '../../../../src/lib/engine/layers/window';
import type { PoolPlan } from '../../../../src/lib/engine/plan';
import { planOf } from '../../../../src/lib/engine/summary';

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

/*
 * Keras's padding='same' for pooling, with TensorFlow's own example (tensorflow/tensorflow#60509):
 * AveragePooling2D(2, 2, padding='same') on 1…9 in 3×3 gives 3, 4.5, 7.5, 9. Two outputs a row,
 * (2 − 1)·2 + 2 − 3 = 1 padded row and column, both after (at the bottom and right); a window's
 * cells in the padding are absent: the mean is over the cells inside, and they never win.
 */
describe("padding 'same', as Keras pools", () => {
	const nine = { shape: [1, 1, 3, 3], data: Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9) };
	const plan = (mode: PoolMode, input: number[], size: number, stride: number) =>
		planOf({ input, layers: [{ type: 'pool', mode, size, stride, padding: 'same' }] })[0];

	it('pads (⌈n/s⌉ − 1)·s + k − n cells, the odd one after', () => {
		expect(samePadding(3, 2, 2)).toEqual([0, 1]);
		expect(samePadding(5, 3, 1)).toEqual([1, 1]);
		expect(samePadding(4, 2, 2)).toEqual([0, 0]);
		expect(samePadding(4, 3, 1)).toEqual([1, 1]);
		expect(samePadding(6, 4, 1)).toEqual([1, 2]);
		expect(plan('max', [1, 3, 3], 2, 2)).toMatchObject({ outputShape: [1, 2, 2], geometry: { padding: [0, 0], after: [1, 1] } });
	});

	it('averages over the cells inside the input: 3, 4.5, 7.5, 9 (TensorFlow)', () => {
		const { geometry } = plan('avg', [1, 3, 3], 2, 2) as PoolPlan;
		expect(Array.from(poolForward(nine, 'avg', geometry).A.data)).toEqual([3, 4.5, 7.5, 9]);
		const dInput = poolBackward({ shape: [1, 1, 2, 2], data: Float64Array.of(1, 1, 1, 1) }, nine, 'avg', geometry, new Int32Array(0));
		expect(Array.from(dInput.data)).toEqual([0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
	});

	it('never lets a padded cell win, even over negative values', () => {
		const negative = { shape: [1, 1, 3, 3], data: Float64Array.of(-1, -2, -3, -4, -5, -6, -7, -8, -9) };
		const { geometry } = plan('max', [1, 3, 3], 2, 2) as PoolPlan;
		const { A, winners } = poolForward(negative, 'max', geometry);
		expect(Array.from(A.data)).toEqual([-1, -3, -7, -9]);
		expect(Array.from(winners)).toEqual([0, 2, 6, 8]);
		expect(Array.from(poolForward(nine, 'min', geometry).A.data)).toEqual([1, 3, 7, 9]);
	});

	it.each(POOL_MODES)('%s: backward agrees with central differences of its forward, padding on both sides', (mode) => {
		// 5×4, 3×3 windows, stride 2: one row and one column before and after
		const { geometry } = plan(mode, [1, 5, 4], 3, 2) as PoolPlan;
		expect(geometry).toMatchObject({ padding: [1, 0], after: [1, 1] });
		const x = { shape: [1, 1, 5, 4], data: Float64Array.from({ length: 20 }, (_, i) => Math.sin(3 * i + 1)) };
		const { A, winners } = poolForward(x, mode, geometry);
		const upstream = { shape: A.shape, data: Float64Array.from(A.data, (_, i) => 1 + i / 3) };
		const dInput = poolBackward(upstream, x, mode, geometry, winners);
		const objective = (data: Float64Array) => poolForward({ shape: x.shape, data }, mode, geometry).A.data.reduce((s, a, i) => s + upstream.data[i] * a, 0);
		const h = 1e-6;
		x.data.forEach((_, i) => {
			const plus = x.data.slice();
			const minus = x.data.slice();
			plus[i] += h;
			minus[i] -= h;
			expect(dInput.data[i], `cell ${i}`).toBeCloseTo((objective(plus) - objective(minus)) / (2 * h), 8);
		});
	});

	it('a run records it, and the scenario says it back', () => {
		const trace = run({ model: { input: [1, 3, 3], layers: [{ type: 'pool', mode: 'avg', size: 2, padding: 'same' }] }, data: { X: [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]] } });
		expect(Array.from(findEvent(trace, 1, 'A[1]')?.value.data ?? [])).toEqual([3, 4.5, 7.5, 9]);
	});
});
