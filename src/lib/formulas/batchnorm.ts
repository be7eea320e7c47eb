import { varianceDivisor } from '../engine/layers/batchnorm';
import type { BatchNormPlan } from '../engine/plan';
import { at } from '../engine/tensor';
import { findEvent } from '../engine/trace';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { imageIndex } from './notation';
import { countNote, sum, type Piece } from './terms';
import type { ElementRead } from './types';

/**
 * The formulas of a batch normalisation layer (engine/layers/batchnorm.ts), as Keras computes
 * it: at training the batch's mean μ and biased variance σ² of each feature, the normalised
 * x̂ = (a − μ)/√(σ² + ε), then a = γ x̂ + β; at evaluation x̂ from the moving statistics. Every
 * number is read from the trace: μ, σ², x̂, γ, β and the gradients dγ, dβ as recorded.
 */

function batchnormPlan(ctx: Context, l: number): BatchNormPlan {
	const plan = ctx.layer(l);
	if (plan.type !== 'batchnorm') throw new Error(`formulas: layer ${l} is ${plan.type}, not batchnorm`);
	return plan;
}

/** Whether this step normalised layer l by the batch's statistics (a training step), rather than by the moving ones. */
function trained(ctx: Context, l: number): boolean {
	return findEvent(ctx.trace, ctx.step, `mu[${l}]`) !== undefined;
}

/** The indices of every value of feature c in a batch of `samples`: one per sample for a flat input, H·W per sample for an image's channel. */
function featureCells(plan: BatchNormPlan, samples: number, c: number): number[][] {
	const [, height = 1, width = 1] = plan.inputShape;
	const cells: number[][] = [];
	for (let n = 0; n < samples; n++) {
		if (plan.inputShape.length === 1) cells.push([n, c]);
		else for (let i = 0; i < height; i++) for (let j = 0; j < width; j++) cells.push([n, c, i, j]);
	}
	return cells;
}

/** The symbol of an element of a batched tensor of layer l (a, x̂, ∂J/∂a) at `index` = [sample, feature…]. */
function batchedSymbol(ctx: Context, plan: BatchNormPlan, letter: 'a' | 'xhat', layer: number, index: readonly number[]): string {
	return ctx.symbols.element(letter, layer, imageIndex(plan.inputShape, index.slice(1)), ctx.sample(index[0]));
}

/** The symbol of a feature's value (μ, σ², γ, β…): one subscript, its feature. */
function featureSymbol(ctx: Context, letter: 'mu' | 'sigma2' | 'gamma' | 'beta' | 'movingMean' | 'movingVariance', l: number, c: number): string {
	return ctx.symbols.element(letter, l, [c]);
}

/** "the batch of m samples" or "the batch of m samples and their H×W positions". */
function over(plan: BatchNormPlan, samples: number): { fr: string; en: string } {
	if (plan.inputShape.length === 1) return { fr: `les ${samples} exemples du lot`, en: `the ${samples} samples of the batch` };
	const [, h, w] = plan.inputShape;
	return { fr: `les ${samples} exemples du lot et leurs ${h}×${w} positions`, en: `the ${samples} samples of the batch and their ${h}×${w} positions` };
}

/** mu[l]: each feature's mean over the batch (and an image's positions). */
export function batchMeanRule(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = batchnormPlan(ctx, l);
	const input = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const samples = input.shape[0];
	const words = over(plan, samples);
	return {
		caption: caption(`Moyenne de chaque caractéristique de la couche ${S.layer(l)} sur ${words.fr}`, `Mean of each feature of layer ${S.layer(l)} over ${words.en}`),
		symbolic: `${S.tensor('mu', l)} = \\frac{1}{m} \\sum_{i=1}^{m} ${S.element('a', l - 1, [], 'i')}`,
		body: ([c]) => {
			const cells = featureCells(plan, samples, c);
			const terms: Piece[] = cells.map((cell) => ctx.leaf(batchedSymbol(ctx, plan, 'a', l - 1, cell), at(input, cell)));
			const total = sum(terms);
			const m = cells.length;
			return {
				lhs: featureSymbol(ctx, 'mu', l, c),
				rhs: `\\frac{1}{${m}} \\left(${total.symbolic}\\right)`,
				numbers: `\\frac{${total.substituted}}{${m}}`,
				expression: `(${total.expression})/${m}`,
				reads: cells.map((cell) => read(ctx.step, `A[${l - 1}]`, cell)),
				note: countNote(total, ctx.options.locale)
			};
		}
	};
}

