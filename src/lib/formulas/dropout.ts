import { dropoutScale } from '../engine/layers/dropout';
import type { DropoutPlan } from '../engine/plan';
import { at } from '../engine/tensor';
import { findEvent } from '../engine/trace';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { imageIndex } from './notation';
import type { ElementRead } from './types';

function dropoutPlan(ctx: Context, l: number): DropoutPlan {
	const plan = ctx.layer(l);
	if (plan.type !== 'dropout') throw new Error(`formulas: layer ${l} is ${plan.type}, not dropout`);
	return plan;
}

/** The TeX of 1/(1 − rate), with the rate written in. */
function scaleTex(ctx: Context, rate: number): string {
	return `\\frac{1}{1 - ${ctx.op(rate)}}`;
}

/** Whether this step of the trace drew a mask for layer l: a training step does, an evaluation pass does not. */
function trained(ctx: Context, l: number): boolean {
	return findEvent(ctx.trace, ctx.step, `M[${l}]`) !== undefined;
}

/** M[l] of a dropout layer: 1 where the unit's uniform draw u was at least the rate (kept), 0 where it was dropped. */
export function dropoutMask(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = dropoutPlan(ctx, l);
	const rate = ctx.text(plan.rate, 'en');
	const seed = plan.seed === null ? { fr: 'la graine de l’entraînement', en: 'the training seed' } : { fr: `la graine ${plan.seed}`, en: `seed ${plan.seed}` };
	return {
		caption: caption(
			`Masque du dropout de la couche ${S.layer(l)} : chaque unité gardée avec la probabilité 1 − ${ctx.text(plan.rate, 'fr')} (tirage de ${seed.fr})`,
			`Dropout mask of layer ${S.layer(l)}: each unit kept with probability 1 − ${rate} (drawn from ${seed.en})`
		),
		symbolic: `${S.tensor('m', l)} = \\left[\\, u \\geq ${ctx.op(plan.rate)} \\,\\right], \\quad u \\sim \\mathcal{U}[0, 1)`,
		body: (index) => {
			const value = at(ctx.event.value, index);
			const fr = ctx.options.locale === 'fr';
			const kept = value === 1 ? `1 \\quad (u \\geq ${ctx.op(plan.rate)}\\text{ : ${fr ? 'gardée' : 'kept'}})` : `0 \\quad (u < ${ctx.op(plan.rate)}\\text{ : ${fr ? 'abandonnée' : 'dropped'}})`;
			return {
				lhs: S.element('m', l, imageIndex(plan.inputShape, index.slice(1)), ctx.sample(index[0])),
				rhs: kept,
				numbers: null,
				expression: ctx.ex(value),
				reads: []
			};
		}
	};
}

/** A[l] of a dropout layer: at training the input times the mask, scaled by 1/(1 − rate); at evaluation the input itself. */
export function dropoutForward(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = dropoutPlan(ctx, l);
	const input = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const shown = S.layer(l);
	if (!trained(ctx, l)) {
		return {
			caption: caption(`Dropout de la couche ${shown} hors entraînement : l’identité`, `Dropout of layer ${shown} outside training: the identity`),
			symbolic: `${S.tensor('a', l)} = ${S.tensor('a', l - 1)}`,
			body: (index) => {
				const sample = ctx.sample(index[0]);
				const cell = imageIndex(plan.inputShape, index.slice(1));
				return {
					lhs: S.element('a', l, cell, sample),
					rhs: S.element('a', l - 1, cell, sample),
					numbers: null,
					expression: ctx.ex(at(input, index)),
					reads: [read(ctx.step, `A[${l - 1}]`, index)]
				};
			}
		};
	}
	const mask = ctx.tensor(ctx.step, `M[${l}]`);
	const scale = scaleTex(ctx, plan.rate);
	return {
		caption: caption(
			`Dropout de la couche ${shown} : les unités gardées multipliées par 1/(1 − ${ctx.text(plan.rate, 'fr')}), les autres mises à 0`,
			`Dropout of layer ${shown}: the kept units multiplied by 1/(1 − ${ctx.text(plan.rate, 'en')}), the others set to 0`
		),
		symbolic: `${S.tensor('a', l)} = ${S.tensor('m', l)} \\odot ${S.tensor('a', l - 1)} \\cdot ${scale}`,
		body: (index) => {
			const sample = ctx.sample(index[0]);
			const cell = imageIndex(plan.inputShape, index.slice(1));
			const x = at(input, index);
			const m = at(mask, index);
			const reads: ElementRead[] = [read(ctx.step, `M[${l}]`, index), read(ctx.step, `A[${l - 1}]`, index)];
			return {
				lhs: S.element('a', l, cell, sample),
				rhs: `${S.element('m', l, cell, sample)} \\cdot ${S.element('a', l - 1, cell, sample)} \\cdot ${scale}`,
				numbers: `${ctx.op(m)} \\cdot ${ctx.op(x)} \\cdot ${scale}`,
				expression: `${ctx.ex(x)}*${ctx.ex(m)}*(1/(1-${ctx.ex(plan.rate)}))`,
				reads
			};
		}
	};
}

/** dA[l] below a dropout layer l + 1: the gradient goes back through the same mask and scale (through nothing at evaluation). */
export function dropoutBackToInput(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const next = l + 1;
	const plan = dropoutPlan(ctx, next);
	const dA = ctx.tensor(ctx.step, `dA[${next}]`);
	const mask = ctx.tensor(ctx.step, `M[${next}]`);
	const scale = scaleTex(ctx, plan.rate);
	const shown = S.layer(next);
	return {
		caption: caption(
			`Gradient rétropropagé par le dropout de la couche ${shown} : le même masque, la même échelle 1/(1 − ${ctx.text(plan.rate, 'fr')})`,
			`Gradient routed back through the dropout of layer ${shown}: the same mask, the same scale 1/(1 − ${ctx.text(plan.rate, 'en')})`
		),
		symbolic: `${S.partial(S.tensor('a', l))} = ${S.tensor('m', next)} \\odot ${S.partial(S.tensor('a', next))} \\cdot ${scale}`,
		body: (index) => {
			const sample = ctx.sample(index[0]);
			const cell = imageIndex(plan.inputShape, index.slice(1));
			const g = at(dA, index);
			const m = at(mask, index);
			return {
				lhs: S.partial(S.element('a', l, cell, sample)),
				rhs: `${S.element('m', next, cell, sample)} \\cdot ${S.partial(S.element('a', next, cell, sample))} \\cdot ${scale}`,
				numbers: `${ctx.op(m)} \\cdot ${ctx.op(g)} \\cdot ${scale}`,
				expression: `${ctx.ex(g)}*${ctx.ex(m)}*(1/(1-${ctx.ex(plan.rate)}))`,
				reads: [read(ctx.step, `M[${next}]`, index), read(ctx.step, `dA[${next}]`, index)],
				...(m === 0 ? { note: `\\quad\\text{(${ctx.options.locale === 'fr' ? 'unité abandonnée' : 'dropped unit'})}` } : {})
			};
		}
	};
}
