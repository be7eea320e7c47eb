/**
 * A scenario's network as Keras or PyTorch code that computes the same numbers: float64, every
 * weight and bias set explicitly (those the scenario draws from its seed included), the same
 * data, loss, learning rate, batches and epochs. What the code cannot reproduce is refused.
 */
import type { ActivationName } from '../engine/activations';
import type { LossName } from '../engine/losses';
import { isParametric, type LayerPlan } from '../engine/plan';
import { KERAS_SCHEDULES, type LearningRateSchedule } from '../engine/schedules';
import { ScenarioError, type ScenarioIssue } from '../engine/scenario/issues';
import { planOf } from '../engine/summary';
import { accuracyKind, type DataSet, type MetricName } from '../engine/evaluate';
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
		if (plan.type === 'pool' && plan.mode === 'min') issues.push({ path: ['model', 'layers', i, 'mode'], message: `${name} has no min pooling layer` });
		if (format === 'pytorch' && plan.type === 'pool' && plan.padding === 'same') issues.push({ path: ['model', 'layers', i, 'padding'], message: 'PyTorch pads pooling on both sides alike and counts the padding in an average' });
		if (isParametric(plan) && plan.activation === 'square') issues.push({ path: ['model', 'layers', i, 'activation'], message: `${name} has no square activation by name (course 000's x²)` });
		if (isParametric(plan) && plan.activation === 'step') issues.push({ path: ['model', 'layers', i, 'activation'], message: `${name} has no step activation (its derivative is zero wherever it exists)` });
	});
	if (scenario.conventions.reluDerivativeAtZero !== 0) issues.push({ path: ['conventions', 'relu_derivative_at_zero'], message: `${name} takes ReLU′(0) = 0` });
	if (scenario.loss && scenario.training.shuffle) issues.push({ path: ['training', 'shuffle'], message: `Stepwise shuffles with its own seeded order, which ${name} cannot reproduce; set shuffle: false` });
	if (format === 'keras' && (!scenario.update.weights || !scenario.update.biases)) issues.push({ path: ['update'], message: 'Keras trains a layer\'s kernel and bias together' });
	if (scenario.loss) {
		scenario.plans.forEach((plan, i) => {
			if (plan.type === 'dropout' && plan.rate > 0) issues.push({ path: ['model', 'layers', i, 'rate'], message: `${name} draws its own dropout masks, and Stepwise draws them from the scenario's seed: the training would not give the same numbers (a forward-only scenario exports, as dropout is off outside training)` });
		});
	}
	// PyTorch's running variance is the unbiased one (÷ m − 1), Keras's and Stepwise's the batch's (÷ m): evaluations after training would differ
	const evaluates = scenario.validation !== null || scenario.test !== null || scenario.metrics.length > 0 || scenario.earlyStopping !== null;
	if (format === 'pytorch' && scenario.loss && evaluates) {
		scenario.plans.forEach((plan, i) => {
			if (plan.type === 'batchnorm') issues.push({ path: ['model', 'layers', i], message: 'PyTorch moves its running variance by the unbiased batch variance (÷ m − 1), Keras and Stepwise by the batch\'s (÷ m): the evaluations after training would differ (a scenario that only trains, or only predicts, exports)' });
		});
	}
	const monitor = scenario.earlyStopping?.monitor;
	if (format === 'keras' && monitor && !monitor.startsWith('val_')) issues.push({ path: ['early_stopping', 'monitor'], message: `Keras logs ${monitor} as the running mean over the epoch's batches, while they train; Stepwise computes it on the training set at the end of the epoch, so the two could stop at different epochs: monitor val_${monitor} instead` });
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

/** The optimizer as Keras writes it, every setting given. */
function kerasOptimizer(scenario: NetworkScenario): string {
	const optimizer = scenario.optimizer;
	const lr = scenario.schedule ? kerasSchedule(scenario.schedule) : String(scenario.lr);
	switch (optimizer.type) {
		case 'sgd':
			return `keras.optimizers.SGD(learning_rate=${lr})`;
		case 'momentum':
			return `keras.optimizers.SGD(learning_rate=${lr}, momentum=${optimizer.momentum})`;
		case 'rmsprop':
			return `keras.optimizers.RMSprop(learning_rate=${lr}, rho=${optimizer.rho}, epsilon=${optimizer.epsilon})`;
		case 'adam':
			return `keras.optimizers.Adam(learning_rate=${lr}, beta_1=${optimizer.beta1}, beta_2=${optimizer.beta2}, epsilon=${optimizer.epsilon})`;
	}
}

