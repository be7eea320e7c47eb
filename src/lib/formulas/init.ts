import type { ParameterName } from '../engine/quantity';
import { at } from '../engine/tensor';
import type { Context } from './context';
import { caption, type Rule } from './element';
import { parameterLetter } from './notation';
import { parameterSymbol, parameterWords, spaceOf } from './params';

/**
 * A layer's parameters (W[l] and b[l]; γ, β and the moving statistics) at step 0. The trace does not say whether they were given in the scenario or
 * drawn by an initialisation scheme, so the formula says only "initial value".
 */
export function initialParameter(ctx: Context, kind: ParameterName, l: number): Rule {
	const words = parameterWords(kind);
	const tensor = ctx.symbols.tensor(parameterLetter(kind), l);
	return {
		caption: caption(`Valeur initiale des ${words.fr} de la couche ${ctx.symbols.layer(l)}`, `Initial value of the ${words.en} of layer ${ctx.symbols.layer(l)}`),
		symbolic: `${tensor} \\in ${spaceOf(ctx.event.value.shape)}`,
		body: initialValue(ctx, (index) => parameterSymbol(ctx, kind, l, index))
	};
}

/** The formula of one initial value: its symbol, "initial value", and the number. */
export function initialValue(ctx: Context, symbol: (index: number[]) => string): Rule['body'] {
	const initial = ctx.options.locale === 'fr' ? '\\text{valeur initiale}' : '\\text{initial value}';
	return (index) => ({
		lhs: symbol(index),
		rhs: initial,
		numbers: null,
		expression: ctx.ex(at(ctx.event.value, index)),
		reads: []
	});
}

