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
 * The output rows (or columns) i whose window, at kernel offset k, reads an input row inside
 * [0, size): i·s − p + k ∈ [0, size). Padding cells read 0, so the others add nothing.
 */
function validRange(outSize: number, stride: number, padding: number, k: number, size: number): [number, number] {
	const first = Math.max(0, Math.ceil((padding - k) / stride));
	const last = Math.min(outSize - 1, Math.floor((size - 1 + padding - k) / stride));
	return [first, last];
}

/**
 * Z[n][f][i][j] = b[f] + Σ_c Σ_ki Σ_kj X[n][c][i·s − p + ki][j·s − p + kj] · W[f][c][ki][kj],
 * padding cells reading 0. Input N×C×H×W, kernels F×C×kh×kw, output N×F×H'×W'. The loops run
 * one kernel weight over every output cell at a time; each cell still adds its terms in the
 * order of the formula (c, then ki, then kj), so the numbers are those of the cell-by-cell sum.
 */
export function convForward(input: Tensor, W: Tensor, b: Tensor, s: ConvSettings): Tensor {
	const [samples, channels, height, width] = input.shape;
	const filters = W.shape[0];
	const [outH, outW] = outputSize2d(height, width, s);
	const [kh, kw] = s.kernel;
	const [sh, sw] = s.stride;
	const [ph, pw] = s.padding;
	const x = input.data;
	const w = W.data;
	const z = new Float64Array(samples * filters * outH * outW);
	for (let n = 0; n < samples; n++) {
		for (let f = 0; f < filters; f++) {
			const map = (n * filters + f) * outH * outW;
			z.fill(b.data[f], map, map + outH * outW);
			for (let c = 0; c < channels; c++) {
				const plane = (n * channels + c) * height;
				for (let ki = 0; ki < kh; ki++) {
					const [i0, i1] = validRange(outH, sh, ph, ki, height);
					for (let kj = 0; kj < kw; kj++) {
						const [j0, j1] = validRange(outW, sw, pw, kj, width);
						const weight = w[kernelIndex(s, channels, f, c, ki, kj)];
						for (let i = i0; i <= i1; i++) {
							const from = (plane + windowOrigin(i, sh, ph) + ki) * width - pw + kj;
							const to = map + i * outW;
							for (let j = j0; j <= j1; j++) z[to + j] += x[from + j * sw] * weight;
						}
					}
				}
			}
		}
	}
	return { shape: [samples, filters, outH, outW], data: z };
}

/**
 * Each output cell's δ flows back to the kernel weights it multiplied and the input cells it read
 * (these left out when `needInput` is false: the first layer's dA[0] is never read). As in the
 * forward pass, every sum keeps the order of the cell-by-cell loops: dW and db over (n, i, j),
 * an input cell over (f, i, j), which is the kernel offsets from the last to the first.
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
	const [sh, sw] = s.stride;
	const [ph, pw] = s.padding;
	const x = input.data;
	const w = W.data;
	const delta = dZ.data;
	const dW = new Float64Array(W.data.length);
	const db = new Float64Array(filters);
	const dInput = needInput ? new Float64Array(input.data.length) : null;
	for (let n = 0; n < samples; n++) {
		for (let f = 0; f < filters; f++) {
			const map = (n * filters + f) * outH * outW;
			let sum = db[f];
			for (let cell = map; cell < map + outH * outW; cell++) sum += delta[cell];
			db[f] = sum;
			for (let c = 0; c < channels; c++) {
				const plane = (n * channels + c) * height;
				for (let ki = 0; ki < kh; ki++) {
					const [i0, i1] = validRange(outH, sh, ph, ki, height);
					for (let kj = 0; kj < kw; kj++) {
						const [j0, j1] = validRange(outW, sw, pw, kj, width);
						const at = kernelIndex(s, channels, f, c, ki, kj);
						let gradient = dW[at];
						for (let i = i0; i <= i1; i++) {
							const from = (plane + windowOrigin(i, sh, ph) + ki) * width - pw + kj;
							const cells = map + i * outW;
							for (let j = j0; j <= j1; j++) gradient += delta[cells + j] * x[from + j * sw];
						}
						dW[at] = gradient;
					}
				}
			}
			if (!dInput) continue;
			for (let c = 0; c < channels; c++) {
				const plane = (n * channels + c) * height;
				for (let ki = kh - 1; ki >= 0; ki--) {
					const [i0, i1] = validRange(outH, sh, ph, ki, height);
					for (let kj = kw - 1; kj >= 0; kj--) {
						const [j0, j1] = validRange(outW, sw, pw, kj, width);
						const weight = w[kernelIndex(s, channels, f, c, ki, kj)];
						for (let i = i0; i <= i1; i++) {
							const to = (plane + windowOrigin(i, sh, ph) + ki) * width - pw + kj;
							const cells = map + i * outW;
							for (let j = j0; j <= j1; j++) dInput[to + j * sw] += delta[cells + j] * weight;
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
