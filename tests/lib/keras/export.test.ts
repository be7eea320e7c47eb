import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine/run';
import { nameAt } from '../../../src/lib/engine/trace';
import { ScenarioError } from '../../../src/lib/engine/scenario/issues';
import { exportModel } from '../../../src/lib/keras/export';
import { importKeras } from '../../../src/lib/keras/import';

/** A small CNN with every number given: padding, a 2×2 stride, two channels, a dense layer after flatten. */
const CNN = {
	model: {
		input: [2, 3, 3],
		layers: [
			{
				type: 'conv2d',
				filters: 2,
				kernel: [2, 1],
				stride: [2, 1],
				padding: 1,
				activation: 'relu',
				W: [[[[1], [2]], [[3], [4]]], [[[-1], [0.5]], [[0.25], [-2]]]],
				b: [0.1, -0.2]
			},
			{ type: 'pool', mode: 'avg', size: [1, 2], stride: 1 },
			{ type: 'flatten' },
			{ type: 'dense', units: 2, activation: 'softmax', W: [Array.from({ length: 16 }, (_, i) => i / 10), Array.from({ length: 16 }, (_, i) => -i / 20)], b: [0.3, -0.3] }
		]
	},
	loss: 'categorical_cross_entropy',
	reduction: 'sum',
	optimizer: { type: 'sgd', lr: 0.25 },
	data: {
		X: [
			[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[0, 1, 0], [1, 0, 1], [0.5, 0.5, 0.5]]],
			[[[9, 8, 7], [6, 5, 4], [3, 2, 1]], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]]
		],
		Y: [[1, 0], [0, 1]]
	},
	training: { epochs: 2, batch_size: 1, shuffle: false }
};

const MLP = {
	model: { input: 2, layers: [{ type: 'dense', units: 3, activation: 'tanh', init: { seed: 7 } }, { type: 'dense', units: 2, activation: 'sigmoid' }] },
	loss: 'half_squared_error',
	optimizer: { type: 'sgd', lr: 0.5 },
	data: { X: [[1, 0.5], [0, -1], [2, 2]], Y: [[1, 0], [0, 1], [1, 1]] },
	training: { epochs: 3, batch_size: 2 }
};