/** A learning-rate schedule as Keras builds it, read at optimizer.iterations (the k of Stepwise's lr event). */
function kerasSchedule(schedule: LearningRateSchedule): string {
	return `keras.optimizers.schedules.${KERAS_SCHEDULES[schedule.schedule]}(initial_learning_rate=${schedule.initial}, decay_steps=${schedule.decaySteps}, decay_rate=${schedule.decayRate}, staircase=${schedule.staircase ? 'True' : 'False'})`;
}

/** Batch normalisation's four vectors in Keras's order, each in the flattened order Keras reads after `Flatten` of an image. */
function batchNormWeights(initial: NonNullable<NetworkScenario['initial'][number]>, flattened: number[] | null): NestedNumbers[] | null {
	const vectors = [initial.gamma, initial.beta, initial.moving_mean, initial.moving_variance];
	if (vectors.some((v) => !v)) return null;
	const order = flattened ? flattenOrder(flattened) : null;
	return vectors.map((v) => {
		const values = Array.from((v as Tensor).data);
		if (!order) return values;
		const keras = new Array<number>(values.length);
		order.forEach((kerasIndex, i) => (keras[kerasIndex] = values[i]));
		return keras;
	});
}

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
		const regularizer = scenario.loss && scenario.l2 > 0 ? `, kernel_regularizer=keras.regularizers.l2(${scenario.l2})` : '';
		const frozen = scenario.frozen.includes(plan.index) ? ', trainable=False' : '';
		if (plan.type === 'dense') {
			const activation = plan.activation === 'identity' ? '' : `, activation='${KERAS_ACTIVATION[plan.activation]}'`;
			lines.push(`    layers.Dense(${plan.units}${activation}${regularizer}${frozen}, name='${name}'),`);
		} else if (plan.type === 'conv2d') {
			const { kernel, stride, padding } = plan.geometry;
			if (padding[0] || padding[1]) lines.push(`    layers.ZeroPadding2D(padding=${tuple(padding)}, name='padding_${plan.index}'),`);
			const activation = plan.activation === 'identity' ? '' : `, activation='${KERAS_ACTIVATION[plan.activation]}'`;
			lines.push(`    layers.Conv2D(${plan.filters}, ${tuple(kernel)}, strides=${tuple(stride)}, padding='valid'${activation}${regularizer}${frozen}, name='${name}'),`);
		} else if (plan.type === 'pool') {
			const { kernel, stride } = plan.geometry;
			lines.push(`    layers.${kerasClass('pool', plan.mode)}(pool_size=${tuple(kernel)}, strides=${tuple(stride)}${plan.padding === 'same' ? ", padding='same'" : ''}, name='${name}'),`);
		} else if (plan.type === 'dropout') lines.push(`    layers.Dropout(${plan.rate}, name='${name}'),`);
		else if (plan.type === 'batchnorm') lines.push(`    layers.BatchNormalization(momentum=${plan.momentum}, epsilon=${plan.epsilon}, name='${name}'),`);
		else lines.push(`    layers.Flatten(name='${name}'),`);
		const initial = scenario.initial[i];
		const normalisation = plan.type === 'batchnorm' && initial ? batchNormWeights(initial, flattened) : null;
		if (normalisation) setWeights.push(`model.get_layer('${name}').set_weights([${normalisation.map((v) => `np.array(${literal(v)}, dtype='float64')`).join(', ')}])`);
		if (initial?.W && initial.b) {
			const kernel = literal(weights(plan, initial.W, 'keras', flattened));
			const bias = literal(toNested(initial.b.shape, initial.b.data));
			setWeights.push(`model.get_layer('${name}').set_weights([np.array(${kernel}, dtype='float64'), np.array(${bias}, dtype='float64')])`);
		}
		// Dropout or batch normalisation between Flatten and Dense keeps the flattened order
		if (plan.type !== 'dropout' && plan.type !== 'batchnorm') flattened = plan.type === 'flatten' && plan.inputShape.length === 3 ? plan.inputShape : null;
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
		const metrics = scenario.metrics.length > 0 ? `, metrics=[${scenario.metrics.map((m) => `'${m}'`).join(', ')}]` : '';
		lines.push(`model.compile(optimizer=${kerasOptimizer(scenario)}, loss=${loss}${weighted}${metrics})${note}`);
		if (hasData && scenario.Y) {
			lines.push(`Y = np.array(${literal(toNested(scenario.Y.shape, scenario.Y.data))}, dtype='float64')`);
			const samples = (set: DataSet): string => literal(input.length === 3 ? (toNested(set.X.shape, set.X.data) as NestedNumbers[]).map((s) => imageToChannelsLast(s as number[][][])) : toNested(set.X.shape, set.X.data));
			const targets = (set: DataSet): string => literal(toNested(set.Y.shape, set.Y.data));
			let fitExtra = '';
			if (scenario.validation) {
				lines.push(`X_val = np.array(${samples(scenario.validation)}, dtype='float64')`, `Y_val = np.array(${targets(scenario.validation)}, dtype='float64')`);
				fitExtra += ', validation_data=(X_val, Y_val)';
			}
			const stopping = scenario.earlyStopping;
			if (stopping) {
				lines.push(`stop = keras.callbacks.EarlyStopping(monitor='${stopping.monitor}', patience=${stopping.patience}, min_delta=${stopping.minDelta}, restore_best_weights=${stopping.restoreBestWeights ? 'True' : 'False'})`);
				fitExtra += ', callbacks=[stop]';
			}
			lines.push(`model.fit(X, Y, batch_size=${scenario.training.batchSize}, epochs=${scenario.training.epochs}, shuffle=False${fitExtra})`);
			if (scenario.test) {
				lines.push(`X_test = np.array(${samples(scenario.test)}, dtype='float64')`, `Y_test = np.array(${targets(scenario.test)}, dtype='float64')`, 'model.evaluate(X_test, Y_test)');
			}
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

/** Keras's metrics on a batch: y_hat and y are replaced by the data set's. */
const TORCH_METRIC: Record<'binary_accuracy' | 'categorical_accuracy' | Exclude<MetricName, 'accuracy'>, (yHat: string, y: string) => string> = {
	binary_accuracy: (yHat, y) => `((${yHat} > 0.5).double() == ${y}).double().mean()`,
	categorical_accuracy: (yHat, y) => `(${yHat}.argmax(dim=1) == ${y}.argmax(dim=1)).double().mean()`,
	mae: (yHat, y) => `(${yHat} - ${y}).abs().mean()`,
	mse: (yHat, y) => `((${yHat} - ${y}) ** 2).mean()`
};

/**
 * `update(t)`: the scenario's optimizer written out with Keras's rules (PyTorch's RMSprop and
 * Adam place ε elsewhere, and its momentum keeps the velocity of the other sign).
 */
function torchOptimizer(scenario: NetworkScenario): string[] {
	const optimizer = scenario.optimizer;
	// under a schedule, the rate of update t (from 1) is the schedule's after k = t − 1 updates, as Keras reads it
	const lr = scenario.schedule ? 'rate(t - 1)' : String(scenario.lr);
	const zeros = (name: string): string => `${name} = [torch.zeros_like(p) for p in params]`;
	switch (optimizer.type) {
		case 'sgd':
			return ['', '', `def update(t):  # w ← w − η g`, '    with torch.no_grad():', '        for p in params:', `            p.sub_(${lr} * p.grad)`, '', ''];
		case 'momentum':
			return [zeros('velocity'), '', '', `def update(t):  # Keras's SGD(momentum=${optimizer.momentum}): v ← μ v − η g, then w ← w + v`, '    with torch.no_grad():', '        for p, v in zip(params, velocity):', `            v.mul_(${optimizer.momentum}).sub_(${lr} * p.grad)`, '            p.add_(v)', '', ''];
		case 'rmsprop':
			return [
				zeros('s'),
				'',
				'',
				`def update(t):  # Keras's RMSprop: s ← ρ s + (1 − ρ) g², w ← w − η g / √(s + ε)`,
				'    with torch.no_grad():',
				'        for p, s_p in zip(params, s):',
				`            s_p.mul_(${optimizer.rho}).add_((1 - ${optimizer.rho}) * p.grad ** 2)`,
				`            p.sub_(${lr} * p.grad / torch.sqrt(s_p + ${optimizer.epsilon}))`,
				'',
				''
			];
		case 'adam':
			return [
				zeros('m'),
				zeros('s'),
				'',
				'',
				`def update(t):  # Keras's Adam: w ← w − α_t m / (√s + ε), α_t = η √(1 − β₂ᵗ) / (1 − β₁ᵗ)`,
				`    alpha = ${lr} * (1 - ${optimizer.beta2} ** t) ** 0.5 / (1 - ${optimizer.beta1} ** t)`,
				'    with torch.no_grad():',
				'        for p, m_p, s_p in zip(params, m, s):',
				`            m_p.mul_(${optimizer.beta1}).add_((1 - ${optimizer.beta1}) * p.grad)`,
				`            s_p.mul_(${optimizer.beta2}).add_((1 - ${optimizer.beta2}) * p.grad ** 2)`,
				`            p.sub_(alpha * m_p / (torch.sqrt(s_p) + ${optimizer.epsilon}))`,
				'',
				''
			];
	}
}

/** `rate(k)`: Keras's schedule written out, the rate after k updates. */
function torchSchedule(schedule: LearningRateSchedule): string[] {
	const progress = schedule.staircase ? `(k // ${schedule.decaySteps})` : `(k / ${schedule.decaySteps})`;
	const formula = schedule.schedule === 'inverse_time' ? `${schedule.initial} / (1 + ${schedule.decayRate} * ${progress})` : `${schedule.initial} * ${schedule.decayRate} ** ${progress}`;
	return ['', '', `def rate(k):  # Keras's ${KERAS_SCHEDULES[schedule.schedule]}${schedule.staircase ? ' (staircase)' : ''}`, `    return ${formula}`];
}

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
		} else if (plan.type === 'dropout') lines.push(`    nn.Dropout(p=${plan.rate}),  # layer ${plan.index}`);
		else if (plan.type === 'batchnorm') {
			// PyTorch's momentum is the weight of the new batch: Keras's 1 − momentum
			const features = plan.inputShape[0];
			lines.push(`    nn.BatchNorm${plan.inputShape.length === 3 ? '2d' : '1d'}(${features}, eps=${plan.epsilon}, momentum=${1 - plan.momentum}),  # layer ${plan.index}`);
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
			const frozen = scenario.frozen.includes(plan.index);
			if (frozen || !scenario.update.weights) assignments.push(`    model[${at}].weight.requires_grad_(False)`);
			if (frozen || !scenario.update.biases) assignments.push(`    model[${at}].bias.requires_grad_(False)`);
		}
		if (plan.type === 'batchnorm' && initial) {
			const names = { gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' } as const;
			for (const [name, torchName] of Object.entries(names) as [keyof typeof names, string][]) {
				const value = initial[name];
				if (value) assignments.push(`    model[${at}].${torchName}.copy_(torch.tensor(${literal(Array.from(value.data))}, dtype=torch.float64))`);
			}
			if (!scenario.update.weights) assignments.push(`    model[${at}].weight.requires_grad_(False)`);
			if (!scenario.update.biases) assignments.push(`    model[${at}].bias.requires_grad_(False)`);
		}
	});
	lines.push(')', 'with torch.no_grad():', ...assignments);
	// dropout is off and batch normalisation uses its moving statistics outside training, as in a Stepwise run without a loss
	if (!scenario.loss && scenario.plans.some((plan) => plan.type === 'dropout' || plan.type === 'batchnorm')) lines.push('model.eval()');
	if (scenario.plans.some((plan) => plan.type === 'conv2d' && plan.flip)) lines.push('# The scenario convolves (kernel flipped): the kernels above are turned 180° for PyTorch\'s cross-correlation.');
	if (!hasData) return `${lines.join('\n')}\n`;
	lines.push(`X = torch.tensor(${literal(toNested(scenario.X.shape, scenario.X.data))}, dtype=torch.float64)  # samples × ${scenario.plans[0].inputShape.length === 3 ? 'channels × height × width' : 'features'}`);
	const loss = scenario.loss;
	if (loss && scenario.Y) {
		const reduce = scenario.reduction === 'sum' ? 'sum' : 'mean';
		const batch = scenario.training.batchSize;
		const set = (name: string, data: DataSet): string[] => [
			`X_${name} = torch.tensor(${literal(toNested(data.X.shape, data.X.data))}, dtype=torch.float64)`,
			`Y_${name} = torch.tensor(${literal(toNested(data.Y.shape, data.Y.data))}, dtype=torch.float64)`
		];
		const outputs = scenario.plans[scenario.plans.length - 1].outputShape[0];
		const measures = (suffix: string, prefix: string): string =>
			[`'${prefix}loss': loss_fn(model(X${suffix}), Y${suffix}).item()`, ...scenario.metrics.map((m) => `'${prefix}${m}': ${TORCH_METRIC[m === 'accuracy' ? (`${accuracyKind(loss, outputs)}_accuracy` as const) : m](`model(X${suffix})`, `Y${suffix}`)}.item()`)].join(', ');
		const stopping = scenario.earlyStopping;
		const epochEnd = scenario.validation !== null || scenario.metrics.length > 0 || stopping !== null;
		lines.push(
			`Y = torch.tensor(${literal(toNested(scenario.Y.shape, scenario.Y.data))}, dtype=torch.float64)`,
			...(scenario.validation ? set('val', scenario.validation) : []),
			...(scenario.test ? set('test', scenario.test) : []),
			'',
			'',
			`def loss_fn(y_hat, y):  # ${loss}, the ${reduce} over the batch`,
			`    return (${TORCH_LOSS[loss]}).${reduce}()`,
			'',
			'',
			'params = [p for p in model.parameters() if p.requires_grad]',
			...(scenario.schedule ? torchSchedule(scenario.schedule) : []),
			...torchOptimizer(scenario),
			...(scenario.l2 > 0 ? [`kernels = [layer.weight for layer in model if isinstance(layer, (nn.Linear, nn.Conv2d)) and layer.weight.requires_grad]  # l2(${scenario.l2}) on every kernel, as Keras's kernel_regularizer`] : []),
			...(stopping ? ['best, wait, best_state = None, 0, None'] : []),
			'step = 0',
			`for epoch in range(${scenario.training.epochs}):`,
			`    for start in range(0, len(X), ${batch}):`,
			`        x, y = X[start:start + ${batch}], Y[start:start + ${batch}]`,
			'        loss = loss_fn(model(x), y)',
			'        for p in params:',
			'            p.grad = None',
			scenario.l2 > 0 ? `        (loss + ${scenario.l2} * sum((w ** 2).sum() for w in kernels)).backward()` : '        loss.backward()',
			'        step += 1',
			'        update(step)',
			"        print('step', step, 'loss', loss.item())"
		);
		if (epochEnd) {
			lines.push(
				'    with torch.no_grad():',
				`        logs = {${measures('', '')}${scenario.validation ? `, ${measures('_val', 'val_')}` : ''}}`,
				"    print('epoch', epoch + 1, logs)"
			);
		}
		if (stopping) {
			const better = stopping.monitor.endsWith('accuracy') ? `logs['${stopping.monitor}'] - ${stopping.minDelta} > best` : `logs['${stopping.monitor}'] + ${stopping.minDelta} < best`;
			lines.push(
				`    # Keras's EarlyStopping(monitor='${stopping.monitor}', patience=${stopping.patience}, min_delta=${stopping.minDelta}${stopping.restoreBestWeights ? ', restore_best_weights=True' : ''})`,
				...(stopping.restoreBestWeights ? ['    if best_state is None:', '        best_state = {k: v.clone() for k, v in model.state_dict().items()}'] : []),
				'    wait += 1',
				`    if best is None or ${better}:`,
				`        best, wait = logs['${stopping.monitor}'], 0`,
				...(stopping.restoreBestWeights ? ['        best_state = {k: v.clone() for k, v in model.state_dict().items()}'] : []),
				`    elif wait >= ${stopping.patience} and epoch > 0:`,
				...(stopping.restoreBestWeights ? ['        model.load_state_dict(best_state)'] : []),
				"        print('early stopping at epoch', epoch + 1)",
				'        break'
			);
		}
		if (scenario.test) lines.push('with torch.no_grad():', `    print('test', {${measures('_test', '')}})`);
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
