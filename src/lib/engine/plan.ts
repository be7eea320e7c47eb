import type { ActivationName } from './activations';
import { outputSize2d, type WindowGeometry } from './layers/window';
import type { PoolMode } from './layers/pool';
import type { LayerConfig, ModelConfig } from './scenario/schema';
import { ScenarioError, type ScenarioIssue } from './scenario/issues';
import { shapeLabel, sizeOf } from './tensor';

/** A layer with its sizes resolved: what the engine runs and what `info` reports. Numbered 1..L. */
export type LayerPlan = DensePlan | ConvPlan | PoolPlan | FlattenPlan;

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
	geometry: WindowGeometry;
}

export interface FlattenPlan extends PlanBase {
	type: 'flatten';
}

/** Layers with weights and biases. */
export type ParametricPlan = DensePlan | ConvPlan;

export function isParametric(plan: LayerPlan): plan is ParametricPlan {
	return plan.type === 'dense' || plan.type === 'conv2d';
}

/** Shapes of W and b: units × inputs and units for dense, filters × channels × kh × kw and filters for conv. */
export function parameterShapes(plan: ParametricPlan): { W: number[]; b: number[] } {
	if (plan.type === 'dense') return { W: [plan.units, plan.inputShape[0]], b: [plan.units] };
	return { W: [plan.filters, plan.inputShape[0], ...plan.geometry.kernel], b: [plan.filters] };
}

export function layerParamCount(plan: LayerPlan): number {
	if (!isParametric(plan)) return 0;
	const { W, b } = parameterShapes(plan);
	return sizeOf(W) + sizeOf(b);
}

function pair(value: number | [number, number] | undefined, fallback: [number, number]): [number, number] {
	if (value === undefined) return fallback;
	return typeof value === 'number' ? [value, value] : value;
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
	if (layer.type === 'flatten') return { type: 'flatten', index, inputShape, outputShape: [sizeOf(inputShape)] };
	if (layer.type === 'dense') {
		if (inputShape.length !== 1) {
			issues.push({
				path: at,
				message: `dense needs a flat input, but ${from} gives ${shapeLabel(inputShape)}; add { type: flatten } before it`
			});
			return undefined;
		}
		return { type: 'dense', index, inputShape, outputShape: [layer.units], units: layer.units, activation: layer.activation ?? 'identity' };
	}
	if (inputShape.length !== 3) {
		issues.push({
			path: at,
			message: `${layer.type} needs an image input [channels, height, width], but ${from} gives ${inputShape[0]} features`
		});
		return undefined;
	}
	const [channels, height, width] = inputShape;
	const kernel = pair(layer.type === 'conv2d' ? layer.kernel : layer.size, [1, 1]);
	const geometry: WindowGeometry = {
		kernel,
		stride: pair(layer.stride, layer.type === 'pool' ? kernel : [1, 1]),
		padding: pair(layer.type === 'conv2d' ? layer.padding : 0, [0, 0])
	};
	const paddedH = height + 2 * geometry.padding[0];
	const paddedW = width + 2 * geometry.padding[1];
	if (kernel[0] > paddedH || kernel[1] > paddedW) {
		const key = layer.type === 'conv2d' ? 'kernel' : 'size';
		const input = geometry.padding[0] || geometry.padding[1] ? 'the padded input' : 'its input';
		issues.push({
			path: [...at, key],
			message: `${shapeLabel(kernel)} is larger than ${input} ${paddedH}×${paddedW}`.replace(/^(\d+)×\1 /, '$1 ')
		});
		return undefined;
	}
	const [outH, outW] = outputSize2d(height, width, geometry);
	if (layer.type === 'pool') {
		return { type: 'pool', index, inputShape, outputShape: [channels, outH, outW], mode: layer.mode, geometry };
	}
	return {
		type: 'conv2d',
		index,
		inputShape,
		outputShape: [layer.filters, outH, outW],
		filters: layer.filters,
		geometry,
		flip: layer.flip ?? false,
		activation: layer.activation ?? 'identity'
	};
}
