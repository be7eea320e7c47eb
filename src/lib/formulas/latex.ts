import type { ElementFormula } from './types';

/**
 * The symbolic equation and its numbers on two aligned lines, to paste into a report:
 * z &= w a + b \\ &= 0.4 \cdot 1 + … = 0.45. The colours of a sum's terms (KaTeX's
 * \textcolor{#rrggbb}, which LaTeX does not take) are left out.
 */
export function toLatex(formula: ElementFormula): string {
	const symbolic = uncoloured(formula.symbolic);
	const substituted = uncoloured(formula.substituted);
	const relation = /\s(=|\\leftarrow)\s/.exec(symbolic);
	if (!relation) return `${symbolic} ${substituted}`;
	const lhs = symbolic.slice(0, relation.index);
	const rhs = symbolic.slice(relation.index + relation[0].length);
	return `\\begin{aligned} ${lhs} &${relation[1]} ${rhs} \\\\ &${substituted} \\end{aligned}`;
}

const COLOUR = /\\textcolor\{#[0-9a-fA-F]{6}\}\{/;

/** `tex` with every \textcolor{#rrggbb}{x} replaced by x (its braces matched). */
export function uncoloured(tex: string): string {
	let out = tex;
	for (let found = COLOUR.exec(out); found; found = COLOUR.exec(out)) {
		const open = found.index + found[0].length;
		let depth = 1;
		let close = open;
		while (close < out.length && depth > 0) {
			if (out[close] === '{') depth++;
			else if (out[close] === '}') depth--;
			close++;
		}
		out = `${out.slice(0, found.index)}${out.slice(open, close - 1)}${out.slice(close)}`;
	}
	return out;
}
