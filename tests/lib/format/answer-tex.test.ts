import { describe, expect, it } from 'vitest';
import { valueTex } from '../../../src/lib/format/answer-tex';
import type { NestedNumbers } from '../../../src/lib/engine/tensor';

describe('an expected value in TeX (valueTex), as a revealed answer shows it', () => {
	it.each<{ value: NestedNumbers; fr: string; en: string }>([
		{ value: 0.45000000000000007, fr: '0{,}45', en: '0.45' },
		{ value: -1.2e-7, fr: '-1{,}2 \\times 10^{-7}', en: '-1.2 \\times 10^{-7}' },
		{ value: [[0.1, 0.45]], fr: '\\begin{pmatrix} 0{,}1 & 0{,}45 \\end{pmatrix}', en: '\\begin{pmatrix} 0.1 & 0.45 \\end{pmatrix}' },
		{ value: [[1, 2], [3, 4.5]], fr: '\\begin{pmatrix} 1 & 2 \\\\ 3 & 4{,}5 \\end{pmatrix}', en: '\\begin{pmatrix} 1 & 2 \\\\ 3 & 4.5 \\end{pmatrix}' },
		{ value: Infinity, fr: '\\infty', en: '\\infty' }
	])('writes $value with the decimal mark of each language', ({ value, fr, en }) => {
		expect(valueTex(value, 'fr')).toBe(fr);
		expect(valueTex(value, 'en')).toBe(en);
	});
});
