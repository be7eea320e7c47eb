import type { LayerType } from '../engine/layers/unit';
import type { LayerSymbol } from '../engine/quantity';
import { activationForward } from './activations';
import { batchMeanRule, batchnormBackToInput, batchnormForward, batchVarianceRule, movingAverageRule, normalisedRule, scaleShiftGradient } from './batchnorm';
import type { Context } from './context';
import { convBackToInput, convBiasGradient, convWeightedSum, convWeightGradient } from './conv';
import { denseBackToInput, denseBiasGradient, denseWeightedSum, denseWeightGradient } from './dense';
import { dropoutBackToInput, dropoutForward, dropoutMask } from './dropout';
import type { Rule } from './element';
import { flattenBackToInput, flattenForward } from './flatten';
import { poolBackToInput, poolForward } from './pool';

type LayerRule = (ctx: Context, l: number) => Rule;

/** The rules of a layer with weights: Z[l], dW[l] and db[l]. */
interface WeightedFormulas {
	weightedSum: LayerRule;
	weightGradient: LayerRule;
	biasGradient: LayerRule;
}

/**
 * The formulas of one layer type: its output A[l], the gradient it sends to the layer below
 * (dA[l] for layer l + 1 of this type, called with l), its weights' rules where it has some,
 * and the rules of the events only it records (a dropout's mask M[l]; a batch normalisation's
 * μ, σ², x̂, its gradients dγ, dβ and its moving statistics after a step). Keyed by type, so a
 * new layer type does not compile until its formulas exist.
 */
export interface LayerFormulas {
	output: LayerRule;
	backToInput: LayerRule;
	weighted: WeightedFormulas | null;
	own: Partial<Record<LayerSymbol, LayerRule>>;
}

export const LAYER_FORMULAS: Record<LayerType, LayerFormulas> = {
	dense: {
		output: activationForward,
		backToInput: denseBackToInput,
		weighted: { weightedSum: denseWeightedSum, weightGradient: denseWeightGradient, biasGradient: denseBiasGradient },
		own: {}
	},
	conv2d: {
		output: activationForward,
		backToInput: convBackToInput,
		weighted: { weightedSum: convWeightedSum, weightGradient: convWeightGradient, biasGradient: convBiasGradient },
		own: {}
	},
	pool: { output: poolForward, backToInput: poolBackToInput, weighted: null, own: {} },
	flatten: { output: flattenForward, backToInput: flattenBackToInput, weighted: null, own: {} },
	dropout: { output: dropoutForward, backToInput: dropoutBackToInput, weighted: null, own: { M: dropoutMask } },
	batchnorm: {
		output: batchnormForward,
		backToInput: batchnormBackToInput,
		weighted: null,
		own: {
			mu: batchMeanRule,
			sigma2: batchVarianceRule,
			xhat: normalisedRule,
			dgamma: (ctx, l) => scaleShiftGradient(ctx, 'gamma', l),
			dbeta: (ctx, l) => scaleShiftGradient(ctx, 'beta', l),
			moving_mean: (ctx, l) => movingAverageRule(ctx, 'moving_mean', l),
			moving_variance: (ctx, l) => movingAverageRule(ctx, 'moving_variance', l)
		}
	}
};

/** The rule of an event only layer l's type records (M, mu, xhat…). */
export function ownFormula(ctx: Context, quantity: LayerSymbol, l: number): Rule {
	const type = ctx.layer(l).type;
	const rule = LAYER_FORMULAS[type].own[quantity];
	if (!rule) throw new Error(`formulas: layer ${l} (${type}) records no ${quantity}`);
	return rule(ctx, l);
}

/** The weights' rules of layer l, which must have weights. */
export function weightedFormulas(ctx: Context, l: number): WeightedFormulas {
	const type = ctx.layer(l).type;
	const formulas = LAYER_FORMULAS[type].weighted;
	if (!formulas) throw new Error(`formulas: layer ${l} (${type}) has no weights and no pre-activation`);
	return formulas;
}
