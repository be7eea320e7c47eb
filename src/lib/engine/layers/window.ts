import { shapeLabel } from '../tensor';
import type { PlanSite } from './unit';

/**
 * The geometry of a sliding window (convolution kernel or pooling window) over an image,
 * shared by the layers, the pictures and the formulas so that they always agree.
 */
export interface WindowGeometry {
	/** [kh, kw] */
	kernel: [number, number];
	/** [sh, sw] */
	stride: [number, number];
	/** [ph, pw]: rows and columns added on each side (at the top and left only when `after` is given) */
	padding: [number, number];
	/**
	 * Rows and columns added at the bottom and right when they differ from `padding`: Keras's
	 * 'same' pooling puts the odd one after. Cells there are absent, not zeros (see pool.ts).
	 */
	after?: [number, number];
}

/** The padding at the bottom and right: `after`, or the same as at the top and left. */
export function paddingAfter(g: WindowGeometry): [number, number] {
	return g.after ?? g.padding;
}

/**
 * Keras's padding='same' along one axis: ⌈n/s⌉ outputs, and (⌈n/s⌉ − 1)·s + k − n cells added in
 * all (none when negative), half before and the odd one after. [before, after].
 */
export function samePadding(inputSize: number, kernel: number, stride: number): [number, number] {
	const total = Math.max((Math.ceil(inputSize / stride) - 1) * stride + kernel - inputSize, 0);
	const before = Math.floor(total / 2);
	return [before, total - before];
}

/** ⌊(n + 2p − k) / s⌋ + 1 along one axis (p before and `after` after); 0 when the window does not fit. */
export function outputSize(inputSize: number, kernel: number, stride: number, padding: number, after = padding): number {
	const room = inputSize + padding + after - kernel;
	return room < 0 ? 0 : Math.floor(room / stride) + 1;
}

/** Output height and width of a window sliding over an H×W input. */
export function outputSize2d(height: number, width: number, g: WindowGeometry): [number, number] {
	return [
		outputSize(height, g.kernel[0], g.stride[0], g.padding[0], paddingAfter(g)[0]),
		outputSize(width, g.kernel[1], g.stride[1], g.padding[1], paddingAfter(g)[1])
	];
}

/** The input row (or column) under the window's first kernel row for output row `out`; may be negative in the padding. */
export function windowOrigin(out: number, stride: number, padding: number): number {
	return out * stride - padding;
}

/** A size given once for both axes, or as [height, width]; `fallback` when not given. */
export function pairOf(value: number | [number, number] | undefined, fallback: [number, number]): [number, number] {
	if (value === undefined) return fallback;
	return typeof value === 'number' ? [value, value] : value;
}

/**
 * The output height and width of a window layer (conv2d, pool) on `site`'s input, or undefined
 * with an issue reported: an input that is not an image, or a window larger than the padded
 * input. `key` is the mapping's key for the window's size.
 */
export function planWindow(type: string, site: PlanSite, geometry: WindowGeometry, key: string): [number, number] | undefined {
	const { inputShape, at, issues } = site;
	if (inputShape.length !== 3) {
		issues.push({
			path: at,
			message: `${type} needs an image input [channels, height, width], but ${site.from} gives ${inputShape[0]} features`
		});
		return undefined;
	}
	const [, height, width] = inputShape;
	const { kernel, padding } = geometry;
	const paddedH = height + padding[0] + paddingAfter(geometry)[0];
	const paddedW = width + padding[1] + paddingAfter(geometry)[1];
	if (kernel[0] > paddedH || kernel[1] > paddedW) {
		const input = padding[0] || padding[1] ? 'the padded input' : 'its input';
		issues.push({
			path: [...at, key],
			message: `${shapeLabel(kernel)} is larger than ${input} ${paddedH}×${paddedW}`.replace(/^(\d+)×\1 /, '$1 ')
		});
		return undefined;
	}
	return outputSize2d(height, width, geometry);
}

export interface ReceptiveCell {
	/** position in the unpadded input; outside [0, H)×[0, W) means a padding zero */
	row: number;
	col: number;
	/** position in the kernel */
	kernelRow: number;
	kernelCol: number;
	inPadding: boolean;
}

/** The input cells read to compute output cell (outRow, outCol), kernel row by kernel row. */
export function receptiveField(
	outRow: number,
	outCol: number,
	g: WindowGeometry,
	height: number,
	width: number
): ReceptiveCell[] {
	const top = windowOrigin(outRow, g.stride[0], g.padding[0]);
	const left = windowOrigin(outCol, g.stride[1], g.padding[1]);
	const cells: ReceptiveCell[] = [];
	for (let kernelRow = 0; kernelRow < g.kernel[0]; kernelRow++) {
		for (let kernelCol = 0; kernelCol < g.kernel[1]; kernelCol++) {
			const row = top + kernelRow;
			const col = left + kernelCol;
			cells.push({ row, col, kernelRow, kernelCol, inPadding: row < 0 || row >= height || col < 0 || col >= width });
		}
	}
	return cells;
}
