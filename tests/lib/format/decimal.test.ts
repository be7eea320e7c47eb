import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../../src/lib/format/decimal';

describe('parseDecimal', () => {
	it.each([
		['0,5', 0.5],
		['0.5', 0.5],
		[' 1e-3 ', 0.001],
		['-0,25', -0.25],
		['−0,25', -0.25],
		['+2', 2],
		[',5', 0.5],
		['1,', 1],
		['2,5E-2', 0.025],
		['-0', 0]
	])('reads %j as %d', (input, value) => {
		expect(parseDecimal(input)).toEqual({ ok: true, value });
	});

	it.each([
		['1,2,3', 'syntax'],
		['1.2.3', 'syntax'],
		['abc', 'syntax'],
		['', 'empty'],
		['   ', 'empty'],
		['Infinity', 'syntax'],
		['NaN', 'syntax'],
		['1e400', 'range'],
		['-1e400', 'range'],
		['1 000', 'syntax'],
		['0x10', 'syntax'],
		['1e', 'syntax'],
		['.', 'syntax']
	])('refuses %j (%s) with a message', (input, reason) => {
		const result = parseDecimal(input);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.reason).toBe(reason);
		expect(result.message.length).toBeGreaterThan(5);
	});

	it('formats a number as each locale types it', () => {
		expect(formatDecimal(0.5, 'fr')).toBe('0,5');
		expect(formatDecimal(0.5, 'en')).toBe('0.5');
		expect(formatDecimal(-0.001, 'fr')).toBe('-0,001');
		for (const value of [0.1, -2.5, 1e-7, 3]) expect(parseDecimal(formatDecimal(value, 'fr'))).toEqual({ ok: true, value });
	});
});
