import { describe, expect, it } from 'vitest';
import { countNonFinite, nearlyEqual, nearZero } from '../../../src/lib/engine/numeric';

describe('countNonFinite, which stops a run at the first value that overflowed', () => {
	const finite = (length: number) => Float64Array.from({ length }, (_, i) => (i % 2 ? -1 : 1) * 10 ** (i % 300));
	const withAt = (length: number, at: Record<number, number>) => {
		const values = finite(length);
		for (const [i, value] of Object.entries(at)) values[Number(i)] = value;
		return values;
	};
	it.each([
		['nothing', new Float64Array(0), 0],
		['finite values, the largest and the smallest among them', Float64Array.of(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -0, 0), 0],
		['a NaN first', withAt(9, { 0: NaN }), 1],
		['an infinity in the middle of a group of four', withAt(9, { 6: Infinity }), 1],
		['a −∞ among the last values, after the groups of four', withAt(11, { 9: -Infinity }), 1],
		['one of each, spread out', withAt(1001, { 3: NaN, 500: Infinity, 1000: -Infinity }), 3],
		['every value', Float64Array.of(NaN, NaN, Infinity, -Infinity, NaN), 5]
	])('%s', (_, values, expected) => {
		expect(countNonFinite(values)).toBe(expected);
		expect(countNonFinite(Array.from(values))).toBe(expected);
	});
});

describe('nearZero is nearlyEqual(x, 0) for every number a run records', () => {
	it.each([0, -0, 1e-10, -1e-10, 1e-9, -1e-9, 1.0000001e-9, -1.0000001e-9, 0.5, -2, 1e300, -Number.MAX_VALUE, NaN, 0.1 * 3 - 0.3])('%s', (x) => {
		expect(nearZero(x)).toBe(nearlyEqual(x, 0));
	});

	it('and says an infinity is not near 0, where nearlyEqual calls it equal to anything', () => {
		expect([nearZero(Infinity), nearZero(-Infinity)]).toEqual([false, false]);
	});
});
