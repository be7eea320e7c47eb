import { describe, expect, it } from 'vitest';
import { findEvent, run } from '../../../src/lib/engine';
import { explain, toLatex, type FormulaOptions } from '../../../src/lib/formulas';
import { plainWriting, symbolsFor, subscript } from '../../../src/lib/formulas/notation';
import { exprNumber, texNumber, texOperand, texOperandNear } from '../../../src/lib/formulas/numbers';
import { countNote, sum } from '../../../src/lib/formulas/terms';
import { reluAtZero } from './scenarios';

const EN: FormulaOptions = { profile: plainWriting('bracket'), digits: 4, locale: 'en' };
const FR: FormulaOptions = { ...EN, locale: 'fr' };

describe('numbers in TeX', () => {
	it.each([
		{ value: 0.45000000000000007, options: EN, tex: '0.45' },
		{ value: 0.45000000000000007, options: FR, tex: '0{,}45' },
		{ value: 0.61063923394922, options: EN, tex: '0.6106' },
		{ value: -0.1, options: EN, tex: '-0.1' },
		{ value: 20, options: EN, tex: '20' },
		{ value: 1.2345e-7, options: EN, tex: '1.235 \\times 10^{-7}' },
		{ value: -1.2345e-7, options: FR, tex: '-1{,}235 \\times 10^{-7}' },
		{ value: 3e21, options: EN, tex: '3 \\times 10^{21}' }
	])('$value → $tex', ({ value, options, tex }) => {
		expect(texNumber(value, options)).toBe(tex);
	});

	it('puts negatives in parentheses inside sums and products', () => {
		expect(texOperand(-0.1, EN)).toBe('(-0.1)');
		expect(texOperand(0.1, EN)).toBe('0.1');
	});

	it('keeps the digits that tell a value near an integer from the integer', () => {
		expect(texOperandNear(0.9999999979388463, EN)).toBe('0.999999998');
		expect(texOperandNear(0.5, EN)).toBe('0.5');
		expect(texOperandNear(1, EN)).toBe('1');
	});

	it('writes mathjs numbers at full precision, negatives in parentheses', () => {
		expect(exprNumber(0.45000000000000007)).toBe('0.45000000000000007');
		expect(exprNumber(-0.1)).toBe('(-0.1)');
		expect(exprNumber(1e-21)).toBe('1e-21');
	});
});

describe('symbols of the three notations', () => {
	it.each([
		{ index: [1, 0], text: '_{21}' },
		{ index: [0], text: '_{1}' },
		{ index: [9, 0], text: '_{10,1}' },
		{ index: [0, 1, 2], text: '_{1,2,3}' },
		{ index: [], text: '' }
	])('subscript $index → $text', ({ index, text }) => {
		expect(subscript(index)).toBe(text);
	});

	it.each([
		{ notation: 'bracket', tensor: 'W^{[2]}', element: 'a^{[1](3)}_{2}', x: 'x^{(3)}_{1}', cost: 'J' },
		{ notation: 'paren', tensor: 'w^{(2)}', element: 'a^{(1)\\langle 3\\rangle}_{2}', x: 'x^{\\langle 3\\rangle}_{1}', cost: 'C' },
		{ notation: 'layer', tensor: 'w^{2}', element: 'a^{1\\langle 3\\rangle}_{2}', x: 'x^{\\langle 3\\rangle}_{1}', cost: 'C' }
	] as const)('$notation', ({ notation, tensor, element, x, cost }) => {
		const S = symbolsFor(plainWriting(notation));
		expect(S.tensor('w', 2)).toBe(tensor);
		expect(S.element('a', 1, [1], 3)).toBe(element);
		expect(S.element('a', 1, [1], null)).toBe(element.replace(/\(3\)|\\langle 3\\rangle/, ''));
		expect(S.data('x', [0], 3)).toBe(x);
		expect(S.cost).toBe(cost);
	});
});

describe('long sums', () => {
	const terms = (n: number) => Array.from({ length: n }, (_, k) => ({ symbolic: `t_{${k + 1}}`, substituted: String(k + 1), expression: String(k + 1) }));

	it('shows up to 9 terms in full', () => {
		const s = sum(terms(9));
		expect(s.substituted).toBe('1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9');
		expect(countNote(s, 'en')).toBe('');
	});

	it('shows the first 3 terms, \\cdots and the last one beyond, and says how many; mathjs gets them all', () => {
		const s = sum(terms(784));
		expect(s.symbolic).toBe('t_{1} + t_{2} + t_{3} + \\cdots + t_{784}');
		expect(s.substituted).toBe('1 + 2 + 3 + \\cdots + 784');
		expect(s.expression.split('+')).toHaveLength(784);
		expect(countNote(s, 'en')).toBe('\\quad\\text{(784 terms)}');
		expect(countNote(s, 'fr')).toBe('\\quad\\text{(784 termes)}');
	});

	it('an empty sum is 0', () => {
		expect(sum([])).toEqual({ symbolic: '0', substituted: '0', expression: '0', count: 0 });
	});
});

describe('toLatex', () => {
	it('aligns the equation and its numbers on two lines', () => {
		const formula = {
			index: [0, 1],
			lhs: 'z^{[1]}_{2}',
			symbolic: 'z^{[1]}_{2} = w^{[1]}_{21} a^{[0]}_{1} + b^{[1]}_{2}',
			substituted: '= 0.4 \\cdot 1 + (-0.1) = 0.3',
			expression: '0.4*1+(-0.1)',
			value: 0.30000000000000004,
			reads: [],
			terms: []
		};
		expect(toLatex(formula)).toBe(
			'\\begin{aligned} z^{[1]}_{2} &= w^{[1]}_{21} a^{[0]}_{1} + b^{[1]}_{2} \\\\ &= 0.4 \\cdot 1 + (-0.1) = 0.3 \\end{aligned}'
		);
	});

	it('aligns an update on its arrow', () => {
		const formula = { index: [0], lhs: 'b', symbolic: 'b \\leftarrow b + \\eta\\, e', substituted: '= 0 + 0.1 \\cdot 1 = 0.1', expression: '0+0.1*1', value: 0.1, reads: [], terms: [] };
		expect(toLatex(formula)).toBe('\\begin{aligned} b &\\leftarrow b + \\eta\\, e \\\\ &= 0 + 0.1 \\cdot 1 = 0.1 \\end{aligned}');
	});
});

describe('ReLU′ as the run took it at 0', () => {
	it.each([
		{ atZero: 0, condition: '\\mathbf{1}[z > 0]', slope: '0' },
		{ atZero: 1, condition: '\\mathbf{1}[z \\ge 0]', slope: '1' }
	] as const)('ReLU′(0) = $atZero writes $condition and puts $slope for z = 0', ({ atZero, condition, slope }) => {
		const trace = run(reluAtZero(atZero));
		const dZ = findEvent(trace, 1, 'dZ[1]');
		if (!dZ) throw new Error('no dZ[1]');
		const formula = explain(trace, dZ.seq, EN);
		expect(formula.symbolic).toContain(`\\mathrm{ReLU}'(z) = ${condition}`);
		const atZeroUnit = formula.element([0, 0]);
		expect(atZeroUnit?.symbolic).toContain(condition.replace('z', 'z^{[1]}_{1}'));
		expect(atZeroUnit?.expression.endsWith(`*${slope}`)).toBe(true);
		// dA = ŷ − y = −1, times ReLU′(0) (−1 · 0 is −0, which is 0)
		expect((atZeroUnit?.value ?? NaN) + 0).toBe(atZero === 1 ? -1 : 0);
	});
});
