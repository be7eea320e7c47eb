/**
 * What an exercise question asks for, resolved to its expected value from a recorded run.
 * Tensor questions read an event of the trace (DESIGN.md's canonical names); facts (output size,
 * parameter count, shapes) are read from the model's plan, so they need no particular step.
 */
import { isParametric, layerParamCount, parameterShapes, parametersOf, type LayerPlan } from '../engine/plan';
import { baseOf, layerOf, nameOf, parseAddress, type Quantity } from '../engine/quantity';
import { at, offsetOf, shapeLabel, sizeOf, toNested, type NestedNumbers } from '../engine/tensor';
import { batchRowsOf, findEvent, scanEvents, type Trace } from '../engine/trace';

/** A quantity of the trace at one step: `{ ask: "Z[1]", step: 1 }`, `{ ask: "dW[1][0][1]", step: 1 }`. */
export interface TensorQuestion {
	ask: string;
	step: number;
}

/** Facts of the model, the same at every step. `layer` is 1-based (0: the input, for output_size). */
export type FactQuestion =
	| { ask: 'output_size'; layer: number }
	| { ask: 'param_count'; layer?: number }
	/** shape of a named tensor for `samples` instances, batch-first; default: the batch of step 1 */
	| { ask: 'shape'; of: string; samples?: number };

export type Question = TensorQuestion | FactQuestion;

/**
 * The expected answer. `value` is a number for a scalar, a list for a vector, rows for a matrix,
 * and nested lists for higher ranks (conv tensors); `shape` is its shape ([] for a number).
 */
export type Expected = { ok: true; value: NestedNumbers; shape: number[] } | { ok: false; message: string };

/** The facts an exercise may ask (`ask: output_size`); every other ask names a quantity of the run. */
export const FACTS = ['output_size', 'param_count', 'shape'] as const;
export type Fact = (typeof FACTS)[number];

export const isFactAsk = (ask: string): ask is Fact => (FACTS as readonly string[]).includes(ask);

/**
 * Splits an ask into the event name and the element indices (0-based, as in files):
 * `"dW[1][0][1]"` → `{ name: "dW[1]", index: [0, 1] }`. Null for anything else, so a typo
 * (`"W[1"`, `"W[x]"`, `"W[1][-1]"`) is reported rather than silently read as something else;
 * a divergence is no quantity a question may ask for.
 */
export function parseAsk(ask: string): { name: string; quantity: Quantity; index: number[] } | null {
	const address = parseAddress(ask.trim());
	if (!address || address.quantity.symbol === 'diverged') return null;
	return { name: nameOf(address.quantity), quantity: address.quantity, index: address.index };
}

function isFact(question: Question): question is FactQuestion {
	return isFactAsk(question.ask);
}

/** Resolves a question to its expected value, or says in words why it has none. */
export function expectedValue(trace: Trace, question: Question): Expected {
	if (isFact(question)) return expectedFact(trace, question);
	return expectedTensor(trace, question);
}

function fail(message: string): Expected {
	return { ok: false, message };
}

function layersPhrase(trace: Trace): string {
	const n = trace.setup.layers.length;
	return `the model has ${n} layer${n === 1 ? '' : 's'}`;
}

function expectedTensor(trace: Trace, question: TensorQuestion): Expected {
	const parsed = parseAsk(question.ask);
	if (!parsed) return fail(`cannot read "${question.ask}": expected a name such as Z[1], dW[1][0][1] or loss`);
	const { name, index } = parsed;
	const { step } = question;
	const event = findEvent(trace, step, name);
	if (!event) return fail(missingEvent(trace, name, step));
	const shape = event.value.shape;
	if (index.length === 0) return { ok: true, value: toNested(shape, event.value.data), shape: [...shape] };
	if (index.length > shape.length) {
		return fail(`${question.ask}: ${name} has shape ${shapeLabel(shape)}, so an element needs ${shape.length} indices, not ${index.length}`);
	}
	// each index is checked against its dimension so the message can name it
	const outside = index.findIndex((i, k) => i >= shape[k]);
	if (outside >= 0) {
		return fail(`${question.ask}: index ${index[outside]} is out of range for ${name} of shape ${shapeLabel(shape)} (indices 0 to ${shape[outside] - 1})`);
	}
	if (index.length === shape.length) return { ok: true, value: at(event.value, index), shape: [] };
	// Fewer indices than axes: the slice they select, such as one sample's feature map Z[1][0][0].
	const rest = shape.slice(index.length);
	return { ok: true, value: toNested(rest, event.value.data, offsetOf(shape.slice(0, index.length), index) * sizeOf(rest)), shape: rest };
}

/**
 * Where a question's value sits in its event: the event's shape and the row-major offset of the
 * first entry asked (the element, or the slice selected by leading indices).
 */
export function locateAsk(trace: Trace, question: TensorQuestion): { shape: number[]; offset: number; size: number } | null {
	const parsed = parseAsk(question.ask);
	const event = parsed && findEvent(trace, question.step, parsed.name);
	if (!parsed || !event || parsed.index.length > event.value.shape.length) return null;
	const shape = event.value.shape;
	const size = sizeOf(shape.slice(parsed.index.length));
	return { shape: [...shape], offset: offsetOf(shape.slice(0, parsed.index.length), parsed.index) * size, size };
}

