import type { Tensor } from '../engine/tensor';

/** Row-major position of `index` in a tensor of shape `shape`; -1 when it is not inside. */
export function flatIndex(shape: readonly number[], index: readonly number[]): number {
	if (index.length !== shape.length) return -1;
	let flat = 0;
	for (let axis = 0; axis < shape.length; axis++) {
		const i = index[axis];
		if (!Number.isInteger(i) || i < 0 || i >= shape[axis]) return -1;
		flat = flat * shape[axis] + i;
	}
	return flat;
}

/** The index of the `flat`-th entry of a row-major tensor of shape `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
	const index = new Array<number>(shape.length);
	for (let axis = shape.length - 1; axis >= 0; axis--) {
		index[axis] = flat % shape[axis];
		flat = Math.floor(flat / shape[axis]);
	}
	return index;
}

/**
 * The sub-tensor at the leading indices `lead` (a sample, a sample and a channel…), as a view:
 * no copy, so reading a frame stays cheap.
 */
export function sliceOf(t: Tensor, lead: readonly number[]): Tensor | null {
	if (lead.length > t.shape.length) return null;
	const rest = t.shape.slice(lead.length);
	let size = 1;
	for (const dim of rest) size *= dim;
	const start = flatIndex(t.shape.slice(0, lead.length), lead);
	if (start < 0) return null;
	return { shape: rest, data: t.data.subarray(start * size, (start + 1) * size) };
}
