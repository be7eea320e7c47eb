import type { ActivationName, Conventions } from '../activations';
import type { Backend, WeightedOutput } from '../backends/backend';
import type { LayerPlan } from '../plan';
import type { Random } from '../prng';
import type { ScenarioIssue } from '../scenario/issues';
import type { LayerConfig } from '../scenario/schema';
import type { Tensor } from '../tensor';
import type { WindowGeometry } from './window';

/**
 * What the engine knows of one layer type, in one place: how it plans from its mapping, which
 * tensors it learns, and its forward and backward rules on a backend. `layers/registry.ts` keys one
 * unit per type, so a new type is a compile error until its unit exists.
 */
export type LayerType = LayerConfig['type'];
export type PlanOf<T extends LayerType> = Extract<LayerPlan, { type: T }>;
export type ConfigOf<T extends LayerType> = Extract<LayerConfig, { type: T }>;
/** The layers that slide a window over an image. */
export type WindowPlan = Extract<LayerPlan, { geometry: WindowGeometry }>;

/** The learned tensors, as the events W[l] and b[l] name them. */
export type ParameterName = 'W' | 'b';
export type Parameters = Record<ParameterName, Tensor>;

export interface ParameterSpec {
	name: ParameterName;
	shape: number[];
	/** the shape in words, for an error about a tensor the file gives: "units × inputs" */
	meaning: string;
	/** what the initialisation schemes scale by (xavier, he) */
	fanIn: number;
	fanOut: number;
}

/** Where a layer is planned: its number, its input, and where to report what does not fit. */
export interface PlanSite {
	index: number;
	/** per sample */
	inputShape: number[];
	at: (string | number)[];
	issues: ScenarioIssue[];
	/** "the input", or "the pool layer before it" */
	from: string;
}

/** What one layer computed on a batch: Z before the activation (dense, conv) and A after it. */
export interface LayerOutput {
	Z: Tensor | null;
	A: Tensor;
	/** for a pooling that keeps one cell per window (max): the input index each output cell took, for its backward pass */
	winners: Int32Array | null;
	/** for a dropout layer at training: 1 where a unit was kept, 0 where it was dropped (the event M[l]) */
	mask?: Tensor;
}

/** Gradients of J for one layer, given dA = ∂J/∂A (or dZ directly for the paired output layer). */
export interface LayerGradients {
	dZ: Tensor | null;
	dW: Tensor | null;
	db: Tensor | null;
	/** ∂J/∂A of the layer below; null for the first layer, whose input needs none */
	dInput: Tensor | null;
}

/** The unit of layer type T. */
export type LayerUnit<T extends LayerType> = Unit<PlanOf<T>, ConfigOf<T>>;

/**
 * A unit over its plan P and its mapping C. The methods are written as methods, so that a unit of
 * one type is usable where any type's unit is expected (`unitOf`).
 */
export interface Unit<P extends LayerPlan, C extends LayerConfig> {
	/** The plan of `config` on an input of `site.inputShape`, or undefined with an issue reported. */
	plan(config: C, site: PlanSite): P | undefined;
	/** The mapping that plans to `plan` again, each window's geometry replaced by `window`'s. */
	declare(plan: P, window: (plan: WindowPlan) => WindowGeometry): C;
	/** The learned tensors, in the order they are drawn and recorded; none for a layer without. */
	parameters(plan: P): ParameterSpec[];
	/** Multiply-adds of the forward pass per sample, for the run's cost estimate. */
	multiplyAdds(plan: P): number;
	/**
	 * Forward through the layer: its own rule, then its activation, on `backend`. `useZ` may put
	 * another pre-activation in place of the computed one (a substitution of the run), which A is
	 * then taken from. `training` holds the draws of a training pass (dropout's masks); null at
	 * evaluation.
	 */
	forward(plan: P, params: Parameters | null, input: Tensor, useZ: (Z: Tensor) => Tensor, backend: Backend, training: Random | null): LayerOutput;
	backward(
		plan: P,
		params: Parameters | null,
		input: Tensor,
		output: LayerOutput,
		dA: Tensor,
		pairedDZ: Tensor | null,
		backend: Backend,
		conventions: Conventions,
		needInput: boolean
	): LayerGradients;
}

/** The parameters of a layer that has some; the run gives them to every such layer. */
export function required(plan: LayerPlan, params: Parameters | null): Parameters {
	if (!params) throw new Error(`layer ${plan.index} (${plan.type}) was run without its W and b`);
	return params;
}

/** Z as the run uses it (substituted or computed), and A from it. */
export function activated(computed: WeightedOutput, useZ: (Z: Tensor) => Tensor, activation: ActivationName, backend: Backend): LayerOutput {
	const Z = useZ(computed.Z);
	return { Z, A: Z === computed.Z ? computed.A : backend.activate(activation, Z), winners: null };
}

/** dZ: the paired output delta when the loss gave one, else dA through the activation's derivative. */
export function deltaOf(
	plan: LayerPlan,
	activation: ActivationName,
	output: LayerOutput,
	dA: Tensor,
	pairedDZ: Tensor | null,
	backend: Backend,
	conventions: Conventions
): Tensor {
	if (pairedDZ) return pairedDZ;
	if (!output.Z) throw new Error(`layer ${plan.index} (${plan.type}) has no recorded Z to take the gradient through`);
	return backend.activationGradient(activation, output.Z, output.A, dA, conventions);
}
