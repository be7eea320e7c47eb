/** Row-major indexing of the trace's tensors. */

export function sizeOfShape(shape: readonly number[]): number {
	return shape.reduce((size, dim) => size * dim, 1);
}

/** True when `index` names an element of a tensor of this shape. */
export function isInside(shape: readonly number[], index: readonly number[]): boolean {
	return index.length === shape.length && index.every((i, axis) => Number.isInteger(i) && i >= 0 && i < shape[axis]);
}

/** Position of `index` in the row-major data. */
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

/** The element of a tensor at `index`. */
export function at(tensor: { shape: readonly number[]; data: ArrayLike<number> }, index: readonly number[]): number {
	return tensor.data[offsetOf(tensor.shape, index)];
}
