import { describe, expect, it } from 'vitest';
import { at, indexOf, isInside, offsetOf, sizeOf, sliceOf, tensor } from '../../../src/lib/engine/tensor';

describe('row-major indexing', () => {
	const shape = [2, 3, 4];

	it('walks every element: offsetOf and indexOf are each other’s inverse', () => {
		for (let offset = 0; offset < sizeOf(shape); offset++) {
			const index = indexOf(shape, offset);
			expect(isInside(shape, index)).toBe(true);
			expect(offsetOf(shape, index)).toBe(offset);
		}
		expect(indexOf(shape, 23)).toEqual([1, 2, 3]);
		expect(offsetOf(shape, [1, 0, 2])).toBe(14);
	});

	it.each([[[2, 0, 0]], [[0, 3, 0]], [[0, 0, -1]], [[0, 0.5, 0]], [[0, 0]], [[0, 0, 0, 0]]])('%j is not inside 2×3×4', (index) => {
		expect(isInside(shape, index)).toBe(false);
	});

	it('sizes a scalar as one element', () => {
		expect(sizeOf([])).toBe(1);
		expect(isInside([], [])).toBe(true);
	});

	it('reads an element, and a slice at leading indices as a view', () => {
		const t = tensor(shape, Array.from({ length: 24 }, (_, i) => i));
		expect(at(t, [1, 2, 3])).toBe(23);
		const row = sliceOf(t, [1, 2]);
		expect(row?.shape).toEqual([4]);
		expect(Array.from(row?.data ?? [])).toEqual([20, 21, 22, 23]);
		expect(row?.data.buffer).toBe(t.data.buffer);
		expect(sliceOf(t, [])?.shape).toEqual(shape);
		expect(sliceOf(t, [2])).toBeNull();
		expect(sliceOf(t, [0, 0, 0, 0])).toBeNull();
	});
});