function refusal(data: unknown, format: 'keras' | 'pytorch'): string[] {
	try {
		exportModel(data, format);
	} catch (error) {
		if (error instanceof ScenarioError) return error.issues.map((issue) => issue.message);
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('export as Keras code, read back by the importer', () => {
	it('gives back the same model, weights, data, loss and training (round trip)', () => {
		const code = exportModel(CNN, 'keras');
		const back = importKeras(code);
		expect(back.notes).toEqual([]);
		expect(back.scenario).toEqual(CNN);
	});

	it('reproduces every number of the run, weights drawn from the scenario’s seed included', () => {
		const back = importKeras(exportModel(MLP, 'keras')).scenario;
		expect(back.loss).toBe('half_squared_error');
		const original = run(MLP);
		const again = run(back);
		expect(again.length).toBe(original.length);
		for (let seq = 0; seq < original.length; seq++) expect(nameAt(again, seq)).toBe(nameAt(original, seq));
		expect(Array.from(again.values)).toEqual(Array.from(original.values));
	});

	it('writes Keras’s layouts: a Dense kernel is Wᵀ, a Conv2D kernel kh×kw×in×out, images channels-last', () => {
		const code = exportModel(
			{
				model: {
					input: [2, 1, 2],
					layers: [
						{ type: 'conv2d', filters: 3, kernel: [1, 2], W: [[[[1, 2]], [[3, 4]]], [[[5, 6]], [[7, 8]]], [[[9, 10]], [[11, 12]]]], b: [0, 0, 0] },
						{ type: 'flatten' },
						{ type: 'dense', units: 2, W: [[1, 2, 3], [4, 5, 6]], b: [0, 0] }
					]
				},
				data: { X: [[[[1, 2]], [[3, 4]]]] }
			},
			'keras'
		);
		expect(code).toContain('keras.Input(shape=(1, 2, 2)),');
		// kernel[y][x][c][f] = W[f][c][y][x]: at y = 0, x = 0: [[1, 5, 9], [3, 7, 11]]
		expect(code).toContain("set_weights([np.array([[[[1, 5, 9], [3, 7, 11]], [[2, 6, 10], [4, 8, 12]]]], dtype='float64')");
		// the conv gives 3 channels of 1×1: Keras flattens (1, 1, 3) in the same order, and the kernel is Wᵀ
		expect(code).toContain("set_weights([np.array([[1, 4], [2, 5], [3, 6]], dtype='float64')");
		// the sample [channel 0: [1, 2]], [channel 1: [3, 4]] is (1, 2, 2) channels-last: [[[1, 3], [2, 4]]]
		expect(code).toContain("X = np.array([[[[1, 3], [2, 4]]]], dtype='float64')");
		expect(code).toContain('print(model.predict(X))');
	});

	it('orders a dense kernel after Flatten as Keras flattens (height, width, channels)', () => {
		const code = exportModel(
			{ model: { input: [2, 1, 2], layers: [{ type: 'flatten' }, { type: 'dense', units: 1, W: [[1, 2, 3, 4]], b: [0] }] } },
			'keras'
		);
		// Stepwise flattens c0:(0,0) c0:(0,1) c1:(0,0) c1:(0,1) as 1, 2, 3, 4; Keras (0,0)c0 (0,0)c1 (0,1)c0 (0,1)c1
		expect(code).toContain("set_weights([np.array([[1], [3], [2], [4]], dtype='float64')");
		expect(importKeras(code).scenario.model?.layers[1]).toMatchObject({ W: [[1, 2, 3, 4]] });
	});

	it('writes the squared errors as mse weighted by the outputs, and a sum over the batch as reduction=\'sum\'', () => {
		const code = exportModel({ ...MLP, loss: 'squared_error', reduction: 'sum' }, 'keras');
		expect(code).toContain("loss=keras.losses.MeanSquaredError(reduction='sum'), loss_weights=[2])");
		expect(code).toContain('model.fit(X, Y, batch_size=2, epochs=3, shuffle=False)');
		expect(importKeras(code).scenario).toMatchObject({ loss: 'squared_error', reduction: 'sum' });
	});

	it('refuses what Keras cannot reproduce', () => {
		expect(refusal({ ...MLP, training: { shuffle: true } }, 'keras')[0]).toMatch(/seeded order/);
		expect(refusal({ ...MLP, update: { biases: false } }, 'keras')[0]).toMatch(/kernel and bias together/);
		expect(refusal({ perceptron: { w: [0.1, 0.1] }, data: { X: [[0, 1]], Y: [[1]] } }, 'keras')[0]).toMatch(/perceptron rule/);
		const step = { model: { input: 2, layers: [{ type: 'dense', units: 1, activation: 'step' }] }, data: { X: [[0, 1]] } };
		expect(refusal(step, 'pytorch')[0]).toMatch(/no step activation/);
		const square = { model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'square' }] }, data: { X: [[2]] } };
		expect(refusal(square, 'keras')[0]).toMatch(/no square activation/);
		const samePool = { model: { input: [1, 3, 3], layers: [{ type: 'pool', mode: 'avg', size: 2, padding: 'same' }] }, data: { X: [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]] } };
		expect(refusal(samePool, 'pytorch')[0]).toMatch(/counts the padding/);
		expect(exportModel(samePool, 'keras')).toContain("AveragePooling2D(pool_size=(2, 2), strides=(2, 2), padding='same'");
	});
});

