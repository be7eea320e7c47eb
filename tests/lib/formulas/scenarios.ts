import { parseScenarioText } from '../../../src/lib/engine/scenario/parse';
import { fixtureFiles, loadFixture, DESIGN_EXAMPLE } from '../../helpers';

/** Real traces for the formula tests: every event of each is explained and checked. */
export interface TraceCase {
	name: string;
	scenario: unknown;
}

/** Deterministic, distinct-looking pixel values in [−0.9, 0.9] for `samples` images C×H×W. */
export function images(samples: number, channels: number, height: number, width: number): number[][][][] {
	let k = 0;
	return Array.from({ length: samples }, () =>
		Array.from({ length: channels }, () =>
			Array.from({ length: height }, () => Array.from({ length: width }, () => (((k++ * 37) % 19) - 9) / 10))
		)
	);
}

/** The conv network of the brief: 2 channels, padding 1, stride 2, ReLU, max pool, flatten, dense softmax. */
export const CONV_NET = {
	model: {
		input: [2, 5, 5],
		layers: [
			{ type: 'conv2d', filters: 2, kernel: 3, stride: 2, padding: 1, activation: 'relu', init: { weights: 'uniform', bias: 'uniform', scale: 0.5, seed: 7 } },
			{ type: 'pool', mode: 'max', size: 2, stride: 1 },
			{ type: 'flatten' },
			{ type: 'dense', units: 3, activation: 'softmax', init: { weights: 'xavier', seed: 2 } }
		]
	},
	loss: 'categorical_cross_entropy',
	reduction: 'mean',
	optimizer: { type: 'sgd', lr: 0.1 },
	data: { X: images(2, 2, 5, 5), Y: [[1, 0, 0], [0, 0, 1]] },
	training: { epochs: 2 }
};

/** A flipped kernel (true convolution), a rectangular kernel and padding, average pooling, shuffled mini-batches. */
const FLIPPED_CONV = {
	model: {
		input: [1, 4, 4],
		layers: [
			{ type: 'conv2d', filters: 2, kernel: [2, 3], padding: [1, 0], flip: true, activation: 'tanh', init: { weights: 'uniform', bias: 'uniform', scale: 0.4, seed: 5 } },
			{ type: 'pool', mode: 'avg', size: 2 },
			{ type: 'flatten' },
			{ type: 'dense', units: 2, activation: 'identity', init: { weights: 'uniform', bias: 'uniform', scale: 0.4, seed: 6 } }
		]
	},
	loss: 'mse',
	optimizer: { type: 'sgd', lr: 0.05 },
	data: { X: images(3, 1, 4, 4), Y: [[0.1, -0.2], [0.3, 0.4], [-0.5, 0]] },
	training: { epochs: 2, batch_size: 2, shuffle: true, seed: 4 }
};

/** Keras's padding='same' pooling: 3×3 windows, stride 2 on 5×4 (padding before and after), then 2×2 on 3×2 (after only). */
const samePool = (first: string, second: string) => ({
	model: {
		input: [1, 5, 4],
		layers: [
			{ type: 'pool', mode: first, size: 3, stride: 2, padding: 'same' },
			{ type: 'conv2d', filters: 2, kernel: 1, activation: 'tanh', init: { weights: 'uniform', bias: 'uniform', scale: 0.5, seed: 8 } },
			{ type: 'pool', mode: second, size: 2, padding: 'same' },
			{ type: 'flatten' },
			{ type: 'dense', units: 2, activation: 'identity', init: { weights: 'uniform', bias: 'uniform', scale: 0.4, seed: 9 } }
		]
	},
	loss: 'mse',
	optimizer: { type: 'sgd', lr: 0.1 },
	data: { X: images(2, 1, 5, 4), Y: [[0.2, -0.1], [0.4, 0.3]] },
	training: { epochs: 1 }
});

const X3 = [[1, 0.5], [-0.3, 0.8], [0.2, -1]];

