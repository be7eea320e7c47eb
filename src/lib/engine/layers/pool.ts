import type { Tensor } from '../tensor';
import type { LayerUnit } from './unit';
import { outputSize2d, pairOf, planWindow, samePadding, windowOrigin, type WindowGeometry } from './window';

export const POOL_MODES = ['max', 'avg', 'min'] as const;
export type PoolMode = (typeof POOL_MODES)[number];

/**
 * How a mode reduces a window: to the one cell that wins it (the first on ties, and the only one
 * its gradient goes back to), where `sign`·value is largest; or to the mean of its cells, whose
 * gradient is shared equally.
 */
export type PoolRule = { kind: 'winner'; sign: 1 | -1 } | { kind: 'mean' };

export const POOL_RULES: Record<PoolMode, PoolRule> = {
	max: { kind: 'winner', sign: 1 },
	avg: { kind: 'mean' },
	// not a Keras layer, but the courses name it beside max pooling
	min: { kind: 'winner', sign: -1 }
};

/** The sign a mode's winner maximises, or null for a mode that keeps no single cell. */
export function winnerSign(mode: PoolMode): 1 | -1 | null {
	const rule = POOL_RULES[mode];
	return rule.kind === 'winner' ? rule.sign : null;
}

export interface PoolResult {
	A: Tensor;
	/** For a mode that keeps one cell: the input index each output cell took its value from (the first winner on ties); empty otherwise. */
	winners: Int32Array;
}

/**
 * The pooled value of each window, channel by channel. Input N×C×H×W, output N×C×H'×W'. With
 * padding (Keras's 'same'), a window's cells in the padding are absent, as in Keras: they never
 * win, and a mean is over the window's cells inside the input only.
 */
export function poolForward(input: Tensor, mode: PoolMode, g: WindowGeometry): PoolResult {
	const [samples, channels, height, width] = input.shape;
	const [outH, outW] = outputSize2d(height, width, g);
	const rule = POOL_RULES[mode];
	const a = new Float64Array(samples * channels * outH * outW);
	const winners = new Int32Array(rule.kind === 'winner' ? a.length : 0);
	const planes: Planes = { count: samples * channels, height, width, outH, outW };
	// each rule its own loops, the window's bounds worked out once per row and column
	if (rule.kind === 'winner') poolWinners(input.data, planes, g, rule.sign, a, winners);
	else poolMeans(input.data, planes, g, a);
	return { A: { shape: [samples, channels, outH, outW], data: a }, winners };
}

/** The planes (sample × channel) a pool reads, H×W each, and the H'×W' windows it makes of each. */
interface Planes {
	count: number;
	height: number;
	width: number;
	outH: number;
	outW: number;
}

/** Each window's winner (the first on ties), where `sign`·value is largest, into `a`, its index into `winners`. */
function poolWinners(x: Float64Array, { count, height, width, outH, outW }: Planes, g: WindowGeometry, sign: 1 | -1, a: Float64Array, winners: Int32Array): void {
	const [kh, kw] = g.kernel;
	let out = 0;
	for (let plane = 0; plane < count; plane++) {
		for (let i = 0; i < outH; i++) {
			const top = windowOrigin(i, g.stride[0], g.padding[0]);
			const rowTo = Math.min(kh, height - top);
			for (let j = 0; j < outW; j++) {
				const left = windowOrigin(j, g.stride[1], g.padding[1]);
				const colFrom = Math.max(0, -left);
				const colTo = Math.min(kw, width - left);
				let best = 0;
				let bestIndex = -1;
				for (let ki = Math.max(0, -top); ki < rowTo; ki++) {
					const row = (plane * height + top + ki) * width + left;
					for (let kj = colFrom; kj < colTo; kj++) {
						const value = x[row + kj];
						if (bestIndex < 0 || sign * value > sign * best) {
							best = value;
							bestIndex = row + kj;
						}
					}
				}
				winners[out] = bestIndex;
				a[out++] = best;
			}
		}
	}
}

