import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../../src/lib/format/number';

describe('numbers as a person writes them', () => {
	it.each([
		{ value: 0.1 + 0.2, text: '0.3' },
		{ value: 0.45000000000000007, text: '0.45' },
		{ value: 0.9999999979388463, text: '1' },
		{ value: 0.524979187478940, text: '0.524979' },
		{ value: -0.0000123456789, text: '-0.0000123457' },
		{ value: 42949935105, text: '42949935105' },
		{ value: 12345678.9, text: '12345700' },
		{ value: 20, text: '20' },
		{ value: -0, text: '0' },
		{ value: 1e-21, text: '1e-21' }
	])('$value → $text', ({ value, text }) => {
		expect(formatNumber(value)).toBe(text);
	});

	it('writes the decimal comma in French', () => {
		expect(formatNumber(0.5933, 4, 'fr')).toBe('0,5933');
	});
});
