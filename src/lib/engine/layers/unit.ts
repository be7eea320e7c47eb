import type { ActivationName, Conventions } from '../activations';
import type { Backend, WeightedOutput } from '../backends/backend';
import type { LayerPlan } from '../plan';
import type { Random } from '../prng';
import type { ParameterName, TrainedName } from '../quantity';
import type { ScenarioIssue } from '../scenario/issues';
import type { InitScheme, LayerConfig } from '../scenario/schema';
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

export type { ParameterName, TrainedName };
/** A layer's tensors kept from step to step, by the event names that record them (W[l], gamma[l]…): those its unit declares. */
export type Parameters = Partial<Record<ParameterName, Tensor>>;

export interface ParameterSpec {
	name: ParameterName;
	shape: number[];
	/** the shape in words, for an error about a tensor the file gives: "units × inputs" */
	meaning: string;
	/** what the initialisation schemes scale by (xavier, he) */
	fanIn: number;
	fanOut: number;
	/**
	 * How it starts when the file leaves it out: drawn by the scheme the `init:` key names (its
	 * default beside it), or a constant (Keras's batch normalisation: γ = 1, β = 0, moving mean 0, moving variance 1).
	 */
	initial: { key: 'weights' | 'bias'; scheme: InitScheme } | { constant: number };
	/** the `update:` switch under which the optimizer trains it; null for what a training pass moves itself (the moving statistics) */
	update: 'weights' | 'biases' | null;
	/** the least value an element may take, checked where the file gives it (a variance is never negative) */
	atLeast?: number;
}

/** Quantities of a forward pass that the run may replace by a student's own before the layer goes on from them. */
export type Substitutable = 'Z' | 'mu' | 'sigma2' | 'xhat';
/** The value the layer goes on with: the one computed, or the run's substitution of it. */
export type Use = (symbol: Substitutable, value: Tensor) => Tensor;

/** What a training pass gives a layer: its draws (a dropout layer's masks), null for a layer that draws nothing. */
export interface Training {
	draws: Random | null;
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
	/** for a batch normalisation at training: the batch's mean and variance of each feature (mu[l], sigma2[l]) */
	mu?: Tensor;
	sigma2?: Tensor;
	/** for a batch normalisation: the normalised input x̂ (xhat[l]) */
	xhat?: Tensor;
	/** the parameters a training pass moved itself (batch normalisation's moving statistics), as they are after it */
	moved?: Parameters;
}

/** Gradients of J for one layer, given dA = ∂J/∂A (or dZ directly for the paired output layer). */
export interface LayerGradients {
	dZ: Tensor | null;
	/** ∂J/∂θ of each parameter the optimizer trains (dW, db; dgamma, dbeta) */
	gradients: Partial<Record<TrainedName, Tensor>>;
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
	 * Forward through the layer: its own rule, then its activation, on `backend`. `use` may put
	 * another value in place of a computed one (a substitution of the run: Z, or a batch
	 * normalisation's μ, σ², x̂), which the layer then goes on from. `training` is null at
	 * evaluation (no dropout, a batch normalisation by its moving statistics).
	 */
	forward(plan: P, params: Parameters | null, input: Tensor, use: Use, backend: Backend, training: Training | null): LayerOutput;
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

/** A parameter the layer declares; the run gives every declared one to its layer. */
export function required(plan: LayerPlan, params: Parameters | null, name: ParameterName): Tensor {
	const tensor = params?.[name];
	if (!tensor) throw new Error(`layer ${plan.index} (${plan.type}) was run without its ${name}`);
	return tensor;
}

/** Z as the run uses it (substituted or computed), and A from it. */
export function activated(computed: WeightedOutput, use: Use, activation: ActivationName, backend: Backend): LayerOutput {
	const Z = use('Z', computed.Z);
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