/** Each window's mean over its cells inside the input, into `a`. */
function poolMeans(x: Float64Array, { count, height, width, outH, outW }: Planes, g: WindowGeometry, a: Float64Array): void {
	const [kh, kw] = g.kernel;
	let out = 0;
	for (let plane = 0; plane < count; plane++) {
		for (let i = 0; i < outH; i++) {
			const top = windowOrigin(i, g.stride[0], g.padding[0]);
			for (let j = 0; j < outW; j++) {
				const left = windowOrigin(j, g.stride[1], g.padding[1]);
				let sum = 0;
				for (let ki = Math.max(0, -top); ki < Math.min(kh, height - top); ki++) {
					for (let kj = Math.max(0, -left); kj < Math.min(kw, width - left); kj++) sum += x[(plane * height + top + ki) * width + left + kj];
				}
				a[out++] = sum / inside(top, left, height, width, g);
			}
		}
	}
}

/** How many cells of the window at (top, left) lie inside the H×W input: kh·kw without padding. */
export function inside(top: number, left: number, height: number, width: number, g: WindowGeometry): number {
	const rows = Math.min(g.kernel[0], height - top) - Math.max(0, -top);
	const cols = Math.min(g.kernel[1], width - left) - Math.max(0, -left);
	return rows * cols;
}

/** A mode that keeps one cell passes each δ to the cell that won; average pooling shares it equally among the window's cells inside the input. */
export function poolBackward(dA: Tensor, input: Tensor, mode: PoolMode, g: WindowGeometry, winners: Int32Array): Tensor {
	const dInput = new Float64Array(input.data.length);
	switch (POOL_RULES[mode].kind) {
		case 'winner':
			for (let out = 0; out < dA.data.length; out++) dInput[winners[out]] += dA.data[out];
			return { shape: [...input.shape], data: dInput };
		case 'mean': {
			const [, , height, width] = input.shape;
			const [, , outH, outW] = dA.shape;
			const [kh, kw] = g.kernel;
			let out = 0;
			for (let plane = 0; plane < dA.shape[0] * dA.shape[1]; plane++) {
				for (let i = 0; i < outH; i++) {
					const top = windowOrigin(i, g.stride[0], g.padding[0]);
					for (let j = 0; j < outW; j++) {
						const left = windowOrigin(j, g.stride[1], g.padding[1]);
						const delta = dA.data[out++] * (1 / inside(top, left, height, width, g));
						for (let ki = Math.max(0, -top); ki < Math.min(kh, height - top); ki++) {
							for (let kj = Math.max(0, -left); kj < Math.min(kw, width - left); kj++) dInput[(plane * height + top + ki) * width + left + kj] += delta;
						}
					}
				}
			}
			return { shape: [...input.shape], data: dInput };
		}
	}
}

/** The geometry of a pool layer: Keras's 'same' padding computed from the input's height and width. */
function poolGeometry(kernel: [number, number], stride: [number, number], padding: 'valid' | 'same', inputShape: readonly number[]): WindowGeometry {
	if (padding === 'valid' || inputShape.length !== 3) return { kernel, stride, padding: [0, 0] };
	const [top, bottom] = samePadding(inputShape[1], kernel[0], stride[0]);
	const [left, right] = samePadding(inputShape[2], kernel[1], stride[1]);
	return { kernel, stride, padding: [top, left], after: [bottom, right] };
}

/** Pooling: no parameters, a window that moves by its own size unless given a stride; padding 'same' as Keras. */
export const poolUnit: LayerUnit<'pool'> = {
	plan(config, site) {
		const kernel = pairOf(config.size, [1, 1]);
		const padding = config.padding ?? 'valid';
		const geometry = poolGeometry(kernel, pairOf(config.stride, kernel), padding, site.inputShape);
		const out = planWindow('pool', site, geometry, 'size');
		if (!out) return undefined;
		return { type: 'pool', index: site.index, inputShape: site.inputShape, outputShape: [site.inputShape[0], ...out], mode: config.mode, padding, geometry };
	},
	declare(plan, window) {
		const { kernel, stride } = window(plan);
		return { type: 'pool', mode: plan.mode, size: kernel, stride, ...(plan.padding === 'same' ? { padding: plan.padding } : {}) };
	},
	parameters: () => [],
	multiplyAdds: () => 0,
	forward(plan, _params, input, _use, backend) {
		const { A, winners } = backend.pool(input, plan.mode, plan.geometry);
		return { Z: null, A, winners: winnerSign(plan.mode) === null ? null : winners };
	},
	backward(plan, _params, input, output, dA, _pairedDZ, backend, _conventions, needInput) {
		return {
			dZ: null,
			gradients: {},
			dInput: needInput ? backend.poolGradient(dA, input, plan.mode, plan.geometry, output.winners ?? new Int32Array(0)) : null
		};
	}
};
