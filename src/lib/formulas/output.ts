import type { ActivationName } from '../engine/activations';
import { LOSSES, type LossName } from '../engine/losses';
import { isParametric } from '../engine/plan';
import { offsetOf, type Tensor } from '../engine/tensor';
import { activationOf } from './activations';
import type { Context } from './context';

/** What the loss formulas share: the output layer, ŷ = A[L], the targets, the 1/m of a mean. */

interface LossWords {
	en: string;
	fr: string;
	/** "de l'…" / "de la …": French elides the article */
	frOf: string;
}

export const LOSS_WORDS: Record<LossName, LossWords> = {
	squared_error: { en: 'squared error', fr: 'erreur quadratique', frOf: "de l'erreur quadratique" },
	half_squared_error: { en: 'half squared error', fr: 'demi-erreur quadratique', frOf: 'de la demi-erreur quadratique' },
	mse: { en: 'mean squared error over the outputs', fr: 'erreur quadratique moyenne sur les sorties', frOf: "de l'erreur quadratique moyenne sur les sorties" },
	binary_cross_entropy: { en: 'binary cross-entropy', fr: 'entropie croisée binaire', frOf: "de l'entropie croisée binaire" },
	categorical_cross_entropy: { en: 'categorical cross-entropy', fr: 'entropie croisée catégorielle', frOf: "de l'entropie croisée catégorielle" },
	mae: { en: 'mean absolute error over the outputs', fr: 'erreur absolue moyenne sur les sorties', frOf: "de l'erreur absolue moyenne sur les sorties" }
};

/** What the loss formulas read: the output layer, ŷ = A[L] and the targets of the step's samples. */
export interface Output {
	L: number;
	loss: LossName;
	/** samples in the batch */
	m: number;
	/** outputs per sample */
	n: number;
	/** ŷ = A[L] */
	yHat: Tensor;
	/** y of batch position `sample`, output `j`, from data.Y */
	y(sample: number, j: number): number;
	/** the 1/m of a mean reduction: TeX and mathjs, empty for a sum or a single sample */
	scale: { tex: string; expr: string };
	/** the output layer's activation, and its Z (null when it has none) */
	activation: ActivationName;
	Z: Tensor | null;
}

export function outputOf(ctx: Context): Output {
	const { setup } = ctx.trace;
	if (!setup.loss || !setup.Y) throw new Error('formulas: a loss event in a trace without a loss');
	const L = setup.layers.length;
	const yHat = ctx.tensor(ctx.step, `A[${L}]`);
	const m = yHat.shape[0];
	const n = yHat.data.length / m;
	const Y = setup.Y;
	const mean = setup.reduction === 'mean' && m > 1;
	return {
		activation: activationOf(ctx, L),
		Z: isParametric(setup.layers[L - 1]) ? ctx.tensor(ctx.step, `Z[${L}]`) : null,
		L,
		loss: setup.loss,
		m,
		n,
		yHat,
		y: (sample, j) => Y.data[ctx.rows[sample] * n + j],
		scale: mean ? { tex: `\\frac{1}{${m}}`, expr: `(1/${m})` } : { tex: '', expr: '' }
	};
}

/** ŷ and y of batch position `sample`, output `j`, as symbols (the output index is dropped for a single output). */
export function symbolsOf(ctx: Context, out: Output, sample: number): { yHat: (j: number) => string; y: (j: number) => string } {
	const S = ctx.symbols;
	const unit = (j: number): number[] => (out.n > 1 ? [j] : []);
	return { yHat: (j) => S.data('yHat', unit(j), ctx.sample(sample)), y: (j) => S.data('y', unit(j), ctx.sample(sample)) };
}

/** True when the loss pairs with the output activation and the engine computes δ[L] = ŷ − y directly. */
export function isPaired(ctx: Context): boolean {
	const { loss, layers } = ctx.trace.setup;
	return loss !== null && LOSSES[loss].pairedDelta?.activation === activationOf(ctx, layers.length);
}

/** TeX factors side by side with \cdot: \frac{1}{3} \cdot \frac{1}{2}. */
export function factors(...texts: string[]): string {
	const kept = texts.filter(Boolean);
	return kept.length > 0 ? `${kept.join(' \\cdot ')} ` : '';
}

/** A difference behind factors is parenthesised: 1/3 (ŷ − y); alone it is not: ŷ − y. */
export function group(front: string, difference: string): string {
	return front ? `(${difference})` : difference;
}

/** mathjs factors: (1/3)*(1/2)*. */
export function exprFactors(...texts: string[]): string {
	return texts
		.filter(Boolean)
		.map((t) => `${t}*`)
		.join('');
}

/** The entry's position within its sample's outputs. */
export function flatUnit(out: Output, index: readonly number[]): number {
	return offsetOf(out.yHat.shape, index) - index[0] * out.n;
}