describe('export as PyTorch code', () => {
	const code = exportModel(CNN, 'pytorch');

	it('uses nn.Conv2d / nn.Linear with Stepwise’s own layouts, float64', () => {
		expect(code).toContain('nn.Conv2d(2, 2, kernel_size=(2, 1), stride=(2, 1), padding=(1, 1)),  # layer 1');
		expect(code).toContain('nn.AvgPool2d(kernel_size=(1, 2), stride=(1, 1)),  # layer 2');
		expect(code).toContain('nn.Linear(16, 2),  # layer 4');
		expect(code).toContain('nn.Softmax(dim=1),');
		expect(code).toContain('model[0].weight.copy_(torch.tensor([[[[1], [2]], [[3], [4]]], [[[-1], [0.5]], [[0.25], [-2]]]], dtype=torch.float64))');
		expect(code).toContain('model[4].bias.copy_(torch.tensor([0.3, -0.3], dtype=torch.float64))');
		expect(code).toContain('X = torch.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[0, 1, 0], [1, 0, 1], [0.5, 0.5, 0.5]]], [[[9, 8, 7], [6, 5, 4], [3, 2, 1]], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]]], dtype=torch.float64)');
	});

	it('writes the loss per sample and its reduction over the batch, and the same batches', () => {
		expect(code).toContain('return (-(y * torch.log(y_hat)).sum(dim=1)).sum()');
		expect(code).toContain('params = [p for p in model.parameters() if p.requires_grad]');
		expect(code).toContain('            p.sub_(0.25 * p.grad)');
		expect(code).toContain('for epoch in range(2):');
		expect(code).toContain('x, y = X[start:start + 1], Y[start:start + 1]');
	});

	it('freezes biases the scenario does not update', () => {
		expect(exportModel({ ...MLP, update: { biases: false } }, 'pytorch')).toContain('model[0].bias.requires_grad_(False)');
	});
});

/** The training tools of the courses on the MLP: Adam, L2 weight decay, metrics, validation, early stopping, a test set. */
const TRAINED = {
	...MLP,
	model: { input: 2, layers: [{ type: 'dense', units: 3, activation: 'tanh', init: { seed: 7 } }, { type: 'dropout', rate: 0 }, { type: 'dense', units: 2, activation: 'sigmoid' }] },
	loss: 'binary_cross_entropy',
	optimizer: { type: 'adam', lr: 0.05, beta_1: 0.8 },
	regularization: { l2: 0.001 },
	metrics: ['accuracy', 'mae'],
	data: { X: [[1, 0.5], [0, -1], [2, 2], [0.5, 0.5]], Y: [[1, 0], [0, 1], [1, 1], [0, 0]] },
	training: { epochs: 12, batch_size: 2, validation_split: 0.25 },
	early_stopping: { monitor: 'val_loss', patience: 2, restore_best_weights: true },
	test: { X: [[1, 1]], Y: [[1, 0]] }
};

/** Python's own parser on the code: it must at least be Python. */
function pythonSyntaxError(code: string): string {
	return spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code, encoding: 'utf8' }).stderr;
}

