import type { Tensor } from '../tensor';
import { activated, deltaOf, required, type LayerUnit } from './unit';
import { outputSize2d, pairOf, planWindow, windowOrigin, type WindowGeometry } from './window';

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