/** sigma2[l]: each feature's variance over the batch, divided by n as Keras (by n − 1 in the rerun of a student who took the unbiased one). */
export function batchVarianceRule(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = batchnormPlan(ctx, l);
	const input = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const mu = ctx.tensor(ctx.step, `mu[${l}]`);
	const samples = input.shape[0];
	const words = over(plan, samples);
	const divisorTex = plan.unbiased ? 'm - 1' : 'm';
	return {
		caption: caption(
			`Variance de chaque caractéristique de la couche ${S.layer(l)} sur ${words.fr}, divisée par ${plan.unbiased ? 'm − 1' : 'm (biaisée, comme Keras)'}`,
			`Variance of each feature of layer ${S.layer(l)} over ${words.en}, divided by ${plan.unbiased ? 'm − 1' : 'm (biased, as Keras)'}`
		),
		symbolic: `${S.tensor('sigma2', l)} = \\frac{1}{${divisorTex}} \\sum_{i=1}^{m} \\left(${S.element('a', l - 1, [], 'i')} - ${S.tensor('mu', l)}\\right)^2`,
		body: ([c]) => {
			const cells = featureCells(plan, samples, c);
			const mean = at(mu, [c]);
			const muSymbol = featureSymbol(ctx, 'mu', l, c);
			const terms: Piece[] = cells.map((cell) => {
				const x = at(input, cell);
				return {
					symbolic: `(${batchedSymbol(ctx, plan, 'a', l - 1, cell)} - ${muSymbol})^2`,
					substituted: `(${ctx.op(x)} - ${ctx.op(mean)})^2`,
					expression: `(${ctx.ex(x)}-${ctx.ex(mean)})^2`
				};
			});
			const total = sum(terms);
			const divisor = varianceDivisor(plan, cells.length);
			return {
				lhs: featureSymbol(ctx, 'sigma2', l, c),
				rhs: `\\frac{1}{${divisor}} \\left(${total.symbolic}\\right)`,
				numbers: `\\frac{${total.substituted}}{${divisor}}`,
				expression: `(${total.expression})/${divisor}`,
				reads: [...cells.map((cell) => read(ctx.step, `A[${l - 1}]`, cell)), read(ctx.step, `mu[${l}]`, [c])],
				note: countNote(total, ctx.options.locale)
			};
		}
	};
}

