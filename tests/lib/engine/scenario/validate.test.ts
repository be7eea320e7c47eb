import { describe, expect, it } from 'vitest';
import { ScenarioError, formatPath } from '../../../../src/lib/engine/scenario/issues';
import { validateScenario } from '../../../../src/lib/engine/scenario/validate';
import { DESIGN_EXAMPLE } from '../../../helpers';

/**
 * Bad input: every malformed scenario must be refused with a ScenarioError whose first issue names
 * the exact place (`model.layers[1].W`) and says what is wrong in the file's own words. Anything
 * else (a TypeError, a RangeError, a hang) on hostile input is a bug in the validator.
 */

type Path = (string | number)[];
type Mapping = Record<string, unknown>;

const DENSE: Mapping = DESIGN_EXAMPLE;

const IMAGE_5X5 = [
	[4, 0, 4, 3, 0],
	[1, 2, 7, 5, 2],
	[4, 8, 1, 6, 5],
	[1, 5, 0, 7, 8],
	[8, 2, 6, 3, 1]
];

/** DESIGN.md's image layers, forward only: 1×5×5 → conv 3×3 → 1×3×3 → pool 2 (stride 1) → 1×2×2 → 4 → 1. */
const CONV: Mapping = {
	model: {
		input: [1, 5, 5],
		layers: [
			{ type: 'conv2d', filters: 1, kernel: 3, stride: 1, padding: 0, activation: 'identity', W: [[[[1, 0, 1], [0, 1, 0], [1, 0, 1]]]], b: [0] },
			{ type: 'pool', mode: 'max', size: 2, stride: 1 },
			{ type: 'flatten' },
			{ type: 'dense', units: 1, activation: 'identity' }
		]
	},
	data: { X: [[IMAGE_5X5]] }
};

/** DESIGN.md's threshold unit. */
const PERCEPTRON: Mapping = {
	perceptron: { w: [0.1, 0.1], b: null, threshold: 0.5, strict: true, rule: 'sign', lr: 0.1 },
	data: { X: [[0, 0], [1, 0]], Y: [[0], [1]] },
	training: { epochs: 1 }
};

/** A copy of `base` with the value at `path` replaced (or added). */
function change(base: unknown, path: Path, value: unknown): unknown {
	const copy = structuredClone(base);
	const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Mapping)[key], copy) as Mapping;
	parent[path[path.length - 1]] = value;
	return copy;
}

/** A copy of `base` without the key at `path`. */
function remove(base: unknown, path: Path): unknown {
	const copy = structuredClone(base);
	const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Mapping)[key], copy) as Mapping;
	if (Array.isArray(parent)) parent.splice(Number(path[path.length - 1]), 1);
	else delete parent[path[path.length - 1]];
	return copy;
}

/** Several changes in a row: `edit(DENSE, [path, value], [path, undefined]…)`; undefined removes. */
function edit(base: unknown, ...changes: [Path, unknown][]): unknown {
	return changes.reduce((doc, [path, value]) => (value === undefined ? remove(doc, path) : change(doc, path, value)), base);
}

/** What `validateScenario` threw, or undefined when it accepted the scenario. */
function thrownBy(data: unknown): unknown {
	try {
		validateScenario(data);
	} catch (error) {
		return error;
	}
	return undefined;
}

/** A list nested `depth` deep around a number: [[[…[1]…]]]. */
function nested(depth: number): unknown {
	let value: unknown = 1;
	for (let i = 0; i < depth; i++) value = [value];
	return value;
}

/** n samples of C×H×W zeros. */
function images(n: number, c: number, h: number, w: number): number[][][][] {
	return Array.from({ length: n }, () => Array.from({ length: c }, () => Array.from({ length: h }, () => new Array<number>(w).fill(0))));
}

const layer = (i: number, ...rest: Path): Path => ['model', 'layers', i, ...rest];

interface Case {
	name: string;
	scenario: unknown;
	/** the first issue's path, as the message prints it */
	path: string;
	/** a key part of the first issue's message */
	message: string;
}