describe('export of the training tools (optimizers, weight decay, dropout, held-out data, early stopping)', () => {
	it.each([
		[{ type: 'momentum', lr: 0.1, momentum: 0.8 }, 'keras.optimizers.SGD(learning_rate=0.1, momentum=0.8)'],
		[{ type: 'rmsprop', lr: 0.01 }, 'keras.optimizers.RMSprop(learning_rate=0.01, rho=0.9, epsilon=1e-7)'],
		[{ type: 'adam', lr: 0.05, beta_1: 0.8 }, 'keras.optimizers.Adam(learning_rate=0.05, beta_1=0.8, beta_2=0.999, epsilon=1e-7)']
	])('writes %o for Keras, read back as the same numbers', (optimizer, written) => {
		const scenario = { ...TRAINED, optimizer };
		const code = exportModel(scenario, 'keras');
		expect(code).toContain(written);
		const original = run(scenario);
		const again = run(importKeras(code).scenario);
		expect(again.length).toBe(original.length);
		expect(Array.from(again.values)).toEqual(Array.from(original.values));
	});

	it('writes the weight decay, metrics, validation data, EarlyStopping and test set for Keras', () => {
		const code = exportModel(TRAINED, 'keras');
		expect(code).toContain("layers.Dense(3, activation='tanh', kernel_regularizer=keras.regularizers.l2(0.001), name='layer_1'),");
		expect(code).toContain("layers.Dropout(0, name='layer_2'),");
		expect(code).toContain("metrics=['accuracy', 'mae']");
		// validation_split 0.25 of 4 samples: the last one is held out
		expect(code).toContain("X_val = np.array([[0.5, 0.5]], dtype='float64')");
		expect(code).toContain("stop = keras.callbacks.EarlyStopping(monitor='val_loss', patience=2, min_delta=0, restore_best_weights=True)");
		expect(code).toContain('model.fit(X, Y, batch_size=2, epochs=12, shuffle=False, validation_data=(X_val, Y_val), callbacks=[stop])');
		expect(code).toContain('model.evaluate(X_test, Y_test)');
		expect(importKeras(code).notes.map((n) => n.message)).toEqual(['Dropout(0): Stepwise draws its masks from the scenario\'s seed, so the units dropped are not Keras\'s']);
	});

	it('writes PyTorch code with Keras’s rules: the Adam step, the L2 term in the loss, the metrics and the stopping rule', () => {
		const code = exportModel(TRAINED, 'pytorch');
		expect(code).toContain('    alpha = 0.05 * (1 - 0.999 ** t) ** 0.5 / (1 - 0.8 ** t)');
		expect(code).toContain('            p.sub_(alpha * m_p / (torch.sqrt(s_p) + 1e-7))');
		expect(code).toContain('        (loss + 0.001 * sum((w ** 2).sum() for w in kernels)).backward()');
		expect(code).toContain("'val_accuracy': ((model(X_val) > 0.5).double() == Y_val).double().mean().item()");
		expect(code).toContain("    if best is None or logs['val_loss'] + 0 < best:");
		expect(code).toContain('        model.load_state_dict(best_state)');
		expect(code).toContain("    print('test', {'loss': loss_fn(model(X_test), Y_test).item()");
		expect(pythonSyntaxError(code)).toBe('');
	});

	it.each(['keras', 'pytorch'] as const)('writes %s code that Python parses, for every optimizer', (format) => {
		for (const optimizer of [{ type: 'sgd', lr: 0.1 }, { type: 'momentum', lr: 0.1 }, { type: 'rmsprop' }, { type: 'adam' }]) {
			expect(pythonSyntaxError(exportModel({ ...TRAINED, optimizer }, format))).toBe('');
		}
	});

	it('exports dropout where it changes nothing (forward only: off outside training), and refuses it in training', () => {
		const forward = { model: { input: 2, layers: [{ type: 'dense', units: 2 }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 1 }] }, data: { X: [[1, 2]] } };
		expect(exportModel(forward, 'keras')).toContain("layers.Dropout(0.5, name='layer_2'),");
		const torch = exportModel(forward, 'pytorch');
		expect(torch).toContain('nn.Dropout(p=0.5),  # layer 2');
		expect(torch).toContain('model.eval()');
		const training = { ...TRAINED, model: { ...TRAINED.model, layers: [TRAINED.model.layers[0], { type: 'dropout', rate: 0.5 }, TRAINED.model.layers[2]] } };
		expect(refusal(training, 'keras')[0]).toMatch(/draws its own dropout masks/);
		expect(refusal(training, 'pytorch')[0]).toMatch(/draws its own dropout masks/);
	});

	it('refuses early stopping on a training-set quantity for Keras, which logs it as a running mean', () => {
		expect(refusal({ ...TRAINED, early_stopping: { monitor: 'loss' } }, 'keras')[0]).toMatch(/running mean.*monitor val_loss instead/);
		expect(pythonSyntaxError(exportModel({ ...TRAINED, early_stopping: { monitor: 'accuracy' } }, 'pytorch'))).toBe('');
	});
});