/** A 2-3-2 network on a batch of 3 samples, mean reduction, with an output activation and a loss. */
function batchOfThree(output: string, loss: string, Y: number[][], hidden = 'tanh'): Record<string, unknown> {
	return {
		model: {
			input: 2,
			layers: [
				{ type: 'dense', units: 3, activation: hidden, W: [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.6]], b: [0.1, -0.1, 0.05] },
				{ type: 'dense', units: 2, activation: output, W: [[0.5, -0.5, 0.2], [-0.3, 0.8, 0.1]], b: [0.2, -0.1] }
			]
		},
		loss,
		reduction: 'mean',
		optimizer: { type: 'sgd', lr: 0.5 },
		data: { X: X3, Y },
		training: { epochs: 2 }
	};
}

const ONE_HOT = [[1, 0], [0, 1], [1, 0]];
const LABELS = [[1, 0], [0, 1], [1, 1]];
const REALS = [[0.5, -0.2], [1, 0], [0, 0.3]];

/** Every loss with the output activations the courses pair it with, and some they do not. */
export const LOSS_CASES: TraceCase[] = [
	{ name: 'squared_error, identity output', scenario: batchOfThree('identity', 'squared_error', REALS) },
	{ name: 'half_squared_error, sigmoid output', scenario: batchOfThree('sigmoid', 'half_squared_error', LABELS) },
	{ name: 'mse, tanh output', scenario: batchOfThree('tanh', 'mse', REALS) },
	{ name: 'mae, identity output', scenario: batchOfThree('identity', 'mae', REALS) },
	{ name: 'binary_cross_entropy, sigmoid output (δ = ŷ − y)', scenario: batchOfThree('sigmoid', 'binary_cross_entropy', LABELS) },
	{ name: 'categorical_cross_entropy, softmax output (δ = ŷ − y)', scenario: batchOfThree('softmax', 'categorical_cross_entropy', ONE_HOT) },
	{ name: 'categorical_cross_entropy, targets not one-hot', scenario: batchOfThree('softmax', 'categorical_cross_entropy', [[0.5, 0.25], [0, 1], [0.2, 0.8]]) },
	{ name: 'categorical_cross_entropy, sigmoid output (unpaired)', scenario: batchOfThree('sigmoid', 'categorical_cross_entropy', ONE_HOT) },
];

export const ACTIVATION_CASES: TraceCase[] = ['square', 'relu', 'softplus', 'step', 'identity', 'sigmoid'].map((hidden) => ({
	name: `${hidden} hidden layer`,
	scenario: batchOfThree('sigmoid', 'squared_error', LABELS, hidden)
}));

/**
 * Two ReLU units, the first one's input exactly 0 (COURSE_COVERAGE A10), under ReLU′(0) = 0 (the
 * default) or 1 (course 003's h′(x) = 1 for x ≥ 0).
 */
export const reluAtZero = (reluDerivativeAtZero: 0 | 1) => ({
	model: { input: 1, layers: [{ type: 'dense', units: 2, activation: 'relu', W: [[1], [2]], b: [0, 0.5] }] },
	loss: 'half_squared_error',
	optimizer: { type: 'sgd', lr: 0.1 },
	conventions: { relu_derivative_at_zero: reluDerivativeAtZero },
	data: { X: [[0]], Y: [[1, 1]] }
});

/** A sum reduction with the weights kept fixed (some textbook examples update only part of the parameters). */
const KEPT_WEIGHTS = {
	...DESIGN_EXAMPLE,
	reduction: 'sum',
	update: { weights: false, biases: true },
	data: { X: [[1, 0.5], [0, -1]], Y: [[1], [0]] },
	training: { epochs: 2 }
};

/** A dense layer with more inputs than a sum shows in full. */
export const LONG_SUM = {
	model: { input: 30, layers: [{ type: 'dense', units: 2, activation: 'sigmoid', init: { weights: 'uniform', bias: 'uniform', seed: 9 } }] },
	loss: 'half_squared_error',
	optimizer: { type: 'sgd', lr: 0.1 },
	data: { X: [Array.from({ length: 30 }, (_, k) => ((k * 7) % 11) / 10 - 0.5)], Y: [[1, 0]] },
	training: { epochs: 1 }
};

