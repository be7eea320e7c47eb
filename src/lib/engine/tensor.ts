/**
 * A dense float64 tensor: a shape and its values in row-major order.
 * Plain data (no class), so it survives structured cloning to a Web Worker.
 */
export interface Tensor {
	shape: number[];
	data: Float64Array;
}

/** Nested arrays in a tensor's shape, or a plain number for a scalar. */
export type NestedNumbers = number | NestedNumbers[];

export function sizeOf(shape: readonly number[]): number {
	let size = 1;
	for (const dim of shape) size *= dim;
	return size;
}

/** True when `index` names an element of a tensor of this shape. */
/** Whether two shapes are the same, dimension by dimension. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** A number or nested arrays of numbers, its numbers in row-major order (appended to `out`). */
export function flattenNested(value: NestedNumbers, out: number[] = []): number[] {
	if (typeof value === 'number') out.push(value);
	else for (const item of value) flattenNested(item, out);
	return out;
}

export function isInside(shape: readonly number[], index: readonly number[]): boolean {
	return index.length === shape.length && index.every((i, axis) => Number.isInteger(i) && i >= 0 && i < shape[axis]);
}

/** Position of `index` in the row-major data; unchecked, as the loops over a tensor need it. */
export function offsetOf(shape: readonly number[], index: readonly number[]): number {
	let offset = 0;
	for (let axis = 0; axis < shape.length; axis++) offset = offset * shape[axis] + index[axis];
	return offset;
}

/** The index of row-major position `offset`. */
export function indexOf(shape: readonly number[], offset: number): number[] {
	const index = new Array<number>(shape.length);
	for (let axis = shape.length - 1; axis >= 0; axis--) {
		index[axis] = offset % shape[axis];
		offset = Math.floor(offset / shape[axis]);
	}
	return index;
}

/** The element of a tensor at `index` (unchecked). */
export function at(t: { shape: readonly number[]; data: ArrayLike<number> }, index: readonly number[]): number {
	return t.data[offsetOf(t.shape, index)];
}

/**
 * The sub-tensor at the leading indices `lead` (a sample, a sample and a channel…), as a view:
 * no copy, so reading a picture's frame stays cheap. Null when `lead` is not inside the tensor.
 */
export function sliceOf(t: Tensor, lead: readonly number[]): Tensor | null {
	const outer = t.shape.slice(0, lead.length);
	if (lead.length > t.shape.length || !isInside(outer, lead)) return null;
	const rest = t.shape.slice(lead.length);
	const size = sizeOf(rest);
	const start = offsetOf(outer, lead);
	return { shape: rest, data: t.data.subarray(start * size, (start + 1) * size) };
}

export function zeros(shape: readonly number[]): Tensor {
	return { shape: [...shape], data: new Float64Array(sizeOf(shape)) };
}

export function tensor(shape: readonly number[], values: ArrayLike<number>): Tensor {
	return { shape: [...shape], data: Float64Array.from(values) };
}

export function clone(t: Tensor): Tensor {
	return { shape: [...t.shape], data: t.data.slice() };
}

/** The same values seen with another shape of the same size (flatten). */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
	return { shape: [...shape], data: t.data };
}

/** Writes `2×3` for a shape, `scalar` for rank 0. */
export function shapeLabel(shape: readonly number[]): string {
	return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** Converts row-major values to nested arrays, as the CLI's JSON shows them. */
export function toNested(shape: readonly number[], data: ArrayLike<number>, offset = 0): NestedNumbers {
	if (shape.length === 0) return data[offset];
	const [outer, ...inner] = shape;
	const stride = sizeOf(inner);
	const rows: NestedNumbers[] = new Array(outer);
	for (let i = 0; i < outer; i++) rows[i] = toNested(inner, data, offset + i * stride);
	return rows;
}

/**
 * The given rows of a batch-first tensor, in that order: a mini-batch. Consecutive rows are a
 * view, not a copy (an unshuffled batch, one sample of SGD): callers never write into it.
 */
export function takeRows(t: Tensor, rows: readonly number[]): Tensor {
	const rowSize = t.shape[0] > 0 ? t.data.length / t.shape[0] : 0;
	let consecutive = rows.length > 0;
	for (let i = 1; i < rows.length && consecutive; i++) consecutive = rows[i] === rows[0] + i;
	if (consecutive) {
		const shape = t.shape.slice();
		shape[0] = rows.length;
		return { shape, data: t.data.subarray(rows[0] * rowSize, (rows[0] + rows.length) * rowSize) };
	}
	const out = new Float64Array(rows.length * rowSize);
	takeRowsInto(t.data, rowSize, rows, out);
	return { shape: [rows.length, ...t.shape.slice(1)], data: out };
}

/** Copies the given rows of a row-major array (`width` entries a row) into `into`, in that order. */
export function takeRowsInto(from: Float64Array, width: number, rows: readonly number[], into: Float64Array): void {
	for (let r = 0; r < rows.length; r++) {
		const start = rows[r] * width;
		for (let k = 0; k < width; k++) into[r * width + k] = from[start + k];
	}
}
