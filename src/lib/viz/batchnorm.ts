import { isBatched, parseName } from '../engine/quantity';
import type { Trace } from '../engine/trace';
import { eventAt, findEvent } from '../engine/trace';
import { layerOfEvent } from './quantity';

/** One value of the feature shown: the layer's input a, its normalised x̂ and the output γ x̂ + β. */
export interface BatchNormCell {
	input: number;
	normalised: number;
	output: number;
}

export interface BatchNormFrame {
	layer: number;
	/** the feature shown, 0-based: a unit of a flat input, a channel of an image */
	feature: number;
	features: number;
	/** true at a training step (the batch's statistics), false at evaluation (the moving ones) */
	training: boolean;
	mean: number;
	variance: number;
	gamma: number;
	beta: number;
	epsilon: number;
	/** the feature's values, sample by sample (and position by position in an image), up to MAX_CELLS */
	cells: BatchNormCell[];
	/** how many values the feature has in the batch */
	count: number;
}

/** The most values drawn: a whole small batch, the start of an image's channel. */
export const MAX_CELLS = 16;

/**
 * The feature of the batch normalisation of event `seq` that the selection is on (the first by
 * default): its values before and after, and the statistics and γ, β they were normalised with,
 * all read from the trace. Null for another layer, or a step without a forward pass.
 */
export function batchnormFrame(trace: Trace, seq: number, index: readonly number[] | null): BatchNormFrame | null {
	const event = eventAt(trace, seq);
	const plan = layerOfEvent(trace.setup, event.name);
	const q = parseName(event.name);
	if (!plan || plan.type !== 'batchnorm' || !q) return null;
	const l = plan.index;
	const value = (step: number, name: string) => findEvent(trace, step, name)?.value ?? null;
	const input = value(event.step, `A[${l - 1}]`);
	const normalised = value(event.step, `xhat[${l}]`);
	const output = value(event.step, `A[${l}]`);
	const gamma = value(event.step - 1, `gamma[${l}]`);
	const beta = value(event.step - 1, `beta[${l}]`);
	if (!input || !normalised || !output || !gamma || !beta) return null;
	const features = plan.inputShape[0];
	// a batched event's index starts with the sample; a per-feature one (μ, γ…) is the feature itself
	const picked = index && index.length > 0 ? (isBatched(q.symbol) ? index[1] : index[0]) : 0;
	const feature = picked !== undefined && picked < features ? picked : 0;
	const mu = value(event.step, `mu[${l}]`);
	const sigma2 = value(event.step, `sigma2[${l}]`);
	const training = mu !== null && sigma2 !== null;
	const mean = training ? mu : value(event.step - 1, `moving_mean[${l}]`);
	const variance = training ? sigma2 : value(event.step - 1, `moving_variance[${l}]`);
	if (!mean || !variance) return null;
	const samples = input.shape[0];
	const positions = input.data.length / (samples * features);
	const cells: BatchNormCell[] = [];
	for (let n = 0; n < samples && cells.length < MAX_CELLS; n++) {
		for (let p = 0; p < positions && cells.length < MAX_CELLS; p++) {
			const at = (n * features + feature) * positions + p;
			cells.push({ input: input.data[at], normalised: normalised.data[at], output: output.data[at] });
		}
	}
	return {
		layer: l,
		feature,
		features,
		training,
		mean: mean.data[feature],
		variance: variance.data[feature],
		gamma: gamma.data[feature],
		beta: beta.data[feature],
		epsilon: plan.epsilon,
		cells,
		count: samples * positions
	};
}
