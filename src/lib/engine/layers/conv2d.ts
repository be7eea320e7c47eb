import type { Tensor } from '../tensor';
import { activated, deltaOf, required, type LayerUnit } from './unit';
import { outputSize2d, pairOf, planWindow, type WindowGeometry } from './window';

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

/** The kernels as the formula reads them, W[f][c][ki][kj] at (f, c, ki, kj): W itself, or turned by 180° when the settings flip it. */
function kernelsInOrder(W: Tensor, s: ConvSettings): Float64Array {
	if (!s.flip) return W.data;
	const [filters, channels, kh, kw] = W.shape;
	const kernels = new Float64Array(W.data.length);
	let at = 0;
	for (let f = 0; f < filters; f++)
		for (let c = 0; c < channels; c++)
			for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) kernels[at++] = W.data[kernelIndex(s, channels, f, c, ki, kj)];
	return kernels;
}

/**
 * Z[n][f][i][j] = b[f] + Σ_c Σ_ki Σ_kj X[n][c][i·s − p + ki][j·s − p + kj] · W[f][c][ki][kj],
 * padding cells reading 0 (their terms left out). Input N×C×H×W, kernels F×C×kh×kw, output
 * N×F×H'×W'. Each cell's sum is kept in a register and adds its terms in the order of the
 * formula (c, then ki, then kj); where a cell's window lies inside the input's columns, four
 * cells of a row are summed side by side, sharing each kernel weight they read.
 */
export function convForward(input: Tensor, W: Tensor, b: Tensor, s: ConvSettings): Tensor {
	const [samples, channels, height, width] = input.shape;
	const filters = W.shape[0];
	const [outH, outW] = outputSize2d(height, width, s);
	const [kh, kw] = s.kernel;
	const [sh, sw] = s.stride;
	const [ph, pw] = s.padding;
	const x = input.data;
	const kernels = kernelsInOrder(W, s);
	const taps = channels * kh * kw;
	const planeSize = height * width;
	const z = new Float64Array(samples * filters * outH * outW);
	// the output columns whose window reads no padding column: j·sw − pw ≥ 0 and j·sw − pw + kw ≤ width
	const innerFirst = Math.max(0, Math.ceil(pw / sw));
	const innerLast = Math.min(outW - 1, Math.floor((width - kw + pw) / sw));
	for (let n = 0; n < samples; n++) {
		const image = n * channels * planeSize;
		for (let f = 0; f < filters; f++) {
			const bias = b.data[f];
			const kernel = f * taps;
			const map = (n * filters + f) * outH * outW;
			for (let i = 0; i < outH; i++) {
				const top = i * sh - ph;
				// the kernel rows that read an input row, not a padding one
				const ki0 = Math.max(0, -top);
				const ki1 = Math.min(kh - 1, height - 1 - top);
				const to = map + i * outW;
				let j = 0;
				for (const border = Math.min(innerFirst, outW); j < border; j++) z[to + j] = cellSum(x, kernels, bias, image, kernel, channels, planeSize, width, kh, kw, top, ki0, ki1, j * sw - pw);
				for (; j + 3 <= innerLast; j += 4) {
					const left = j * sw - pw;
					let s0 = bias;
					let s1 = bias;
					let s2 = bias;
					let s3 = bias;
					for (let c = 0; c < channels; c++) {
						for (let ki = ki0; ki <= ki1; ki++) {
							const row = image + c * planeSize + (top + ki) * width + left;
							const weights = kernel + (c * kh + ki) * kw;
							for (let kj = 0; kj < kw; kj++) {
								const weight = kernels[weights + kj];
								const at = row + kj;
								s0 += x[at] * weight;
								s1 += x[at + sw] * weight;
								s2 += x[at + 2 * sw] * weight;
								s3 += x[at + 3 * sw] * weight;
							}
						}
					}
					z[to + j] = s0;
					z[to + j + 1] = s1;
					z[to + j + 2] = s2;
					z[to + j + 3] = s3;
				}
				for (; j < outW; j++) z[to + j] = cellSum(x, kernels, bias, image, kernel, channels, planeSize, width, kh, kw, top, ki0, ki1, j * sw - pw);
			}
		}
	}
	return { shape: [samples, filters, outH, outW], data: z };
}

