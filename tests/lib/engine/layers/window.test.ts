import { describe, expect, it } from 'vitest';
import { findEvent, receptiveField, run } from '../../../../src/lib/engine';
import { outputSize } from '../../../../src/lib/engine/layers/window';

describe('output size W_out = ⌊(W_in − k + 2p) / s⌋ + 1 (course 001)', () => {
	it.each([
		{ input: 5, kernel: 3, stride: 1, padding: 0, size: 3 },
		{ input: 5, kernel: 3, stride: 1, padding: 1, size: 5 },
		{ input: 5, kernel: 3, stride: 2, padding: 0, size: 2 },
		{ input: 9, kernel: 3, stride: 1, padding: 0, size: 7 },
		{ input: 7, kernel: 3, stride: 2, padding: 0, size: 3 },
		{ input: 28, kernel: 2, stride: 2, padding: 0, size: 14 },
		{ input: 6, kernel: 3, stride: 2, padding: 0, size: 2 },
		{ input: 2, kernel: 3, stride: 1, padding: 0, size: 0 }
	])('$input with k=$kernel s=$stride p=$padding gives $size', ({ input, kernel, stride, padding, size }) => {
		expect(outputSize(input, kernel, stride, padding)).toBe(size);
	});
});

describe('receptive field of an output cell', () => {
	const X = [[4, 0, 4, 3, 0], [1, 2, 7, 5, 2], [4, 8, 1, 6, 5], [1, 5, 0, 7, 8], [8, 2, 6, 3, 1]];
	const kernel = [[1, 0, 1], [0, 1, 0], [1, 0, 1]];

	it.each([
		{ padding: 0, stride: 1, out: [1, 1] },
		{ padding: 1, stride: 1, out: [0, 0] },
		{ padding: 1, stride: 1, out: [4, 2] },
		{ padding: 0, stride: 2, out: [1, 0] }
	])('padding $padding, stride $stride, cell $out: Σ kernel × window is the feature map value', ({ padding, stride, out }) => {
		const geometry = { kernel: [3, 3] as [number, number], stride: [stride, stride] as [number, number], padding: [padding, padding] as [number, number] };
		const cells = receptiveField(out[0], out[1], geometry, 5, 5);
		expect(cells).toHaveLength(9);
		const sum = cells.reduce((s, c) => s + (c.inPadding ? 0 : X[c.row][c.col] * kernel[c.kernelRow][c.kernelCol]), 0);
		const trace = run({
			model: { input: [1, 5, 5], layers: [{ type: 'conv2d', filters: 1, kernel: 3, stride, padding, W: [[kernel]], b: [0] }] },
			data: { X: [[X]] }
		});
		const Z = findEvent(trace, 1, 'Z[1]');
		const width = Z?.value.shape[3] ?? 0;
		expect(Z?.value.data[out[0] * width + out[1]]).toBe(sum);
	});

	it('marks padding cells and places the window by stride', () => {
		const cells = receptiveField(0, 0, { kernel: [3, 3], stride: [2, 2], padding: [1, 1] }, 5, 5);
		expect(cells.filter((c) => c.inPadding)).toHaveLength(5);
		expect(cells[4]).toEqual({ row: 0, col: 0, kernelRow: 1, kernelCol: 1, inPadding: false });
		expect(receptiveField(1, 2, { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }, 4, 6)[0]).toMatchObject({ row: 2, col: 4 });
	});
});

describe('convolution and cross-correlation (course 004)', () => {
	it('flip: true slides the kernel turned by 180°', () => {
		const X = [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]];
		const kernel = [[1, 2], [3, 4]];
		const conv = (flip: boolean, W: number[][]) =>
			Array.from(
				findEvent(run({ model: { input: [1, 3, 3], layers: [{ type: 'conv2d', filters: 1, kernel: 2, flip, W: [[W]], b: [0] }] }, data: { X } }), 1, 'Z[1]')?.value.data ?? []
			);
		expect(conv(false, kernel)).toEqual([37, 47, 67, 77]);
		expect(conv(true, kernel)).toEqual(conv(false, [[4, 3], [2, 1]]));
	});
});

describe('pooling', () => {
	it.each([
		{ mode: 'max', size: 2, stride: 2, A: [4, 7, 8, 7] },
		{ mode: 'avg', size: 2, stride: 2, A: [1.75, 4.75, 4.5, 3.5] },
		{ mode: 'max', size: 3, stride: 1, A: [8, 8, 7, 8, 8, 8, 8, 8, 8] }
	])('$mode pooling $size×$size stride $stride', ({ mode, size, stride, A }) => {
		const trace = run({
			model: { input: [1, 5, 5], layers: [{ type: 'pool', mode, size, stride }] },
			data: { X: [[[[4, 0, 4, 3, 0], [1, 2, 7, 5, 2], [4, 8, 1, 6, 5], [1, 5, 0, 7, 8], [8, 2, 6, 3, 1]]]] }
		});
		expect(Array.from(findEvent(trace, 1, 'A[1]')?.value.data ?? [])).toEqual(A);
	});
});
