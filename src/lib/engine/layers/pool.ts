import type { Tensor } from '../tensor';
import { outputSize2d, windowOrigin, type WindowGeometry } from './window';

export type PoolMode = 'max' | 'avg';

export interface PoolResult {
	A: Tensor;
	/** For max pooling: the input index each output cell took its value from (the first maximum on ties). */
	argmax: Int32Array;
}

/** Max or average over each window, channel by channel. Input N×C×H×W, output N×C×H'×W'. */
export function poolForward(input: Tensor, mode: PoolMode, g: WindowGeometry): PoolResult {
	const [samples, channels, height, width] = input.shape;
	const [outH, outW] = outputSize2d(height, width, g);
	const [kh, kw] = g.kernel;
	const a = new Float64Array(samples * channels * outH * outW);
	const argmax = new Int32Array(mode === 'max' ? a.length : 0);
	let out = 0;
	for (let plane = 0; plane < samples * channels; plane++) {
		for (let i = 0; i < outH; i++) {
			const top = windowOrigin(i, g.stride[0], g.padding[0]);
			for (let j = 0; j < outW; j++) {
				const left = windowOrigin(j, g.stride[1], g.padding[1]);
				let best = -Infinity;
				let bestIndex = -1;
				let sum = 0;
				for (let ki = 0; ki < kh; ki++) {
					for (let kj = 0; kj < kw; kj++) {
						const x = (plane * height + top + ki) * width + left + kj;
						const value = input.data[x];
						sum += value;
						if (value > best || bestIndex < 0) {
							best = value;
							bestIndex = x;
						}
					}
				}
				if (mode === 'max') argmax[out] = bestIndex;
				a[out++] = mode === 'max' ? best : sum / (kh * kw);
			}
		}
	}
	return { A: { shape: [samples, channels, outH, outW], data: a }, argmax };
}

/** Max pooling passes each δ to the one input that won; average pooling shares it equally. */
export function poolBackward(dA: Tensor, input: Tensor, mode: PoolMode, g: WindowGeometry, argmax: Int32Array): Tensor {
	const dInput = new Float64Array(input.data.length);
	if (mode === 'max') {
		for (let out = 0; out < dA.data.length; out++) dInput[argmax[out]] += dA.data[out];
		return { shape: [...input.shape], data: dInput };
	}
	const [, , height, width] = input.shape;
	const [, , outH, outW] = dA.shape;
	const [kh, kw] = g.kernel;
	const share = 1 / (kh * kw);
	let out = 0;
	for (let plane = 0; plane < dA.shape[0] * dA.shape[1]; plane++) {
		for (let i = 0; i < outH; i++) {
			const top = windowOrigin(i, g.stride[0], g.padding[0]);
			for (let j = 0; j < outW; j++) {
				const left = windowOrigin(j, g.stride[1], g.padding[1]);
				const delta = dA.data[out++] * share;
				for (let ki = 0; ki < kh; ki++) {
					for (let kj = 0; kj < kw; kj++) dInput[(plane * height + top + ki) * width + left + kj] += delta;
				}
			}
		}
	}
	return { shape: [...input.shape], data: dInput };
}
