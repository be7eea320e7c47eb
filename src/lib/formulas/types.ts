/** The formulas module's contract: what the replay UI, the pictures and the reports read. */
import type { Locale } from '../locale';
import type { Profile } from '../profiles';

export type { Locale };

/** W^{[l]}, a^{[l]} (course 003) | w^{(l)}, a^{(l)} (course 004) | w^l_{jk}, a^l_j (course 001) */
export const NOTATIONS = ['bracket', 'paren', 'layer'] as const;
export type Notation = (typeof NOTATIONS)[number];

/**
 * How a course writes its formulas: the parts of its profile (profiles.ts) the formulas read, its
 * notation, the number of its input layer, and its symbols for the learning rate, the cost and the
 * bias. A whole Profile is one.
 */
export type Writing = Pick<Profile, 'notation' | 'inputLayer' | 'symbols'>;

export interface FormulaOptions {
	profile: Writing;
	/** significant digits shown, e.g. 4 */
	digits: number;
	/** fr writes the decimal comma: 0{,}45 in TeX */
	locale: Locale;
}

/** An element of another event that this element's formula reads. */
export interface ElementRead {
	step: number;
	name: string;
	index: number[];
}

export interface ElementFormula {
	/** 0-based index into the event's tensor */
	index: number[];
	/** TeX of the element's own symbol, 1-based indices: w^{[1]}_{21} */
	lhs: string;
	/** TeX of the scalar equation in the course notation, 1-based indices */
	symbolic: string;
	/** TeX with the numbers put in, ending with the result: `= 0.4 \cdot 1 + … = 0.45` */
	substituted: string;
	/** the same substitution in mathjs syntax at full precision; it evaluates to `value` */
	expression: string;
	/** the event's own value at `index`, read from the trace (never recomputed) */
	value: number;
	/** the elements read, for highlighting in pictures */
	reads: ElementRead[];
	/**
	 * A sum shown term by term: the reads of each term, term i coloured TERM_COLOURS[i] in the
	 * TeX and in the pictures; empty when the formula colours no terms.
	 */
	terms: ElementRead[][];
}

export interface EventFormula {
	/** one short sentence */
	caption: { fr: string; en: string };
	/** tensor-level TeX, in matrix form with one column per sample (course 003) */
	symbolic: string;
	/** null when the index is out of range */
	element(index: number[]): ElementFormula | null;
}
