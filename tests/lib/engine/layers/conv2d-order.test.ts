import { describe, expect, it } from 'vitest';
import { convBackward, convForward } from '../../../../src/lib/engine/layers/conv2d';
import { outputSize2d, windowOrigin, type WindowGeometry } from '../../../../src/lib/engine/layers/window';
import { mulberry32 } from '../../../../src/lib/engine/prng';
import type { Tensor } from '../../../../src/lib/engine/tensor';

/* The formulas as written, cell by cell and term after term: what the fast loops must equal exactly. */
interface ConvSettings extends WindowGeometry {
	/** true: convolution in the mathematical sense (kernel flipped); false: cross-correlation, as libraries compute */
	flip: boolean;
}

/** Index in a flattened filters × channels × kh × kw kernel, flipped when the settings ask for it. */
function kernelIndex(s: ConvSettings, channels: number, f: number, c: number, ki: number, kj: number): number {
	const [kh, kw] = s.kernel;
	const row = s.flip ? kh - 1 - ki : ki;
	const col = s.flip ? kw - 1 - kj : kj;
	return ((f * channels + c) * kh + row) * kw + col;
}

/**
 * Z[n][f][i][j] = b[f] + Σ_c Σ_ki Σ_kj X[n][c][i·s − p + ki][j·s − p + kj] · W[f][c][ki][kj],
 * padding cells reading 0. Input N×C×H×W, kernels F×C×kh×kw, output N×F×H'×W'.
 */
function plainForward(input: Tensor, W: Tensor, b: Tensor, s: ConvSettings): Tensor {
	const [samples, channels, height, width] = input.shape;
	const filters = W.shape[0];
	const [outH, outW] = outputSize2d(height, width, s);
	const [kh, kw] = s.kernel;
	const z = new Float64Array(samples * filters * outH * outW);
	let out = 0;
	for (let n = 0; n < samples; n++) {
		for (let f = 0; f < filters; f++) {
			for (let i = 0; i < outH; i++) {
				const top = windowOrigin(i, s.stride[0], s.padding[0]);
				for (let j = 0; j < outW; j++) {
					const left = windowOrigin(j, s.stride[1], s.padding[1]);
					let sum = b.data[f];
					for (let c = 0; c < channels; c++) {
						const plane = (n * channels + c) * height;
						for (let ki = 0; ki < kh; ki++) {
							const row = top + ki;
							if (row < 0 || row >= height) continue;
							for (let kj = 0; kj < kw; kj++) {
								const col = left + kj;
								if (col < 0 || col >= width) continue;
								sum += input.data[(plane + row) * width + col] * W.data[kernelIndex(s, channels, f, c, ki, kj)];
							}
						}
					}
					z[out++] = sum;
				}
			}
		}
	}
	return { shape: [samples, filters, outH, outW], data: z };
}

/**
 * Each output cell's δ flows back to the kernel weights it multiplied and the input cells it read
 * (these left out when `needInput` is false: the first layer's dA[0] is never read).
 */
function plainBackward(
	dZ: Tensor,
	input: Tensor,
	W: Tensor,
	s: ConvSettings,
	needInput = true
): { dW: Tensor; db: Tensor; dInput: Tensor | null } {
	const [samples, channels, height, width] = input.shape;
	const [, filters, outH, outW] = dZ.shape;
	const [kh, kw] = s.kernel;
	const dW = new Float64Array(W.data.length);
	const db = new Float64Array(filters);
	const dInput = needInput ? new Float64Array(input.data.length) : null;
	let out = 0;
	for (let n = 0; n < samples; n++) {
		for (let f = 0; f < filters; f++) {
			for (let i = 0; i < outH; i++) {
				const top = windowOrigin(i, s.stride[0], s.padding[0]);
				for (let j = 0; j < outW; j++) {
					const left = windowOrigin(j, s.stride[1], s.padding[1]);
					const delta = dZ.data[out++];
					db[f] += delta;
					if (delta === 0) continue;
					for (let c = 0; c < channels; c++) {
						const plane = (n * channels + c) * height;
						for (let ki = 0; ki < kh; ki++) {
							const row = top + ki;
							if (row < 0 || row >= height) continue;
							for (let kj = 0; kj < kw; kj++) {
								const col = left + kj;
								if (col < 0 || col >= width) continue;
								const w = kernelIndex(s, channels, f, c, ki, kj);
								const x = (plane + row) * width + col;
								dW[w] += delta * input.data[x];
								if (dInput) dInput[x] += delta * W.data[w];
							}
						}
					}
				}
			}
		}
	}
	return {
		dW: { shape: [...W.shape], data: dW },
		db: { shape: [filters], data: db },
		dInput: dInput && { shape: [...input.shape], data: dInput }
	};
}

describe('a convolution sums in the order of its formula', () => {
	// from case 16 on, 5 to 7 filters on larger images: the loops that take four filters, or four cells of a row, at a time
	it.each(Array.from({ length: 32 }, (_, i) => i))('case %i: exactly the plain loops’ numbers, with every stride, padding and flip', (i) => {
		const random = mulberry32(900 + i);
		const larger = i >> 4;
		const [samples, channels, filters, size, kernel] = [1 + (i % 3), 1 + (i % 2), 1 + ((i >> 1) % 3) + 4 * larger, 4 + (i % 5) + 7 * larger, 1 + ((i >> 2) % 3)];
		const s: ConvSettings = { kernel: [kernel, Math.max(1, kernel - (i % 2))], stride: [1 + (i % 2), 1 + ((i >> 3) % 2)], padding: [(i >> 1) % 2, (i >> 2) % 2], flip: i % 3 === 0 };
		const tensor = (shape: number[], zeros = false): Tensor => ({ shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b) }, () => (zeros && random.next() < 0.3 ? 0 : 2 * random.next() - 1)) });
		const x = tensor([samples, channels, size, size]);
		const W = tensor([filters, channels, ...s.kernel]);
		const b = tensor([filters]);
		const Z = convForward(x, W, b, s);
		expect(Z.shape).toEqual(plainForward(x, W, b, s).shape);
		expect(Array.from(Z.data)).toEqual(Array.from(plainForward(x, W, b, s).data));
		const dZ = tensor(Z.shape, true);
		const [fast, plain] = [convBackward(dZ, x, W, s), plainBackward(dZ, x, W, s)];
		expect(Array.from(fast.dW.data)).toEqual(Array.from(plain.dW.data));
		expect(Array.from(fast.db.data)).toEqual(Array.from(plain.db.data));
		expect(Array.from(fast.dInput?.data ?? [])).toEqual(Array.from(plain.dInput?.data ?? []));
	});
});