/** xhat[l]: the input normalised by the batch's statistics at training, by the moving ones (as the step before left them) otherwise. */
export function normalisedRule(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = batchnormPlan(ctx, l);
	const input = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const training = trained(ctx, l);
	// at evaluation the moving statistics in force are those the step before recorded
	const source = training ? { step: ctx.step, mean: `mu[${l}]`, variance: `sigma2[${l}]` } : { step: ctx.step - 1, mean: `moving_mean[${l}]`, variance: `moving_variance[${l}]` };
	const letters = training ? ({ mean: 'mu', variance: 'sigma2' } as const) : ({ mean: 'movingMean', variance: 'movingVariance' } as const);
	const mean = ctx.tensor(source.step, source.mean);
	const variance = ctx.tensor(source.step, source.variance);
	const eps = ctx.op(plan.epsilon);
	return {
		caption: training
			? caption(
					`Normalisation de la couche ${S.layer(l)} par la moyenne et la variance du lot (ε = ${ctx.text(plan.epsilon, 'fr')})`,
					`Normalisation of layer ${S.layer(l)} by the batch's mean and variance (ε = ${ctx.text(plan.epsilon, 'en')})`
				)
			: caption(
					`Normalisation de la couche ${S.layer(l)} hors entraînement : par la moyenne et la variance mobiles (ε = ${ctx.text(plan.epsilon, 'fr')})`,
					`Normalisation of layer ${S.layer(l)} outside training: by the moving mean and variance (ε = ${ctx.text(plan.epsilon, 'en')})`
				),
		symbolic: `${S.tensor('xhat', l)} = \\frac{${S.tensor('a', l - 1)} - ${S.tensor(letters.mean, l)}}{\\sqrt{${S.tensor(letters.variance, l)} + \\varepsilon}}`,
		body: (index) => {
			const c = index[1];
			const x = at(input, index);
			const m = at(mean, [c]);
			const v = at(variance, [c]);
			return {
				lhs: batchedSymbol(ctx, plan, 'xhat', l, index),
				rhs: `\\frac{${batchedSymbol(ctx, plan, 'a', l - 1, index)} - ${featureSymbol(ctx, letters.mean, l, c)}}{\\sqrt{${featureSymbol(ctx, letters.variance, l, c)} + \\varepsilon}}`,
				numbers: `\\frac{${ctx.op(x)} - ${ctx.op(m)}}{\\sqrt{${ctx.op(v)} + ${eps}}}`,
				expression: `(${ctx.ex(x)}-${ctx.ex(m)})/sqrt(${ctx.ex(v)}+${ctx.ex(plan.epsilon)})`,
				reads: [read(ctx.step, `A[${l - 1}]`, index), read(source.step, source.mean, [c]), read(source.step, source.variance, [c])]
			};
		}
	};
}

/** A[l] of a batch normalisation: a = γ x̂ + β, with γ and β as the step before left them. */
export function batchnormForward(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = batchnormPlan(ctx, l);
	const xhat = ctx.tensor(ctx.step, `xhat[${l}]`);
	const before = ctx.step - 1;
	const gamma = ctx.tensor(before, `gamma[${l}]`);
	const beta = ctx.tensor(before, `beta[${l}]`);
	return {
		caption: caption(`Batch normalisation de la couche ${S.layer(l)} : x̂ mis à l’échelle par γ et décalé de β`, `Batch normalisation of layer ${S.layer(l)}: x̂ scaled by γ and shifted by β`),
		symbolic: `${S.tensor('a', l)} = ${S.tensor('gamma', l)} \\odot ${S.tensor('xhat', l)} + ${S.tensor('beta', l)}`,
		body: (index) => {
			const c = index[1];
			const g = at(gamma, [c]);
			const x = at(xhat, index);
			const b = at(beta, [c]);
			return {
				lhs: batchedSymbol(ctx, plan, 'a', l, index),
				rhs: `${featureSymbol(ctx, 'gamma', l, c)}\\, ${batchedSymbol(ctx, plan, 'xhat', l, index)} + ${featureSymbol(ctx, 'beta', l, c)}`,
				numbers: `${ctx.op(g)} \\cdot ${ctx.op(x)} + ${ctx.op(b)}`,
				expression: `${ctx.ex(g)}*${ctx.ex(x)}+${ctx.ex(b)}`,
				reads: [read(before, `gamma[${l}]`, [c]), read(ctx.step, `xhat[${l}]`, index), read(before, `beta[${l}]`, [c])]
			};
		}
	};
}