/** The delta rule with a bias and a threshold reached at equality (z ≥ θ, course 002). */
const DELTA_PERCEPTRON = {
	perceptron: { w: [0.2, -0.1], b: 0, threshold: 0.3, strict: false, rule: 'delta', lr: 0.1 },
	data: { X: [[0, 0], [0, 1], [1, 0], [1, 1], [1, 1]], Y: [[0], [0], [0], [1], [1]] },
	training: { epochs: 3 }
};

/** Min pooling, as a file writes it: overlapping windows, one cell the minimum of two of them, so that its gradient adds both δ. */
const MIN_POOL = parseScenarioText(`
model:
  input: [1, 4, 4]
  layers:
    - { type: conv2d, filters: 1, kernel: 2, activation: tanh, W: [[[[0.5, -0.25], [0.75, 0.1]]]], b: [0.05] }
    - { type: pool, mode: min, size: 2, stride: 1 }
    - { type: flatten }
    - { type: dense, units: 1, W: [[0.3, -0.2, 0.1, 0.4]], b: [0] }
loss: half_squared_error
optimizer: { type: sgd, lr: 0.1 }
data:
  X: [[[[1, 0, 2, 1], [0, 1, 0, 3], [2, 0, 1, 0], [1, 2, 0, 1]]]]
  Y: [[0.5]]
training: { epochs: 2 }
`).data;

/** Dropout between two dense layers, trained on a batch of two: masks drawn from the training seed, a new one each step. */
const DROPOUT = {
	model: {
		input: 3,
		layers: [
			{ type: 'dense', units: 4, activation: 'tanh', W: [[0.2, -0.4, 0.1], [0.5, 0.3, -0.2], [-0.1, 0.6, 0.4], [0.3, -0.3, 0.2]], b: [0, 0.1, -0.1, 0] },
			{ type: 'dropout', rate: 0.4 },
			{ type: 'dense', units: 1, activation: 'sigmoid', W: [[0.7, -0.5, 0.2, 0.4]], b: [0] }
		]
	},
	loss: 'binary_cross_entropy',
	optimizer: { type: 'sgd', lr: 0.5 },
	data: { X: [[1, 0, 2], [0, 1, -1]], Y: [[1], [0]] },
	training: { epochs: 2, seed: 5 }
};

/** The same network outside training (no loss): dropout is the identity. */
const DROPOUT_EVALUATION = { model: DROPOUT.model, data: { X: DROPOUT.data.X } };

/** Dense → batch normalisation → dense, trained on batches of 3 over two epochs: μ, σ², x̂, dγ, dβ, the moving statistics. */
const BATCHNORM = {
	model: {
		input: 2,
		layers: [
			{ type: 'dense', units: 2, activation: 'relu', W: [[0.6, -0.4], [0.3, 0.9]], b: [0.1, 0] },
			{ type: 'batchnorm', gamma: [1.2, 0.7], beta: [0, -0.1] },
			{ type: 'dense', units: 1, activation: 'sigmoid', W: [[0.8, -0.5]], b: [0] }
		]
	},
	loss: 'binary_cross_entropy',
	optimizer: { type: 'sgd', lr: 0.5 },
	data: { X: [[1, 0], [0, 1], [1, 1], [2, -1], [0.5, 0.5], [-1, 2]], Y: [[1], [0], [1], [1], [0], [0]] },
	training: { epochs: 2, batch_size: 3, shuffle: false }
};

/** A convolution's channels normalised over the batch and the positions, trained by Adam (its states of γ and β). */
const BATCHNORM_CONV = {
	model: {
		input: [1, 3, 3],
		layers: [
			{ type: 'conv2d', filters: 2, kernel: 2, W: [[[[0.5, -0.3], [0.2, 0.8]]], [[[-0.6, 0.1], [0.4, -0.2]]]], b: [0.1, -0.1] },
			{ type: 'batchnorm', momentum: 0.9 },
			{ type: 'flatten' },
			{ type: 'dense', units: 1, W: [[0.3, -0.5, 0.2, 0.6, -0.4, 0.1, 0.7, -0.2]], b: [0] }
		]
	},
	loss: 'half_squared_error',
	optimizer: { type: 'adam', lr: 0.01 },
	data: { X: [[[[1, 0, 2], [0.5, -1, 1], [2, 1, 0]]], [[[0, 1, -1], [1, 2, 0.5], [-0.5, 0, 1]]]], Y: [[1], [-0.5]] },
	training: { epochs: 2, batch_size: 2, shuffle: false }
};

