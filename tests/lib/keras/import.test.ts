import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../src/lib/engine/scenario/issues';
import { validateScenario } from '../../../src/lib/engine/scenario/validate';
import { kerasSummary } from '../../../src/lib/keras/summary';
import { importKeras } from '../../../src/lib/keras/import';
import { convertPasted, looksLikeKeras } from '../../../src/lib/keras/paste';
import { kerasToYaml } from '../../../src/lib/keras/yaml';
import { readScenario } from '../../../src/lib/engine/scenario/parse';
import { parse } from 'yaml';

/** The issues of the ScenarioError `read` throws, as "line:column message". */
function refusal(source: string): string[] {
	try {
		importKeras(source);
	} catch (error) {
		if (!(error instanceof ScenarioError)) throw error;
		return error.issues.map((issue) => `${issue.line}:${issue.message}`);
	}
	throw new Error('expected the code to be refused');
}

// Course 001 (Apprentissage profond), as the slide's text holds it: OCR spaces before the
// parentheses, the input size in a variable, layer names.
const COURSE_001 = `from tensorflow import keras

input_size = (20, )

model = keras.Sequential([
keras.layers.Input (input_size, name="InputLayer"),
keras.layers.Dense (128, activation='relu', name="DenseLayerl"),
keras.layers.Dense(64, activation='relu', name="DenseLayer2"),
keras.layers.Dense (1, name="OutputLayerl")
])
model.compile(optimizer='rmsprop', loss='mse', metrics=['mae', 'mse'])
model.fit(x_train, y_train, batch_size=64, epochs=20)
`;

// The second slide of the same course, garbled by the OCR: the list of layers is lost.
const COURSE_001_GARBLED = `input_size = (20, )
model = keras.Sequential([

iD)
model.compile(optimizer='rmsprop', loss='mse', metrics=['mae', 'mse'])
model.fit(x_train, y_train, batch_size=64, epochs=20)
`;

const MNIST_CNN = `import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Conv2D, MaxPooling2D, Flatten, Dropout

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(128, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(10, activation='softmax'))
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
`;

// Course 001's 9×9×3 regression CNN (the figure's text: 8 kernels of 3×3×3, stride 1, padding 0;
// F kernels of 3×3×8, stride 2), with F = 16 and the dense sizes of the course's MLPs.
const COURSE_001_CNN = `from tensorflow.keras import layers, models
model = models.Sequential([
    layers.Conv2D(8, (3, 3), strides=1, padding='valid', activation='relu', input_shape=(9, 9, 3)),
    layers.Conv2D(16, 3, strides=(2, 2), activation='relu'),
    layers.Flatten(),
    layers.Dense(16, activation='relu'),
    layers.Dense(4, activation='relu'),
    layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss='mean_squared_error')
`;

