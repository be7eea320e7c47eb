import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, MAX_COLUMN_GAP, MIN_COLUMN_GAP, columnGapFor, layoutNetwork, slotOf, visibleUnits } from '../../../src/lib/viz/network-layout';

describe('visibleUnits: up to 16 units shown, larger layers show 6, an ellipsis, the last 2', () => {
	it.each([
		{ count: 1, shown: [0] },
		{ count: 3, shown: [0, 1, 2] },
		{ count: 16, shown: Array.from({ length: 16 }, (_, i) => i) },
		{ count: 17, shown: [0, 1, 2, 3, 4, 5, null, 15, 16] },
		{ count: 784, shown: [0, 1, 2, 3, 4, 5, null, 782, 783] }
	])('$count units', ({ count, shown }) => {
		expect(visibleUnits(count)).toEqual(shown);
	});

	it.each([
		{ count: 20, pinned: [17], shown: [0, 1, 2, 3, 4, 5, null, 17, 18, 19] },
		{ count: 20, pinned: [10], shown: [0, 1, 2, 3, 4, 5, null, 10, null, 18, 19] },
		{ count: 20, pinned: [6], shown: [0, 1, 2, 3, 4, 5, 6, null, 18, 19] },
		{ count: 20, pinned: [3, 99, -1], shown: [0, 1, 2, 3, 4, 5, null, 18, 19] },
		{ count: 10, pinned: [7], shown: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }
	])('the selected unit $pinned of $count stays visible', ({ count, pinned, shown }) => {
		expect(visibleUnits(count, DEFAULT_LAYOUT, pinned)).toEqual(shown);
	});
});

describe('layoutNetwork', () => {
	const { columnGap, rowGap, marginX, marginTop } = DEFAULT_LAYOUT;

	it.each([
		{ sizes: [2, 2, 1], column: 0, unit: 0, x: marginX, y: marginTop },
		{ sizes: [2, 2, 1], column: 1, unit: 1, x: marginX + columnGap, y: marginTop + rowGap },
		// a single output unit sits half-way between the two units of the tallest column
		{ sizes: [2, 2, 1], column: 2, unit: 0, x: marginX + 2 * columnGap, y: marginTop + rowGap / 2 },
		{ sizes: [3, 1], column: 1, unit: 0, x: marginX + columnGap, y: marginTop + rowGap },
		// after the ellipsis (row 6) come the last two units, at rows 7 and 8
		{ sizes: [20, 4], column: 0, unit: 19, x: marginX, y: marginTop + 8 * rowGap },
		{ sizes: [20, 4], column: 1, unit: 0, x: marginX + columnGap, y: marginTop + 2.5 * rowGap }
	])('sizes $sizes: unit $unit of column $column at ($x, $y)', ({ sizes, column, unit, x, y }) => {
		const slot = slotOf(layoutNetwork(sizes), column, unit);
		expect(slot).toBeDefined();
		expect(slot?.x).toBeCloseTo(x, 9);
		expect(slot?.y).toBeCloseTo(y, 9);
	});

	it('puts the ellipsis after the sixth unit and hides the middle units', () => {
		const layout = layoutNetwork([20, 4]);
		expect(layout.columns[0].slots.map((s) => s.unit)).toEqual([0, 1, 2, 3, 4, 5, null, 18, 19]);
		expect(slotOf(layout, 0, 10)).toBeUndefined();
		expect(layout.columns[0].size).toBe(20);
		expect(layout.columns[0].slots[6].hidden).toBe(12);
	});

	it('counts the units each ellipsis hides and keys every slot uniquely', () => {
		const slots = layoutNetwork([30], {}, [[15]]).columns[0].slots;
		expect(slots.filter((s) => s.unit === null).map((s) => s.hidden)).toEqual([9, 12]);
		expect(new Set(slots.map((s) => s.key)).size).toBe(slots.length);
	});

	it('grows with the tallest column and the number of layers', () => {
		const small = layoutNetwork([2, 1]);
		const big = layoutNetwork([16, 16, 16, 1]);
		expect(big.height - small.height).toBe(14 * rowGap);
		expect(big.width - small.width).toBe(2 * columnGap);
	});
});

describe('columnGapFor', () => {
	it.each([
		{ case: 'a 2-3-1 network and its cost on a 343 px phone', available: 343, columns: 3, extra: 84, marginX: 44, gap: 85, fits: true },
		{ case: 'a 2-1 network and its cost on a phone', available: 343, columns: 2, extra: 84, marginX: 44, gap: 171, fits: true },
		{ case: 'a 2-3-1 network on a 700 px laptop column', available: 700, columns: 3, extra: 120, marginX: 70, gap: 220, fits: true },
		{ case: 'a six-layer chain on a phone', available: 343, columns: 7, extra: 84, marginX: 44, gap: 28, fits: false }
	])('$case', ({ available, columns, extra, marginX, gap, fits }) => {
		const chosen = columnGapFor(available, columns, extra, marginX);
		expect(chosen).toBe(Math.max(MIN_COLUMN_GAP, Math.min(MAX_COLUMN_GAP, gap)));
		expect(2 * marginX + extra + (columns - 1) * chosen <= available).toBe(fits);
	});
});