/** dgamma[l] and dbeta[l]: ∂J/∂γ = Σ ∂J/∂a · x̂ and ∂J/∂β = Σ ∂J/∂a over the feature's values of the batch. */
export function scaleShiftGradient(ctx: Context, kind: 'gamma' | 'beta', l: number): Rule {
	const S = ctx.symbols;
	const plan = batchnormPlan(ctx, l);
	const dA = ctx.tensor(ctx.step, `dA[${l}]`);
	const xhat = ctx.tensor(ctx.step, `xhat[${l}]`);
	const samples = dA.shape[0];
	const words = over(plan, samples);
	const tensor = S.tensor(kind, l);
	const general = S.partial(S.element('a', l, [], 'i'));
	return {
		caption:
			kind === 'gamma'
				? caption(`Gradient des échelles γ de la couche ${S.layer(l)}, sommé sur ${words.fr}`, `Gradient of the scales γ of layer ${S.layer(l)}, summed over ${words.en}`)
				: caption(`Gradient des décalages β de la couche ${S.layer(l)}, sommé sur ${words.fr}`, `Gradient of the shifts β of layer ${S.layer(l)}, summed over ${words.en}`),
		symbolic: `${S.partial(tensor)} = \\sum_{i=1}^{m} ${general}${kind === 'gamma' ? ` \\odot ${S.element('xhat', l, [], 'i')}` : ''}`,
		body: ([c]) => {
			const cells = featureCells(plan, samples, c);
			const reads: ElementRead[] = [];
			const terms: Piece[] = cells.map((cell) => {
				const g = ctx.leaf(S.partial(batchedSymbol(ctx, plan, 'a', l, cell)), at(dA, cell));
				reads.push(read(ctx.step, `dA[${l}]`, cell));
				if (kind === 'beta') return g;
				reads.push(read(ctx.step, `xhat[${l}]`, cell));
				const x = at(xhat, cell);
				return {
					symbolic: `${g.symbolic}\\, ${batchedSymbol(ctx, plan, 'xhat', l, cell)}`,
					substituted: `${g.substituted} \\cdot ${ctx.op(x)}`,
					expression: `${g.expression}*${ctx.ex(x)}`
				};
			});
			const total = sum(terms);
			return {
				lhs: S.partial(featureSymbol(ctx, kind, l, c)),
				rhs: total.symbolic,
				numbers: total.substituted,
				expression: total.expression,
				reads,
				note: countNote(total, ctx.options.locale)
			};
		}
	};
}

/**
 * dA[l] below a batch normalisation l + 1, through x̂, μ and σ² (all three depend on the input at
 * training): ∂J/∂a = γ/√(σ² + ε) · (∂J/∂y − ∂J/∂β / m − x̂ · ∂J/∂γ / m), with the recorded dγ, dβ.
 */
export function batchnormBackToInput(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const next = l + 1;
	const plan = batchnormPlan(ctx, next);
	const dA = ctx.tensor(ctx.step, `dA[${next}]`);
	const xhat = ctx.tensor(ctx.step, `xhat[${next}]`);
	const sigma2 = ctx.tensor(ctx.step, `sigma2[${next}]`);
	const dgamma = ctx.tensor(ctx.step, `dgamma[${next}]`);
	const dbeta = ctx.tensor(ctx.step, `dbeta[${next}]`);
	const gamma = ctx.tensor(ctx.step - 1, `gamma[${next}]`);
	const samples = dA.shape[0];
	const count = featureCells(plan, samples, 0).length;
	const divisor = varianceDivisor(plan, count);
	const divisorTex = plan.unbiased ? 'm - 1' : 'm';
	const y = S.partial(S.tensor('a', next));
	return {
		caption: caption(
			`Gradient rétropropagé par la batch normalisation de la couche ${S.layer(next)} : à travers x̂, la moyenne et la variance du lot`,
			`Gradient routed back through the batch normalisation of layer ${S.layer(next)}: through x̂, the batch's mean and its variance`
		),
		symbolic: `${S.partial(S.tensor('a', l))} = \\frac{${S.tensor('gamma', next)}}{\\sqrt{${S.tensor('sigma2', next)} + \\varepsilon}} \\left(${y} - \\frac{1}{m} ${S.partial(S.tensor('beta', next))} - \\frac{${S.tensor('xhat', next)}}{${divisorTex}} ${S.partial(S.tensor('gamma', next))}\\right)`,
		body: (index) => {
			const c = index[1];
			const g = at(gamma, [c]);
			const v = at(sigma2, [c]);
			const dy = at(dA, index);
			const db = at(dbeta, [c]);
			const dg = at(dgamma, [c]);
			const x = at(xhat, index);
			const gammaSymbol = featureSymbol(ctx, 'gamma', next, c);
			return {
				lhs: S.partial(batchedSymbol(ctx, plan, 'a', l, index)),
				rhs: `\\frac{${gammaSymbol}}{\\sqrt{${featureSymbol(ctx, 'sigma2', next, c)} + \\varepsilon}} \\left(${S.partial(batchedSymbol(ctx, plan, 'a', next, index))} - \\frac{1}{${count}} ${S.partial(featureSymbol(ctx, 'beta', next, c))} - \\frac{${batchedSymbol(ctx, plan, 'xhat', next, index)}}{${divisor}} ${S.partial(gammaSymbol)}\\right)`,
				numbers: `\\frac{${ctx.op(g)}}{\\sqrt{${ctx.op(v)} + ${ctx.op(plan.epsilon)}}} \\left(${ctx.op(dy)} - \\frac{${ctx.op(db)}}{${count}} - \\frac{${ctx.op(x)} \\cdot ${ctx.op(dg)}}{${divisor}}\\right)`,
				expression: `${ctx.ex(g)}/sqrt(${ctx.ex(v)}+${ctx.ex(plan.epsilon)})*(${ctx.ex(dy)}-${ctx.ex(db)}/${count}-${ctx.ex(x)}*${ctx.ex(dg)}/${divisor})`,
				reads: [
					read(ctx.step - 1, `gamma[${next}]`, [c]),
					read(ctx.step, `sigma2[${next}]`, [c]),
					read(ctx.step, `dA[${next}]`, index),
					read(ctx.step, `dbeta[${next}]`, [c]),
					read(ctx.step, `xhat[${next}]`, index),
					read(ctx.step, `dgamma[${next}]`, [c])
				]
			};
		}
	};
}

