import { GRADIENT_OF, type TrainedName } from '../engine/quantity';
import { at } from '../engine/tensor';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { parameterLetter } from './notation';
import { parameterSymbol, parameterWords, updateSwitch } from './params';

/**
 * W[l] or b[l] (γ, β) after a step of gradient descent: w ← w − η ∂J/∂w (in the course's symbols), reading the value in force
 * during the step (step − 1) and the gradient of the step. With update.weights (or biases)
 * false the engine keeps the value, and the formula says so.
 */
export function gradientDescent(ctx: Context, kind: TrainedName, l: number): Rule {
	const S = ctx.symbols;
	const { lr, update } = ctx.trace.setup;
	const flagKey = updateSwitch(ctx, kind, l);
	const enabled = update[flagKey];
	const before = ctx.step - 1;
	const name = `${kind}[${l}]`;
	const gradientName = `${GRADIENT_OF[kind]}[${l}]`;
	const previous = ctx.tensor(before, name);
	const gradient = enabled ? ctx.tensor(ctx.step, gradientName) : null;
	const words = parameterWords(kind);
	const tensor = S.tensor(parameterLetter(kind), l);
	const flag = `update.${flagKey}`;
	if (!gradient) {
		const note = ctx.options.locale === 'fr' ? `\\quad\\text{(gardé : ${flag} est false)}` : `\\quad\\text{(kept: ${flag} is false)}`;
		return {
			caption: caption(
				`Les ${words.fr} de la couche ${ctx.symbols.layer(l)} restent inchangés (${flag}: false)`,
				`The ${words.en} of layer ${ctx.symbols.layer(l)} are kept (${flag}: false)`
			),
			symbolic: `${tensor} \\leftarrow ${tensor}`,
			body: (index) => {
				const symbol = parameterSymbol(ctx, kind, l, index);
				return {
					lhs: symbol,
					relation: '\\leftarrow',
					rhs: symbol,
					numbers: null,
					expression: ctx.ex(at(previous, index)),
					reads: [read(before, name, index)],
					note
				};
			}
		};
	}
	return {
		caption: caption(
			`Descente de gradient sur les ${words.fr} de la couche ${S.layer(l)} (${S.text.learningRate} = ${ctx.text(lr, 'fr')})`,
			`Gradient descent on the ${words.en} of layer ${S.layer(l)} (${S.text.learningRate} = ${ctx.text(lr, 'en')})`
		),
		symbolic: `${tensor} \\leftarrow ${tensor} - ${S.learningRate} ${S.partial(tensor)}`,
		body: (index) => {
			const symbol = parameterSymbol(ctx, kind, l, index);
			const p = at(previous, index);
			const g = at(gradient, index);
			return {
				lhs: symbol,
				relation: '\\leftarrow',
				rhs: `${symbol} - ${S.learningRate} ${S.partial(symbol)}`,
				// the engine computes w − (η·g): the same order keeps the same float
				numbers: `${ctx.op(p)} - ${ctx.op(lr)} \\cdot ${ctx.op(g)}`,
				expression: `${ctx.ex(p)}-${ctx.ex(lr)}*${ctx.ex(g)}`,
				reads: [read(before, name, index), read(ctx.step, gradientName, index)]
			};
		}
	};
}
