import type { Conventions } from './activations';
import type { Backend } from './backends/backend';
import { referenceBackend } from './backends/reference';
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
 * Forward through one layer: the layer's own rule, then its activation, on `backend`. `useZ` may
 * put another pre-activation in place of the computed one (a substitution of the run), which A is
 * then taken from.
 */
export function forwardLayer(
	plan: LayerPlan,
	params: Parameters | null,
	input: Tensor,
	useZ: (Z: Tensor) => Tensor = (Z) => Z,
	backend: Backend = referenceBackend
): LayerOutput {
	switch (plan.type) {
		case 'dense':
		case 'conv2d': {
			const { W, b } = params as Parameters;
			const computed = plan.type === 'dense' ? backend.dense(input, W, b, plan.activation) : backend.conv(input, W, b, { ...plan.geometry, flip: plan.flip }, plan.activation);
			const Z = useZ(computed.Z);
			return { Z, A: Z === computed.Z ? computed.A : backend.activate(plan.activation, Z), argmax: null };
		}
		case 'pool': {
			const { A, argmax } = backend.pool(input, plan.mode, plan.geometry);
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
	/** ∂J/∂A of the layer below; null for the first layer, whose input needs none */
	dInput: Tensor | null;
}

export function backwardLayer(
	plan: LayerPlan,
	params: Parameters | null,
	input: Tensor,
	output: LayerOutput,
	dA: Tensor,
	pairedDZ: Tensor | null,
	backend: Backend,
	conventions: Conventions,
	needInput: boolean
): LayerGradients {
	switch (plan.type) {
		case 'dense':
		case 'conv2d': {
			const { W } = params as Parameters;
			const dZ = pairedDZ ?? backend.activationGradient(plan.activation, output.Z as Tensor, output.A, dA, conventions);
			const grads =
				plan.type === 'dense'
					? backend.denseGradients(dZ, input, W, needInput)
					: backend.convGradients(dZ, input, W, { ...plan.geometry, flip: plan.flip }, needInput);
			return { dZ, dW: grads.dW, db: grads.db, dInput: grads.dInput };
		}
		case 'pool':
			return {
				dZ: null,
				dW: null,
				db: null,
				dInput: needInput ? backend.poolGradient(dA, input, plan.mode, plan.geometry, output.argmax ?? new Int32Array(0)) : null
			};
		case 'flatten':
			return { dZ: null, dW: null, db: null, dInput: needInput ? reshape(dA, input.shape) : null };
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
