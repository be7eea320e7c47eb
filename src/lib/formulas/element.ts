import { offsetOf } from '../engine/tensor';
import type { Context } from './context';
import type { ElementFormula, ElementRead } from './types';

/** What a rule says about one element; `elementFormula` adds the value and the result. */
export interface ElementBody {
	/** left-hand side: z^{[1]}_{2} */
	lhs: string;
	/** = for a definition, \leftarrow for an update */
	relation?: '=' | '\\leftarrow';
	/** right-hand side in symbols */
	rhs: string;
	/** right-hand side in numbers (TeX), without the result; null when it is the value itself */
	numbers: string | null;
	/** the same in mathjs syntax at full precision */
	expression: string;
	reads: ElementRead[];
	/** the reads of each term of a sum shown term by term in colour (term i in TERM_COLOURS[i]) */
	terms?: ElementRead[][];
	/** appended to the symbolic equation: how many terms a long sum has, why a gradient is 0 */
	note?: string;
}

/** A rule for one event: a caption, the tensor-level equation, and the equation of each element. */
export interface Rule {
	caption: { fr: string; en: string };
	symbolic: string;
	body(index: number[]): ElementBody;
}

/** The element formula: the rule's equation, the numbers, then the value read from the trace. */
export function elementFormula(ctx: Context, index: number[], body: ElementBody): ElementFormula {
	const value = ctx.event.value.data[offsetOf(ctx.event.value.shape, index)];
	const result = ctx.tex(value);
	const same = body.numbers === null || body.numbers === result || body.numbers === `(${result})`;
	return {
		index: [...index],
		lhs: body.lhs,
		symbolic: `${body.lhs} ${body.relation ?? '='} ${body.rhs}${body.note ?? ''}`,
		substituted: same ? `= ${result}` : `= ${body.numbers} = ${result}`,
		expression: body.expression,
		value,
		reads: body.reads,
		terms: body.terms ?? []
	};
}

/** A caption in both languages. */
export function caption(fr: string, en: string): { fr: string; en: string } {
	return { fr, en };
}
