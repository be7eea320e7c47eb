import { mulberry32, type Random } from '../prng';
import type { DropoutPlan } from '../plan';
import type { Tensor } from '../tensor';
import type { LayerUnit } from './unit';

/** 1/(1 − rate): what the kept units are multiplied by at training, so the layer's expected output is its input. */
export function dropoutScale(rate: number): number {
	return 1 / (1 - rate);
}

/** The scale a plan applies: 1/(1 − rate), or 1 where a student forgot it. */
function scaleOf(plan: DropoutPlan): number {
	return plan.scaled ? dropoutScale(plan.rate) : 1;
}

/** The draws of a dropout layer's masks: its own seed, or the training seed plus its number, so two dropout layers draw apart. */
export function dropoutRandom(plan: DropoutPlan, trainingSeed: number): Random {
	return mulberry32(plan.seed ?? trainingSeed + plan.index);
}

/** A unit is kept when its uniform draw is at least the rate (as Keras's dropout): 1 kept, 0 dropped, row-major over the batch. */
export function drawMask(shape: readonly number[], rate: number, random: Random): Tensor {
	const size = shape.reduce((a, b) => a * b, 1);
	const data = new Float64Array(size);
	for (let i = 0; i < size; i++) data[i] = random.next() >= rate ? 1 : 0;
	return { shape: [...shape], data };
}

/** values·M·(1/(1 − rate)) element by element, in that order (the formulas replay the same float). */
export function masked(values: Tensor, mask: Tensor, scale: number): Tensor {
	const data = new Float64Array(values.data.length);
	for (let i = 0; i < data.length; i++) data[i] = values.data[i] * mask.data[i] * scale;
	return { shape: [...values.shape], data };
}

/**
 * Inverted dropout (Keras's `Dropout`): at training each unit is kept with probability 1 − rate and
 * scaled by 1/(1 − rate), its mask recorded as M[l]; at evaluation (a run without training) the
 * layer is the identity. The gradient goes back through the same mask and scale.
 */
export const dropoutUnit: LayerUnit<'dropout'> = {
	plan: (config, { index, inputShape }) => ({
		type: 'dropout',
		index,
		inputShape,
		outputShape: [...inputShape],
		rate: config.rate,
		seed: config.seed ?? null,
		scaled: true
	}),
	declare: (plan) => (plan.seed === null ? { type: 'dropout', rate: plan.rate } : { type: 'dropout', rate: plan.rate, seed: plan.seed }),
	parameters: () => [],
	multiplyAdds: () => 0,
	forward(plan, _params, input, _use, _backend, training) {
		// the run gives every dropout layer its draws at training
		if (!training?.draws) return { Z: null, A: input, winners: null };
		const mask = drawMask(input.shape, plan.rate, training.draws);
		return { Z: null, A: masked(input, mask, scaleOf(plan)), winners: null, mask };
	},
	backward(plan, _params, input, output, dA, _pairedDZ, _backend, _conventions, needInput) {
		const dInput = !needInput ? null : output.mask ? masked(dA, output.mask, scaleOf(plan)) : { shape: [...input.shape], data: Float64Array.from(dA.data) };
		return { dZ: null, gradients: {}, dInput };
	}
};