/** Why an event is missing: a layer the model lacks, a step the run lacks, or a step that does not record it. */
function missingEvent(trace: Trace, name: string, step: number): string {
	const start = `no event ${name} at step ${step}`;
	const layer = layerOf(name);
	if (layer !== null && layer > trace.setup.layers.length) return `${start}; ${layersPhrase(trace)}`;
	if (!Number.isInteger(step) || step < 0 || step > trace.steps) return `${start}; the run has steps 0 to ${trace.steps}`;
	const id = trace.names.indexOf(name);
	if (id < 0) return `${start}; the run never records ${name}`;
	// A single scan, only to word the message: where the name does appear.
	let first: number | null = null;
	scanEvents(trace, (_seq, kind, step) => {
		if (kind.name !== id) return false;
		first = step;
		return true;
	});
	return first === null ? start : `${start}; ${name} is first recorded at step ${first}`;
}

function planAt(trace: Trace, layer: number): LayerPlan | string {
	const layers = trace.setup.layers;
	if (!Number.isInteger(layer) || layer < 1 || layer > layers.length) return `layer ${layer} does not exist; ${layersPhrase(trace)}`;
	return layers[layer - 1];
}

/** A per-sample shape as an answer: a number for a vector's size (dense: units), the list otherwise (conv: [8, 7, 7]). */
function sizeValue(shape: readonly number[]): Expected {
	return shape.length === 1 ? { ok: true, value: shape[0], shape: [] } : { ok: true, value: [...shape], shape: [shape.length] };
}

function expectedFact(trace: Trace, question: FactQuestion): Expected {
	switch (question.ask) {
		case 'output_size': {
			const layers = trace.setup.layers;
			if (question.layer === 0 && layers.length > 0) return sizeValue(layers[0].inputShape);
			const plan = planAt(trace, question.layer);
			return typeof plan === 'string' ? fail(`output_size: ${plan}`) : sizeValue(plan.outputShape);
		}
		case 'param_count': {
			if (question.layer === undefined) {
				const total = trace.setup.layers.reduce((sum, _, i) => sum + paramsOf(trace, i + 1), 0);
				return { ok: true, value: total, shape: [] };
			}
			const plan = planAt(trace, question.layer);
			return typeof plan === 'string' ? fail(`param_count: ${plan}`) : { ok: true, value: paramsOf(trace, question.layer), shape: [] };
		}
		case 'shape':
			return shapeFact(trace, question.of, question.samples);
	}
}

/** Parameters of layer `layer`; a perceptron without bias has only its weights. */
function paramsOf(trace: Trace, layer: number): number {
	const count = layerParamCount(trace.setup.layers[layer - 1]);
	const perceptron = trace.setup.perceptron;
	return perceptron && !perceptron.bias ? count - 1 : count;
}

function shapeFact(trace: Trace, of: string, samples: number | undefined): Expected {
	const parsed = parseAsk(of);
	if (!parsed || parsed.index.length > 0) return fail(`shape: cannot read "${of}": expected a tensor name such as W[1], Z[1] or A[0]`);
	const m = samples ?? batchRowsOf(trace, 1).length;
	if (!Number.isInteger(m) || m < 1) return fail(`shape: samples must be a whole number of at least 1, not ${m}`);
	const shape = shapeOf(trace, parsed.quantity, m);
	return typeof shape === 'string' ? fail(`shape of ${parsed.name}: ${shape}`) : { ok: true, value: shape, shape: [shape.length] };
}

/** The shape the engine gives a quantity for a batch of m: parameters as planned, activations batch-first. */
function shapeOf(trace: Trace, q: Quantity, m: number): number[] | string {
	if (q.layer === null) {
		switch (q.symbol) {
			case 'loss':
				return [];
			case 'error':
				return trace.setup.kind === 'perceptron' ? [m, 1] : 'error is a perceptron quantity; this model has a loss';
			case 'diverged':
				return 'a divergence is an event of the run, not a tensor';
			case 'early_stopping':
				return [4];
			default:
				// a loss or a metric evaluated at the end of an epoch: one number
				return [];
		}
	}
	const layer = q.layer;
	if (q.symbol === 'A' && layer === 0) {
		const first = trace.setup.layers[0];
		return first ? [m, ...first.inputShape] : 'the model has no layers';
	}
	const plan = planAt(trace, layer);
	if (typeof plan === 'string') return plan;
	const base = baseOf(q.symbol);
	if (base === 'A') return [m, ...plan.outputShape];
	if (base === 'M') return plan.type === 'dropout' ? [m, ...plan.inputShape] : `layer ${layer} (${plan.type}) draws no dropout mask`;
	if (plan.type === 'batchnorm') {
		if (base === 'xhat') return [m, ...plan.inputShape];
		const spec = parametersOf(plan).find((s) => s.name === base);
		// μ and σ² have one value per feature, as γ, β and the moving statistics
		if (spec || base === 'mu' || base === 'sigma2') return [plan.inputShape[0]];
		return `layer ${layer} (batchnorm) has no ${base}; it records gamma, beta, moving_mean, moving_variance, mu, sigma2 and xhat`;
	}
	if (base === 'xhat' || base === 'mu' || base === 'sigma2' || base === 'gamma' || base === 'beta' || base === 'moving_mean' || base === 'moving_variance') {
		return `layer ${layer} (${plan.type}) is not a batch normalisation; only a batchnorm layer has ${base}`;
	}
	if (!isParametric(plan)) return `layer ${layer} (${plan.type}) has no weights and no pre-activation; its output is A[${layer}]`;
	switch (base) {
		case 'Z':
			return [m, ...plan.outputShape];
		case 'W':
			return parameterShapes(plan).W;
		case 'b':
			return trace.setup.perceptron && !trace.setup.perceptron.bias ? 'this perceptron has no bias' : parameterShapes(plan).b;
	}
}
