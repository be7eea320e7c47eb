import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { explain, quantitySymbol, quantityText, type FormulaOptions } from '../../../src/lib/formulas';
import { PROFILES, type ProfileId } from '../../../src/lib/profiles';
import { DESIGN_EXAMPLE } from '../../helpers';

const design = run(DESIGN_EXAMPLE);
const perceptron = run({ perceptron: { w: [0.1, 0.2], b: 0.5, threshold: 0.3, strict: true, rule: 'delta', lr: 0.1 }, data: { X: [[1, 1]], Y: [[0]] } });

function optionsOf(profile: ProfileId): FormulaOptions {
	return { profile: PROFILES[profile], digits: 4, locale: 'en' };
}

function formulaOf(trace: Trace, step: number, name: string, profile: ProfileId) {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return explain(trace, event.seq, optionsOf(profile));
}

describe('each profile writes its course’s symbols', () => {
	it.each([
		{ profile: 'neutral', update: 'w^{[1]}_{21} - \\eta \\frac{\\partial J}{\\partial w^{[1]}_{21}}', bias: 'b^{[1]}_{1}', caption: 'layer 1 (η = 0.5)' },
		{ profile: '000', update: 'w^{[1]}_{21} - \\eta \\frac{\\partial E}{\\partial w^{[1]}_{21}}', bias: 'b^{[1]}_{1}', caption: 'layer 1 (η = 0.5)' },
		{ profile: '001', update: 'w^{1}_{21} - \\alpha \\frac{\\partial C}{\\partial w^{1}_{21}}', bias: 'b^{1}_{1}', caption: 'layer 1 (α = 0.5)' },
		{ profile: '002', update: 'w^{[1]}_{21} - \\alpha \\frac{\\partial \\text{Loss}}{\\partial w^{[1]}_{21}}', bias: 'w^{[1]}_{10}', caption: 'layer 1 (α = 0.5)' },
		{ profile: '003', update: 'w^{[1]}_{21} - \\alpha \\frac{\\partial J}{\\partial w^{[1]}_{21}}', bias: 'b^{[1]}_{1}', caption: 'layer 1 (α = 0.5)' },
		{ profile: '004', update: 'w^{(2)}_{21} - \\eta \\frac{\\partial C}{\\partial w^{(2)}_{21}}', bias: 'b^{(2)}_{1}', caption: 'layer 2 (η = 0.5)' }
	] as const)('$profile: $update', ({ profile, update, bias, caption }) => {
		const weights = formulaOf(design, 1, 'W[1]', profile);
		expect(weights.element([1, 0])?.symbolic).toContain(`\\leftarrow ${update}`);
		expect(weights.caption.en).toContain(caption);
		expect(formulaOf(design, 1, 'b[1]', profile).element([0])?.lhs).toBe(bias);
	});

	it.each([
		{ profile: 'neutral', name: 'dZ[2]', symbol: '\\delta^{[2]}' },
		{ profile: '004', name: 'dZ[2]', symbol: '\\delta^{(3)}' },
		{ profile: '004', name: 'W[1]', symbol: 'w^{(2)}' },
		{ profile: '001', name: 'A[0]', symbol: 'a^{0}' },
		{ profile: '003', name: 'dW[1]', symbol: '\\frac{\\partial J}{\\partial W^{[1]}}' },
		{ profile: '002', name: 'b[1]', symbol: 'W^{[1]}_{0}' },
		{ profile: '000', name: 'loss', symbol: 'E' },
		{ profile: '002', name: 'loss', symbol: '\\text{Loss}' },
		{ profile: '004', name: 'error', symbol: 'e' },
		{ profile: '002', name: 'lr', symbol: '\\alpha_k' },
		{ profile: 'neutral', name: 'lr', symbol: '\\eta_k' },
		{ profile: '004', name: 'mystery', symbol: null }
	] as const)('$profile names $name $symbol', ({ profile, name, symbol }) => {
		expect(quantitySymbol(name, PROFILES[profile])).toBe(symbol);
	});

	it.each([
		{ profile: 'neutral', rule: 'w_i \\leftarrow w_i + \\eta\\, e\\, x_i', bias: 'b \\leftarrow b + \\eta\\, e' },
		{ profile: '001', rule: 'w_i \\leftarrow w_i + \\alpha\\, e\\, x_i', bias: 'b \\leftarrow b + \\alpha\\, e' },
		{ profile: '002', rule: 'w_i \\leftarrow w_i + \\alpha\\, e\\, x_i', bias: 'w_0 \\leftarrow w_0 + \\alpha\\, e' }
	] as const)('the perceptron in $profile: $rule', ({ profile, rule, bias }) => {
		expect(formulaOf(perceptron, 1, 'W[1]', profile).symbolic).toBe(rule);
		expect(formulaOf(perceptron, 1, 'b[1]', profile).symbolic).toBe(bias);
	});

	it('course 004 writes the cost C and its layers from 2, in every caption', () => {
		expect(formulaOf(design, 1, 'loss', '004').symbolic.startsWith('C = ')).toBe(true);
		expect(formulaOf(design, 1, 'Z[2]', '004').caption).toEqual({ fr: 'Somme pondérée de la couche 3', en: 'Weighted sum of layer 3' });
		expect(formulaOf(design, 1, 'Z[2]', '004').symbolic).toBe('z^{(3)} = w^{(3)} a^{(2)} + b^{(3)}');
	});
});

describe('the pictures’ plain-text names', () => {
	it.each([
		{ profile: 'neutral', name: 'W[1]', text: 'W[1]' },
		{ profile: 'neutral', name: 'dZ[2]', text: 'δ[2]' },
		{ profile: '004', name: 'dZ[2]', text: 'δ⁽³⁾' },
		{ profile: '004', name: 'dW[1]', text: '∂C/∂w⁽²⁾' },
		{ profile: '004', name: 'A[0]', text: 'a⁽¹⁾' },
		{ profile: '001', name: 'Z[12]', text: 'z¹²' },
		{ profile: '002', name: 'b[1]', text: 'W[1]₀' },
		{ profile: '002', name: 'loss', text: 'Loss' },
		{ profile: '000', name: 'loss', text: 'E' },
		{ profile: '003', name: 'error', text: 'e' },
		{ profile: '002', name: 'lr', text: 'αₖ' },
		{ profile: '003', name: 'W', text: null }
	] as const)('$profile writes $name as $text', ({ profile, name, text }) => {
		expect(quantityText(name, PROFILES[profile])).toBe(text);
	});
});
