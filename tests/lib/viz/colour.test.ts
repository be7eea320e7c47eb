import { describe, expect, it } from 'vitest';
import { lab } from 'd3';
import { NEGATIVE, POSITIVE, ZERO, divergingColour, maxAbs, signColour, textColourOn } from '../../../src/lib/viz/colour';

describe('divergingColour is symmetric around 0', () => {
	it.each([
		{ limit: 1, value: 0.25 },
		{ limit: 1, value: 0.5 },
		{ limit: 2, value: 1.5 },
		{ limit: 255, value: 100 },
		{ limit: 0.01, value: 0.004 }
	])('±$value on [−$limit, $limit] have the same lightness distance from 0', ({ limit, value }) => {
		const colour = divergingColour(limit);
		const zero = lab(colour(0)).l;
		const plus = lab(colour(value)).l;
		const minus = lab(colour(-value)).l;
		expect(zero - plus).toBeGreaterThan(0);
		expect(Math.abs(zero - plus - (zero - minus))).toBeLessThan(6);
	});

	it.each([
		{ value: 0, colour: ZERO },
		{ value: 3, colour: POSITIVE },
		{ value: -3, colour: NEGATIVE },
		{ value: 10, colour: POSITIVE },
		{ value: -10, colour: NEGATIVE },
		{ value: Number.NaN, colour: ZERO }
	])('on [−3, 3], $value is $colour (clamped beyond the limit)', ({ value, colour }) => {
		expect(lab(divergingColour(3)(value)).toString()).toBe(lab(colour).toString());
	});

	it('paints everything as zero-ish when the limit is 0 instead of dividing by it', () => {
		expect(lab(divergingColour(0)(0)).toString()).toBe(lab(ZERO).toString());
	});

	it('blue for positive, orange for negative, never red/green', () => {
		expect(signColour(0.3)).toBe(POSITIVE);
		expect(signColour(-0.3)).toBe(NEGATIVE);
		expect(signColour(0)).not.toBe(POSITIVE);
		// blue has a negative b* in Lab, orange a positive one: apart for every colour-vision type
		expect(lab(POSITIVE).b).toBeLessThan(-20);
		expect(lab(NEGATIVE).b).toBeGreaterThan(20);
	});

	it.each([
		{ values: [1, -3, 2], max: 3 },
		{ values: [], max: 0 },
		{ values: [Number.NaN, -0.5, Infinity], max: 0.5 }
	])('maxAbs($values) = $max', ({ values, max }) => {
		expect(maxAbs(values)).toBe(max);
	});

	it('writes white on the strong ends and ink on the pale middle', () => {
		expect(textColourOn(POSITIVE)).toBe('#ffffff');
		expect(textColourOn(NEGATIVE)).toBe('#ffffff');
		expect(textColourOn(ZERO)).not.toBe('#ffffff');
	});
});
