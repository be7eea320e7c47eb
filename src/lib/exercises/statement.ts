/**
 * A statement's numbers: `{{W[1]}}`, `{{lr}}`, `{{A[0][0][1]}}` or `{{model.layers[0].filters}}`
 * in the Markdown are replaced by the variant's values written in TeX, so each student reads
 * their own numbers. Placeholders belong inside math (`$W^{[1]} = {{W[1]}}$`); a matrix is a
 * pmatrix, a vector a parenthesised list, and French gets the decimal comma.
 */
import type { NestedNumbers } from '../engine/tensor';
import { texNumber } from '../formulas/numbers';
import type { Locale } from '../formulas/types';
import { PROFILES } from '../profiles';
import { toCourse, viewOf, type Layout } from './layout';
import { targetPath, valueAt } from './vary';

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The names used as placeholders in a text, in order. */
export function placeholdersOf(text: string): string[] {
	return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Enough digits to write a drawn value exactly (drawn values are short decimals). */
const OPTIONS = { notation: 'bracket', digits: 12 } as const;

/** A value of the scenario in TeX. */
export function texValue(value: unknown, locale: Locale): string {
	const number = (v: unknown): string => (typeof v === 'number' ? texNumber(v, { ...OPTIONS, locale }) : `\\text{${String(v)}}`);
	if (!Array.isArray(value)) return number(value);
	const separator = locale === 'fr' ? ' ;\\ ' : ',\\ ';
	if (value.every((row) => !Array.isArray(row))) return `(${value.map(number).join(separator)})`;
	if (value.every((row) => Array.isArray(row) && row.every((v) => !Array.isArray(v)))) {
		return `\\begin{pmatrix} ${value.map((row: unknown[]) => row.map(number).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
	}
	// Images and kernels: one matrix per channel, side by side.
	return value.map((item) => texValue(item, locale)).join('\\ ');
}

const isNumbers = (value: unknown): value is NestedNumbers => typeof value === 'number' || (Array.isArray(value) && value.every(isNumbers));

/**
 * The statement with every placeholder written from `scenario`; unknown names stay as written.
 * A whole quantity is written in the course's `layout`, as its key and answers are (003's b^{[l]}
 * is a column).
 */
export function renderStatement(text: string, scenario: Record<string, unknown>, locale: Locale, layout: Layout = PROFILES.neutral.layout): string {
	return text.replace(PLACEHOLDER, (whole, key: string) => {
		const path = targetPath(key, scenario);
		const value = path ? valueAt(scenario, path) : undefined;
		if (value === undefined) return whole;
		return texValue(isNumbers(value) ? toCourse(viewOf(layout, { ask: key }, value), value) : value, locale);
	});
}

/** A statement's maths: `$$…$$` or `$…$`. */
const MATH = /\$\$([\s\S]+?)\$\$|\$([^$]+?)\$/g;

/**
 * What a statement gives, as it writes it: each of its formulas holding a placeholder, with the
 * variant's values (`W^{[1]} = \begin{pmatrix}…`), in TeX without its `$` and closing
 * punctuation. An answer key repeats them so each key reads beside its student's numbers.
 */
export function givenOf(text: string, scenario: Record<string, unknown>, locale: Locale, layout: Layout = PROFILES.neutral.layout): string[] {
	return [...text.matchAll(MATH)]
		.map((match) => match[1] ?? match[2])
		.filter((math) => placeholdersOf(math).length > 0)
		.map((math) => renderStatement(math, scenario, locale, layout).trim().replace(/\s*[.,;:]$/, ''));
}
