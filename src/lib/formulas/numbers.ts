import { formatNumber } from '../format/number';
import type { FormulaOptions } from './types';

/** What writing a number reads of the options. */
type NumberOptions = Pick<FormulaOptions, 'digits' | 'locale'>;

/**
 * Numbers as TeX: rounded to the options' significant digits without float noise (formatNumber),
 * the French decimal comma braced so that TeX does not add a space after it (0{,}45), and
 * exponents written 1.2 \times 10^{-7}.
 */
export function texNumber(value: number, options: NumberOptions): string {
	if (Number.isNaN(value)) return '\\text{NaN}';
	if (!Number.isFinite(value)) return value > 0 ? '\\infty' : '-\\infty';
	const text = formatNumber(value, options.digits, options.locale);
	const exponent = /^(-?[\d.,]+)e([+-])(\d+)$/.exec(text);
	const plain = exponent ? `${exponent[1]} \\times 10^{${exponent[2] === '-' ? '-' : ''}${exponent[3]}}` : text;
	return plain.replace(',', '{,}');
}

/** A number inside a sum or a product: negatives in parentheses, 0.4 \cdot (-0.2). */
export function texOperand(value: number, options: NumberOptions): string {
	const tex = texNumber(value, options);
	return tex.startsWith('-') ? `(${tex})` : tex;
}

/**
 * A number in mathjs syntax at full precision: JavaScript's shortest round-trip form, so that
 * the expression evaluates to the very float the engine used; negatives in parentheses.
 */
export function exprNumber(value: number): string {
	const text = String(value);
	return text.startsWith('-') ? `(${text})` : text;
}

/** A number for a caption (plain text, decimal comma in French). */
export function textNumber(value: number, options: NumberOptions): string {
	return formatNumber(value, options.digits, options.locale);
}

/**
 * Like texOperand, but a value close to an integer keeps enough digits not to look like it:
 * ŷ = 0.9999999979 stays 0.9999999979 in log(1 − ŷ), where "1" would read log 0.
 */
export function texOperandNear(value: number, options: NumberOptions): string {
	let digits = options.digits;
	while (digits < 17 && !Number.isInteger(value) && Number.isInteger(Number(value.toPrecision(digits)))) digits++;
	return texOperand(value, { ...options, digits });
}
