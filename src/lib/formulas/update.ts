import { GRADIENT_OF, type TrainedName } from '../engine/quantity';
import { at } from '../engine/tensor';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { parameterLetter } from './notation';
import { parameterSymbol, parameterWords, updateSwitch } from './params';
import { stepRate } from './schedule';

/**
 * W[l] or b[l] (γ, β) after a step of gradient descent: w ← w − η ∂J/∂w (in the course's symbols), reading the value in force
 * during the step (step − 1) and the gradient of the step. With update.weights (or biases)
 * false the engine keeps the value, and the formula says so.
 */
export function gradientDescent(ctx: Context, kind: TrainedName, l: number): Rule {
	const S = ctx.symbols;
	const { update, frozen } = ctx.trace.setup;
	const isFrozen = frozen.includes(l);
	const flagKey = updateSwitch(ctx, kind, l);
	const enabled = !isFrozen && update[flagKey];
	const rate = stepRate(ctx);
	const before = ctx.step - 1;
	const name = `${kind}[${l}]`;
	const gradientName = `${GRADIENT_OF[kind]}[${l}]`;
	const previous = ctx.tensor(before, name);
	const gradient = enabled ? ctx.tensor(ctx.step, gradientName) : null;
	const words = parameterWords(kind);
	const tensor = S.tensor(parameterLetter(kind), l);
	// a frozen layer (trainable: false) says so rather than naming the update switch
	const flag = isFrozen ? 'trainable' : `update.${flagKey}`;
	if (!gradient) {
		const note = isFrozen
			? ctx.options.locale === 'fr'
				? `\\quad\\text{(couche gelée : trainable est false)}`
				: `\\quad\\text{(frozen layer: trainable is false)}`
			: ctx.options.locale === 'fr'
				? `\\quad\\text{(gardé : ${flag} est false)}`
				: `\\quad\\text{(kept: ${flag} is false)}`;
		return {
			caption: isFrozen
				? caption(
						`Couche ${ctx.symbols.layer(l)} gelée (trainable: false) : ses ${words.fr} pré-entraînés ne sont pas mis à jour, et aucun gradient n'est calculé pour eux`,
						`Layer ${ctx.symbols.layer(l)} is frozen (trainable: false): its pre-trained ${words.en} are not updated, and no gradient is computed for them`
					)
				: caption(
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
			`Descente de gradient sur les ${words.fr} de la couche ${S.layer(l)} (${rate.text('fr')})`,
			`Gradient descent on the ${words.en} of layer ${S.layer(l)} (${rate.text('en')})`
		),
		symbolic: `${tensor} \\leftarrow ${tensor} - ${rate.tex} ${S.partial(tensor)}`,
		body: (index) => {
			const symbol = parameterSymbol(ctx, kind, l, index);
			const p = at(previous, index);
			const g = at(gradient, index);
			return {
				lhs: symbol,
				relation: '\\leftarrow',
				rhs: `${symbol} - ${rate.tex} ${S.partial(symbol)}`,
				// the engine computes w − (η·g): the same order keeps the same float
				numbers: `${ctx.op(p)} - ${ctx.op(rate.value)} \\cdot ${ctx.op(g)}`,
				expression: `${ctx.ex(p)}-${ctx.ex(rate.value)}*${ctx.ex(g)}`,
				reads: [read(before, name, index), ...rate.reads, read(ctx.step, gradientName, index)]
			};
		}
	};
}
