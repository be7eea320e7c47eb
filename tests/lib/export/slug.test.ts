import { describe, expect, it } from 'vitest';
import { titleSlug } from '../../../src/lib/export';

describe('titleSlug', () => {
	it('keeps letters and digits, drops accents, joins words with dashes', () => {
		expect(titleSlug('Rétropropagation sur un réseau 2-2-1')).toBe('retropropagation-sur-un-reseau-2-2-1');
		expect(titleSlug('  Backprop, one step!  ')).toBe('backprop-one-step');
		expect(titleSlug("L'opération « OU »")).toBe('l-operation-ou');
	});

	it('falls back to a name when nothing is left, and stays short', () => {
		expect(titleSlug('')).toBe('stepwise');
		expect(titleSlug('★ ★ ★', 'trace')).toBe('trace');
		expect(titleSlug('a'.repeat(200)).length).toBe(80);
	});
});