/** The same dense network outside training: x̂ from the moving statistics. */
const BATCHNORM_EVALUATION = { model: BATCHNORM.model, data: { X: BATCHNORM.data.X } };

/** Overflows at the first weighted sum: the run ends with a `diverged` event. */
const DIVERGING = {
	model: { input: 1, layers: [{ type: 'dense', units: 1, W: [[1e200]], b: [0] }] },
	loss: 'squared_error',
	optimizer: { type: 'sgd', lr: 1 },
	data: { X: [[1e200]], Y: [[0]] }
};

const fixtures: TraceCase[] = fixtureFiles()
	.filter((file) => file !== 'param-counts.yaml')
	.map((file) => ({ name: file, scenario: (loadFixture(file) as { scenario: unknown }).scenario }));

/** Held-out data, every metric and early stopping that restores the best weights (the validation sample wants w = −1). */
const EVALUATED = {
	...batchOfThree('sigmoid', 'binary_cross_entropy', LABELS),
	metrics: ['accuracy', 'mae', 'mse'],
	validation: { X: [[0.1, -0.4], [1, 1]], Y: [[0, 1], [1, 0]] },
	test: { X: [[0.3, 0.2]], Y: [[1, 1]] },
	training: { epochs: 4 },
	early_stopping: { monitor: 'val_loss', patience: 1, restore_best_weights: true }
};
/** Each optimizer on the 2-2-1 example, over three steps (the state of step 1 starts at zero, later ones read the step before). */
export const OPTIMIZER_CASES: TraceCase[] = [
	{ type: 'momentum', lr: 0.5, momentum: 0.9 },
	{ type: 'rmsprop', lr: 0.01 },
	{ type: 'adam', lr: 0.05, beta_1: 0.8 }
].map((optimizer) => ({ name: `${optimizer.type} with L2 weight decay, 3 steps`, scenario: { ...DESIGN_EXAMPLE, optimizer, regularization: { l2: 0.01 }, training: { epochs: 3, batch_size: 1 } } }));

/** DESIGN.md's 2-2-1 with its hidden layer frozen (Keras's trainable = False), or a 3-layer network with its middle one frozen. */
const FROZEN_HIDDEN = {
	...DESIGN_EXAMPLE,
	model: { input: 2, layers: [{ type: 'dense', units: 2, activation: 'sigmoid', W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1], trainable: false }, { type: 'dense', units: 1, activation: 'sigmoid', W: [[0.5, -0.5]], b: [0.2] }] },
	training: { epochs: 2 }
};
const FROZEN_MIDDLE = {
	model: {
		input: 2,
		layers: [
			{ type: 'dense', units: 2, activation: 'tanh', W: [[0.3, -0.6], [0.8, 0.2]], b: [0.1, -0.2] },
			{ type: 'dense', units: 2, activation: 'relu', W: [[-0.5, 0.4], [0.7, 0.1]], b: [0, 0.3], trainable: false },
			{ type: 'dense', units: 1, activation: 'sigmoid', W: [[0.6, -0.9]], b: [0.05] }
		]
	},
	loss: 'binary_cross_entropy',
	optimizer: { type: 'momentum', lr: 0.4, momentum: 0.9 },
	data: { X: [[1, -0.5], [0.2, 0.7]], Y: [[1], [0]] },
	training: { epochs: 2 }
};
/** Keras's learning-rate schedules, each with an optimizer that reads η_t in another place. */
export const SCHEDULE_CASES: TraceCase[] = [
	{ name: 'sgd under InverseTimeDecay', optimizer: { type: 'sgd', lr: { schedule: 'inverse_time', initial: 0.5, decay_rate: 0.5, decay_steps: 1 } } },
	{ name: 'momentum under InverseTimeDecay in a staircase', optimizer: { type: 'momentum', lr: { schedule: 'inverse_time', initial: 0.5, decay_rate: 1, decay_steps: 2, staircase: true } } },
	{ name: 'rmsprop under ExponentialDecay', optimizer: { type: 'rmsprop', lr: { schedule: 'exponential', initial: 0.01, decay_rate: 0.9, decay_steps: 2 } } },
	{ name: 'adam under ExponentialDecay in a staircase, L2', optimizer: { type: 'adam', lr: { schedule: 'exponential', initial: 0.05, decay_rate: 0.5, decay_steps: 2, staircase: true } }, l2: 0.01 },
	{ name: 'sgd with L2 under ExponentialDecay, the hidden layer frozen', optimizer: { type: 'sgd', lr: { schedule: 'exponential', initial: 0.5, decay_rate: 0.8, decay_steps: 3 } }, l2: 0.1, base: FROZEN_HIDDEN }
].map(({ name, optimizer, l2, base }) => ({
	name,
	scenario: { ...(base ?? DESIGN_EXAMPLE), optimizer, ...(l2 ? { regularization: { l2 } } : {}), data: { X: [[1, 0.5], [0, -1], [0.3, 0.2]], Y: [[1], [0], [1]] }, training: { epochs: 2, batch_size: 1 } }
}));