/** Fine-tuning as course 002 does it: a frozen first layer, a batch normalisation, a decaying rate. */
const FINE_TUNED = {
	model: {
		input: [2, 2, 2],
		layers: [
			{ type: 'conv2d', filters: 2, kernel: 1, activation: 'relu', trainable: false, init: { seed: 3 } },
			{ type: 'flatten' },
			{ type: 'batchnorm', momentum: 0.9, epsilon: 0.01, gamma: [1, 2, 0.5, 1, 1.5, 1, 1, 0.25], beta: [0, 0.1, 0, -0.1, 0, 0, 0.2, 0] },
			{ type: 'dense', units: 1, activation: 'sigmoid', init: { seed: 4 } }
		]
	},
	loss: 'binary_cross_entropy',
	optimizer: { type: 'sgd', lr: { schedule: 'inverse_time', initial: 0.5, decay_rate: 1, decay_steps: 2 } },
	data: {
		X: [0, 1, 2].map((n) => [0, 1].map((c) => [0, 1].map((h) => [0, 1].map((w) => Math.cos(n + 2 * c + 3 * h + 5 * w))))),
		Y: [[1], [0], [1]]
	},
	training: { epochs: 3, batch_size: 3 }
};

describe('export of fine-tuning: frozen layers, batch normalisation, learning-rate schedules', () => {
	it('writes trainable=False, BatchNormalization with its four vectors in Keras’s flattened order, and the schedule; read back as the same run', () => {
		const code = exportModel(FINE_TUNED, 'keras');
		expect(code).toContain("padding='valid', activation='relu', trainable=False, name='layer_1'),");
		expect(code).toContain("layers.BatchNormalization(momentum=0.9, epsilon=0.01, name='layer_3'),");
		// Stepwise's flattened order is (channel, row, column), Keras's (row, column, channel): γ = 1, 2, 0.5, 1 | 1.5, 1, 1, 0.25 interleaves
		expect(code).toContain("model.get_layer('layer_3').set_weights([np.array([1, 1.5, 2, 1, 0.5, 1, 1, 0.25], dtype='float64')");
		expect(code).toContain('keras.optimizers.schedules.InverseTimeDecay(initial_learning_rate=0.5, decay_steps=2, decay_rate=1, staircase=False)');
		const original = run(FINE_TUNED);
		const again = run(importKeras(code).scenario);
		expect(again.length).toBe(original.length);
		expect(Array.from(again.values)).toEqual(Array.from(original.values));
	});

	it('writes PyTorch code that freezes the layer, uses BatchNorm with PyTorch’s momentum and the schedule’s rate(t − 1)', () => {
		const code = exportModel(FINE_TUNED, 'pytorch');
		expect(code).toContain('    model[0].weight.requires_grad_(False)');
		expect(code).toContain('    model[0].bias.requires_grad_(False)');
		expect(code).toContain('    nn.BatchNorm1d(8, eps=0.01, momentum=0.09999999999999998),  # layer 3');
		expect(code).toContain("    model[3].running_var.copy_(torch.tensor([1, 1, 1, 1, 1, 1, 1, 1], dtype=torch.float64))");
		expect(code).toContain('    return 0.5 / (1 + 1 * (k / 2))');
		expect(code).toContain('            p.sub_(rate(t - 1) * p.grad)');
		expect(pythonSyntaxError(code)).toBe('');
	});

	it('refuses what the frameworks compute otherwise: min pooling, and PyTorch’s unbiased running variance where the scenario evaluates', () => {
		const minPool = { model: { input: [1, 2, 2], layers: [{ type: 'pool', mode: 'min', size: 2 }] }, data: { X: [[[[1, 2], [3, 4]]]] } };
		expect(refusal(minPool, 'keras')[0]).toMatch(/Keras has no min pooling layer/);
		expect(refusal(minPool, 'pytorch')[0]).toMatch(/PyTorch has no min pooling layer/);
		expect(refusal({ ...FINE_TUNED, metrics: ['accuracy'] }, 'pytorch')[0]).toMatch(/unbiased batch variance/);
		expect(pythonSyntaxError(exportModel({ ...FINE_TUNED, metrics: ['accuracy'] }, 'keras'))).toBe('');
	});
});
