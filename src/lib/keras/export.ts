/**
 * A scenario's network as Keras or PyTorch code that computes the same numbers: float64, every
 * weight and bias set explicitly (those the scenario draws from its seed included), the same
 * data, loss, learning rate, batches and epochs. What the code cannot reproduce is refused.
 */
import type { ActivationName } from '../engine/activations';
import type { LossName } from '../engine/losses';
import { isParametric, type LayerPlan } from '../engine/plan';
import { ScenarioError, type ScenarioIssue } from '../engine/scenario/issues';
import { planOf } from '../engine/summary';
import { validateScenario, type NetworkScenario } from '../engine/scenario/validate';
import { toNested, type NestedNumbers, type Tensor } from '../engine/tensor';
import { channelsLast, convToKeras, denseToKeras, flattenOrder, imageToChannelsLast } from './layout';
import { kerasClass } from './summary';

export type ExportFormat = 'keras' | 'pytorch';

/** Python's literal of nested numbers; JavaScript's shortest round-trip form is Python's repr. */
function literal(value: NestedNumbers): string {
	if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
	return Object.is(value, -0) ? '-0.0' : String(value);
}

function tuple(values: readonly number[]): string {
	return `(${values.join(', ')}${values.length === 1 ? ',' : ''})`;
}

/** The scenario checked, with a placeholder sample when it has no data (a file holding only `model:`). */
function checked(data: unknown): { scenario: NetworkScenario; hasData: boolean } {
	const file = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
	if (file && 'perceptron' in file) {
		throw new ScenarioError([{ path: ['perceptron'], message: 'a threshold unit learns by the perceptron rule, not by gradient descent: Keras and PyTorch have no such layer to export it to' }]);
	}
	const hasData = file !== null && 'data' in file;
	if (hasData || !file) {
		const scenario = validateScenario(data);
		if (scenario.kind !== 'network') throw new ScenarioError([{ path: ['perceptron'], message: 'a threshold unit has no Keras or PyTorch equivalent' }]);
		return { scenario, hasData: true };
	}
	const plans = planOf(file.model);
	const input = plans[0].inputShape;
	const zeros = (dims: number[]): NestedNumbers => (dims.length === 0 ? 0 : Array.from({ length: dims[0] }, () => zeros(dims.slice(1))));
	const outputs = plans[plans.length - 1].outputShape.reduce((a, b) => a * b, 1);
	const scenario = validateScenario({ ...file, data: { X: [zeros(input)], ...(file.loss ? { Y: [zeros([outputs])] } : {}) } });
	return { scenario: scenario as NetworkScenario, hasData: false };
}

/** What `format` cannot reproduce of the scenario, as issues at the scenario's paths. */
function unreproducible(scenario: NetworkScenario, format: ExportFormat): ScenarioIssue[] {
	const issues: ScenarioIssue[] = [];
	const name = format === 'keras' ? 'Keras' : 'PyTorch';
	scenario.plans.forEach((plan, i) => {
		if (format === 'pytorch' && plan.type === 'pool' && plan.padding === 'same') issues.push({ path: ['model', 'layers', i, 'padding'], message: 'PyTorch pads pooling on both sides alike and counts the padding in an average' });
		if (isParametric(plan) && plan.activation === 'square') issues.push({ path: ['model', 'layers', i, 'activation'], message: `${name} has no square activation by name (course 000's x²)` });
		if (isParametric(plan) && plan.activation === 'step') issues.push({ path: ['model', 'layers', i, 'activation'], message: `${name} has no step activation (its derivative is zero wherever it exists)` });
	});
	if (scenario.conventions.reluDerivativeAtZero !== 0) issues.push({ path: ['conventions', 'relu_derivative_at_zero'], message: `${name} takes ReLU′(0) = 0` });
	if (scenario.loss && scenario.training.shuffle) issues.push({ path: ['training', 'shuffle'], message: `Stepwise shuffles with its own seeded order, which ${name} cannot reproduce; set shuffle: false` });
	if (format === 'keras' && (!scenario.update.weights || !scenario.update.biases)) issues.push({ path: ['update'], message: 'Keras trains a layer\'s kernel and bias together' });
	return issues;
}

/**
 * A parametric layer's W in the layout `format` takes; a flipped (true) convolution's kernel
 * turned 180°. `flattened`: the image a dense layer's inputs were flattened from, for Keras's order.
 */
function weights(plan: LayerPlan, W: Tensor, format: ExportFormat, flattened: number[] | null = null): NestedNumbers {
	let nested = toNested(W.shape, W.data);
	if (plan.type === 'conv2d' && plan.flip) nested = (nested as number[][][][]).map((f) => f.map((c) => c.map((row) => [...row].reverse()).reverse()));
	if (format === 'pytorch') return nested;
	if (plan.type === 'conv2d') return convToKeras(nested as number[][][][]);
	return denseToKeras(nested as number[][], flattenOrder(flattened ?? plan.inputShape));
}