const cases: Case[] = [
	// ── unknown keys at every level, with a suggestion when one is close ──
	{ name: 'a misspelt top-level key', scenario: change(DENSE, ['trainig'], { epochs: 1 }), path: 'trainig', message: 'unknown key "trainig"; did you mean training?' },
	{ name: 'a misspelt model key', scenario: change(DENSE, ['model', 'layer'], []), path: 'model.layer', message: 'unknown key "layer"; did you mean layers?' },
	{ name: 'a misspelt dense key', scenario: change(DENSE, layer(0, 'unit'), 2), path: 'model.layers[0].unit', message: 'unknown key "unit"; did you mean units?' },
	{ name: 'a misspelt conv2d key', scenario: change(CONV, layer(0, 'filter'), 1), path: 'model.layers[0].filter', message: 'unknown key "filter"; did you mean filters?' },
	{ name: 'a stride on a flatten layer', scenario: change(CONV, layer(2, 'stride'), 1), path: 'model.layers[2].stride', message: 'unknown key "stride"; expected type' },
	{ name: 'a Keras-style optimizer key (no close match: list the keys)', scenario: change(DENSE, ['optimizer', 'learning_rate'], 0.1), path: 'optimizer.learning_rate', message: 'unknown key "learning_rate"; expected type or lr' },
	{ name: 'a misspelt training key', scenario: change(DENSE, ['training', 'epoch'], 3), path: 'training.epoch', message: 'did you mean epochs?' },
	{ name: 'a lower-case x in data', scenario: edit(DENSE, [['data', 'X'], undefined], [['data', 'x'], [[1, 0.5]]]), path: 'data.x', message: 'unknown key "x"; did you mean X?' },
	{ name: 'a misspelt required key (said once, as unknown, not also as missing)', scenario: edit(CONV, [layer(0, 'kernel'), undefined], [layer(0, 'kernal'), 3]), path: 'model.layers[0].kernal', message: 'unknown key "kernal"; did you mean kernel?' },
	{ name: 'a misspelt init key', scenario: edit(DENSE, [layer(0, 'W'), undefined], [layer(0, 'init'), { weight: 'he' }]), path: 'model.layers[0].init.weight', message: 'did you mean weights?' },
	{ name: 'a __proto__ key (JSON) is an unknown key, not a prototype', scenario: JSON.parse('{"__proto__": {"model": 1}, "model": {"input": 2, "layers": [{"type": "dense", "units": 1}]}, "data": {"X": [[1, 2]]}}') as unknown, path: '__proto__', message: 'unknown key "__proto__"' },

	// ── unknown names: layer type, activation, loss, init, optimizer ──
	{ name: 'an unknown layer type', scenario: change(DENSE, layer(0, 'type'), 'dens'), path: 'model.layers[0].type', message: 'unknown type "dens"; expected dense, conv2d, pool, flatten, dropout or batchnorm (did you mean dense?)' },
	{ name: 'another library’s layer name', scenario: change(CONV, layer(0, 'type'), 'Convolution'), path: 'model.layers[0].type', message: '(did you mean conv2d?)' },
	{ name: 'a layer without a type', scenario: remove(DENSE, layer(1, 'type')), path: 'model.layers[1].type', message: 'missing; expected dense, conv2d, pool, flatten, dropout or batchnorm' },
	{ name: 'a layer type that is a number', scenario: change(DENSE, layer(0, 'type'), 3), path: 'model.layers[0].type', message: 'unknown type 3; expected dense' },
	{ name: 'an unknown activation', scenario: change(DENSE, layer(0, 'activation'), 'sigmoïd'), path: 'model.layers[0].activation', message: 'got "sigmoïd"; did you mean sigmoid?' },
	{ name: 'an activation in capitals', scenario: change(DENSE, layer(1, 'activation'), 'ReLU'), path: 'model.layers[1].activation', message: 'did you mean relu?' },
	{ name: 'linear for identity', scenario: change(DENSE, layer(1, 'activation'), 'linear'), path: 'model.layers[1].activation', message: 'expected one of square, identity, step, sigmoid, tanh, relu, softplus or softmax, got "linear"; did you mean identity?' },
	{ name: 'an unknown loss (Keras’s name for mse)', scenario: change(DENSE, ['loss'], 'mean_squared_error'), path: 'loss', message: 'got "mean_squared_error"; did you mean mse?' },
	{ name: 'an ambiguous loss', scenario: change(DENSE, ['loss'], 'cross_entropy'), path: 'loss', message: 'did you mean binary_cross_entropy or categorical_cross_entropy?' },
	{ name: 'an unknown init scheme', scenario: edit(DENSE, [layer(0, 'W'), undefined], [layer(0, 'init'), { weights: 'glorot' }]), path: 'model.layers[0].init.weights', message: 'got "glorot"; did you mean xavier?' },
	{ name: 'an optimizer the engine does not have', scenario: change(DENSE, ['optimizer', 'type'], 'nadam'), path: 'optimizer.type', message: 'expected sgd, momentum, rmsprop or adam (did you mean adam?)' },
	{ name: 'a moving average that never forgets', scenario: change(DENSE, ['optimizer'], { type: 'adam', beta_1: 1 }), path: 'optimizer.beta_1', message: 'expected less than 1, got 1' },
	{ name: 'momentum without its learning rate', scenario: change(DENSE, ['optimizer'], { type: 'momentum', momentum: 0.9 }), path: 'optimizer.lr', message: 'missing' },
	{ name: 'a learning-rate schedule Keras does not have', scenario: change(DENSE, ['optimizer', 'lr'], { schedule: 'linear', initial: 0.1, decay_rate: 0.5, decay_steps: 1 }), path: 'optimizer.lr.schedule', message: 'expected one of inverse_time or exponential, got "linear"' },
	{ name: 'a schedule without its decay_steps', scenario: change(DENSE, ['optimizer', 'lr'], { schedule: 'inverse_time', initial: 0.1, decay_rate: 0.5 }), path: 'optimizer.lr.decay_steps', message: 'missing' },
	{ name: 'a schedule that decays over 0 updates', scenario: change(DENSE, ['optimizer', 'lr'], { schedule: 'exponential', initial: 0.1, decay_rate: 0.5, decay_steps: 0 }), path: 'optimizer.lr.decay_steps', message: 'more than 0' },
	{ name: 'trainable on a layer without weights', scenario: change(CONV, layer(2, 'trainable'), false), path: 'model.layers[2].trainable', message: 'a flatten layer has no weights to freeze or train; remove trainable' },
	{
		name: 'a frozen batch normalisation, which Keras runs in inference mode',
		scenario: { model: { input: 2, layers: [{ type: 'batchnorm', trainable: false }, { type: 'dense', units: 1 }] }, data: { X: [[1, 2]] } },
		path: 'model.layers[0].trainable',
		message: 'a frozen batchnorm layer is not taken: Keras then normalises by the moving statistics even at training'
	},
	{ name: 'trainable written as a string', scenario: change(DENSE, layer(0, 'trainable'), 'False'), path: 'model.layers[0].trainable', message: 'got "False"' },
	{ name: 'a negative weight decay', scenario: change(DENSE, ['regularization'], { l2: -0.1 }), path: 'regularization.l2', message: '0' },
	{ name: 'a pool without a mode', scenario: remove(CONV, layer(1, 'mode')), path: 'model.layers[1].mode', message: 'missing; expected one of max, avg or min' },
	{ name: 'an unknown reduction', scenario: change(DENSE, ['reduction'], 'average'), path: 'reduction', message: 'expected one of mean or sum, got "average"' },

	// ── wrong types ──
	{ name: 'a string for units', scenario: change(DENSE, layer(0, 'units'), 'two'), path: 'model.layers[0].units', message: 'expected a whole number, got "two"' },
	{ name: 'a boolean for units', scenario: change(DENSE, layer(0, 'units'), true), path: 'model.layers[0].units', message: 'got true' },
	{ name: 'a fraction for units', scenario: change(DENSE, layer(0, 'units'), 1.5), path: 'model.layers[0].units', message: 'expected a whole number, got 1.5' },
	{ name: 'units past 2^53', scenario: change(DENSE, layer(0, 'units'), 1e300), path: 'model.layers[0].units', message: 'expected a whole number, got 1e+300, too large to be exact' },
	{ name: 'a mapping for the learning rate', scenario: change(DENSE, ['optimizer', 'lr'], { value: 0.5 }), path: 'optimizer.lr', message: 'expected a positive number, or a schedule { schedule, initial, decay_rate, decay_steps }, got a mapping' },
	{ name: 'a French decimal comma in a YAML number', scenario: change(DENSE, ['optimizer', 'lr'], '0,5'), path: 'optimizer.lr', message: 'got "0,5"' },
	{ name: 'a string for shuffle', scenario: change(DENSE, ['training', 'shuffle'], 'yes'), path: 'training.shuffle', message: 'expected true or false, got "yes"' },
	{ name: 'a list for the model', scenario: change(DENSE, ['model'], [1]), path: 'model', message: 'expected a mapping (key: value), got a list of 1' },
	{ name: 'a mapping for the layers', scenario: change(DENSE, ['model', 'layers'], { type: 'dense' }), path: 'model.layers', message: 'expected a list, got a mapping' },
	{ name: 'a layer given as a string', scenario: change(DENSE, layer(0), 'dense'), path: 'model.layers[0]', message: 'expected a mapping (key: value), got "dense"' },
	{ name: 'no layers', scenario: change(DENSE, ['model', 'layers'], []), path: 'model.layers', message: 'expected at least 1 entry, got an empty list' },
	{ name: 'an input of two numbers', scenario: change(CONV, ['model', 'input'], [5, 5]), path: 'model.input', message: 'expected a number of features, or [channels, height, width] for images, got a list of 2' },
	{ name: 'a model without input', scenario: remove(DENSE, ['model', 'input']), path: 'model.input', message: 'missing; expected a number of features' },
	{ name: 'a kernel given as text', scenario: change(CONV, layer(0, 'kernel'), '3'), path: 'model.layers[0].kernel', message: 'expected a positive whole number, or [height, width], got "3"' },
	{ name: 'a stride of 0', scenario: change(CONV, layer(0, 'stride'), 0), path: 'model.layers[0].stride', message: 'expected a number at least 1, got 0' },
	{ name: 'a negative padding', scenario: change(CONV, layer(0, 'padding'), -1), path: 'model.layers[0].padding', message: 'got -1' },
	{ name: 'a number for the title', scenario: change(DENSE, ['title'], 5), path: 'title', message: 'expected text, or { fr: …, en: … }, got 5' },
	{ name: 'no scenario at all (empty file)', scenario: null, path: '(top level)', message: 'expected a mapping with model (or perceptron), data and training, got null' },
	{ name: 'a list at the top', scenario: [DENSE], path: '(top level)', message: 'got a list of 1' },

	// ── numbers inside tensors ──
	{ name: 'an infinity in W (YAML .inf)', scenario: change(DENSE, layer(0, 'W', 1, 0), Infinity), path: 'model.layers[0].W[1][0]', message: 'expected a finite number, got .inf (infinite)' },
	{ name: 'a NaN in X (YAML .nan)', scenario: change(DENSE, ['data', 'X', 0, 1], NaN), path: 'data.X[0][1]', message: 'expected a finite number, got .nan (not a number)' },
	{ name: 'a -.inf in b', scenario: change(DENSE, layer(1, 'b', 0), -Infinity), path: 'model.layers[1].b[0]', message: 'got -.inf (infinite)' },
	{ name: 'a string in X', scenario: change(DENSE, ['data', 'X', 0, 0], 'one'), path: 'data.X[0][0]', message: 'expected a finite number, got "one"' },
	{ name: 'a null in a conv kernel', scenario: change(CONV, layer(0, 'W', 0, 0, 2, 1), null), path: 'model.layers[0].W[0][0][2][1]', message: 'expected a finite number, got null' },
	{ name: 'a mapping for W', scenario: change(DENSE, layer(0, 'W'), { rows: 2 }), path: 'model.layers[0].W', message: 'expected a number or a list of numbers, got a mapping' },
	{ name: 'a ragged W (short row)', scenario: change(DENSE, layer(0, 'W', 1), [0.4]), path: 'model.layers[0].W[1]', message: 'expected 2 entries like the row before it, got 1' },
	{ name: 'a ragged X (a number for a row)', scenario: change(DENSE, ['data', 'X'], [[1, 0.5], 2]), path: 'data.X[1]', message: 'expected a list of 2 like the entries before it, got 2' },
	{ name: 'a ragged image (one row too long)', scenario: change(CONV, ['data', 'X', 0, 0, 3], [1, 5, 0, 7, 8, 9]), path: 'data.X[0][0][3]', message: 'expected 5 entries like the row before it, got 6' },
	{ name: 'X nested 10,000 deep (no stack overflow)', scenario: change(DENSE, ['data', 'X'], nested(10_000)), path: 'data.X', message: 'expected numbers in lists nested at most 8 deep' },

	// ── shapes of W and b ──
	{ name: 'a dense W transposed', scenario: change(DENSE, layer(1, 'W'), [[0.5], [-0.5]]), path: 'model.layers[1].W', message: 'expected 1×2 (units × inputs), got 2×1' },
	{ name: 'a dense W given as a flat list', scenario: change(DENSE, layer(1, 'W'), [0.5, -0.5]), path: 'model.layers[1].W', message: 'expected 1×2 (units × inputs), got 2' },
	{ name: 'a dense b too short', scenario: change(DENSE, layer(0, 'b'), [0.1]), path: 'model.layers[0].b', message: 'expected 2 (one per unit), got 1' },
	{ name: 'a dense b given as a number', scenario: change(DENSE, layer(1, 'b'), 0.2), path: 'model.layers[1].b', message: 'expected 1 (one per unit), got scalar' },
	{ name: 'a conv W without the channel level', scenario: change(CONV, layer(0, 'W'), [[[1, 0, 1], [0, 1, 0], [1, 0, 1]]]), path: 'model.layers[0].W', message: 'expected 1×1×3×3 (filters × channels × kernel height × kernel width), got 1×3×3' },
	{ name: 'a conv W of the wrong kernel size', scenario: change(CONV, layer(0, 'W'), [[[[1, 0], [0, 1]]]]), path: 'model.layers[0].W', message: 'expected 1×1×3×3' },
	{ name: 'a conv b with a bias too many', scenario: change(CONV, layer(0, 'b'), [0, 1]), path: 'model.layers[0].b', message: 'expected 1 (one per filter), got 2' },

	// ── data against the model ──
	{ name: 'X rows of the wrong width', scenario: change(DENSE, ['data', 'X'], [[1, 0.5, 2]]), path: 'data.X', message: 'expected rows of 2 numbers (the model\'s input), got 1 row of 3 numbers' },
	{ name: 'a single sample not wrapped in a list', scenario: change(DENSE, ['data', 'X'], [1, 0.5]), path: 'data.X', message: 'got a single sample of 2; wrap it in one more list' },
	{ name: 'a flat list of numbers for X', scenario: change(DENSE, ['data', 'X'], [1, 0.5, 2]), path: 'data.X', message: 'got a single list of 3 numbers; give one list per sample' },
	{ name: 'a number for X', scenario: change(DENSE, ['data', 'X'], 0.5), path: 'data.X', message: 'expected one row per sample, each a list of 2 numbers, got 0.5' },
	{ name: 'a file name for image X', scenario: change(CONV, ['data', 'X'], 'digits.png'), path: 'data.X', message: 'expected one row per sample, each a 1×5×5 image, got "digits.png"' },
	{ name: 'no samples', scenario: change(DENSE, ['data', 'X'], []), path: 'data.X', message: 'expected at least one sample, got an empty list' },
	{ name: 'an image X of the wrong height and width', scenario: change(CONV, ['data', 'X'], images(2, 1, 4, 4)), path: 'data.X', message: 'expected samples of 1×5×5 (the model\'s input: channels × height × width), got 2 samples of 1×4×4' },
	{ name: 'images without their channel level', scenario: change(CONV, ['data', 'X'], [IMAGE_5X5, IMAGE_5X5]), path: 'data.X', message: 'got 2 samples of 5×5' },
	{ name: 'a single image not wrapped in a list', scenario: change(CONV, ['data', 'X'], [IMAGE_5X5]), path: 'data.X', message: 'got a single sample of 1×5×5; wrap it in one more list' },
	{ name: 'an image X with three channels for one', scenario: change(CONV, ['data', 'X'], images(1, 3, 5, 5)), path: 'data.X', message: 'got 1 sample of 3×5×5' },
	{ name: 'Y wider than the last layer', scenario: change(DENSE, ['data', 'Y'], [[1, 0]]), path: 'data.Y', message: 'expected 1×1 (one row per sample of data.X × 1 output), got 1×2' },
	{ name: 'more Y rows than X rows', scenario: change(DENSE, ['data', 'Y'], [[1], [0]]), path: 'data.Y', message: 'expected 1×1 (one row per sample of data.X × 1 output), got 2×1' },
	{ name: 'a loss without Y', scenario: remove(DENSE, ['data', 'Y']), path: 'data.Y', message: 'missing; the loss half_squared_error compares the output with targets Y' },
	{ name: 'Y without a loss', scenario: remove(DENSE, ['loss']), path: 'loss', message: 'missing; data.Y is given but no loss says how to compare it with the output' },
	{ name: 'a loss without an optimizer', scenario: remove(DENSE, ['optimizer']), path: 'optimizer', message: 'missing; training with a loss needs { type: sgd, lr: … }' },
	{ name: 'an optimizer without a loss', scenario: change(CONV, ['optimizer'], { type: 'sgd', lr: 0.1 }), path: 'optimizer', message: 'there is no loss to minimise' },
	{ name: 'a loss on an image output', scenario: edit(CONV, [['model', 'layers'], [{ type: 'pool', mode: 'max', size: 5 }]], [['loss'], 'mse'], [['optimizer'], { type: 'sgd', lr: 1 }], [['data', 'Y'], [[1]]]), path: 'loss', message: 'the last layer gives 1×1×1; add flatten and dense layers' },
	{ name: 'no X', scenario: remove(DENSE, ['data', 'X']), path: 'data.X', message: 'missing' },

	// ── layers that cannot follow each other ──
	{ name: 'a kernel larger than the padded input', scenario: edit(CONV, [['model', 'input'], [1, 3, 3]], [layer(0, 'kernel'), 7], [layer(0, 'padding'), 1], [layer(0, 'W'), undefined]), path: 'model.layers[0].kernel', message: '7 is larger than the padded input 5×5' },
	{ name: 'a kernel wider than the input', scenario: edit(CONV, [layer(0, 'kernel'), [3, 7]], [layer(0, 'W'), undefined]), path: 'model.layers[0].kernel', message: '3×7 is larger than its input 5×5' },
	{ name: 'a pool window larger than its input', scenario: change(CONV, layer(1, 'size'), 4), path: 'model.layers[1].size', message: '4 is larger than its input 3×3' },
	{ name: 'a dense layer directly on an image input', scenario: change(CONV, ['model', 'layers'], [{ type: 'dense', units: 1 }]), path: 'model.layers[0]', message: 'dense needs a flat input, but the input gives 1×5×5; add { type: flatten } before it' },
	{ name: 'a dense layer after pool without flatten', scenario: remove(CONV, layer(2)), path: 'model.layers[2]', message: 'dense needs a flat input, but the pool layer before it gives 1×2×2' },
	{ name: 'a conv layer on a flat input', scenario: change(DENSE, layer(0), { type: 'conv2d', filters: 1, kernel: 1 }), path: 'model.layers[0]', message: 'conv2d needs an image input [channels, height, width], but the input gives 2 features' },
	{ name: 'a pool layer after a dense one', scenario: change(DENSE, layer(1), { type: 'pool', mode: 'max', size: 2 }), path: 'model.layers[1]', message: 'pool needs an image input [channels, height, width], but the dense layer before it gives 2 features' },
	{ name: 'softmax on a hidden layer', scenario: change(DENSE, layer(0, 'activation'), 'softmax'), path: 'model.layers[0].activation', message: 'softmax is only allowed on the last layer' },
	{ name: 'softmax with a squared error', scenario: change(DENSE, layer(1, 'activation'), 'softmax'), path: 'loss', message: 'softmax on the last layer needs categorical_cross_entropy, got half_squared_error' },
	{ name: 'softmax on a conv output', scenario: change(CONV, ['model', 'layers'], [{ type: 'conv2d', filters: 1, kernel: 3, activation: 'softmax' }]), path: 'model.layers[0].activation', message: 'softmax is only allowed on a dense output layer' },

	// ── training settings ──
	{ name: 'batch_size 0', scenario: change(DENSE, ['training', 'batch_size'], 0), path: 'training.batch_size', message: 'a batch holds at least 1 sample, got 0' },
	{ name: 'a negative batch_size', scenario: change(DENSE, ['training', 'batch_size'], -4), path: 'training.batch_size', message: 'got -4' },
	{ name: 'a negative learning rate', scenario: change(DENSE, ['optimizer', 'lr'], -0.1), path: 'optimizer.lr', message: 'expected a number more than 0, got -0.1' },
	{ name: 'a learning rate of 0', scenario: change(DENSE, ['optimizer', 'lr'], 0), path: 'optimizer.lr', message: 'expected a number more than 0, got 0' },
	{ name: 'epochs 0', scenario: change(DENSE, ['training', 'epochs'], 0), path: 'training.epochs', message: 'expected a number at least 1, got 0' },

	// ── conventions ──
	{ name: 'a ReLU′(0) of 0.5', scenario: change(DENSE, ['conventions'], { relu_derivative_at_zero: 0.5 }), path: 'conventions.relu_derivative_at_zero', message: 'ReLU′(0) is 0 (the default, as PyTorch and TensorFlow) or 1 (course 003: h′(x) = 1 for x ≥ 0), got 0.5' },
	{ name: 'a ReLU′(0) of -1', scenario: change(DENSE, ['conventions'], { relu_derivative_at_zero: -1 }), path: 'conventions.relu_derivative_at_zero', message: 'or 1 (course 003: h′(x) = 1 for x ≥ 0), got -1' },
	{ name: 'a ReLU′(0) given as text', scenario: change(DENSE, ['conventions'], { relu_derivative_at_zero: 'one' }), path: 'conventions.relu_derivative_at_zero', message: 'got "one"' },
	{ name: 'an unknown convention', scenario: change(DENSE, ['conventions'], { relu_at_zero: 1 }), path: 'conventions.relu_at_zero', message: 'relu_derivative_at_zero' },
	{ name: 'a perceptron with conventions', scenario: change(PERCEPTRON, ['conventions'], { relu_derivative_at_zero: 1 }), path: 'conventions', message: 'a perceptron has no ReLU, so no ReLU′(0) to choose; remove conventions' },

	// ── model or perceptron ──
	{ name: 'both model and perceptron', scenario: change(DENSE, ['perceptron'], { w: [0.1, 0.1] }), path: 'perceptron', message: 'a scenario has either model or perceptron, not both' },
	{ name: 'neither model nor perceptron', scenario: remove(DENSE, ['model']), path: 'model', message: 'missing; give model (a network) or perceptron (a threshold unit)' },
	{ name: 'no data', scenario: remove(DENSE, ['data']), path: 'data', message: 'missing; a run needs data.X' },
	{ name: 'data: null', scenario: change(DENSE, ['data'], null), path: 'data', message: 'expected a mapping (key: value), got null' },
	{ name: 'a perceptron target of 2', scenario: change(PERCEPTRON, ['data', 'Y', 1, 0], 2), path: 'data.Y[1][0]', message: 'a threshold unit\'s target is 0 or 1, got 2' },
	{ name: 'a perceptron target of -1 (the ±1 convention)', scenario: change(PERCEPTRON, ['data', 'Y', 0, 0], -1), path: 'data.Y[0][0]', message: 'target is 0 or 1, got -1' },
	{ name: 'a perceptron without targets', scenario: remove(PERCEPTRON, ['data', 'Y']), path: 'data.Y', message: 'missing; a perceptron learns from targets Y (0 or 1)' },
	{ name: 'a perceptron w that is a number', scenario: change(PERCEPTRON, ['perceptron', 'w'], 0.1), path: 'perceptron.w', message: 'expected a list of weights, one per input, got scalar' },
	{ name: 'a perceptron w that is a matrix', scenario: change(PERCEPTRON, ['perceptron', 'w'], [[0.1, 0.1]]), path: 'perceptron.w', message: 'expected a list of weights, one per input, got 1×2' },
	{ name: 'a perceptron w that is a mapping', scenario: change(PERCEPTRON, ['perceptron', 'w'], { x1: 0.1 }), path: 'perceptron.w', message: 'got a mapping' },
	{ name: 'a perceptron without weights', scenario: edit(PERCEPTRON, [['perceptron', 'w'], []], [['data', 'X'], [[], []]]), path: 'perceptron.w', message: 'one per input, got an empty list' },
	{ name: 'a perceptron with a loss', scenario: change(PERCEPTRON, ['loss'], 'mse'), path: 'loss', message: 'a perceptron learns by its own rule; set perceptron.rule and perceptron.lr instead' },
	{ name: 'a perceptron with an optimizer', scenario: change(PERCEPTRON, ['optimizer'], { type: 'sgd', lr: 0.1 }), path: 'optimizer', message: 'a perceptron learns by its own rule' },
	{ name: 'a perceptron with batches', scenario: change(PERCEPTRON, ['training', 'batch_size'], 2), path: 'training.batch_size', message: 'a perceptron learns from one sample at a time; use 1' },
	{ name: 'a perceptron X of the wrong width', scenario: change(PERCEPTRON, ['data', 'X'], [[0, 0, 1], [1, 0, 1]]), path: 'data.X', message: 'expected rows of 2 numbers (the model\'s input), got 2 rows of 3 numbers' },
	{ name: 'a perceptron bias given as text', scenario: change(PERCEPTRON, ['perceptron', 'b'], 'none'), path: 'perceptron.b', message: 'expected a finite number, got "none"' },
	{ name: 'an unknown perceptron rule', scenario: change(PERCEPTRON, ['perceptron', 'rule'], 'hebb'), path: 'perceptron.rule', message: 'expected one of delta or sign, got "hebb"' },

	// ── what a run may cost (limits.ts) ──
	{ name: 'more than 5 million parameters (3000×3000 dense)', scenario: { model: { input: 3000, layers: [{ type: 'dense', units: 3000 }] }, data: { X: [[1]] } }, path: 'model', message: '9,003,000 parameters is more than the 5,000,000 a run allows' },
	{ name: 'a trace over the memory budget (ten million epochs)', scenario: change(DENSE, ['training', 'epochs'], 10_000_000), path: 'training.epochs', message: 'MB (limit 256 MB); use fewer epochs or samples' },
	{ name: 'a forward pass over the multiply-add budget', scenario: { model: { input: [64, 16, 16], layers: [{ type: 'conv2d', filters: 64, kernel: 15, padding: 7, init: { weights: 'zeros' } }] }, data: { X: images(25, 64, 16, 16) } }, path: 'data.X', message: 'multiply-adds (limit 5e+9); use fewer or smaller samples' }
];