/** moving_mean[l] and moving_variance[l] after a training step: momentum·moving + (1 − momentum)·the batch's statistic. */
export function movingAverageRule(ctx: Context, kind: 'moving_mean' | 'moving_variance', l: number): Rule {
	const S = ctx.symbols;
	const plan = batchnormPlan(ctx, l);
	const name = `${kind}[${l}]`;
	const batchName = kind === 'moving_mean' ? `mu[${l}]` : `sigma2[${l}]`;
	const letter = kind === 'moving_mean' ? 'movingMean' : 'movingVariance';
	const batchLetter = kind === 'moving_mean' ? 'mu' : 'sigma2';
	const previous = ctx.tensor(ctx.step - 1, name);
	const batch = ctx.tensor(ctx.step, batchName);
	const momentum = plan.momentum;
	const words = kind === 'moving_mean' ? { fr: 'Moyenne mobile', en: 'Moving mean' } : { fr: 'Variance mobile', en: 'Moving variance' };
	return {
		caption: caption(
			`${words.fr} de la couche ${S.layer(l)} : elle garde ${ctx.text(momentum, 'fr')} d’elle-même et prend le reste du lot (momentum de Keras)`,
			`${words.en} of layer ${S.layer(l)}: it keeps ${ctx.text(momentum, 'en')} of itself and takes the rest from the batch (Keras's momentum)`
		),
		symbolic: `${S.tensor(letter, l)} \\leftarrow ${ctx.op(momentum)}\\, ${S.tensor(letter, l)} + (1 - ${ctx.op(momentum)})\\, ${S.tensor(batchLetter, l)}`,
		body: ([c]) => {
			const p = at(previous, [c]);
			const b = at(batch, [c]);
			const symbol = featureSymbol(ctx, letter, l, c);
			return {
				lhs: symbol,
				relation: '\\leftarrow',
				rhs: `${ctx.op(momentum)}\\, ${symbol} + (1 - ${ctx.op(momentum)})\\, ${featureSymbol(ctx, batchLetter, l, c)}`,
				numbers: `${ctx.op(momentum)} \\cdot ${ctx.op(p)} + ${ctx.op(1 - momentum)} \\cdot ${ctx.op(b)}`,
				expression: `${ctx.ex(momentum)}*${ctx.ex(p)}+(1-${ctx.ex(momentum)})*${ctx.ex(b)}`,
				reads: [read(ctx.step - 1, name, [c]), read(ctx.step, batchName, [c])]
			};
		}
	};
}