const KERAS_ACTIVATION: Record<ActivationName, string> = { square: 'square', identity: 'linear', step: 'step', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', softplus: 'softplus', softmax: 'softmax' };
const KERAS_LOSS: Record<LossName, { name: string; className: string }> = {
	mse: { name: 'mse', className: 'MeanSquaredError' },
	squared_error: { name: 'mse', className: 'MeanSquaredError' },
	half_squared_error: { name: 'mse', className: 'MeanSquaredError' },
	binary_cross_entropy: { name: 'binary_crossentropy', className: 'BinaryCrossentropy' },
	categorical_cross_entropy: { name: 'categorical_crossentropy', className: 'CategoricalCrossentropy' },
	mae: { name: 'mae', className: 'MeanAbsoluteError' }
};

function kerasCode(scenario: NetworkScenario, hasData: boolean): string {
	const input = scenario.plans[0].inputShape;
	const lines = [
		'# A Stepwise scenario as Keras code: float64, every weight set explicitly.',
		...(input.length === 3 ? [`# Keras is channels-last: Stepwise's input [${input.join(', ')}] is ${tuple(channelsLast(input))} here, and so are the samples.`] : []),
		'import numpy as np',
		'import keras',
		'from keras import layers',
		'',
		"keras.backend.set_floatx('float64')",
		'',
		'model = keras.Sequential([',
		`    keras.Input(shape=${tuple(channelsLast(input))}),`
	];
	const setWeights: string[] = [];
	let flattened: number[] | null = null;
	scenario.plans.forEach((plan, i) => {
		const name = `layer_${plan.index}`;
		if (plan.type === 'dense') {
			const activation = plan.activation === 'identity' ? '' : `, activation='${KERAS_ACTIVATION[plan.activation]}'`;
			lines.push(`    layers.Dense(${plan.units}${activation}, name='${name}'),`);
		} else if (plan.type === 'conv2d') {
			const { kernel, stride, padding } = plan.geometry;
			if (padding[0] || padding[1]) lines.push(`    layers.ZeroPadding2D(padding=${tuple(padding)}, name='padding_${plan.index}'),`);
			const activation = plan.activation === 'identity' ? '' : `, activation='${KERAS_ACTIVATION[plan.activation]}'`;
			lines.push(`    layers.Conv2D(${plan.filters}, ${tuple(kernel)}, strides=${tuple(stride)}, padding='valid'${activation}, name='${name}'),`);
		} else if (plan.type === 'pool') {
			const { kernel, stride } = plan.geometry;
			lines.push(`    layers.${kerasClass('pool', plan.mode)}(pool_size=${tuple(kernel)}, strides=${tuple(stride)}${plan.padding === 'same' ? ", padding='same'" : ''}, name='${name}'),`);
		} else lines.push(`    layers.Flatten(name='${name}'),`);
		const initial = scenario.initial[i];
		if (initial?.W && initial.b) {
			const kernel = literal(weights(plan, initial.W, 'keras', flattened));
			const bias = literal(toNested(initial.b.shape, initial.b.data));
			setWeights.push(`model.get_layer('${name}').set_weights([np.array(${kernel}, dtype='float64'), np.array(${bias}, dtype='float64')])`);
		}
		flattened = plan.type === 'flatten' && plan.inputShape.length === 3 ? plan.inputShape : null;
	});
	lines.push('])', ...setWeights);
	if (scenario.plans.some((plan) => plan.type === 'conv2d' && plan.flip)) lines.push('# The scenario convolves (kernel flipped): the kernels above are turned 180° for Keras\'s cross-correlation.');
	if (hasData) {
		const samples = toNested(scenario.X.shape, scenario.X.data) as NestedNumbers[];
		const X = input.length === 3 ? samples.map((s) => imageToChannelsLast(s as number[][][])) : samples;
		lines.push(`X = np.array(${literal(X)}, dtype='float64')`);
	}
	if (scenario.loss) {
		const outputs = scenario.plans[scenario.plans.length - 1].outputShape[0];
		const { name, className } = KERAS_LOSS[scenario.loss];
		const loss = scenario.reduction === 'sum' ? `keras.losses.${className}(reduction='sum')` : `'${name}'`;
		const factor = scenario.loss === 'squared_error' ? outputs : scenario.loss === 'half_squared_error' ? outputs / 2 : null;
		const weighted = factor === null ? '' : `, loss_weights=[${factor}]`;
		const note = factor === null ? '' : `  # ${scenario.loss}: ${factor} × mse (the mean over the ${outputs} output${outputs === 1 ? '' : 's'})`;
		lines.push(`model.compile(optimizer=keras.optimizers.SGD(learning_rate=${scenario.lr}), loss=${loss}${weighted})${note}`);
		if (hasData && scenario.Y) {
			lines.push(`Y = np.array(${literal(toNested(scenario.Y.shape, scenario.Y.data))}, dtype='float64')`);
			lines.push(`model.fit(X, Y, batch_size=${scenario.training.batchSize}, epochs=${scenario.training.epochs}, shuffle=False)`);
		}
	} else if (hasData) lines.push('print(model.predict(X))');
	return `${lines.join('\n')}\n`;
}

const TORCH_ACTIVATION: Record<ActivationName, string | null> = { square: null, identity: null, step: null, sigmoid: 'nn.Sigmoid()', tanh: 'nn.Tanh()', relu: 'nn.ReLU()', softplus: 'nn.Softplus()', softmax: 'nn.Softmax(dim=1)' };
const TORCH_LOSS: Record<LossName, string> = {
	squared_error: '((y_hat - y) ** 2).sum(dim=1)',
	half_squared_error: '0.5 * ((y_hat - y) ** 2).sum(dim=1)',
	mse: '((y_hat - y) ** 2).mean(dim=1)',
	binary_cross_entropy: '-(y * torch.log(y_hat) + (1 - y) * torch.log(1 - y_hat)).mean(dim=1)',
	categorical_cross_entropy: '-(y * torch.log(y_hat)).sum(dim=1)',
	mae: '(y_hat - y).abs().mean(dim=1)'
};

function pytorchCode(scenario: NetworkScenario, hasData: boolean): string {
	const lines = ['# A Stepwise scenario as PyTorch code: float64, every weight set explicitly.', 'import torch', 'from torch import nn', '', 'torch.set_default_dtype(torch.float64)', '', 'model = nn.Sequential('];
	const assignments: string[] = [];
	let module = 0;
	scenario.plans.forEach((plan, i) => {
		const at = module;
		if (plan.type === 'dense') lines.push(`    nn.Linear(${plan.inputShape[0]}, ${plan.units}),  # layer ${plan.index}`);
		else if (plan.type === 'conv2d') {
			const { kernel, stride, padding } = plan.geometry;
			lines.push(`    nn.Conv2d(${plan.inputShape[0]}, ${plan.filters}, kernel_size=${tuple(kernel)}, stride=${tuple(stride)}, padding=${tuple(padding)}),  # layer ${plan.index}`);
		} else if (plan.type === 'pool') {
			const { kernel, stride } = plan.geometry;
			lines.push(`    nn.${plan.mode === 'max' ? 'MaxPool2d' : 'AvgPool2d'}(kernel_size=${tuple(kernel)}, stride=${tuple(stride)}),  # layer ${plan.index}`);
		} else lines.push(`    nn.Flatten(),  # layer ${plan.index}`);
		module++;
		if (isParametric(plan)) {
			const activation = TORCH_ACTIVATION[plan.activation];
			if (activation) {
				lines.push(`    ${activation},`);
				module++;
			}
		}
		const initial = scenario.initial[i];
		if (initial?.W && initial.b) {
			assignments.push(`    model[${at}].weight.copy_(torch.tensor(${literal(weights(plan, initial.W, 'pytorch'))}, dtype=torch.float64))`);
			assignments.push(`    model[${at}].bias.copy_(torch.tensor(${literal(toNested(initial.b.shape, initial.b.data))}, dtype=torch.float64))`);
			if (!scenario.update.weights) assignments.push(`    model[${at}].weight.requires_grad_(False)`);
			if (!scenario.update.biases) assignments.push(`    model[${at}].bias.requires_grad_(False)`);
		}
	});
	lines.push(')', 'with torch.no_grad():', ...assignments);
	if (scenario.plans.some((plan) => plan.type === 'conv2d' && plan.flip)) lines.push('# The scenario convolves (kernel flipped): the kernels above are turned 180° for PyTorch\'s cross-correlation.');
	if (!hasData) return `${lines.join('\n')}\n`;
	lines.push(`X = torch.tensor(${literal(toNested(scenario.X.shape, scenario.X.data))}, dtype=torch.float64)  # samples × ${scenario.plans[0].inputShape.length === 3 ? 'channels × height × width' : 'features'}`);
	if (scenario.loss && scenario.Y) {
		const reduce = scenario.reduction === 'sum' ? 'sum' : 'mean';
		lines.push(
			`Y = torch.tensor(${literal(toNested(scenario.Y.shape, scenario.Y.data))}, dtype=torch.float64)`,
			'',
			'',
			`def loss_fn(y_hat, y):  # ${scenario.loss}, the ${reduce} over the batch`,
			`    return (${TORCH_LOSS[scenario.loss]}).${reduce}()`,
			'',
			'',
			`optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=${scenario.lr})`,
			'step = 0',
			`for epoch in range(${scenario.training.epochs}):`,
			`    for start in range(0, len(X), ${scenario.training.batchSize}):`,
			`        x, y = X[start:start + ${scenario.training.batchSize}], Y[start:start + ${scenario.training.batchSize}]`,
			'        optimizer.zero_grad()',
			'        loss = loss_fn(model(x), y)',
			'        loss.backward()',
			'        optimizer.step()',
			'        step += 1',
			"        print('step', step, 'loss', loss.item())"
		);
	} else lines.push('print(model(X))');
	return `${lines.join('\n')}\n`;
}

/** The scenario file's network as Keras or PyTorch code; ScenarioError for what the code could not reproduce. */
export function exportModel(data: unknown, format: ExportFormat): string {
	const { scenario, hasData } = checked(data);
	const issues = unreproducible(scenario, format);
	if (issues.length > 0) throw new ScenarioError(issues);
	return format === 'keras' ? kerasCode(scenario, hasData) : pytorchCode(scenario, hasData);
}
