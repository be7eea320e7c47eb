import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine/run';
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
		for (let seq = 0; seq < original.length; seq++) expect(again.names[again.name[seq]]).toBe(original.names[original.name[seq]]);
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
		expect(code).toContain('optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.25)');
		expect(code).toContain('for epoch in range(2):');
		expect(code).toContain('x, y = X[start:start + 1], Y[start:start + 1]');
	});

	it('freezes biases the scenario does not update', () => {
		expect(exportModel({ ...MLP, update: { biases: false } }, 'pytorch')).toContain('model[0].bias.requires_grad_(False)');
	});
});
