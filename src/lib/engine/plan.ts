import type { ActivationName } from './activations';
import { unitOf } from './layers/registry';
import type { PoolMode } from './layers/pool';
import type { ParameterSpec } from './layers/unit';
import type { WindowGeometry } from './layers/window';
import type { LayerConfig, ModelConfig } from './scenario/schema';
import { ScenarioError, type ScenarioIssue } from './scenario/issues';
import { sizeOf } from './tensor';

/** A layer with its sizes resolved: what the engine runs and what `info` reports. Numbered 1..L. */
export type LayerPlan = DensePlan | ConvPlan | PoolPlan | FlattenPlan | DropoutPlan | BatchNormPlan;

interface PlanBase {
	index: number;
	/** per sample, without the batch dimension */
	inputShape: number[];
	outputShape: number[];
}

export interface DensePlan extends PlanBase {
	type: 'dense';
	units: number;
	activation: ActivationName;
}

export interface ConvPlan extends PlanBase {
	type: 'conv2d';
	filters: number;
	geometry: WindowGeometry;
	flip: boolean;
	activation: ActivationName;
}

export interface PoolPlan extends PlanBase {
	type: 'pool';
	mode: PoolMode;
	/** Keras's padding: 'same' puts the geometry's padding around the input */
	padding: 'valid' | 'same';
	geometry: WindowGeometry;
}

export interface FlattenPlan extends PlanBase {
	type: 'flatten';
}

export interface DropoutPlan extends PlanBase {
	type: 'dropout';
	/** the probability that a unit is dropped at training */
	rate: number;
	/** the masks' own seed, or null for the training seed plus the layer's number */
	seed: number | null;
	/** whether the kept units are scaled by 1/(1 − rate): always from a file; false only in the rerun of a student who forgot it (mistakes/catalogue.ts) */
	scaled: boolean;
}

export interface BatchNormPlan extends PlanBase {
	type: 'batchnorm';
	/** how much of the moving statistics each training step keeps (Keras's momentum) */
	momentum: number;
	/** added to the variance under the square root */
	epsilon: number;
	/** whether the batch variance is divided by n − 1: never from a file; true only in the rerun of a student who did (mistakes/catalogue.ts) */
	unbiased: boolean;
}

/** Layers with weights and biases, a pre-activation Z and an activation. */
export type ParametricPlan = DensePlan | ConvPlan;

/** The tensors a layer learns, by its unit: none for pool and flatten. */
export function parametersOf(plan: LayerPlan): ParameterSpec[] {
	return unitOf(plan.type).parameters(plan);
}

/** Whether the layer learns weights W (and biases b): dense and conv2d do; a batch normalisation learns γ and β instead. */
export function isParametric(plan: LayerPlan): plan is ParametricPlan {
	return parametersOf(plan).some((spec) => spec.name === 'W');
}

/** Shapes of W and b: units × inputs and units for dense, filters × channels × kh × kw and filters for conv. */
export function parameterShapes(plan: ParametricPlan): Record<'W' | 'b', number[]> {
	const specs = parametersOf(plan);
	const shapeOf = (name: 'W' | 'b'): number[] => {
		const spec = specs.find((s) => s.name === name);
		if (!spec) throw new Error(`layer ${plan.index} (${plan.type}) has no ${name}`);
		return spec.shape;
	};
	return { W: shapeOf('W'), b: shapeOf('b') };
}

export function layerParamCount(plan: LayerPlan): number {
	return parametersOf(plan).reduce((sum, spec) => sum + sizeOf(spec.shape), 0);
}

/**
 * Resolves every layer's input and output shapes, reporting each layer that cannot follow the
 * one before it (a dense layer on an image, a kernel larger than its padded input…).
 */
export function planModel(model: ModelConfig, path: (string | number)[] = ['model']): LayerPlan[] {
	const issues: ScenarioIssue[] = [];
	const plans: LayerPlan[] = [];
	let shape = typeof model.input === 'number' ? [model.input] : [...model.input];
	model.layers.forEach((layer, i) => {
		const at = [...path, 'layers', i];
		// a layer that cannot be planned leaves the shapes after it unknown: report it alone
		if (plans.length < i) return;
		const plan = planLayer(layer, i + 1, shape, at, issues, plans[i - 1]);
		if (!plan) return;
		plans.push(plan);
		shape = plan.outputShape;
	});
	if (issues.length > 0) throw new ScenarioError(issues);
	return plans;
}

function planLayer(
	layer: LayerConfig,
	index: number,
	inputShape: number[],
	at: (string | number)[],
	issues: ScenarioIssue[],
	previous: LayerPlan | undefined
): LayerPlan | undefined {
	// "the pool layer before it", not "layer 2": the path beside the message counts from 0, the course from 1
	const from = previous ? `the ${previous.type} layer before it` : 'the input';
	return unitOf(layer.type).plan(layer, { index, inputShape, at, issues, from });
}
