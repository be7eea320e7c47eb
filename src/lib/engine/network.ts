import type { Conventions } from './activations';
import type { Backend } from './backends/backend';
import { referenceBackend } from './backends/reference';
import { unitOf } from './layers/registry';
import type { LayerGradients, LayerOutput, Parameters, Training, Use } from './layers/unit';
import { LOSSES, type LossName, type OutputRow } from './losses';
import type { LayerPlan } from './plan';
import type { Tensor } from './tensor';

export type { LayerGradients, LayerOutput };

/** Forward through one layer, by its type's unit (layers/registry.ts); `training` null is an evaluation pass. */
export function forwardLayer(
	plan: LayerPlan,
	params: Parameters | null,
	input: Tensor,
	use: Use = (_symbol, value) => value,
	backend: Backend = referenceBackend,
	training: Training | null = null
): LayerOutput {
	return unitOf(plan.type).forward(plan, params, input, use, backend, training);
}

/** Backward through one layer, by its type's unit, given dA = ∂J/∂A (or dZ directly for the paired output layer). */
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
	return unitOf(plan.type).backward(plan, params, input, output, dA, pairedDZ, backend, conventions, needInput);
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
	const activation = 'activation' in outputPlan ? outputPlan.activation : 'identity';
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