export const TRACE_CASES: TraceCase[] = [
	{ name: "avg then max pool, padding 'same' (Keras)", scenario: samePool('avg', 'max') },
	{ name: "max then avg pool, padding 'same' (Keras)", scenario: samePool('max', 'avg') },
	{ name: 'validation, test, metrics and early stopping', scenario: EVALUATED },
	{ name: 'validation_split with categorical accuracy', scenario: { ...batchOfThree('softmax', 'categorical_cross_entropy', ONE_HOT), metrics: ['accuracy'], training: { epochs: 2, validation_split: 0.34 } } },
	{ name: 'DESIGN.md 2-2-1 example', scenario: DESIGN_EXAMPLE },
	{ name: 'conv + max pool + flatten + dense softmax (2 channels, padding 1, stride 2)', scenario: CONV_NET },
	{ name: 'flipped rectangular conv + avg pool, shuffled mini-batches', scenario: FLIPPED_CONV },
	{ name: 'conv + min pool (overlapping windows) + flatten + dense, from YAML', scenario: MIN_POOL },
	...LOSS_CASES,
	...ACTIVATION_CASES,
	{ name: 'ReLU input at 0, ReLU′(0) = 0', scenario: reluAtZero(0) },
	{ name: 'ReLU input at 0, ReLU′(0) = 1 (course 003)', scenario: reluAtZero(1) },
	{ name: 'sum reduction, weights kept', scenario: KEPT_WEIGHTS },
	{ name: 'long weighted sum (30 inputs)', scenario: LONG_SUM },
	{ name: 'perceptron, delta rule with a bias', scenario: DELTA_PERCEPTRON },
	{ name: 'diverging run', scenario: DIVERGING },
	{ name: 'dense + dropout + dense, trained', scenario: DROPOUT },
	{ name: 'dense + dropout + dense, outside training', scenario: DROPOUT_EVALUATION },
	{ name: 'dense + batchnorm + dense, trained', scenario: BATCHNORM },
	{ name: 'conv + batchnorm + dense, trained by Adam', scenario: BATCHNORM_CONV },
	{ name: 'dense + batchnorm + dense, outside training', scenario: BATCHNORM_EVALUATION },
	...OPTIMIZER_CASES,
	...SCHEDULE_CASES,
	{ name: 'the hidden layer frozen (trainable: false)', scenario: FROZEN_HIDDEN },
	{ name: 'the middle layer frozen, momentum', scenario: FROZEN_MIDDLE },
	{ name: 'sgd with L2 weight decay', scenario: { ...DESIGN_EXAMPLE, regularization: { l2: 0.1 } } },
	{ name: 'adam with the weights kept', scenario: { ...DESIGN_EXAMPLE, optimizer: { type: 'adam' }, update: { weights: false, biases: true } } },
	...fixtures
];
