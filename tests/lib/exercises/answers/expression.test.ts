import { describe, expect, it } from 'vitest';
import { EXPRESSION_LIMITS, evaluateExpression } from '../../../../src/lib/exercises/answers/expression';
import { unreadableText } from '../../../../src/lib/exercises/feedback-text';
import type { FailReason } from '../../../../src/lib/exercises/answers/types';

// The restricted mathjs instance on its own, with raw text (no answer lexer in front of it).

const evaluated: [string, number][] = [
	['1+1', 2],
	['1/(1+exp(-0.45))', 1 / (1 + Math.exp(-0.45))],
	['sigmoid(0.45)', 1 / (1 + Math.exp(-0.45))],
	['sigmoid(-800)', 0],
	['relu(-3)', 0],
	['relu(2.5)', 2.5],
	['log(e)', 1],
	['sqrt(16)', 4],
	['tanh(0)', 0],
	['e^2', Math.E ** 2],
	['pi/2', Math.PI / 2],
	['2 ^ -1', 0.5],
	['-2 ^ 2', -4],
	['2 ^ 3 ^ 2', 512],
	['1 - -2', 3],
	['((1+2))*3', 9],
	['+4', 4]
];

const refused: [string, FailReason][] = [
	['', 'empty'],
	['import({})', 'not-allowed'],
	['import("fs")', 'not-allowed'],
	['createUnit("x")', 'not-allowed'],
	['evaluate("1+1")', 'not-allowed'],
	['parse("1")', 'not-allowed'],
	['simplify("x")', 'not-allowed'],
	['derivative("x^2", "x")', 'not-allowed'],
	['compile("1")', 'not-allowed'],
	['x = 3', 'not-allowed'],
	['f(x) = x', 'not-allowed'],
	['[1,2]+[3,4]', 'not-allowed'],
	['[1,2]', 'not-allowed'],
	['5 cm', 'not-allowed'],
	['5 inch to cm', 'not-allowed'],
	['{}', 'not-allowed'],
	['{a: 1}', 'not-allowed'],
	['__proto__', 'not-allowed'],
	['constructor', 'not-allowed'],
	['exp.constructor', 'not-allowed'],
	['a.b(1)', 'not-allowed'],
	['(exp)(1)', 'not-allowed'],
	['exp', 'not-allowed'],
	['"abc"', 'not-allowed'],
	['true', 'not-allowed'],
	['1 ? 2 : 3', 'not-allowed'],
	['1:3', 'not-allowed'],
	['2 == 2', 'not-allowed'],
	['2pi', 'not-allowed'],
	['5!', 'not-allowed'],
	['7 mod 2', 'not-allowed'],
	['sin(1)', 'not-allowed'],
	['E', 'not-allowed'],
	['log(2, 3)', 'syntax'],
	['sigmoid(1, 2)', 'syntax'],
	['1 +', 'syntax'],
	['1e999999', 'not-finite'],
	['NaN', 'not-finite'],
	['Infinity', 'not-finite'],
	['1/0', 'not-finite'],
	['log(-1)', 'not-finite'],
	['sqrt(-1)', 'not-finite'],
	['sqrt(-1)*0', 'not-finite'],
	['9^9^9', 'not-finite'],
	['a'.repeat(100_000), 'too-long'],
	['('.repeat(10_000) + '1' + ')'.repeat(10_000), 'too-long'],
	['('.repeat(EXPRESSION_LIMITS.maxDepth + 1) + '1' + ')'.repeat(EXPRESSION_LIMITS.maxDepth + 1), 'too-long'],
	['-'.repeat(EXPRESSION_LIMITS.maxDepth + 1) + '1', 'too-long'],
	['1+'.repeat(EXPRESSION_LIMITS.maxNodes / 2 + 1) + '1', 'too-long']
];

describe('evaluateExpression with the restricted mathjs instance', () => {
	it.each(evaluated)('evaluates %j to %d', (text, want) => {
		const r = evaluateExpression(text);
		if (!r.ok) throw new Error(`refused: ${r.reason} ${unreadableText(r.why, 'en')}`);
		expect(Math.abs(r.value - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
	});

	it.each(refused.map(([t, r]) => [t.length > 60 ? `${t.slice(0, 20)}… (${t.length} chars)` : t, r, t] as const))(
		'refuses %j as %s',
		(_label, reason, text) => {
			const r = evaluateExpression(text);
			expect(r).toMatchObject({ ok: false, reason });
			if (!r.ok) expect(unreadableText(r.why, 'fr').length * unreadableText(r.why, 'en').length).toBeGreaterThan(0);
		}
	);

	it('names the refused node in both languages', () => {
		const r = evaluateExpression('1 + createUnit("x")');
		expect(r).toMatchObject({ ok: false, reason: 'not-allowed', path: [1] });
		if (!r.ok) {
			expect(unreadableText(r.why, 'fr')).toContain('createUnit');
			expect(unreadableText(r.why, 'en')).toContain('createUnit');
		}
	});

	it('gives the path to the node whose result is not finite, parentheses not counted', () => {
		expect(evaluateExpression('2 + (1 / 0)')).toMatchObject({ ok: false, reason: 'not-finite', path: [1] });
		expect(evaluateExpression('exp(1) * log(-1)')).toMatchObject({ ok: false, reason: 'not-finite', path: [1] });
	});

	it('refuses an intermediate infinity even when the final result would be finite', () => {
		expect(evaluateExpression('1/(1/0)')).toMatchObject({ ok: false, reason: 'not-finite', path: [1] });
	});

	it('says that a complex result is not a real number', () => {
		const r = evaluateExpression('log(-1)');
		expect(r.ok ? '' : unreadableText(r.why, 'en')).toContain('complex');
	});

	it('evaluates the longest deep chains it accepts without a stack overflow', () => {
		const n = EXPRESSION_LIMITS.maxNodes / 2 - 1;
		expect(evaluateExpression('1+'.repeat(n) + '1')).toEqual({ ok: true, value: n + 1 });
		expect(evaluateExpression('-'.repeat(EXPRESSION_LIMITS.maxDepth) + '1')).toEqual({ ok: true, value: 1 });
		const pow = evaluateExpression('1^'.repeat(1000) + '1');
		expect(pow).toEqual({ ok: true, value: 1 });
	});
});