/** One output cell: b[f], then each term whose input cell is inside, in the formula's order (c, ki, kj). */
function cellSum(
	x: Float64Array,
	kernels: Float64Array,
	bias: number,
	image: number,
	kernel: number,
	channels: number,
	planeSize: number,
	width: number,
	kh: number,
	kw: number,
	top: number,
	ki0: number,
	ki1: number,
	left: number
): number {
	const kj0 = Math.max(0, -left);
	const kj1 = Math.min(kw - 1, width - 1 - left);
	let sum = bias;
	for (let c = 0; c < channels; c++) {
		for (let ki = ki0; ki <= ki1; ki++) {
			const row = image + c * planeSize + (top + ki) * width + left;
			const weights = kernel + (c * kh + ki) * kw;
			for (let kj = kj0; kj <= kj1; kj++) sum += x[row + kj] * kernels[weights + kj];
		}
	}
	return sum;
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
	const area = outH * outW;
	for (let n = 0; n < samples; n++) {
		for (let f = 0; f < filters; f++) {
			const map = (n * filters + f) * area;
			let sum = db[f];
			for (let cell = map; cell < map + area; cell++) sum += delta[cell];
			db[f] = sum;
		}
		// four filters at a time: the same weight position of four kernels reads the same input cells, and four sums in flight keep the processor busy where one waits on itself
		let f = 0;
		for (; f + 3 < filters; f += 4) {
			const map = (n * filters + f) * area;
			for (let c = 0; c < channels; c++) {
				const plane = (n * channels + c) * height;
				for (let ki = 0; ki < kh; ki++) {
					const [i0, i1] = validRange(outH, sh, ph, ki, height);
					for (let kj = 0; kj < kw; kj++) {
						const [j0, j1] = validRange(outW, sw, pw, kj, width);
						const at0 = kernelIndex(s, channels, f, c, ki, kj);
						const at1 = kernelIndex(s, channels, f + 1, c, ki, kj);
						const at2 = kernelIndex(s, channels, f + 2, c, ki, kj);
						const at3 = kernelIndex(s, channels, f + 3, c, ki, kj);
						let g0 = dW[at0];
						let g1 = dW[at1];
						let g2 = dW[at2];
						let g3 = dW[at3];
						for (let i = i0; i <= i1; i++) {
							const from = (plane + i * sh - ph + ki) * width - pw + kj;
							const cells = map + i * outW;
							for (let j = j0; j <= j1; j++) {
								const input = x[from + j * sw];
								const cell = cells + j;
								g0 += delta[cell] * input;
								g1 += delta[cell + area] * input;
								g2 += delta[cell + 2 * area] * input;
								g3 += delta[cell + 3 * area] * input;
							}
						}
						dW[at0] = g0;
						dW[at1] = g1;
						dW[at2] = g2;
						dW[at3] = g3;
					}
				}
			}
		}
		for (; f < filters; f++) {
			const map = (n * filters + f) * area;
			for (let c = 0; c < channels; c++) {
				const plane = (n * channels + c) * height;
				for (let ki = 0; ki < kh; ki++) {
					const [i0, i1] = validRange(outH, sh, ph, ki, height);
					for (let kj = 0; kj < kw; kj++) {
						const [j0, j1] = validRange(outW, sw, pw, kj, width);
						const at = kernelIndex(s, channels, f, c, ki, kj);
						let gradient = dW[at];
						for (let i = i0; i <= i1; i++) {
							const from = (plane + i * sh - ph + ki) * width - pw + kj;
							const cells = map + i * outW;
							for (let j = j0; j <= j1; j++) gradient += delta[cells + j] * x[from + j * sw];
						}
						dW[at] = gradient;
					}
				}
			}
		}
		if (!dInput) continue;
		for (let f = 0; f < filters; f++) {
			const map = (n * filters + f) * area;
			for (let c = 0; c < channels; c++) {
				const plane = (n * channels + c) * height;
				for (let ki = kh - 1; ki >= 0; ki--) {
					const [i0, i1] = validRange(outH, sh, ph, ki, height);
					for (let kj = kw - 1; kj >= 0; kj--) {
						const [j0, j1] = validRange(outW, sw, pw, kj, width);
						const weight = w[kernelIndex(s, channels, f, c, ki, kj)];
						for (let i = i0; i <= i1; i++) {
							const to = (plane + i * sh - ph + ki) * width - pw + kj;
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

/** A convolution: F filters of C × kh × kw, one bias per filter. */
export const convUnit: LayerUnit<'conv2d'> = {
	plan(config, site) {
		const kernel = pairOf(config.kernel, [1, 1]);
		const geometry: WindowGeometry = { kernel, stride: pairOf(config.stride, [1, 1]), padding: pairOf(config.padding, [0, 0]) };
		const out = planWindow('conv2d', site, geometry, 'kernel');
		if (!out) return undefined;
		return {
			type: 'conv2d',
			index: site.index,
			inputShape: site.inputShape,
			outputShape: [config.filters, ...out],
			filters: config.filters,
			geometry,
			flip: config.flip ?? false,
			activation: config.activation ?? 'identity'
		};
	},
	declare(plan, window) {
		const { kernel, stride, padding } = window(plan);
		return { type: 'conv2d', filters: plan.filters, kernel, stride, padding, flip: plan.flip, activation: plan.activation };
	},
	parameters(plan) {
		const [kh, kw] = plan.geometry.kernel;
		const fans = { fanIn: plan.inputShape[0] * kh * kw, fanOut: plan.filters * kh * kw };
		return [
			{ name: 'W', shape: [plan.filters, plan.inputShape[0], kh, kw], meaning: 'filters × channels × kernel height × kernel width', initial: { key: 'weights', scheme: 'xavier' }, update: 'weights', ...fans },
			{ name: 'b', shape: [plan.filters], meaning: 'one per filter', initial: { key: 'bias', scheme: 'zeros' }, update: 'biases', ...fans }
		];
	},
	// each output cell reads C·kh·kw inputs
	multiplyAdds: (plan) => plan.outputShape[0] * plan.outputShape[1] * plan.outputShape[2] * plan.inputShape[0] * plan.geometry.kernel[0] * plan.geometry.kernel[1],
	forward(plan, params, input, use, backend) {
		const computed = backend.conv(input, required(plan, params, 'W'), required(plan, params, 'b'), { ...plan.geometry, flip: plan.flip }, plan.activation);
		return activated(computed, use, plan.activation, backend);
	},
	backward(plan, params, input, output, dA, pairedDZ, backend, conventions, needInput) {
		const dZ = deltaOf(plan, plan.activation, output, dA, pairedDZ, backend, conventions);
		const { dW, db, dInput } = backend.convGradients(dZ, input, required(plan, params, 'W'), { ...plan.geometry, flip: plan.flip }, needInput);
		return { dZ, gradients: { W: dW, b: db }, dInput };
	}
};
