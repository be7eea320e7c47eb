import { referenceBackend } from './backends/reference';
import { evaluate } from './evaluate';
import type { ParameterName, Parameters } from './layers/unit';
import type { LossName } from './losses';
import type { LayerPlan } from './plan';
import { clone, offsetOf, type Tensor } from './tensor';

/**
 * The cost as a function of one weight, the others held where they are: course 000's curve of
 * the error against the weight ("increase here, decrease there, do nothing at the minimum").
 * Each point is the cost of the batch computed by the float64 reference forward pass, exactly as
 * the run computes a step's `loss`, so the curve passes through the recorded loss.
 */

/** One element of a layer's W or b: what the curve varies. */
export interface ParameterElement {
	/** 1-based layer */
	layer: number;
	name: ParameterName;
	/** 0-based index inside the tensor (W[l][j][k]: [j, k]) */
	index: number[];
}

/** Everything a step's cost depends on: the network, its parameters, the batch and the loss. */
export interface CostSetting {
	plans: LayerPlan[];
	params: (Parameters | null)[];
	X: Tensor;
	Y: Tensor;
	loss: LossName;
	reduction: 'mean' | 'sum';
}

/**
 * Whether the step's cost can be recomputed from its parameters alone: not with dropout, whose
 * masks are drawn at training, nor with batch normalisation, which normalises a training batch by
 * its own statistics but an evaluation by the moving ones.
 */
export function costIsReproducible(plans: readonly LayerPlan[]): boolean {
	return plans.every((plan) => plan.type !== 'dropout' && plan.type !== 'batchnorm');
}

/** The cost of the batch with `element` set to each of `ws`, every other parameter as given. */
export function lossAlong(setting: CostSetting, element: ParameterElement, ws: ArrayLike<number>): Float64Array {
	if (!costIsReproducible(setting.plans)) throw new Error('the cost of a network with dropout or batch normalisation depends on how it trains: it cannot be drawn against one weight');
	const base = setting.params[element.layer - 1];
	if (!base) throw new Error(`layer ${element.layer} has no parameters`);
	const tensor = base[element.name];
	if (!tensor) throw new Error(`layer ${element.layer} has no ${element.name}`);
	const varied = clone(tensor);
	const offset = offsetOf(varied.shape, element.index);
	const params = setting.params.map((p, i) => (i === element.layer - 1 ? { ...base, [element.name]: varied } : p));
	const data = { X: setting.X, Y: setting.Y };
	const costs = new Float64Array(ws.length);
	for (let i = 0; i < ws.length; i++) {
		varied.data[offset] = ws[i];
		costs[i] = evaluate(setting.plans, params, data, setting.loss, setting.reduction, [], referenceBackend).loss;
	}
	return costs;
}
