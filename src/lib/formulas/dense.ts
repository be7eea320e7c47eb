import { at } from '../engine/tensor';
import { read, type Context } from './context';
import type { ElementRead } from './types';
import { caption, type Rule } from './element';
import { coloured, colouredCount, countNote, product, sum, type Piece } from './terms';

/** Z[l] of a dense layer: z_j = Σ_k w_jk a_k + b_j, with W and b in force during the step (step − 1). */
export function denseWeightedSum(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const before = ctx.step - 1;
	const W = ctx.tensor(before, `W[${l}]`);
	const b = ctx.tensor(before, `b[${l}]`);
	const A = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const inputs = W.shape[1];
	return {
		caption: caption(`Somme pondérée de la couche ${ctx.symbols.layer(l)}`, `Weighted sum of layer ${ctx.symbols.layer(l)}`),
		symbolic: `${S.tensor('z', l)} = ${S.tensor('w', l)} ${S.tensor('a', l - 1)} + ${S.tensor('b', l)}`,
		body: ([n, j]) => {
			const sample = ctx.sample(n);
			const terms: Piece[] = [];
			const reads = [];
			for (let k = 0; k < inputs; k++) {
				terms.push(product(ctx.leaf(S.element('w', l, [j, k]), at(W, [j, k])), ctx.leaf(S.element('a', l - 1, [k], sample), at(A, [n, k]))));
				reads.push(read(before, `W[${l}]`, [j, k]), read(ctx.step, `A[${l - 1}]`, [n, k]));
			}
			reads.push(read(before, `b[${l}]`, [j]));
			const s = sum(terms);
			const bias = ctx.leaf(S.element('b', l, [j]), at(b, [j]));
			return {
				lhs: S.element('z', l, [j], sample),
				rhs: `${s.symbolic} + ${bias.symbolic}`,
				numbers: `${s.substituted} + ${bias.substituted}`,
				expression: `${s.expression}+${bias.expression}`,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

/** dW[l] of a dense layer: ∂J/∂w_jk = Σ over the samples of δ_j a_k (δ already holds the 1/m of a mean). */
export function denseWeightGradient(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const dZ = ctx.tensor(ctx.step, `dZ[${l}]`);
	const A = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const samples = dZ.shape[0];
	return {
		caption: caption(`Gradient du coût par rapport aux poids de la couche ${ctx.symbols.layer(l)}`, `Gradient of the cost with respect to the weights of layer ${ctx.symbols.layer(l)}`),
		symbolic: `${S.partial(S.tensor('w', l))} = ${S.tensor('delta', l)} (${S.tensor('a', l - 1)})^{\\top}`,
		body: ([j, k]) => {
			const terms: Piece[] = [];
			const reads = [];
			for (let n = 0; n < samples; n++) {
				const sample = ctx.sample(n);
				terms.push(product(ctx.leaf(S.element('delta', l, [j], sample), at(dZ, [n, j])), ctx.leaf(S.element('a', l - 1, [k], sample), at(A, [n, k]))));
				reads.push(read(ctx.step, `dZ[${l}]`, [n, j]), read(ctx.step, `A[${l - 1}]`, [n, k]));
			}
			const s = sum(terms);
			return {
				lhs: S.partial(S.element('w', l, [j, k])),
				rhs: s.symbolic,
				numbers: s.substituted,
				expression: s.expression,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

/** db[l] of a dense or conv layer: ∂J/∂b = the sum of its δ over the samples (and the positions of a feature map). */
export function denseBiasGradient(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const dZ = ctx.tensor(ctx.step, `dZ[${l}]`);
	const samples = dZ.shape[0];
	return {
		caption: caption(`Gradient du coût par rapport aux biais de la couche ${ctx.symbols.layer(l)}`, `Gradient of the cost with respect to the biases of layer ${ctx.symbols.layer(l)}`),
		symbolic: `${S.partial(S.tensor('b', l))} = ${samples > 1 ? `\\sum_{i} ${S.element('delta', l, [], 'i')}` : S.tensor('delta', l)}`,
		body: ([j]) => {
			const terms: Piece[] = [];
			const reads = [];
			for (let n = 0; n < samples; n++) {
				terms.push(ctx.leaf(S.element('delta', l, [j], ctx.sample(n)), at(dZ, [n, j])));
				reads.push(read(ctx.step, `dZ[${l}]`, [n, j]));
			}
			const s = sum(terms);
			return {
				lhs: S.partial(S.element('b', l, [j])),
				rhs: s.symbolic,
				numbers: s.substituted,
				expression: s.expression,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

/**
 * dA[l] below a dense layer l + 1 (the chain rule): ∂J/∂a_k = Σ_j w_jk δ_j, with the weights of
 * layer l + 1 in force during the step, before the update.
 */
export function denseBackToInput(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const next = l + 1;
	const before = ctx.step - 1;
	const W = ctx.tensor(before, `W[${next}]`);
	const dZ = ctx.tensor(ctx.step, `dZ[${next}]`);
	const units = W.shape[0];
	return {
		caption: caption(
			`Gradient rétropropagé vers la couche ${ctx.symbols.layer(l)} par les poids de la couche ${ctx.symbols.layer(next)} (dérivation en chaîne)`,
			`Gradient flowing back to layer ${ctx.symbols.layer(l)} through the weights of layer ${ctx.symbols.layer(next)} (chain rule)`
		),
		symbolic: `${S.partial(S.tensor('a', l))} = (${S.tensor('w', next)})^{\\top} ${S.tensor('delta', next)}`,
		body: ([n, k]) => {
			const sample = ctx.sample(n);
			const terms: Piece[] = [];
			// one term per neuron j above: w_jk δ_j, each in its colour when they are few enough to tell apart
			const perTerm: ElementRead[][] = [];
			for (let j = 0; j < units; j++) {
				terms.push(product(ctx.leaf(S.element('w', next, [j, k]), at(W, [j, k])), ctx.leaf(S.element('delta', next, [j], sample), at(dZ, [n, j]))));
				perTerm.push([read(before, `W[${next}]`, [j, k]), read(ctx.step, `dZ[${next}]`, [n, j])]);
			}
			const colour = colouredCount(units);
			const s = sum(colour ? terms.map(coloured) : terms);
			return {
				lhs: S.partial(S.element('a', l, [k], sample)),
				rhs: s.symbolic,
				numbers: s.substituted,
				expression: s.expression,
				reads: perTerm.flat(),
				terms: colour ? perTerm : undefined,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}