describe('the courses’ Keras code, as it is', () => {
	it('reads course 001’s Dense model: input 20, 128 → 64 → 1, mse, notes for what is left out', () => {
		const { scenario, notes } = importKeras(COURSE_001);
		expect(scenario.model).toEqual({
			input: 20,
			layers: [
				{ type: 'dense', units: 128, activation: 'relu' },
				{ type: 'dense', units: 64, activation: 'relu' },
				{ type: 'dense', units: 1 }
			]
		});
		expect(scenario.loss).toBe('mse');
		expect(scenario.optimizer).toEqual({ type: 'rmsprop', lr: 0.001 });
		expect(scenario.metrics).toEqual(['mae', 'mse']);
		expect(scenario.training).toEqual({ epochs: 20, batch_size: 64, shuffle: false });
		expect(notes.map((n) => `${n.line}:${n.column}`)).toEqual(['12:1', '12:11']);
		expect(notes[1].message).toMatch(/x_train is not in the code: the scenario has one made-up sample/);
		expect(() => validateScenario(scenario)).not.toThrow();
	});

	it('refuses the garbled slide with the line and column of the stray bracket', () => {
		expect(refusal(COURSE_001_GARBLED)).toEqual(['4:column 3: ) does not close the [ opened at line 2, column 26']);
	});

	it('reads a CNN with model.add, converting channels-last (28, 28, 1) to [1, 28, 28], with its Dropout layers', () => {
		const { scenario, notes } = importKeras(MNIST_CNN);
		expect(scenario.model).toEqual({
			input: [1, 28, 28],
			layers: [
				{ type: 'conv2d', filters: 32, kernel: 3, activation: 'relu' },
				{ type: 'pool', mode: 'max', size: 2 },
				{ type: 'dropout', rate: 0.25 },
				{ type: 'flatten' },
				{ type: 'dense', units: 128, activation: 'relu' },
				{ type: 'dropout', rate: 0.5 },
				{ type: 'dense', units: 10, activation: 'softmax' }
			]
		});
		expect(scenario.loss).toBe('categorical_cross_entropy');
		expect(scenario.optimizer).toEqual({ type: 'sgd', lr: 0.01 });
		expect(scenario.metrics).toEqual(['accuracy']);
		const dropouts = notes.filter((n) => n.message.startsWith('Dropout('));
		expect(dropouts.map((n) => `${n.line}:${n.column} ${n.message.split(':')[0]}`)).toEqual(['8:11 Dropout(0.25)', '11:11 Dropout(0.5)']);
		expect(dropouts[0].message).toContain('the units dropped are not Keras');
	});

	it('reads course 001’s 9×9×3 CNN: strides as a number or a pair, mean_squared_error, SGD(learning_rate=…)', () => {
		const { scenario } = importKeras(COURSE_001_CNN);
		expect(scenario.model?.input).toEqual([3, 9, 9]);
		expect(scenario.model?.layers.slice(0, 2)).toEqual([
			{ type: 'conv2d', filters: 8, kernel: 3, activation: 'relu' },
			{ type: 'conv2d', filters: 16, kernel: 3, stride: 2, activation: 'relu' }
		]);
		expect(scenario.optimizer).toEqual({ type: 'sgd', lr: 0.05 });
	});

	it('writes YAML that reads back as a runnable scenario, saying what was converted and left out', () => {
		const { yaml } = kerasToYaml(MNIST_CNN);
		expect(yaml).toMatch(/^# Read from Keras code/);
		expect(yaml).toContain('channels-last');
		expect(yaml).toContain('# line 8, column 11: Dropout(0.25): Stepwise draws its masks');
		expect(yaml).toContain('    - { type: conv2d, filters: 32, kernel: 3, activation: relu }');
		const scenario = readScenario(yaml);
		expect(scenario.kind).toBe('network');
	});
});

describe('the subset of Keras it takes', () => {
	it('takes input_dim, Activation layers, keras.Input(shape=…), SGD(lr=…) and literal data from fit', () => {
		const { scenario, notes } = importKeras(`import numpy as np
from keras import Sequential, Input
from keras.layers import Dense, Activation
from keras.optimizers import SGD
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([0, 1, 1, 0])
model = Sequential()
model.add(Dense(2, input_dim=2)); model.add(Activation('sigmoid'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer=SGD(lr=0.5))
model.fit(X, y, epochs=3, batch_size=1, shuffle=False, verbose=0)
`);
		expect(scenario.model?.layers).toEqual([
			{ type: 'dense', units: 2, activation: 'sigmoid' },
			{ type: 'dense', units: 1, activation: 'sigmoid' }
		]);
		expect(scenario.data).toEqual({ X: [[0, 0], [0, 1], [1, 0], [1, 1]], Y: [[0], [1], [1], [0]] });
		expect(scenario.training).toEqual({ epochs: 3, batch_size: 1, shuffle: false });
		expect(notes).toEqual([]);
	});

	it('converts padding=\'same\' to Stepwise’s padding where it pads both sides alike', () => {
		const { scenario } = importKeras(`model = Sequential([Conv2D(4, 3, padding='same', input_shape=(5, 5, 2)), Conv2D(2, (5, 3), padding='same')])`);
		expect(scenario.model?.layers).toEqual([
			{ type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
			{ type: 'conv2d', filters: 2, kernel: [5, 3], padding: [2, 1] }
		]);
	});

	it('reads TensorFlow’s MNIST tutorial: InputLayer, padding=\'same\', a sparse loss left out, data not in the code', () => {
		const { scenario, notes } = importKeras(`import tensorflow as tf
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = x_train / 255.0
model = tf.keras.models.Sequential([
  tf.keras.layers.InputLayer(input_shape=(28, 28, 1)),
  tf.keras.layers.Conv2D(8, 3, padding='same', activation=tf.nn.relu),
  tf.keras.layers.MaxPooling2D(padding='same'),
  tf.keras.layers.Flatten(),
  tf.keras.layers.Dense(10, activation='softmax')
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
history = model.fit(x_train, y_train, epochs=5)
print(model.summary())
`);
		expect(scenario.model?.layers).toEqual([
			{ type: 'conv2d', filters: 8, kernel: 3, padding: 1, activation: 'relu' },
			{ type: 'pool', mode: 'max', size: 2 },
			{ type: 'flatten' },
			{ type: 'dense', units: 10, activation: 'softmax' }
		]);
		expect(scenario.loss).toBeUndefined();
		expect(notes.find((n) => n.line === 11)?.message).toMatch(/sparse_categorical_crossentropy' left out.*one-hot.*forward only/);
		expect(scenario.data?.X).toHaveLength(1);
	});

	it('takes short arithmetic on sizes, and sizes held in variables', () => {
		const { scenario } = importKeras('n = 28\nhidden = 2 * 64 // 4\nmodel = Sequential([Dense(hidden, input_dim=n * n), Dense(-(-3))])');
		expect(scenario.model).toEqual({ input: 784, layers: [{ type: 'dense', units: 32 }, { type: 'dense', units: 3 }] });
	});

	it("takes a pooling layer's padding='same' where it pads, the odd cell after as Keras", () => {
		const { scenario } = importKeras("model = Sequential([AveragePooling2D(2, padding='same', input_shape=(3, 3, 1))])");
		expect(scenario.model?.layers).toEqual([{ type: 'pool', mode: 'avg', size: 2, padding: 'same' }]);
	});

	it('takes ZeroPadding2D before a Conv2D as its padding, the same on both sides', () => {
		const { scenario } = importKeras('model = Sequential([ZeroPadding2D(((1, 1), (2, 2)), input_shape=(4, 4, 1)), Conv2D(1, 3)])');
		expect(scenario.model?.layers).toEqual([{ type: 'conv2d', filters: 1, kernel: 3, padding: [1, 2] }]);
		expect(refusal('model = Sequential([ZeroPadding2D(((1, 0), (2, 2)), input_shape=(4, 4, 1)), Conv2D(1, 3)])')).toEqual([
			'1:column 36: ZeroPadding2D (1, 0) pads the two sides differently, and Stepwise pads both sides alike'
		]);
	});

	it('takes a (28, 28) input before Flatten as one channel', () => {
		const { scenario } = importKeras(`model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)), keras.layers.Dense(10, activation=tf.nn.softmax)])`);
		expect(scenario.model).toEqual({ input: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] });
	});

	it('reads set_weights in Keras’s layouts: a Dense kernel is Wᵀ, a Conv2D kernel kh×kw×in×out', () => {
		const { scenario } = importKeras(`model = Sequential([Conv2D(2, (1, 2), input_shape=(1, 2, 1)), Flatten(), Dense(1)])
model.layers[0].set_weights([np.array([[[[1, 2]], [[3, 4]]]]), np.array([0.5, -0.5])])
model.get_layer('dense').set_weights([[[10], [20]], [7]]) if False else None
`.replace(" if False else None", '').replace("get_layer('dense')", 'layers[2]'));
		const [conv, , dense] = scenario.model?.layers ?? [];
		// W[f][c][y][x] = kernel[y][x][c][f]: filter 0 is [1, 3], filter 1 is [2, 4]
		expect(conv).toMatchObject({ W: [[[[1, 3]]], [[[2, 4]]]], b: [0.5, -0.5] });
		expect(dense).toMatchObject({ W: [[10, 20]], b: [7] });
	});
});

const TRAINING_TOOLS = `from tensorflow import keras
from tensorflow.keras import layers, regularizers
X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]
y = [0, 1, 1, 0, 1]
model = keras.Sequential([
    layers.Dense(3, activation='tanh', input_shape=(2,), kernel_regularizer=regularizers.l2(0.001)),
    layers.Dropout(0.2),
    layers.Dense(1, activation='sigmoid', kernel_regularizer=regularizers.l2(0.001)),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05, beta_1=0.8), loss='binary_crossentropy', metrics=['accuracy', keras.metrics.AUC()])
stop = keras.callbacks.EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)
model.fit(X, y, epochs=30, batch_size=2, shuffle=False, validation_split=0.2, callbacks=[stop, keras.callbacks.History()])
model.evaluate([[0.2, 0.9]], [1])
`;

describe('the training settings of compile and fit', () => {
	it('takes the training tools of the courses: Adam, L2 weight decay, metrics, validation, EarlyStopping, evaluate', () => {
		const { scenario, notes } = importKeras(TRAINING_TOOLS);
		expect(scenario.model?.layers).toEqual([
			{ type: 'dense', units: 3, activation: 'tanh' },
			{ type: 'dropout', rate: 0.2 },
			{ type: 'dense', units: 1, activation: 'sigmoid' }
		]);
		expect(scenario.optimizer).toEqual({ type: 'adam', lr: 0.05, beta_1: 0.8 });
		expect(scenario.regularization).toEqual({ l2: 0.001 });
		expect(scenario.metrics).toEqual(['accuracy']);
		expect(scenario.training).toEqual({ epochs: 30, batch_size: 2, shuffle: false, validation_split: 0.2 });
		expect(scenario.early_stopping).toEqual({ monitor: 'val_loss', patience: 3, restore_best_weights: true });
		expect(scenario.test).toEqual({ X: [[0.2, 0.9]], Y: [[1]] });
		expect(notes.map((n) => n.message.split(':')[0])).toEqual(['Dropout(0.2)', 'metric keras.metrics.AUC() left out', 'callback keras.callbacks.History() left out']);
		expect(() => validateScenario(scenario)).not.toThrow();
	});

	it('writes every training setting to YAML that reads back as the same scenario', () => {
		const { scenario } = importKeras(TRAINING_TOOLS);
		const { yaml } = kerasToYaml(TRAINING_TOOLS);
		expect(parse(yaml)).toEqual(scenario);
	});

	it('reads validation_data written out as (x, y)', () => {
		const { scenario } = importKeras(`model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer='sgd', loss='mse')\nmodel.fit([[1, 2]], [3], validation_data=([[0, 1]], [2]), shuffle=False)`);
		expect(scenario.validation).toEqual({ X: [[0, 1]], Y: [[2]] });
	});

	it.each([
		["'adam'", { type: 'adam', lr: 0.001 }],
		["'rmsprop'", { type: 'rmsprop', lr: 0.001 }],
		['RMSprop(0.01, rho=0.8, epsilon=1e-6)', { type: 'rmsprop', lr: 0.01, rho: 0.8, epsilon: 1e-6 }],
		['SGD(learning_rate=0.1, momentum=0.9)', { type: 'momentum', lr: 0.1, momentum: 0.9 }],
		['SGD(0.1, momentum=0.0)', { type: 'sgd', lr: 0.1 }]
	])('reads the optimizer %s with Keras’s defaults for what it leaves out', (optimizer, expected) => {
		const { scenario } = importKeras(`model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer=${optimizer}, loss='mse')`);
		expect(scenario.optimizer).toEqual(expected);
	});

	it('keeps Keras’s flattened order for a Dense after Flatten and Dropout', () => {
		const withDropout = importKeras(`model = Sequential([Flatten(input_shape=(2, 2, 2)), Dropout(0.5), Dense(1)])\nmodel.layers[2].set_weights([[[1], [2], [3], [4], [5], [6], [7], [8]], [0]])`);
		const without = importKeras(`model = Sequential([Flatten(input_shape=(2, 2, 2)), Dense(1)])\nmodel.layers[1].set_weights([[[1], [2], [3], [4], [5], [6], [7], [8]], [0]])`);
		expect(withDropout.scenario.model?.layers[2]).toMatchObject({ W: (without.scenario.model?.layers[1] as { W: number[][] }).W });
	});
});

/** Course 002's fine-tuning: a pre-trained layer frozen, a batch normalisation, a decaying rate. */
const FINE_TUNING = `
from tensorflow import keras
from tensorflow.keras import layers
schedule = keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=4, decay_rate=0.5, staircase=True)
model = keras.Sequential([
    layers.Dense(3, activation='relu', input_shape=(2,), name='base'),
    layers.BatchNormalization(momentum=0.9, epsilon=1e-3),
    layers.Dense(1, activation='sigmoid', trainable=False),
])
model.get_layer('base').trainable = False
model.layers[2].trainable = True
model.layers[1].set_weights([[2, 1, 1], [0, 0.5, 0], [0, 0, 0], [1, 1, 1]])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule), loss='binary_crossentropy')
`;

describe('fine-tuning: frozen layers, batch normalisation, learning-rate schedules', () => {
	it('reads trainable=False and layer.trainable = …, BatchNormalization with its weights, and a schedule given through a variable', () => {
		const { scenario } = importKeras(FINE_TUNING);
		expect(scenario.model?.layers).toEqual([
			{ type: 'dense', units: 3, activation: 'relu', trainable: false },
			{ type: 'batchnorm', momentum: 0.9, epsilon: 1e-3, gamma: [2, 1, 1], beta: [0, 0.5, 0], moving_mean: [0, 0, 0], moving_variance: [1, 1, 1] },
			{ type: 'dense', units: 1, activation: 'sigmoid' }
		]);
		expect(scenario.optimizer).toEqual({ type: 'sgd', lr: { schedule: 'inverse_time', initial: 0.1, decay_steps: 4, decay_rate: 0.5, staircase: true } });
		expect(() => validateScenario(scenario)).not.toThrow();
	});

	it.each([
		['ExponentialDecay', "keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=0.01, decay_steps=10, decay_rate=0.9)", { schedule: 'exponential', initial: 0.01, decay_steps: 10, decay_rate: 0.9 }],
		['Keras 2’s decay=, InverseTimeDecay over single updates', '0.1, decay=0.01', { schedule: 'inverse_time', initial: 0.1, decay_rate: 0.01, decay_steps: 1 }]
	])('reads %s as a schedule', (_, argument, lr) => {
		const { scenario } = importKeras(`model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer=SGD(${argument}), loss='mse')`);
		expect(scenario.optimizer).toEqual({ type: 'sgd', lr });
	});

	it('counts Keras’s non-trainable parameters in the summary: a frozen layer, and the moving statistics', () => {
		const rows = kerasSummary(importKeras(FINE_TUNING).scenario).split('\n');
		// TensorFlow 2.9+ wraps a name longer than its column onto the next line
		expect(rows.slice(4, 11).map((row) => row.trimEnd())).toEqual([
			' dense (Dense)               (None, 3)                 9',
			'',
			' batch_normalization (BatchN  (None, 3)                12',
			' ormalization)',
			'',
			' dense_1 (Dense)             (None, 1)                 4',
			''
		]);
		// 9 frozen + the 6 moving statistics; γ, β and the output layer train
		expect(rows.slice(-4, -1)).toEqual(['Total params: 25', 'Trainable params: 10', 'Non-trainable params: 15']);
	});
});

describe('what it refuses, at its line and column', () => {
	const cases: [string, string, string][] = [
		['a layer Stepwise lacks', 'model = Sequential([Dense(4, input_dim=3), LSTM(4), Dense(1)])', '1:column 44: LSTM is not taken'],
		['an activation it lacks', "model = Sequential()\nmodel.add(Dense(4, input_dim=3, activation='elu'))", "2:column 44: activation 'elu' is not taken"],
		['a name of JavaScript’s objects', "model = Sequential([constructor(4, input_dim=3)])", '1:column 21: constructor is not taken'],
		['an activation named like one of JavaScript’s objects', "model = Sequential([Dense(4, input_dim=3, activation='constructor')])", "1:column 54: activation 'constructor' is not taken"],
		['an argument it lacks', 'model = Sequential([Dense(4, input_dim=3, use_bias=False)])', '1:column 52: use_bias=False is not taken'],
		['padding=\'same\' that pads one side more', "model = Sequential([Conv2D(1, 2, padding='same', input_shape=(4, 4, 1))])", "1:column 42: Conv2D padding='same' pads 1 row here, 0 before and 1 after"],
		['a model without its input shape', 'model = Sequential([Dense(4), Dense(1)])', "1:column 21: the model's input shape is not given"],
		['the functional API', 'inputs = keras.Input(shape=(3,))\nx = layers.Dense(2)(inputs)\nmodel = keras.Model(inputs, x)', '3:column 9: keras.Model(…) is the functional API'],
		['code without a model', 'import keras\nprint(1)', '1:column 1: no Keras model found'],
		['a comprehension among the layers', 'model = Sequential([Dense(4, input_dim=2)] + [Dense(4) for i in range(3)])', '1:column 56: a comprehension (for inside brackets) is not read'],
		['brackets nested too deep', `model = Sequential(${'['.repeat(100)}])`, '1:column 83: brackets nested more than 64 deep'],
		['endless arithmetic', `model = Sequential([Dense(${'1 + '.repeat(100)}1, input_dim=2)])`, '1:column 285: more than 64 operators in a row'],
		['a string never closed', "model = Sequential([Dense(4, activation='relu)])", '1:column 41: this string is never closed'],
		['Nesterov’s momentum', "model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer=SGD(0.1, momentum=0.9, nesterov=True), loss='mse')", '2:column 57: nesterov= is not taken'],
		['an optimizer Stepwise lacks', "model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer='adagrad', loss='mse')", "2:column 25: optimizer 'adagrad' is not taken: Stepwise has SGD (with or without momentum), RMSprop and Adam"],
		['decoupled weight decay', "model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer=Adam(weight_decay=0.01), loss='mse')", '2:column 43: weight_decay= is not taken'],
		['a centred RMSprop', "model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer=RMSprop(centered=True), loss='mse')", '2:column 42: centered= is not taken'],
		['an L2 weight decay on some layers only', "model = Sequential([Dense(2, input_dim=2, kernel_regularizer=l2(0.01)), Dense(1)])\nmodel.compile(optimizer='sgd', loss='mse')", "1:column 73: kernel_regularizer: Stepwise's L2 weight decay is the same λ on every Dense and Conv2D layer"],
		['an L1 regularizer', "model = Sequential([Dense(1, input_dim=2, kernel_regularizer=regularizers.l1(0.01))])\nmodel.compile(optimizer='sgd', loss='mse')", '1:column 62: kernel_regularizer regularizers.l1(0.01) is not taken'],
		['a dropout rate of 1', 'model = Sequential([Dense(2, input_dim=2), Dropout(1)])', '1:column 52: Dropout: the rate is a fraction'],
		['an early stopping on a quantity Stepwise lacks', "model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer='sgd', loss='mse')\nmodel.fit(X, y, callbacks=[EarlyStopping(monitor='val_auc')])", "3:column 50: monitor='val_auc' is not taken"],
		['a frozen BatchNormalization, which Keras runs in inference mode', 'model = Sequential([Dense(2, input_dim=2), BatchNormalization(trainable=False)])', '1:column 73: a frozen BatchNormalization is not taken'],
		['a batch normalisation over another axis', 'model = Sequential([Conv2D(2, 1, input_shape=(3, 3, 1)), BatchNormalization(axis=1)])', '1:column 82: axis=1 is not taken'],
		['a batch normalisation without γ', 'model = Sequential([Dense(2, input_dim=2), BatchNormalization(scale=False)])', '1:column 69: scale= is not taken'],
		['the whole model frozen', 'model = Sequential([Dense(2, input_dim=2)])\nmodel.trainable = False', '2:column 1: model.trainable = … would freeze or unfreeze every layer'],
		['a schedule Stepwise lacks', "model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer=SGD(keras.optimizers.schedules.CosineDecay(0.1, 100)), loss='mse')", '2:column 29: keras.optimizers.schedules.CosineDecay is not taken'],
		['a loss from logits', "model = Sequential([Dense(1, input_dim=2)])\nmodel.compile(optimizer='sgd', loss=keras.losses.BinaryCrossentropy(from_logits=True))", '2:column 81: from_logits=True is not taken'],
		['softmax with mse (the scenario’s own check, placed at compile)', "model = Sequential([Dense(2, input_dim=2, activation='softmax')])\nmodel.compile(optimizer='sgd', loss='mse')", '2:column 1: loss: softmax on the last layer needs categorical_cross_entropy']
	];
	it.each(cases)('%s', (_, source, expected) => {
		const [first] = refusal(source);
		expect(first.startsWith(expected), first).toBe(true);
	});

	it('leaves out lines that are not about the model, with a note', () => {
		const { notes } = importKeras("(x_train, y_train), (x_test, y_test) = mnist.load_data()\nfor i in range(3):\n    print(i)\nmodel = Sequential([Dense(1, input_dim=2)])\n");
		expect(notes.map((n) => `${n.line}:${n.column}`)).toEqual(['1:19', '2:1', '4:9']);
		expect(notes[0].message).toMatch(/^line left out, as it is not about the model/);
		expect(notes[1].message).toMatch(/the for block is not read/);
	});
});

describe('recognising pasted Keras code', () => {
	it('tells Keras code from a YAML scenario', () => {
		expect(looksLikeKeras(COURSE_001)).toBe(true);
		expect(looksLikeKeras(MNIST_CNN)).toBe(true);
		expect(looksLikeKeras('model:\n  input: 2\n  layers:\n    - { type: dense, units: 1 }\n')).toBe(false);
		expect(looksLikeKeras('title: Keras mse\nmodel:\n  input: 2\n')).toBe(false);
	});

	it('converts pasted Keras code to YAML, or gives the reader’s issues with their line', async () => {
		expect(await convertPasted('model:\n  input: 2\n')).toEqual({ kind: 'yaml' });
		const converted = await convertPasted(MNIST_CNN);
		expect(converted.kind === 'keras' && readScenario(converted.yaml).kind).toBe('network');
		expect(await convertPasted('model = Sequential([Dense(4)])')).toEqual({
			kind: 'refused',
			issues: [{ path: [], line: 1, message: expect.stringMatching(/^column 21: the model's input shape is not given/) }]
		});
	});
});
