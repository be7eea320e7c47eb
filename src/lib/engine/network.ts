import type { ActivationName, Conventions } from './activations';
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
	const A = output.A;
	const activation = 'activation' in outputPlan ? outputPlan.activation : 'identity';
	const dA: Tensor = { shape: A.shape, data: new Float64Array(A.data.length) };
	const pairedDZ: Tensor | null = pairsWith(lossName, activation) ? { shape: A.shape, data: new Float64Array(A.data.length) } : null;
	const [samples, width] = A.shape;
	const cost = costInto(lossName, reduction, activation, samples, { yHat: A.data, y: Y.data, z: (output.Z ?? A).data, width }, dA.data, pairedDZ?.data ?? null);
	return { cost, dA, pairedDZ };
}

/** Whether the loss gives dZ[L] directly after this output activation (softmax + categorical cross-entropy…). */
export function pairsWith(lossName: LossName, activation: ActivationName): boolean {
	return LOSSES[lossName].pairedDelta?.activation === activation;
}

/**
 * The cost J of a batch of `samples` output rows (ŷ, y and z, `width` entries a row), with dA[L] written
 * into `dA` and, when the loss pairs with the activation, dZ[L] into `pairedDZ`.
 */
export function costInto(
	lossName: LossName,
	reduction: 'mean' | 'sum',
	activation: ActivationName,
	samples: number,
	batch: Omit<OutputRow, 'start'>,
	dA: Float64Array,
	pairedDZ: Float64Array | null
): number {
	const loss = LOSSES[lossName];
	const scale = reduction === 'mean' ? 1 / samples : 1;
	const paired = pairedDZ ? loss.pairedDelta : undefined;
	let cost = 0;
	// one row moved along the batch: an object a sample cost more than the loss of a small output
	const row: OutputRow = { yHat: batch.yHat, y: batch.y, z: batch.z, start: 0, width: batch.width };
	for (let n = 0; n < samples; n++) {
		row.start = n * batch.width;
		cost += loss.value(row, activation);
		loss.gradient(row, dA);
		if (paired && pairedDZ) paired.delta(row, pairedDZ);
	}
	for (let i = 0; i < dA.length; i++) dA[i] *= scale;
	if (pairedDZ) for (let i = 0; i < pairedDZ.length; i++) pairedDZ[i] *= scale;
	return cost * scale;
}
