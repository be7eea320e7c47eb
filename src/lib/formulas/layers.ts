import type { LayerType } from '../engine/layers/unit';
import { activationForward } from './activations';
import type { Context } from './context';
import { convBackToInput, convBiasGradient, convWeightedSum, convWeightGradient } from './conv';
import { denseBackToInput, denseBiasGradient, denseWeightedSum, denseWeightGradient } from './dense';
import { dropoutBackToInput, dropoutForward } from './dropout';
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
 * (dA[l] for layer l + 1 of this type, called with l), and its weights' rules where it has some.
 * Keyed by type, so a new layer type does not compile until its formulas exist.
 */
export interface LayerFormulas {
	output: LayerRule;
	backToInput: LayerRule;
	weighted: WeightedFormulas | null;
}

export const LAYER_FORMULAS: Record<LayerType, LayerFormulas> = {
	dense: {
		output: activationForward,
		backToInput: denseBackToInput,
		weighted: { weightedSum: denseWeightedSum, weightGradient: denseWeightGradient, biasGradient: denseBiasGradient }
	},
	conv2d: {
		output: activationForward,
		backToInput: convBackToInput,
		weighted: { weightedSum: convWeightedSum, weightGradient: convWeightGradient, biasGradient: convBiasGradient }
	},
	pool: { output: poolForward, backToInput: poolBackToInput, weighted: null },
	flatten: { output: flattenForward, backToInput: flattenBackToInput, weighted: null },
	dropout: { output: dropoutForward, backToInput: dropoutBackToInput, weighted: null }
};

/** The weights' rules of layer l, which must have weights. */
export function weightedFormulas(ctx: Context, l: number): WeightedFormulas {
	const type = ctx.layer(l).type;
	const formulas = LAYER_FORMULAS[type].weighted;
	if (!formulas) throw new Error(`formulas: layer ${l} (${type}) has no weights and no pre-activation`);
	return formulas;
}
