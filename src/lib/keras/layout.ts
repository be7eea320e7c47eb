/**
 * Keras stores images channels-last (height × width × channels) and Stepwise, like PyTorch,
 * channels-first (channels × height × width). The kernels differ too: a Keras Dense kernel is
 * inputs × units (Stepwise's W transposed) and a Conv2D kernel kh × kw × in × out (Stepwise's
 * W is out × in × kh × kw). These helpers convert one way and the other.
 */
import type { NestedNumbers } from '../engine/tensor';

type Matrix = number[][];
type Kernel4 = number[][][][];

/** Keras's (H, W, C) shape as Stepwise's [C, H, W]. */
export function channelsFirst(shape: readonly number[]): number[] {
	return shape.length === 3 ? [shape[2], shape[0], shape[1]] : [...shape];
}

/** Stepwise's [C, H, W] as Keras's (H, W, C). */
export function channelsLast(shape: readonly number[]): number[] {
	return shape.length === 3 ? [shape[1], shape[2], shape[0]] : [...shape];
}

/** One image sample, H × W × C nested, as C × H × W. */
export function imageToChannelsFirst(sample: NestedNumbers[][]): number[][][] {
	const height = sample.length;
	const width = sample[0].length;
	const channels = (sample[0][0] as NestedNumbers[]).length;
	return Array.from({ length: channels }, (_, c) =>
		Array.from({ length: height }, (_, h) => Array.from({ length: width }, (_, w) => (sample[h][w] as number[])[c]))
	);
}

/** One image sample, C × H × W nested, as H × W × C. */
export function imageToChannelsLast(sample: number[][][]): number[][][] {
	const channels = sample.length;
	const height = sample[0].length;
	const width = sample[0][0].length;
	return Array.from({ length: height }, (_, h) => Array.from({ length: width }, (_, w) => Array.from({ length: channels }, (_, c) => sample[c][h][w])));
}

/**
 * Where Keras's Flatten puts each value Stepwise's flatten puts at position i, for an image of
 * shape [C, H, W]: Stepwise flattens c·H·W + h·W + w, Keras h·W·C + w·C + c.
 */
export function flattenOrder(shape: readonly number[]): number[] {
	if (shape.length !== 3) return Array.from({ length: shape[0] }, (_, i) => i);
	const [channels, height, width] = shape;
	const order: number[] = [];
	for (let c = 0; c < channels; c++) for (let h = 0; h < height; h++) for (let w = 0; w < width; w++) order.push(h * width * channels + w * channels + c);
	return order;
}

/**
 * A Keras Dense kernel (inputs × units, the inputs in Keras's flatten order `order` describes)
 * as Stepwise's W (units × inputs).
 */
export function denseFromKeras(kernel: Matrix, order: readonly number[]): Matrix {
	const units = kernel[0].length;
	return Array.from({ length: units }, (_, j) => order.map((k) => kernel[k][j]));
}

/** Stepwise's W (units × inputs) as a Keras Dense kernel (inputs × units, in Keras's flatten order). */
export function denseToKeras(W: Matrix, order: readonly number[]): Matrix {
	const kernel: Matrix = Array.from({ length: order.length }, () => new Array<number>(W.length).fill(0));
	order.forEach((k, i) => W.forEach((row, j) => (kernel[k][j] = row[i])));
	return kernel;
}

/** A Keras Conv2D kernel (kh × kw × in × out) as Stepwise's W (out × in × kh × kw). */
export function convFromKeras(kernel: Kernel4): Kernel4 {
	const kh = kernel.length;
	const kw = kernel[0].length;
	const inputs = kernel[0][0].length;
	const outputs = kernel[0][0][0].length;
	return Array.from({ length: outputs }, (_, f) =>
		Array.from({ length: inputs }, (_, c) => Array.from({ length: kh }, (_, y) => Array.from({ length: kw }, (_, x) => kernel[y][x][c][f])))
	);
}

/** Stepwise's W (out × in × kh × kw) as a Keras Conv2D kernel (kh × kw × in × out). */
export function convToKeras(W: Kernel4): Kernel4 {
	const outputs = W.length;
	const inputs = W[0].length;
	const kh = W[0][0].length;
	const kw = W[0][0][0].length;
	return Array.from({ length: kh }, (_, y) =>
		Array.from({ length: kw }, (_, x) => Array.from({ length: inputs }, (_, c) => Array.from({ length: outputs }, (_, f) => W[f][c][y][x])))
	);
}

/** The shape of nested lists, [] for a number; null when the lists are ragged. */
export function nestedShape(value: NestedNumbers): number[] | null {
	if (!Array.isArray(value)) return [];
	if (value.length === 0) return [0];
	const inner = value.map(nestedShape);
	const first = inner[0];
	if (!first || inner.some((s) => !s || s.length !== first.length || s.some((d, i) => d !== first[i]))) return null;
	return [value.length, ...first];
}