describe('validateScenario refuses malformed scenarios', () => {
	it('starts from valid scenarios', () => {
		expect(validateScenario(DENSE).kind).toBe('network');
		expect(validateScenario(CONV).kind).toBe('network');
		expect(validateScenario(PERCEPTRON).kind).toBe('perceptron');
	});

	it.each(cases)('$name → $path', ({ scenario, path, message }) => {
		const error = thrownBy(scenario);
		// a TypeError or RangeError here means hostile input crashed the validator
		expect(error).toBeInstanceOf(ScenarioError);
		const { issues, message: text } = error as ScenarioError;
		expect(formatPath(issues[0].path)).toBe(path);
		expect(issues[0].message).toContain(message);
		expect(text.startsWith(`${path}: `)).toBe(true);
	});

	it('has a case for each kind of mistake the brief lists', () => {
		expect(cases.length).toBeGreaterThanOrEqual(25);
		expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
	});
});

describe('limits are checked from shapes, before anything is allocated', () => {
	it('refuses 10 billion parameters at once (allocating them would throw or exhaust memory)', () => {
		const error = thrownBy({ model: { input: 100_000, layers: [{ type: 'dense', units: 100_000 }] }, data: { X: [[1]] } });
		expect(error).toBeInstanceOf(ScenarioError);
		expect((error as ScenarioError).message).toBe('model: 10,000,100,000 parameters is more than the 5,000,000 a run allows');
	});

	it('refuses a 3000×3000 dense layer without creating its 9 million initial weights', () => {
		const scenario = { model: { input: 3000, layers: [{ type: 'dense', units: 3000 }] }, data: { X: [[1]] } };
		thrownBy(scenario); // warm up: the first call pays for loading modules
		const before = process.memoryUsage().arrayBuffers;
		expect(thrownBy(scenario)).toBeInstanceOf(ScenarioError);
		// 9 million float64 weights would be 72 MB of array buffers
		expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
	});

	it('refuses a trace of absurdly many epochs (the cost is estimated, not run)', () => {
		const error = thrownBy(change(DENSE, ['training', 'epochs'], Number.MAX_SAFE_INTEGER));
		expect(error).toBeInstanceOf(ScenarioError);
		expect((error as ScenarioError).issues[0].path).toEqual(['training', 'epochs']);
	});
});

describe('every issue is reported, each at its own path', () => {
	it('lists several independent problems, one a line, in file order', () => {
		const error = thrownBy(edit(DENSE, [layer(0, 'W', 0, 0), 'x'], [layer(1, 'b'), [1, 2]], [['data', 'Y'], [[1, 2]]]));
		expect(error).toBeInstanceOf(ScenarioError);
		expect((error as ScenarioError).message.split('\n')).toEqual([
			'model.layers[0].W[0][0]: expected a finite number, got "x"',
			'model.layers[1].b: expected 1 (one per unit), got 2',
			'data.Y: expected 1×1 (one row per sample of data.X × 1 output), got 1×2'
		]);
	});

	it('reports only the first layer that cannot be planned, not the ones after it that depend on it', () => {
		const error = thrownBy(edit(CONV, [layer(0, 'kernel'), 9], [layer(0, 'W'), undefined]));
		expect(error).toBeInstanceOf(ScenarioError);
		expect((error as ScenarioError).issues.map((i) => formatPath(i.path))).toEqual(['model.layers[0].kernel']);
	});
});
