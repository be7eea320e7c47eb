import type { Tensor } from '../tensor';
import { outputSize2d, windowOrigin, type WindowGeometry } from './window';

export interface ConvSettings extends WindowGeometry {
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
export function convForward(input: Tensor, W: Tensor, b: Tensor, s: ConvSettings): Tensor {
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
export function convBackward(
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
