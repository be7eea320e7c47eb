import type { ElementFormula } from './types';

/**
 * The symbolic equation and its numbers on two aligned lines, to paste into a report:
 * z &= w a + b \\ &= 0.4 \cdot 1 + … = 0.45.
 */
export function toLatex(formula: ElementFormula): string {
	const relation = /\s(=|\\leftarrow)\s/.exec(formula.symbolic);
	if (!relation) return `${formula.symbolic} ${formula.substituted}`;
	const lhs = formula.symbolic.slice(0, relation.index);
	const rhs = formula.symbolic.slice(relation.index + relation[0].length);
	return `\\begin{aligned} ${lhs} &${relation[1]} ${rhs} \\\\ &${formula.substituted} \\end{aligned}`;
}
