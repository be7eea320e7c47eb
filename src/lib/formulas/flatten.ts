import { at, indexOf, offsetOf } from '../engine/tensor';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { imageIndex } from './notation';

/** Which cell of the image unit k of a flatten layer copies: channel by channel, row by row. */
function source(ctx: Context, l: number, k: number): number[] {
	return indexOf(ctx.layer(l).inputShape, k);
}

/** A[l] of a flatten layer: each unit copies one cell of the feature maps, laid out row by row. */
export function flattenForward(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const inputShape = ctx.layer(l).inputShape;
	return {
		caption: caption(
			`Aplatissement (flatten) de la couche ${ctx.symbols.layer(l)} : les cartes mises bout à bout, ligne par ligne`,
			`Flatten of layer ${ctx.symbols.layer(l)}: the feature maps laid end to end, row by row`
		),
		symbolic: `${S.tensor('a', l)} = \\operatorname{flatten}(${S.tensor('a', l - 1)})`,
		body: ([n, k]) => {
			const sample = ctx.sample(n);
			const from = [n, ...source(ctx, l, k)];
			return {
				lhs: S.element('a', l, [k], sample),
				rhs: S.element('a', l - 1, imageIndex(inputShape, from.slice(1)), sample),
				numbers: null,
				expression: ctx.ex(at(ctx.tensor(ctx.step, `A[${l - 1}]`), from)),
				reads: [read(ctx.step, `A[${l - 1}]`, from)]
			};
		}
	};
}

/** dA[l] below a flatten layer l + 1: the gradient of unit k goes back to the cell it copied. */
export function flattenBackToInput(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const next = l + 1;
	const inputShape = ctx.layer(next).inputShape;
	return {
		caption: caption(
			`Gradient remis en forme d'image par l'aplatissement de la couche ${ctx.symbols.layer(next)}`,
			`Gradient reshaped back into images through the flatten of layer ${ctx.symbols.layer(next)}`
		),
		symbolic: `${S.partial(S.tensor('a', l))} = \\operatorname{reshape}\\left(${S.partial(S.tensor('a', next))}\\right)`,
		body: ([n, ...cell]) => {
			const sample = ctx.sample(n);
			const unit = [n, offsetOf(inputShape, cell)];
			return {
				lhs: S.partial(S.element('a', l, imageIndex(inputShape, cell), sample)),
				rhs: S.partial(S.element('a', next, unit.slice(1), sample)),
				numbers: null,
				expression: ctx.ex(at(ctx.tensor(ctx.step, `dA[${next}]`), unit)),
				reads: [read(ctx.step, `dA[${next}]`, unit)]
			};
		}
	};
}
