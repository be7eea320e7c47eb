import { layerParamCount, planModel, type LayerPlan } from './plan';
import { ScenarioError } from './scenario/issues';
import { modelSchema } from './scenario/schema';
import { describeModel } from './scenario/validate';
import { translateZodIssues } from './scenario/zod-issues';

/** The model summary of `stepwise info --json` (DESIGN.md): output shapes per sample, parameter counts. */
export interface ModelSummary {
	layers: { index: number; type: string; output_shape: number[]; params: number }[];
	params: number;
}

/** Plans a `model:` mapping ({ input, layers }), with errors located under `model`. */
export function planOf(model: unknown): LayerPlan[] {
	const parsed = modelSchema.safeParse(model, { reportInput: true });
	if (!parsed.success) {
		const issues = translateZodIssues(parsed.error.issues, modelSchema, model);
		throw new ScenarioError(issues.map((issue) => ({ ...issue, path: ['model', ...issue.path] })));
	}
	return planModel(parsed.data);
}

/** Number of weights and biases: Σ units·(inputs + 1) for dense layers, (kh·kw·C + 1)·F for conv layers. */
export function paramCount(model: unknown): number {
	return planOf(model).reduce((sum, plan) => sum + layerParamCount(plan), 0);
}

/** Output shape of layer `layer` (1-based; 0 is the input), per sample. */
export function outputShape(model: unknown, layer: number): number[] {
	const plans = planOf(model);
	if (!Number.isInteger(layer) || layer < 0 || layer > plans.length) {
		throw new RangeError(`layer ${layer} does not exist; the model has layers 1 to ${plans.length}`);
	}
	return layer === 0 ? [...plans[0].inputShape] : [...plans[layer - 1].outputShape];
}

export function summarizePlans(plans: LayerPlan[]): ModelSummary {
	const layers = plans.map((plan) => ({
		index: plan.index,
		type: plan.type,
		output_shape: [...plan.outputShape],
		params: layerParamCount(plan)
	}));
	return { layers, params: layers.reduce((sum, layer) => sum + layer.params, 0) };
}

/** Summary of a scenario file's model (or perceptron), without running or allocating anything. */
export function summarize(data: unknown): ModelSummary {
	const model = describeModel(data);
	if (model.kind === 'network') return summarizePlans(model.plans);
	const params = model.inputs + (model.bias ? 1 : 0);
	return { layers: [{ index: 1, type: 'perceptron', output_shape: [1], params }], params };
}
