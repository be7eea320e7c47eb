import { exprNumber, texOperand } from './numbers';
import type { FormulaOptions, Locale } from './types';

/** A piece of a formula written three ways: symbols, numbers (TeX) and numbers (mathjs). */
export interface Piece {
	symbolic: string;
	substituted: string;
	expression: string;
}

export interface Sum extends Piece {
	/** how many terms the sum has, whether or not all are shown */
	count: number;
}

/** Sums up to this many terms are shown in full: a 3×3 kernel, a small layer. */
const SHOWN_IN_FULL = 9;

/** A quantity and its value: w^{[1]}_{21} and 0.4. */
export function leaf(symbol: string, value: number, options: FormulaOptions): Piece {
	return { symbolic: symbol, substituted: texOperand(value, options), expression: exprNumber(value) };
}

/**
 * A product: symbols side by side (w a), numbers with \cdot (0.4 \cdot 1), mathjs with *.
 * A factor that is a number in the symbols too (a padding zero) keeps its \cdot: w \cdot 0.
 */
export function product(...factors: Piece[]): Piece {
	return {
		symbolic: factors.map((f, i) => (i > 0 && /^\d/.test(f.symbolic) ? `\\cdot ${f.symbolic}` : f.symbolic)).join(' '),
		substituted: factors.map((f) => f.substituted).join(' \\cdot '),
		expression: factors.map((f) => f.expression).join('*')
	};
}

/**
 * A sum. Its TeX stays readable however long it is (the first 3 terms, \cdots, the last one);
 * its mathjs expression always holds every term, in order, so that it evaluates to the value.
 */
export function sum(terms: readonly Piece[]): Sum {
	if (terms.length === 0) return { symbolic: '0', substituted: '0', expression: '0', count: 0 };
	return series(terms, ' + ', '+');
}

/** Terms joined by `texSeparator` (shortened the same way as a sum) and `exprSeparator`: the arguments of max(…). */
export function series(terms: readonly Piece[], texSeparator: string, exprSeparator: string): Sum {
	const shown = (key: keyof Piece): string => {
		const all = terms.map((t) => t[key]);
		if (all.length <= SHOWN_IN_FULL) return all.join(texSeparator);
		return [...all.slice(0, 3), '\\cdots', all[all.length - 1]].join(texSeparator);
	};
	return {
		symbolic: shown('symbolic'),
		substituted: shown('substituted'),
		expression: terms.map((t) => t.expression).join(exprSeparator),
		count: terms.length
	};
}

/** True when `sum` hides some terms behind \cdots. */
export function isTruncated(s: Sum): boolean {
	return s.count > SHOWN_IN_FULL;
}

/** "(784 terms)" after a truncated sum's symbols, so that the reader knows what \cdots hides. */
export function countNote(s: Sum, locale: Locale): string {
	if (!isTruncated(s)) return '';
	return `\\quad\\text{(${s.count} ${locale === 'fr' ? 'termes' : 'terms'})}`;
}

/**
 * The colours of a sum's terms, shared by the formula and the pictures: calm, apart from the
 * sign colours (blue, orange) and from the magenta of a lit entry, each with a contrast of at
 * least 4.5:1 on white so that the coloured TeX stays readable.
 */
export const TERM_COLOURS = ['#117a65', '#6a3d9a', '#8c6d1f', '#8e3b46', '#3d5a80', '#4f6228'] as const;

/** True when a sum of `count` terms is shown term by term in colour: at least two, at most one per colour. */
export function colouredCount(count: number): boolean {
	return count >= 2 && count <= TERM_COLOURS.length;
}

/** Term `i` of a sum in its colour: its symbols and numbers wrapped in \textcolor, its mathjs left as it is. */
export function coloured(term: Piece, i: number): Piece {
	const colour = TERM_COLOURS[i % TERM_COLOURS.length];
	return {
		symbolic: `\\textcolor{${colour}}{${term.symbolic}}`,
		substituted: `\\textcolor{${colour}}{${term.substituted}}`,
		expression: term.expression
	};
}
