import { ACTIVATIONS } from './activations';
import { convBackward, convForward } from './layers/conv2d';
import { denseBackward, denseForward } from './layers/dense';
import { poolBackward, poolForward } from './layers/pool';
import { LOSSES, type LossName, type OutputRow } from './losses';
import type { LayerPlan } from './plan';
import type { Parameters } from './scenario/validate';
import { reshape, type Tensor } from './tensor';

/** What one layer computed on a batch: Z before the activation (dense, conv) and A after it. */
export interface LayerOutput {
	Z: Tensor | null;
	A: Tensor;
	/** max pooling's winners, for its backward pass */
	argmax: Int32Array | null;
}

/**
 * Forward through one layer: the layer's own rule, then its activation. `useZ` may put another
 * pre-activation in place of the computed one (a substitution of the run), which A is then taken from.
 */
export function forwardLayer(plan: LayerPlan, params: Parameters | null, input: Tensor, useZ: (Z: Tensor) => Tensor = (Z) => Z): LayerOutput {
	switch (plan.type) {
		case 'dense':
		case 'conv2d': {
			const { W, b } = params as Parameters;
			const Z = useZ(plan.type === 'dense' ? denseForward(input, W, b) : convForward(input, W, b, { ...plan.geometry, flip: plan.flip }));
			const A: Tensor = { shape: Z.shape, data: new Float64Array(Z.data.length) };
			ACTIVATIONS[plan.activation].forward(Z.data, A.data, Z.shape[Z.shape.length - 1]);
			return { Z, A, argmax: null };
		}
		case 'pool': {
			const { A, argmax } = poolForward(input, plan.mode, plan.geometry);
			return { Z: null, A, argmax: plan.mode === 'max' ? argmax : null };
		}
		case 'flatten':
			return { Z: null, A: reshape(input, [input.shape[0], ...plan.outputShape]), argmax: null };
	}
}

/** Gradients of J for one layer, given dA = ∂J/∂A (or dZ directly for the paired output layer). */
export interface LayerGradients {
	dZ: Tensor | null;
	dW: Tensor | null;
	db: Tensor | null;
	/** ∂J/∂A of the layer below */
	dInput: Tensor;
}

export function backwardLayer(
	plan: LayerPlan,
	params: Parameters | null,
	input: Tensor,
	output: LayerOutput,
	dA: Tensor,
	pairedDZ: Tensor | null
): LayerGradients {
	switch (plan.type) {
		case 'dense':
		case 'conv2d': {
			const { W } = params as Parameters;
			const Z = output.Z as Tensor;
			let dZ = pairedDZ;
			if (!dZ) {
				dZ = { shape: Z.shape, data: new Float64Array(Z.data.length) };
				ACTIVATIONS[plan.activation].backward(Z.data, output.A.data, dA.data, dZ.data, Z.shape[Z.shape.length - 1]);
			}
			const grads = plan.type === 'dense' ? denseBackward(dZ, input, W) : convBackward(dZ, input, W, { ...plan.geometry, flip: plan.flip });
			return { dZ, dW: grads.dW, db: grads.db, dInput: grads.dInput };
		}
		case 'pool':
			return { dZ: null, dW: null, db: null, dInput: poolBackward(dA, input, plan.mode, plan.geometry, output.argmax ?? new Int32Array(0)) };
		case 'flatten':
			return { dZ: null, dW: null, db: null, dInput: reshape(dA, input.shape) };
	}
}

/** The cost J of a batch and dA[L] = ∂J/∂A[L]; dZ[L] too when the loss pairs with the output activation. */
export interface CostGradient {
	cost: number;
	dA: Tensor;
	pairedDZ: Tensor | null;
}

export function costAndGradient(
	lossName: LossName,
	reduction: 'mean' | 'sum',
	outputPlan: LayerPlan,
	output: LayerOutput,
	Y: Tensor
): CostGradient {
	const loss = LOSSES[lossName];
	const A = output.A;
	const Z = output.Z ?? A;
	const [samples, width] = A.shape;
	const scale = reduction === 'mean' ? 1 / samples : 1;
	const activation = outputPlan.type === 'dense' || outputPlan.type === 'conv2d' ? outputPlan.activation : 'identity';
	const dA: Tensor = { shape: A.shape, data: new Float64Array(A.data.length) };
	const paired = loss.pairedDelta?.activation === activation ? loss.pairedDelta : undefined;
	const pairedDZ: Tensor | null = paired ? { shape: A.shape, data: new Float64Array(A.data.length) } : null;
	let cost = 0;
	for (let n = 0; n < samples; n++) {
		const row: OutputRow = { yHat: A.data, y: Y.data, z: Z.data, start: n * width, width };
		cost += loss.value(row, activation);
		loss.gradient(row, dA.data);
		if (paired && pairedDZ) paired.delta(row, pairedDZ.data);
	}
	for (let i = 0; i < dA.data.length; i++) dA.data[i] *= scale;
	if (pairedDZ) for (let i = 0; i < pairedDZ.data.length; i++) pairedDZ.data[i] *= scale;
	return { cost: cost * scale, dA, pairedDZ };
}

/** The network's output on a batch, layer by layer (A[1..L]). */
export function forwardPass(plans: LayerPlan[], params: (Parameters | null)[], X: Tensor): LayerOutput[] {
	const outputs: LayerOutput[] = [];
	let input = X;
	plans.forEach((plan, i) => {
		const output = forwardLayer(plan, params[i], input);
		outputs.push(output);
		input = output.A;
	});
	return outputs;
}
