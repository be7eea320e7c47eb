/**
 * Reads a Keras Sequential model written in Python (as the courses write it) into a Stepwise
 * scenario. Nothing runs: the code is tokenized and parsed (parse.ts), and the reader looks at
 * the calls it finds. What changes the network's numbers and cannot be taken (a layer or an
 * argument Stepwise lacks) is refused with its line and column; what can be left out without
 * changing them (metrics, dropout, a layer's name, the data of model.fit) is left out, with a note.
 */
import type { ActivationName } from '../engine/activations';
import { MONITORS, type MetricName, type Monitor } from '../engine/evaluate';
import { outputSize, samePadding } from '../engine/layers/window';
import { LIMITS } from '../engine/limits';
import type { LossName } from '../engine/losses';
import { mulberry32 } from '../engine/prng';
import { formatPath, ScenarioError } from '../engine/scenario/issues';
import { OPTIMIZER_DEFAULTS } from '../engine/optimizers';
import { KERAS_SCHEDULES, type ScheduleName } from '../engine/schedules';
import type { InitConfig, LayerConfig, OptimizerConfig, ScenarioFile } from '../engine/scenario/schema';
import { validateScenario } from '../engine/scenario/validate';
import type { NestedNumbers } from '../engine/tensor';
import { channelsFirst, convFromKeras, denseFromKeras, flattenOrder, imageToChannelsFirst, nestedShape } from './layout';
import { parsePython, type Expr, type Keyword, type Statement } from './parse';
import { kerasError, problemAt, type KerasProblem, type Position } from './problems';

export interface KerasImport {
	scenario: ScenarioFile;
	/** what was left out (made-up data included), each at its place in the code */
	notes: KerasProblem[];
}

/** Stepwise's model: the layers a scenario has, with the place in the code of each. */
type Shape = number[];

interface ReadLayer {
	config: LayerConfig;
	at: Position;
	/** the shape this layer receives (channels-first) */
	inputShape: Shape;
	/** the shape before the flatten that feeds this dense or batch-normalisation layer, when it flattens an image */
	flattened: Shape | null;
}

/** A layer of model.layers, by Keras's count: Stepwise's layer it became, or null (dropout). */
interface KerasSlot {
	name: string | null;
	layer: number | null;
}

const ACTIVATIONS: Record<string, ActivationName> = {
	linear: 'identity',
	relu: 'relu',
	sigmoid: 'sigmoid',
	tanh: 'tanh',
	softplus: 'softplus',
	softmax: 'softmax'
};

/** The optimizers Stepwise has, by Keras's name, with Keras's default learning rate. */
const KERAS_OPTIMIZERS: Record<string, { lr: number }> = { sgd: { lr: 0.01 }, rmsprop: { lr: OPTIMIZER_DEFAULTS.rmspropLr }, adam: { lr: OPTIMIZER_DEFAULTS.adamLr } };

const LOSSES: Record<string, LossName> = {
	mse: 'mse',
	meansquarederror: 'mse',
	binarycrossentropy: 'binary_cross_entropy',
	categoricalcrossentropy: 'categorical_cross_entropy',
	mae: 'mae',
	meanabsoluteerror: 'mae'
};

/** Keras's metric names (strings, functions and classes) for those Stepwise computes. */
const METRICS: Record<string, MetricName> = {
	accuracy: 'accuracy',
	acc: 'accuracy',
	binaryaccuracy: 'accuracy',
	categoricalaccuracy: 'accuracy',
	mae: 'mae',
	meanabsoluteerror: 'mae',
	mse: 'mse',
	meansquarederror: 'mse'
};

/** Keras's l2 regularizer without a factor: `kernel_regularizer='l2'` or `l2()` */
const KERAS_L2_DEFAULT = 0.01;

const INITIALIZERS: Record<string, Pick<InitConfig, 'weights' | 'scale'>> = {
	glorotuniform: { weights: 'xavier' },
	heuniform: { weights: 'he' },
	zeros: { weights: 'zeros' },
	randomuniform: { weights: 'uniform', scale: 0.05 },
	randomnormal: { weights: 'normal', scale: 0.05 }
};

/** The arguments each layer takes, positional ones first in Keras's order; others are refused. */
const LAYER_ARGUMENTS: Record<string, { positional: string[]; keywords: string[] }> = {
	Dense: { positional: ['units', 'activation'], keywords: ['use_bias', 'kernel_initializer', 'bias_initializer', 'input_dim', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer'] },
	Conv2D: { positional: ['filters', 'kernel_size', 'strides', 'padding'], keywords: ['data_format', 'dilation_rate', 'groups', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer'] },
	MaxPooling2D: { positional: ['pool_size', 'strides', 'padding'], keywords: ['data_format'] },
	AveragePooling2D: { positional: ['pool_size', 'strides', 'padding'], keywords: ['data_format'] },
	Flatten: { positional: [], keywords: ['data_format'] },
	Dropout: { positional: ['rate'], keywords: ['noise_shape', 'seed'] },
	BatchNormalization: {
		positional: ['axis', 'momentum', 'epsilon', 'center', 'scale'],
		keywords: ['beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint', 'synchronized']
	},
	Activation: { positional: ['activation'], keywords: [] },
	ReLU: { positional: [], keywords: [] },
	Softmax: { positional: [], keywords: [] },
	ZeroPadding2D: { positional: ['padding'], keywords: ['data_format'] },
	Input: { positional: ['shape'], keywords: ['batch_size', 'batch_shape', 'dtype', 'sparse', 'tensor', 'ragged'] },
	InputLayer: { positional: ['input_shape'], keywords: ['shape', 'batch_size', 'batch_shape', 'batch_input_shape', 'dtype', 'sparse', 'ragged'] }
};
/** Arguments every layer accepts: the input's shape on a first layer, and a name and dtype that change no number. */
const COMMON_ARGUMENTS = ['input_shape', 'batch_input_shape', 'name', 'dtype', 'trainable'];
/** Calls that set the framework up and change none of the model's numbers (the precision is Stepwise's float64). */
const SETUP_CALLS = new Set(['set_floatx', 'set_random_seed', 'set_seed', 'seed', 'manual_seed', 'set_default_dtype', 'clear_session']);
type LearningRate = NonNullable<Extract<OptimizerConfig, { type: 'sgd' }>['lr']>;
const FROZEN_BATCHNORM = 'a frozen BatchNormalization is not taken: Keras then normalises by its moving statistics even at training, which Stepwise does not';
const ALIASES: Record<string, string> = { Convolution2D: 'Conv2D', MaxPool2D: 'MaxPooling2D', AvgPool2D: 'AveragePooling2D', AveragePooling: 'AveragePooling2D' };

/** A table's entry for a name read from the code, never one of Object's own (`constructor`). */
function entry<T>(table: Record<string, T>, key: string): T | undefined {
	return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** How deep the reader follows names and nested lists: a name defined by itself has no literal value. */
const MAX_DEPTH = 64;

class Refused extends Error {
	constructor(readonly problem: KerasProblem) {
		super(problem.message);
	}
}

function refuse(at: Position, message: string): never {
	throw new Refused(problemAt(at, message));
}

/** A call's arguments by name, positional ones named as Keras names them. */
class Arguments {
	readonly values = new Map<string, { value: Expr; at: Position }>();

	constructor(call: Extract<Expr, { kind: 'call' }>, what: string, positional: string[], keywords: string[]) {
		call.args.forEach((value, i) => {
			if (i >= positional.length) refuse(value.at, `${what} takes ${positional.length === 0 ? 'no' : `at most ${positional.length}`} positional argument${positional.length === 1 ? '' : 's'}`);
			this.values.set(positional[i], { value, at: value.at });
		});
		const allowed = new Set([...positional, ...keywords]);
		call.keywords.forEach((k: Keyword) => {
			if (!allowed.has(k.name)) refuse(k.at, `${k.name}= of ${what} is not taken: Stepwise has no such setting`);
			this.values.set(k.name, { value: k.value, at: k.at });
		});
	}

	get(name: string): Expr | undefined {
		return this.values.get(name)?.value;
	}
}

/** The last name of a callee or value: `Dense` for `keras.layers.Dense`. */
function lastName(expr: Expr): string | null {
	if (expr.kind === 'name') return expr.name;
	if (expr.kind === 'attribute') return expr.name;
	return null;
}

/** A name, attribute chain or call mentions `name` somewhere (the model's variable in a statement). */
function mentions(expr: Expr, name: string): boolean {
	switch (expr.kind) {
		case 'name':
			return expr.name === name;
		case 'attribute':
			return mentions(expr.object, name);
		case 'call':
			return mentions(expr.callee, name) || expr.args.some((a) => mentions(a, name)) || expr.keywords.some((k) => mentions(k.value, name));
		case 'subscript':
			return mentions(expr.object, name) || mentions(expr.index, name);
		case 'list':
		case 'tuple':
			return expr.items.some((item) => mentions(item, name));
		case 'unary':
			return mentions(expr.operand, name);
		case 'binary':
			return mentions(expr.left, name) || mentions(expr.right, name);
		default:
			return false;
	}
}

/** Python source text of a short expression, for messages. */
function show(expr: Expr): string {
	switch (expr.kind) {
		case 'number':
			return String(expr.value);
		case 'string':
			return `'${expr.value}'`;
		case 'name':
			return expr.name;
		case 'attribute':
			return `${show(expr.object)}.${expr.name}`;
		case 'call': {
			const args = [...expr.args.map(show), ...expr.keywords.map((k) => `${k.name}=${show(k.value)}`)].join(', ');
			return `${show(expr.callee)}(${args.length > 40 ? '…' : args})`;
		}
		case 'subscript':
			return `${show(expr.object)}[${show(expr.index)}]`;
		case 'list':
			return `[${expr.items.length > 4 ? '…' : expr.items.map(show).join(', ')}]`;
		case 'tuple':
			return `(${expr.items.map(show).join(', ')}${expr.items.length === 1 ? ',' : ''})`;
		case 'unary':
			return `${expr.op}${show(expr.operand)}`;
		case 'binary':
			return `${show(expr.left)} ${expr.op} ${show(expr.right)}`;
	}
}

class Reader {
	private readonly names = new Map<string, Expr>();
	readonly notes: KerasProblem[] = [];
	private model: { variable: string; at: Position; call: Extract<Expr, { kind: 'call' }> } | null = null;
	private readonly added: Expr[] = [];
	private compile: Extract<Expr, { kind: 'call' }> | null = null;
	private fit: Extract<Expr, { kind: 'call' }> | null = null;
	private predict: Extract<Expr, { kind: 'call' }> | null = null;
	private readonly weights: { selector: Expr; call: Extract<Expr, { kind: 'call' }> }[] = [];
	/** `model.layers[i].trainable = False` and `model.get_layer(name).trainable = …`, applied once the layers are read */
	private readonly trainables: { selector: Expr; value: Expr; at: Position }[] = [];
	private evaluateCall: Extract<Expr, { kind: 'call' }> | null = null;
	/** each Dense and Conv2D's kernel_regularizer, in order (null: none) */
	private readonly kernelL2: ({ l2: number; at: Position } | null)[] = [];

	/** A name's value, followed through assignments (`input_size = (20, )`). */
	resolve(expr: Expr, depth = 0): Expr {
		if (expr.kind === 'name' && depth < MAX_DEPTH) {
			const value = this.names.get(expr.name);
			if (value) return this.resolve(value, depth + 1);
		}
		return expr;
	}

	/** A whole number written as a literal or simple arithmetic on literals. */
	number(expr: Expr, what: string): number {
		const value = this.evaluate(expr);
		if (value === null) refuse(expr.at, `${what}: expected a number, found ${show(expr)}`);
		return value;
	}

	/** `depth` bounds a name defined by itself (`x = x / 255`), which has no literal value. */
	private evaluate(expr: Expr, depth = 0): number | null {
		if (depth > MAX_DEPTH) return null;
		const e = this.resolve(expr);
		if (e.kind === 'number') return e.value;
		if (e.kind === 'unary') {
			const v = this.evaluate(e.operand, depth + 1);
			return v === null ? null : e.op === '-' ? -v : v;
		}
		if (e.kind === 'binary') {
			const a = this.evaluate(e.left, depth + 1);
			const b = this.evaluate(e.right, depth + 1);
			if (a === null || b === null) return null;
			if (e.op === '+') return a + b;
			if (e.op === '-') return a - b;
			if (e.op === '*') return a * b;
			if (b === 0) return null;
			return e.op === '/' ? a / b : Math.floor(a / b);
		}
		return null;
	}

	int(expr: Expr, what: string): number {
		const value = this.number(expr, what);
		if (!Number.isInteger(value) || value < 1) refuse(expr.at, `${what}: expected a whole number of at least 1, found ${show(expr)}`);
		return value;
	}

	/** `3` or `(3, 3)`, as Keras writes a kernel, a stride or a pool size. */
	pair(expr: Expr, what: string): [number, number] {
		const e = this.resolve(expr);
		if (e.kind === 'tuple' || e.kind === 'list') {
			if (e.items.length !== 2) refuse(e.at, `${what}: expected two numbers (height, width), found ${show(e)}`);
			return [this.int(e.items[0], what), this.int(e.items[1], what)];
		}
		const n = this.int(e, what);
		return [n, n];
	}

	string(expr: Expr, what: string): string {
		const e = this.resolve(expr);
		if (e.kind !== 'string') refuse(e.at, `${what}: expected a string, found ${show(e)}`);
		return e.value;
	}

	/** A shape tuple, None (the batch) left out where `batch` says it comes first. */
	shape(expr: Expr, what: string, batch: boolean): number[] {
		const e = this.resolve(expr);
		if (e.kind !== 'tuple' && e.kind !== 'list') {
			if (!batch) return [this.int(e, what)];
			refuse(e.at, `${what}: expected a tuple such as (28, 28, 1), found ${show(e)}`);
		}
		const items = batch ? e.items.slice(1) : e.items;
		return items.map((item) => this.int(item, what));
	}

	isNone(expr: Expr): boolean {
		const e = this.resolve(expr);
		return e.kind === 'name' && e.name === 'None';
	}

	boolean(expr: Expr, what: string): boolean {
		const e = this.resolve(expr);
		if (e.kind === 'name' && (e.name === 'True' || e.name === 'False')) return e.name === 'True';
		refuse(e.at, `${what}: expected True or False, found ${show(e)}`);
	}

	/** Nested lists of numbers: a literal, or np.array(literal) (tf.constant, np.asarray). */
	array(expr: Expr, depth = 0): NestedNumbers | null {
		if (depth > MAX_DEPTH) return null;
		const e = this.resolve(expr);
		if (e.kind === 'call' && ['array', 'asarray', 'constant', 'convert_to_tensor', 'tensor'].includes(lastName(e.callee) ?? '') && e.args.length >= 1) {
			return this.array(e.args[0], depth + 1);
		}
		if (e.kind === 'list' || e.kind === 'tuple') {
			const items = e.items.map((item) => this.array(item, depth + 1));
			return items.every((item) => item !== null) ? (items as NestedNumbers[]) : null;
		}
		return this.evaluate(e);
	}

	activation(expr: Expr): ActivationName {
		if (this.isNone(expr)) return 'identity';
		const e = this.resolve(expr);
		const name = e.kind === 'string' ? e.value : lastName(e);
		const activation = name ? entry(ACTIVATIONS, name.toLowerCase()) : undefined;
		if (!activation) refuse(e.at, `activation ${show(e)} is not taken: Stepwise has linear (identity), relu, sigmoid, tanh, softplus and softmax`);
		return activation;
	}

	read(statements: Statement[]): void {
		for (const statement of statements) {
			try {
				this.statement(statement);
			} catch (error) {
				if (error instanceof Refused) throw kerasError([error.problem]);
				throw error;
			}
		}
	}

	private statement(s: Statement): void {
		if (s.kind === 'import') return;
		const variable = this.model?.variable;
		if (s.kind === 'unread') {
			const touchesModel = s.tokens.some((t) => t.kind === 'name' && (t.text === variable || t.text === 'Sequential' || entry(LAYER_ARGUMENTS, t.text) || entry(ALIASES, t.text)));
			if (touchesModel) throw new Refused(s.problem);
			this.notes.push(problemAt(s.problem, `line left out, as it is not about the model (the reader stops here: ${s.problem.message})`));
			return;
		}
		if (s.kind === 'assign') {
			if (s.target.kind === 'attribute' && s.target.name === 'trainable' && variable && mentions(s.target.object, variable)) {
				if (s.target.object.kind === 'name') refuse(s.at, `${variable}.trainable = … would freeze or unfreeze every layer: write ${variable}.layers[i].trainable = False for the layers to freeze`);
				this.trainables.push({ selector: s.target.object, value: s.value, at: s.at });
				return;
			}
			if (s.target.kind !== 'name') {
				if (variable && mentions(s.target, variable)) refuse(s.at, `${show(s.target)} = … is not taken: the reader takes the model's layers, compile, fit, set_weights and trainable`);
				this.notes.push(problemAt(s.at, `${show(s.target)} = … left out: it is not part of the model`));
				return;
			}
			const value = this.resolve(s.value);
			if (value.kind === 'call' && lastName(value.callee) === 'Sequential') {
				if (this.model) refuse(s.at, `a second model: the reader takes one Sequential model, and ${this.model.variable} was built at line ${this.model.at.line}`);
				this.model = { variable: s.target.name, at: value.at, call: value };
				return;
			}
			if (value.kind === 'call' && (lastName(value.callee) === 'Model' || lastName(value.callee) === 'Functional')) {
				refuse(value.at, `${show(value.callee)}(…) is the functional API, which the reader does not take: write the model with Sequential([...])`);
			}
			if (variable && mentions(value, variable) && value.kind === 'call') this.modelCall(value);
			else this.names.set(s.target.name, s.value);
			return;
		}
		const value = s.value;
		if (value.kind === 'call' && variable && mentions(value, variable)) {
			if (lastName(value.callee) === 'print' && value.args.length === 1 && value.args[0].kind === 'call') this.modelCall(value.args[0]);
			else this.modelCall(value);
			return;
		}
		if (value.kind === 'call' && SETUP_CALLS.has(lastName(value.callee) ?? '')) return;
		this.notes.push(problemAt(s.at, `${show(value)} left out: it is not part of the model`));
	}

	/** model.add / compile / fit / summary, model.layers[i].set_weights, model.get_layer(name).set_weights. */
	private modelCall(call: Extract<Expr, { kind: 'call' }>): void {
		const variable = this.model?.variable ?? '';
		const method = call.callee.kind === 'attribute' ? call.callee.name : null;
		const target = call.callee.kind === 'attribute' ? call.callee.object : null;
		const onModel = target?.kind === 'name' && target.name === variable;
		if (onModel && method === 'add') {
			if (call.args.length !== 1) refuse(call.at, `${variable}.add takes one layer`);
			this.added.push(call.args[0]);
		} else if (onModel && method === 'compile') this.compile = call;
		else if (onModel && method === 'fit') this.fit = call;
		else if (onModel && method === 'predict') this.predict = call;
		else if (onModel && method === 'evaluate') this.evaluateCall = call;
		else if (onModel && (method === 'summary' || method === 'save' || method === 'build')) {
			if (method !== 'summary') this.notes.push(problemAt(call.at, `${variable}.${method}(…) left out: a scenario replays the training`));
		} else if (method === 'set_weights' && target) this.weights.push({ selector: target, call });
		else refuse(call.at, `${show(call)} is not taken: the reader takes ${variable}.add, compile, fit and set_weights`);
	}

	/** The layers: Sequential's list, then model.add's. */
	private layerCalls(): Expr[] {
		const call = this.model?.call;
		if (!call) return [];
		const list = call.args[0] ?? call.keywords.find((k) => k.name === 'layers')?.value;
		const other = call.keywords.find((k) => k.name !== 'layers' && k.name !== 'name');
		if (other) refuse(other.at, `${other.name}= of Sequential is not taken`);
		const layers = list ? this.resolve(list) : null;
		if (layers && layers.kind !== 'list' && layers.kind !== 'tuple') refuse(layers.at, `Sequential: expected a list of layers, found ${show(layers)}`);
		return [...(layers?.items ?? []), ...this.added];
	}

	/** The Keras type of a layer expression, aliases resolved: `Dense` for `keras.layers.Dense(3)`. */
	private layerType(expr: Expr): string {
		const e = this.resolve(expr);
		const written = e.kind === 'call' ? (lastName(e.callee) ?? '') : '';
		return entry(ALIASES, written) ?? written;
	}

	modelName(): string | null {
		const name = this.model?.call.keywords.find((k) => k.name === 'name');
		return name ? this.string(name.value, 'name') : null;
	}

	scenario(): KerasImport {
		if (!this.model) throw kerasError([{ line: 1, column: 1, message: 'no Keras model found: the reader takes model = Sequential([...]) or model = Sequential() and model.add(...)' }]);
		try {
			return this.build(this.model.at);
		} catch (error) {
			if (error instanceof Refused) throw kerasError([error.problem]);
			throw error;
		}
	}

	private build(modelAt: Position): KerasImport {
		const layers: ReadLayer[] = [];
		const slots: KerasSlot[] = [];
		let shape: Shape | null = null;
		let pendingPadding: { padding: [number, number]; at: Position } | null = null;
		const calls = this.layerCalls();
		for (const [position, expr] of calls.entries()) {
			const e = this.resolve(expr);
			if (e.kind !== 'call') refuse(e.at, `expected a layer such as Dense(…), found ${show(e)}`);
			const written = lastName(e.callee) ?? '';
			const type = this.layerType(e);
			const spec = entry(LAYER_ARGUMENTS, type);
			if (!spec) refuse(e.at, `${written} is not taken: Stepwise has Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, BatchNormalization, Activation and ZeroPadding2D layers`);
			const args = new Arguments(e, written, spec.positional, [...spec.keywords, ...COMMON_ARGUMENTS]);
			const name = args.get('name') ? this.string(args.get('name') as Expr, 'name') : null;
			if (type === 'Input' || type === 'InputLayer') {
				if (layers.length > 0 || shape) refuse(e.at, `${written} must come first`);
				const given = args.get('shape') ?? args.get('input_shape');
				const batchShape = args.get('batch_shape') ?? args.get('batch_input_shape');
				if (!given && !batchShape) refuse(e.at, `${written}: the shape is missing, as in ${written}(shape=(20,))`);
				const flattenNext = position + 1 < calls.length && this.layerType(calls[position + 1]) === 'Flatten';
				shape = this.inputShape(given ? this.shape(given, 'shape', false) : this.shape(batchShape as Expr, 'batch_shape', true), e.at, flattenNext);
				continue;
			}
			const inputGiven = args.get('input_shape') ?? args.get('batch_input_shape') ?? args.get('input_dim');
			if (inputGiven) {
				if (layers.length > 0 || shape) refuse(inputGiven.at, 'the input shape is given on the first layer only');
				const raw = args.get('input_dim') ? [this.int(inputGiven, 'input_dim')] : args.get('input_shape') ? this.shape(inputGiven, 'input_shape', false) : this.shape(inputGiven, 'batch_input_shape', true);
				shape = this.inputShape(raw, inputGiven.at, type === 'Flatten');
			}
			if (!shape) refuse(e.at, `the model's input shape is not given: write ${written}(…, input_shape=(…)) or put keras.Input(shape=(…)) first`);
			const trainable = args.get('trainable');
			const frozen = trainable !== undefined && !this.boolean(trainable, 'trainable');
			const dataFormat = args.get('data_format');
			if (dataFormat && this.string(dataFormat, 'data_format') !== 'channels_last') refuse(dataFormat.at, 'data_format is not taken: the reader takes Keras\'s channels_last layout and converts it');
			if (type === 'Dropout') {
				const rateExpr = args.get('rate') ?? refuse(e.at, 'Dropout: the rate is missing, as in Dropout(0.5)');
				const rate = this.number(rateExpr, 'rate');
				if (!(rate >= 0 && rate < 1)) refuse(rateExpr.at, `Dropout: the rate is a fraction from 0 up to (not including) 1, found ${show(rateExpr)}`);
				const noiseShape = args.get('noise_shape');
				if (noiseShape && !this.isNone(noiseShape)) refuse(noiseShape.at, 'noise_shape= is not taken: Stepwise draws one mask entry per unit');
				this.notes.push(problemAt(e.at, `Dropout(${show(rateExpr)}): Stepwise draws its masks from the scenario's seed, so the units dropped are not Keras's`));
				if (frozen) this.notes.push(problemAt((trainable as Expr).at, 'trainable=False on Dropout changes nothing: it has no weights'));
				layers.push({ config: { type: 'dropout', rate }, at: e.at, inputShape: shape, flattened: null });
				slots.push({ name, layer: layers.length });
				continue;
			}
			if (type === 'BatchNormalization') {
				if (frozen) refuse((trainable as Expr).at, FROZEN_BATCHNORM);
				const beforeNormalisation = [...layers].reverse().find((l) => l.config.type !== 'dropout' && l.config.type !== 'batchnorm');
				const flattenedImage = beforeNormalisation?.config.type === 'flatten' && beforeNormalisation.inputShape.length === 3 ? beforeNormalisation.inputShape : null;
				layers.push({ config: this.batchNormalization(args, shape), at: e.at, inputShape: shape, flattened: flattenedImage });
				slots.push({ name, layer: layers.length });
				continue;
			}
			if (pendingPadding && type !== 'Conv2D') refuse(pendingPadding.at, 'ZeroPadding2D is taken only before a Conv2D, as its padding');
			if (type === 'ZeroPadding2D') {
				const padding = args.get('padding') ? this.padding(args.get('padding') as Expr) : ([1, 1] as [number, number]);
				pendingPadding = { padding, at: e.at };
				slots.push({ name, layer: null });
				continue;
			}
			if (type === 'Activation' || type === 'ReLU' || type === 'Softmax') {
				const activation = type === 'Activation' ? this.activation(args.get('activation') ?? e) : type === 'ReLU' ? 'relu' : 'softmax';
				const previous = layers[layers.length - 1]?.config;
				if (!previous || (previous.type !== 'dense' && previous.type !== 'conv2d')) refuse(e.at, `${written} is taken only after a Dense or Conv2D layer, as its activation`);
				if (previous.activation && previous.activation !== 'identity') refuse(e.at, `${written}: the layer before already has the activation ${previous.activation}, and Stepwise gives a layer one`);
				previous.activation = activation;
				slots.push({ name, layer: null });
				continue;
			}
			const config = this.layer(type, written, args, e.at, shape, pendingPadding?.padding ?? null);
			pendingPadding = null;
			if (frozen) {
				if (config.type === 'dense' || config.type === 'conv2d') config.trainable = false;
				else this.notes.push(problemAt((trainable as Expr).at, `trainable=False on ${written} changes nothing: it has no weights`));
			}
			// Dropout or batch normalisation between Flatten and Dense keeps the flattened order
			const beforeDropout = [...layers].reverse().find((l) => l.config.type !== 'dropout' && l.config.type !== 'batchnorm');
			const flattened = config.type === 'dense' && beforeDropout?.config.type === 'flatten' && beforeDropout.inputShape.length === 3 ? beforeDropout.inputShape : null;
			layers.push({ config, at: e.at, inputShape: shape, flattened });
			slots.push({ name, layer: layers.length });
			shape = nextShape(config, shape);
		}
		if (pendingPadding) refuse(pendingPadding.at, 'ZeroPadding2D is taken only before a Conv2D, as its padding');
		if (layers.length === 0) refuse(modelAt, 'the model has no layer Stepwise takes');
		for (const { selector, call } of this.weights) this.setWeights(selector, call, slots, layers);
		for (const { selector, value, at } of this.trainables) this.setTrainable(selector, value, at, slots, layers);

		const input = layers[0].inputShape;
		const scenario: ScenarioFile = {
			model: { input: input.length === 1 ? input[0] : (input as [number, number, number]), layers: layers.map((l) => l.config) }
		};
		const title = this.modelName();
		if (title) scenario.title = title;
		const outputs = shape ? shape.reduce((a, b) => a * b, 1) : 1;
		if (this.compile) Object.assign(scenario, this.compiled(this.compile, outputs));
		if (scenario.loss) Object.assign(scenario, this.regularization(layers));
		this.data(scenario, input, outputs, modelAt);
		this.check(scenario, layers, modelAt);
		const notes = [...this.notes].sort((a, b) => a.line - b.line || a.column - b.column);
		return { scenario, notes };
	}

	private inputShape(raw: number[], at: Position, flattenFirst: boolean): Shape {
		if (raw.length === 1) return raw;
		if (raw.length === 3) return channelsFirst(raw);
		if (raw.length === 2 && flattenFirst) return [1, raw[0], raw[1]];
		refuse(at, `an input of shape (${raw.join(', ')}) is not taken: Stepwise takes a vector (n,) or an image (height, width, channels)${raw.length === 2 ? ', or (height, width) followed by Flatten' : ''}`);
	}

	/** ZeroPadding2D's padding: `p`, `(ph, pw)` or `((top, bottom), (left, right))` with each pair alike. */
	private padding(expr: Expr): [number, number] {
		const e = this.resolve(expr);
		if (e.kind !== 'tuple' && e.kind !== 'list') return [this.int0(e), this.int0(e)];
		if (e.items.length !== 2) refuse(e.at, `padding: expected (rows, columns), found ${show(e)}`);
		return e.items.map((item) => {
			const pair = this.resolve(item);
			if (pair.kind !== 'tuple' && pair.kind !== 'list') return this.int0(pair);
			const [before, after] = pair.items.map((side) => this.int0(side));
			if (pair.items.length !== 2 || before !== after) refuse(pair.at, `ZeroPadding2D ${show(pair)} pads the two sides differently, and Stepwise pads both sides alike`);
			return before;
		}) as [number, number];
	}

	/** A padding: a whole number, 0 or more. */
	private int0(expr: Expr): number {
		const value = this.number(expr, 'padding');
		if (!Number.isInteger(value) || value < 0) refuse(expr.at, `padding: expected a whole number of 0 or more, found ${show(expr)}`);
		return value;
	}

	private layer(type: string, written: string, args: Arguments, at: Position, shape: Shape, padded: [number, number] | null): LayerConfig {
		if (type === 'Flatten') return { type: 'flatten' };
		if (type === 'Dense') {
			if (shape.length !== 1) refuse(at, `Dense on an input of shape (${channelsLastText(shape)}) is not taken: Keras applies it to the last axis, Stepwise needs a flat input; put Flatten() before it`);
			const config: LayerConfig = { type: 'dense', units: this.int(args.get('units') ?? refuse(at, 'Dense: the number of units is missing'), 'units') };
			return this.withCommon(config, args);
		}
		if (shape.length !== 3) refuse(at, `${written} needs an image input (height, width, channels), and it receives ${shape[0]} numbers`);
		const spatial: [number, number] = [shape[1], shape[2]];
		if (type === 'Conv2D') {
			const kernel = this.pair(args.get('kernel_size') ?? refuse(at, 'Conv2D: kernel_size is missing'), 'kernel_size');
			const stride = args.get('strides') ? this.pair(args.get('strides') as Expr, 'strides') : ([1, 1] as [number, number]);
			const dilation = args.get('dilation_rate');
			if (dilation && this.pair(dilation, 'dilation_rate').some((d) => d !== 1)) refuse(dilation.at, 'dilation_rate is not taken: Stepwise\'s kernels are not dilated');
			const groups = args.get('groups');
			if (groups && this.int(groups, 'groups') !== 1) refuse(groups.at, 'groups is not taken: Stepwise\'s filters see every channel');
			let padding = this.windowPadding(args.get('padding'), kernel, stride, spatial, 'Conv2D');
			if (padded) {
				if (padding[0] || padding[1]) refuse(at, 'Conv2D after ZeroPadding2D: give the Conv2D padding=\'valid\'');
				padding = padded;
			}
			const config: LayerConfig = { type: 'conv2d', filters: this.int(args.get('filters') ?? refuse(at, 'Conv2D: the number of filters is missing'), 'filters'), kernel: compact(kernel) };
			if (stride[0] !== 1 || stride[1] !== 1) config.stride = compact(stride);
			if (padding[0] || padding[1]) config.padding = compact(padding);
			return this.withCommon(config, args);
		}
		const size = args.get('pool_size') ? this.pair(args.get('pool_size') as Expr, 'pool_size') : ([2, 2] as [number, number]);
		const strideArg = args.get('strides');
		const stride = strideArg && !this.isNone(strideArg) ? this.pair(strideArg, 'strides') : size;
		const paddingArg = args.get('padding');
		const mode = paddingArg ? this.string(paddingArg, 'padding').toLowerCase() : 'valid';
		if (mode !== 'valid' && mode !== 'same') refuse((paddingArg as Expr).at, `padding='${mode}' is not taken: Keras has 'valid' and 'same'`);
		const config: LayerConfig = { type: 'pool', mode: type === 'MaxPooling2D' ? 'max' : 'avg', size: compact(size) };
		if (stride[0] !== size[0] || stride[1] !== size[1]) config.stride = compact(stride);
		// 'same' where it pads: Stepwise's pooling pads as Keras does, the odd cell after
		if (mode === 'same' && [0, 1].some((axis) => samePadding(spatial[axis], size[axis], stride[axis]).some((p) => p > 0))) config.padding = 'same';
		return config;
	}

	/**
	 * Keras's padding as Stepwise's zeros on each side: 'valid' is none; 'same' pads
	 * (⌈n/s⌉ − 1)·s + k − n in all, the odd one after, which Stepwise takes only when it splits evenly.
	 */
	private windowPadding(expr: Expr | undefined, kernel: [number, number], stride: [number, number], spatial: [number, number], layer: string): [number, number] {
		const mode = expr ? this.string(expr, 'padding').toLowerCase() : 'valid';
		if (mode === 'valid') return [0, 0];
		if (mode !== 'same') refuse((expr as Expr).at, `padding='${mode}' is not taken: Keras has 'valid' and 'same'`);
		return [0, 1].map((axis) => {
			const n = spatial[axis];
			const out = Math.ceil(n / stride[axis]);
			const total = Math.max((out - 1) * stride[axis] + kernel[axis] - n, 0);
			const p = total / 2;
			if (!Number.isInteger(p) || outputSize(n, kernel[axis], stride[axis], p) !== out) {
				const side = `${axis === 0 ? 'row' : 'column'}${total === 1 ? '' : 's'}`;
				refuse((expr as Expr).at, `${layer} padding='same' pads ${total} ${side} here, ${Math.floor(total / 2)} before and ${Math.ceil(total / 2)} after, and Stepwise pads both sides alike: use padding='valid', or a kernel and stride that pad evenly`);
			}
			return p;
		}) as [number, number];
	}

	private withCommon<T extends Extract<LayerConfig, { type: 'dense' | 'conv2d' }>>(config: T, args: Arguments): T {
		const activation = args.get('activation');
		if (activation) {
			const name = this.activation(activation);
			if (name !== 'identity') config.activation = name;
		}
		const useBias = args.get('use_bias');
		if (useBias && !this.boolean(useBias, 'use_bias')) refuse(useBias.at, 'use_bias=False is not taken: every Stepwise layer has biases');
		const kernelInit = args.get('kernel_initializer');
		if (kernelInit) {
			const e = this.resolve(kernelInit);
			const key = (e.kind === 'string' ? e.value : e.kind === 'call' ? lastName(e.callee) : lastName(e))?.toLowerCase().replaceAll('_', '') ?? '';
			const init = entry(INITIALIZERS, key);
			if (!init || (e.kind === 'call' && (e.args.length > 0 || e.keywords.length > 0))) refuse(e.at, `kernel_initializer ${show(e)} is not taken: Stepwise draws from glorot_uniform (its default), he_uniform, zeros, random_uniform or random_normal`);
			if (init.weights !== 'xavier') config.init = { ...init };
		}
		for (const key of ['bias_regularizer', 'activity_regularizer']) {
			const v = args.get(key);
			if (v && !this.isNone(v)) refuse(v.at, `${key}= is not taken: Stepwise's weight decay is on the kernels (kernel_regularizer=l2(λ))`);
		}
		const regularizer = args.get('kernel_regularizer');
		this.kernelL2.push(regularizer && !this.isNone(regularizer) ? { l2: this.l2(regularizer), at: regularizer.at } : null);
		const biasInit = args.get('bias_initializer');
		if (biasInit) {
			const e = this.resolve(biasInit);
			const key = (e.kind === 'string' ? e.value : e.kind === 'call' ? lastName(e.callee) : lastName(e))?.toLowerCase() ?? '';
			if (key !== 'zeros') refuse(e.at, `bias_initializer ${show(e)} is not taken: Stepwise's biases start at zero unless set_weights gives them`);
		}
		return config;
	}

	/** λ of `l2(λ)`, `regularizers.l2(0.01)`, `keras.regularizers.L2(l2=0.01)` or `'l2'` (Keras's default, 0.01). */
	private l2(expr: Expr): number {
		const e = this.resolve(expr);
		const written = (e.kind === 'string' ? e.value : e.kind === 'call' ? lastName(e.callee) : lastName(e))?.toLowerCase() ?? '';
		if (written !== 'l2') refuse(e.at, `kernel_regularizer ${show(e)} is not taken: Stepwise has L2 weight decay, l2(λ)`);
		if (e.kind !== 'call') return KERAS_L2_DEFAULT;
		const args = new Arguments(e, show(e.callee), ['l2'], []);
		const given = args.get('l2');
		const l2 = given ? this.number(given, 'l2') : KERAS_L2_DEFAULT;
		if (!(l2 >= 0)) refuse(e.at, `l2: λ must be 0 or more, found ${l2}`);
		return l2;
	}

	/** The kernel_regularizer of every Dense and Conv2D as one λ: Stepwise's weight decay is the same on every layer's W. */
	private regularization(layers: ReadLayer[]): Pick<ScenarioFile, 'regularization'> {
		const given = this.kernelL2.find((r) => r !== null);
		if (!given) return {};
		this.kernelL2.forEach((r, i) => {
			if (r?.l2 === given.l2) return;
			const at = r?.at ?? layers.filter((l) => l.config.type === 'dense' || l.config.type === 'conv2d')[i].at;
			refuse(at, `kernel_regularizer: Stepwise's L2 weight decay is the same λ on every Dense and Conv2D layer; give each l2(${given.l2}) (line ${given.at.line} does)`);
		});
		return given.l2 > 0 ? { regularization: { l2: given.l2 } } : {};
	}

	/** The Keras layer `model.layers[i]` or `model.get_layer(name)` designates, for `what` (set_weights, trainable). */
	private slotOf(selector: Expr, slots: KerasSlot[], at: Position, what: string, example: string): KerasSlot {
		const variable = this.model?.variable ?? '';
		if (selector.kind === 'subscript' && selector.object.kind === 'attribute' && selector.object.name === 'layers') {
			const raw = this.number(selector.index, 'layer index');
			const slot = slots[raw < 0 ? slots.length + raw : raw];
			if (!slot) refuse(selector.index.at, `${variable}.layers has ${slots.length} layers (from 0), not ${raw}`);
			return slot;
		}
		if (selector.kind === 'call' && lastName(selector.callee) === 'get_layer' && selector.args.length === 1) {
			const name = this.string(selector.args[0], 'get_layer');
			const slot = slots.find((s) => s.name === name);
			if (!slot) refuse(selector.args[0].at, `no layer is named '${name}'`);
			return slot;
		}
		refuse(at, `${show(selector)}.${what} is not taken: write ${variable}.layers[i].${what}${example} or ${variable}.get_layer('name').${what}${example}`);
	}

	/**
	 * BatchNormalization as Keras builds it: over the last axis (a unit, or a channel of an image),
	 * γ and β starting at 1 and 0. What would normalise something else is refused.
	 */
	private batchNormalization(args: Arguments, shape: Shape): LayerConfig {
		const axis = args.get('axis');
		if (axis && !this.isNone(axis)) {
			const value = this.number(axis, 'axis');
			// Keras's axes count the batch first: the last axis is -1, or the shape's length
			if (value !== -1 && value !== shape.length) refuse(axis.at, `axis=${show(axis)} is not taken: Stepwise normalises each feature of the last axis (axis=-1, Keras's default), a unit or an image's channel`);
		}
		for (const key of ['center', 'scale', 'synchronized'] as const) {
			const given = args.get(key);
			if (given && this.boolean(given, key) !== (key !== 'synchronized')) refuse(given.at, `${key}= is not taken: Stepwise's batch normalisation has both γ and β, on one device`);
		}
		const defaults: Record<string, string> = { beta_initializer: 'zeros', gamma_initializer: 'ones', moving_mean_initializer: 'zeros', moving_variance_initializer: 'ones' };
		for (const [key, expected] of Object.entries(defaults)) {
			const given = args.get(key);
			if (given && this.string(given, key).toLowerCase() !== expected) refuse(given.at, `${key}= is not taken: Stepwise starts from Keras's default '${expected}'`);
		}
		for (const key of ['beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint']) {
			const given = args.get(key);
			if (given && !this.isNone(given)) refuse(given.at, `${key}= is not taken: Stepwise regularises only the kernels`);
		}
		const config: LayerConfig = { type: 'batchnorm' };
		const momentum = args.get('momentum');
		if (momentum) config.momentum = this.number(momentum, 'momentum');
		const epsilon = args.get('epsilon');
		if (epsilon) config.epsilon = this.number(epsilon, 'epsilon');
		return config;
	}

	/** layer.trainable = False: Keras's freezing of a pre-trained layer (course 002's fine-tuning). */
	private setTrainable(selector: Expr, value: Expr, at: Position, slots: KerasSlot[], layers: ReadLayer[]): void {
		const slot = this.slotOf(selector, slots, at, 'trainable', ' = False');
		const trainable = this.boolean(value, 'trainable');
		const read = slot.layer === null ? undefined : layers[slot.layer - 1];
		if (read?.config.type === 'batchnorm') {
			if (!trainable) refuse(at, FROZEN_BATCHNORM);
			return;
		}
		if (!read || (read.config.type !== 'dense' && read.config.type !== 'conv2d')) {
			this.notes.push(problemAt(at, `${show(selector)}.trainable changes nothing: the layer has no weights`));
			return;
		}
		if (trainable) delete read.config.trainable;
		else read.config.trainable = false;
	}

	/** layer.set_weights([kernel, bias]) in Keras's layout, as Stepwise's W and b. */
	private setWeights(selector: Expr, call: Extract<Expr, { kind: 'call' }>, slots: KerasSlot[], layers: ReadLayer[]): void {
		const slot = this.slotOf(selector, slots, call.at, 'set_weights', '([...])');
		const index = slot.layer;
		const read = index === null ? undefined : layers[index - 1];
		if (read?.config.type === 'batchnorm') {
			this.setNormalisation(read, read.config, call);
			return;
		}
		if (!read || (read.config.type !== 'dense' && read.config.type !== 'conv2d')) refuse(call.at, 'set_weights on a layer without weights');
		const list = call.args.length === 1 ? this.resolve(call.args[0]) : null;
		if (!list || (list.kind !== 'list' && list.kind !== 'tuple') || list.items.length !== 2) refuse(call.at, 'set_weights takes one list: [kernel, bias]');
		const [kernelExpr, biasExpr] = list.items;
		const kernel = this.array(kernelExpr);
		const bias = this.array(biasExpr);
		if (kernel === null) refuse(kernelExpr.at, 'the kernel is not a list of numbers the reader can read');
		if (bias === null) refuse(biasExpr.at, 'the bias is not a list of numbers the reader can read');
		const config = read.config;
		const inputs = read.inputShape;
		const expected =
			config.type === 'dense'
				? [inputs.reduce((a, b) => a * b, 1), config.units]
				: [...pairOf(config.kernel), inputs[0], config.filters];
		const units = config.type === 'dense' ? config.units : config.filters;
		const got = nestedShape(kernel);
		if (!got || got.length !== expected.length || got.some((d, i) => d !== expected[i])) {
			const layout = config.type === 'dense' ? 'inputs × units, Keras\'s layout' : 'kernel height × kernel width × input channels × filters, Keras\'s layout';
			refuse(kernelExpr.at, `the kernel should be ${expected.join('×')} (${layout}), found ${got ? got.join('×') : 'ragged lists'}`);
		}
		const biasShape = nestedShape(bias);
		if (!biasShape || biasShape.length !== 1 || biasShape[0] !== units) refuse(biasExpr.at, `the bias should hold ${units} numbers, found ${biasShape ? biasShape.join('×') : 'ragged lists'}`);
		config.W = config.type === 'dense' ? denseFromKeras(kernel as number[][], flattenOrder(read.flattened ?? [expected[0]])) : convFromKeras(kernel as number[][][][]);
		config.b = bias;
	}

	/** A BatchNormalization's set_weights([gamma, beta, moving_mean, moving_variance]), one number per feature, in Keras's flattened order after Flatten. */
	private setNormalisation(read: ReadLayer, config: Extract<LayerConfig, { type: 'batchnorm' }>, call: Extract<Expr, { kind: 'call' }>): void {
		const list = call.args.length === 1 ? this.resolve(call.args[0]) : null;
		if (!list || (list.kind !== 'list' && list.kind !== 'tuple') || list.items.length !== 4) refuse(call.at, 'set_weights on a BatchNormalization takes one list: [gamma, beta, moving_mean, moving_variance]');
		const features = read.inputShape[0];
		const order = read.flattened ? flattenOrder(read.flattened) : null;
		const [gamma, beta, movingMean, movingVariance] = list.items.map((item, i) => {
			const values = this.array(item);
			const shape = values === null ? null : nestedShape(values);
			const name = ['gamma', 'beta', 'moving_mean', 'moving_variance'][i];
			if (!shape || shape.length !== 1 || shape[0] !== features) refuse(item.at, `${name} should hold ${features} numbers, one per feature, found ${shape ? shape.join('×') : 'something the reader cannot read'}`);
			const keras = values as number[];
			return order ? order.map((kerasIndex) => keras[kerasIndex]) : keras;
		});
		Object.assign(config, { gamma, beta, moving_mean: movingMean, moving_variance: movingVariance });
	}

	private compiled(call: Extract<Expr, { kind: 'call' }>, outputs: number): Partial<ScenarioFile> {
		// only two positional arguments: Keras 2 and 3 order the others differently
		const args = new Arguments(call, 'compile', ['optimizer', 'loss'], ['loss_weights', 'metrics', 'weighted_metrics', 'run_eagerly', 'steps_per_execution', 'jit_compile', 'auto_scale_loss']);
		for (const [name, { at }] of args.values) {
			if (!['optimizer', 'loss', 'loss_weights', 'metrics'].includes(name)) this.notes.push(problemAt(at, `${name}= left out: Stepwise shows the loss, step by step`));
		}
		const lossExpr = args.get('loss');
		if (!lossExpr) {
			this.notes.push(problemAt(call.at, 'compile without a loss: the scenario is forward only'));
			return {};
		}
		const loss = this.loss(lossExpr, args.get('loss_weights'), outputs);
		if (!loss) return {};
		const metricsExpr = args.get('metrics');
		const metrics = metricsExpr ? this.metrics(metricsExpr) : [];
		return { ...loss, optimizer: this.optimizer(args.get('optimizer'), call.at), ...(metrics.length > 0 ? { metrics } : {}) };
	}

	/** compile(metrics=[…]): those Stepwise computes, by Keras's names; the others are left out with a note, as they change no number of the training. */
	private metrics(expr: Expr): MetricName[] {
		const e = this.resolve(expr);
		const items = e.kind === 'list' || e.kind === 'tuple' ? e.items : [e];
		const metrics: MetricName[] = [];
		for (const item of items) {
			const m = this.resolve(item);
			const written = m.kind === 'string' ? m.value : m.kind === 'call' ? lastName(m.callee) : lastName(m);
			const metric = written ? entry(METRICS, written.toLowerCase().replaceAll('_', '')) : undefined;
			if (!metric) this.notes.push(problemAt(m.at, `metric ${show(m)} left out: Stepwise computes accuracy, mae and mse`));
			else if (!metrics.includes(metric)) metrics.push(metric);
		}
		return metrics;
	}

	private loss(expr: Expr, weightsExpr: Expr | undefined, outputs: number): Pick<ScenarioFile, 'loss' | 'reduction'> | null {
		const e = this.resolve(expr);
		const name = e.kind === 'string' ? e.value : e.kind === 'call' ? lastName(e.callee) : lastName(e);
		let loss = name ? entry(LOSSES, name.toLowerCase().replaceAll('_', '')) : undefined;
		if (!loss) {
			const sparse = name?.toLowerCase().replaceAll('_', '').startsWith('sparse') ? ' (categorical_crossentropy takes the classes one-hot)' : '';
			this.notes.push(problemAt(e.at, `loss ${show(e)} left out: Stepwise has mse, mae, binary_crossentropy and categorical_crossentropy${sparse}, and squared errors; the scenario is forward only`));
			return null;
		}
		let reduction: 'mean' | 'sum' | undefined;
		if (e.kind === 'call') {
			const args = new Arguments(e, show(e.callee), [], ['reduction', 'from_logits', 'name', 'label_smoothing', 'axis']);
			const fromLogits = args.get('from_logits');
			if (fromLogits && this.boolean(fromLogits, 'from_logits')) refuse(fromLogits.at, 'from_logits=True is not taken: put the sigmoid or softmax on the last layer instead');
			const smoothing = args.get('label_smoothing');
			if (smoothing && this.number(smoothing, 'label_smoothing') !== 0) refuse(smoothing.at, 'label_smoothing is not taken');
			const r = args.get('reduction');
			if (r && !this.isNone(r)) {
				const mode = this.string(r, 'reduction');
				if (mode === 'sum') reduction = 'sum';
				else if (mode !== 'sum_over_batch_size' && mode !== 'auto') refuse(r.at, `reduction='${mode}' is not taken: Stepwise averages over the batch (sum_over_batch_size) or sums (sum)`);
			}
		}
		if (weightsExpr) {
			const w = this.resolve(weightsExpr);
			const factor = this.number(w.kind === 'list' || w.kind === 'tuple' ? (w.items.length === 1 ? w.items[0] : refuse(w.at, 'loss_weights: one model output, one weight')) : w, 'loss_weights');
			if (loss === 'mse' && factor === outputs) loss = 'squared_error';
			else if (loss === 'mse' && factor === outputs / 2) loss = 'half_squared_error';
			else if (factor !== 1) refuse(w.at, `loss_weights ${show(w)} is not taken: with mse, Stepwise takes ${outputs} (the squared error Σ) or ${outputs / 2} (half of it)`);
		}
		return reduction ? { loss, reduction } : { loss };
	}

	/**
	 * The optimizer as Keras builds it: a name takes Keras's defaults, a call its arguments. What
	 * would change the updates and Stepwise lacks (Nesterov, a centred RMSprop, AMSGrad, decoupled
	 * weight decay, clipping, another optimizer) is refused.
	 */
	private optimizer(expr: Expr | undefined, at: Position): OptimizerConfig {
		if (!expr) {
			this.notes.push(problemAt(at, 'compile without an optimizer: Keras uses rmsprop, and so does the scenario (learning rate 0.001, rho 0.9)'));
			return { type: 'rmsprop', lr: OPTIMIZER_DEFAULTS.rmspropLr };
		}
		const e = this.resolve(expr);
		const written = (e.kind === 'string' ? e.value : e.kind === 'call' ? lastName(e.callee) : lastName(e)) ?? '';
		const name = written.toLowerCase();
		if (!entry(KERAS_OPTIMIZERS, name)) refuse(e.at, `optimizer ${show(e)} is not taken: Stepwise has SGD (with or without momentum), RMSprop and Adam`);
		const args = e.kind === 'call' ? new Arguments(e, show(e.callee), ['learning_rate'], ['lr', 'momentum', 'nesterov', 'name', 'weight_decay', 'clipnorm', 'clipvalue', 'global_clipnorm', 'rho', 'epsilon', 'beta_1', 'beta_2', 'amsgrad', 'centered', 'decay', 'use_ema', 'ema_momentum']) : null;
		const value = (key: string): number | null => {
			const v = args?.get(key);
			return v && !this.isNone(v) ? this.number(v, key) : null;
		};
		const refuseUnless = (key: string, taken: (v: Expr) => boolean, why: string): void => {
			const v = args?.get(key);
			if (v && !this.isNone(v) && !taken(v)) refuse(v.at, `${key}= is not taken: ${why}`);
		};
		const zero = (key: string) => (v: Expr) => this.number(v, key) === 0;
		const no = (key: string) => (v: Expr) => !this.boolean(v, key);
		for (const key of ['clipnorm', 'clipvalue', 'global_clipnorm']) refuseUnless(key, () => false, 'Stepwise does not clip gradients');
		refuseUnless('weight_decay', zero('weight_decay'), 'Keras\'s weight_decay is decoupled from the gradient; for L2 weight decay write kernel_regularizer=l2(λ) on the layers');
		refuseUnless('use_ema', no('use_ema'), 'Stepwise keeps no moving average of the weights');
		const rateExpr = args?.get('learning_rate') ?? args?.get('lr');
		const given = rateExpr && !this.isNone(rateExpr) ? this.learningRate(rateExpr) : (entry(KERAS_OPTIMIZERS, name) as { lr: number }).lr;
		if (typeof given === 'number' && !(given > 0)) refuse(e.at, `the learning rate must be positive, found ${given}`);
		// Keras 2's decay= is InverseTimeDecay over single updates: η / (1 + decay·k)
		const decay = value('decay');
		if (decay && typeof given !== 'number') refuse((args?.get('decay') as Expr).at, 'decay= is not taken beside a learning-rate schedule: give one or the other');
		const lr: LearningRate = decay && typeof given === 'number' ? { schedule: 'inverse_time', initial: given, decay_rate: decay, decay_steps: 1 } : given;
		const epsilon = value('epsilon');
		if (name === 'sgd') {
			refuseUnless('nesterov', no('nesterov'), 'Stepwise\'s momentum is the classical one, v ← μv − η∂J/∂w, w ← w + v');
			const momentum = value('momentum');
			return momentum ? { type: 'momentum', lr, momentum } : { type: 'sgd', lr };
		}
		if (name === 'rmsprop') {
			refuseUnless('momentum', zero('momentum'), 'Stepwise\'s RMSprop has no momentum');
			refuseUnless('centered', no('centered'), 'Stepwise\'s RMSprop is not centred');
			const rho = value('rho');
			return { type: 'rmsprop', lr, ...(rho === null ? {} : { rho }), ...(epsilon === null ? {} : { epsilon }) };
		}
		refuseUnless('amsgrad', no('amsgrad'), 'Stepwise\'s Adam is the plain one');
		const beta1 = value('beta_1');
		const beta2 = value('beta_2');
		return { type: 'adam', lr, ...(beta1 === null ? {} : { beta_1: beta1 }), ...(beta2 === null ? {} : { beta_2: beta2 }), ...(epsilon === null ? {} : { epsilon }) };
	}

	/**
	 * A learning rate: a number, or one of Keras's schedules (keras.optimizers.schedules), given
	 * in place or through a variable, as the scenario's `lr: { schedule, … }`.
	 */
	private learningRate(expr: Expr): LearningRate {
		const e = this.resolve(expr);
		if (e.kind !== 'call') return this.number(e, 'learning_rate');
		const written = lastName(e.callee) ?? '';
		const schedule = (Object.keys(KERAS_SCHEDULES) as ScheduleName[]).find((key) => KERAS_SCHEDULES[key] === written);
		if (!schedule) refuse(e.at, `${show(e.callee)} is not taken: Stepwise has the schedules ${Object.values(KERAS_SCHEDULES).join(' and ')}`);
		const args = new Arguments(e, written, ['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase'], ['name']);
		const required = (key: string): number => this.number(args.get(key) ?? refuse(e.at, `${written}: ${key} is missing`), key);
		const staircase = args.get('staircase');
		const rate = { schedule, initial: required('initial_learning_rate'), decay_steps: required('decay_steps'), decay_rate: required('decay_rate') };
		return staircase && this.boolean(staircase, 'staircase') ? { ...rate, staircase: true } : rate;
	}

	/** data and training from model.fit (or the samples of model.predict); made-up data, with a note, where the code has none to read. */
	private data(scenario: ScenarioFile, input: Shape, outputs: number, modelAt: Position): void {
		let x: Expr | undefined;
		let y: Expr | undefined;
		if (this.fit) {
			const args = new Arguments(this.fit, 'fit', ['x', 'y', 'batch_size', 'epochs', 'verbose'], ['shuffle', 'validation_split', 'validation_data', 'callbacks', 'initial_epoch', 'steps_per_epoch', 'class_weight', 'sample_weight', 'validation_freq', 'validation_steps', 'validation_batch_size']);
			const epochs = args.get('epochs');
			const batch = args.get('batch_size');
			const shuffle = args.get('shuffle');
			if (!shuffle || this.boolean(shuffle, 'shuffle')) {
				this.notes.push(problemAt(shuffle?.at ?? this.fit.at, 'Keras shuffles the samples at each epoch (shuffle=True by default): the scenario keeps their order, so that every step can be followed; write shuffle: true under training to shuffle them (with Stepwise\'s own seed)'));
			}
			for (const [name, { at }] of args.values) {
				if (!['x', 'y', 'batch_size', 'epochs', 'verbose', 'shuffle', 'validation_split', 'validation_data', 'callbacks'].includes(name)) this.notes.push(problemAt(at, `${name}= left out: a scenario replays the training steps alone`));
			}
			scenario.training = {
				epochs: epochs ? this.int(epochs, 'epochs') : 1,
				batch_size: batch && !this.isNone(batch) ? this.int(batch, 'batch_size') : 32,
				shuffle: false
			};
			if (scenario.loss) this.heldOut(scenario, args, input, outputs);
			x = args.get('x');
			y = args.get('y');
		} else x = this.predict?.args[0];
		const made = 'the scenario has one made-up sample; put yours under data.X and data.Y';
		const read = x ? this.samples(x, input) : null;
		if (!read) this.notes.push(x ? problemAt(x.at, `the data ${show(x)} is not in the code: ${made}`) : problemAt(modelAt, `no data in the code (model.fit or model.predict with the samples written out): ${made}`));
		const X = read ?? [madeUpSample(input)];
		if (!scenario.loss) {
			scenario.data = { X };
			return;
		}
		// targets are read with samples read from the code; the targets' own note says when they are not in it
		let Y = read && y ? this.targets(y, outputs) : null;
		if (read && !y) this.notes.push(problemAt(this.fit?.at ?? modelAt, 'the code gives no targets: the scenario has made-up ones; put yours under data.Y'));
		Y ??= madeUpTargets(X.length, outputs, scenario.loss);
		scenario.data = { X, Y };
		if (this.evaluateCall) {
			const evaluate = new Arguments(this.evaluateCall, 'evaluate', ['x', 'y', 'batch_size', 'verbose'], ['sample_weight', 'steps', 'callbacks', 'return_dict']);
			const x = evaluate.get('x');
			const y = evaluate.get('y');
			if (!x || !y) this.notes.push(problemAt(this.evaluateCall.at, 'evaluate without x and y left out'));
			else {
				const test = this.dataSet({ kind: 'tuple', items: [x, y], at: x.at }, input, outputs, 'evaluate');
				if (test) scenario.test = test;
			}
		}
	}

	/**
	 * What fit holds out and how it stops: validation_split or validation_data, and an
	 * EarlyStopping callback (Keras's defaults for what it leaves out); model.evaluate's samples
	 * as the test set.
	 */
	private heldOut(scenario: ScenarioFile, args: Arguments, input: Shape, outputs: number): void {
		const split = args.get('validation_split');
		const fraction = split ? this.number(split, 'validation_split') : 0;
		if (split && fraction !== 0) {
			if (!(fraction > 0 && fraction < 1)) refuse(split.at, `validation_split: a fraction between 0 and 1, found ${show(split)}`);
			(scenario.training ??= {}).validation_split = fraction;
		}
		const validation = args.get('validation_data');
		if (validation && !this.isNone(validation)) {
			if (fraction !== 0) refuse(validation.at, 'validation_data and validation_split together: Keras uses validation_data, give only one');
			const set = this.dataSet(validation, input, outputs, 'validation_data');
			if (set) scenario.validation = set;
		}
		const callbacks = args.get('callbacks');
		if (callbacks && !this.isNone(callbacks)) {
			const list = this.resolve(callbacks);
			for (const item of list.kind === 'list' || list.kind === 'tuple' ? list.items : [list]) {
				const callback = this.resolve(item);
				if (callback.kind === 'call' && lastName(callback.callee) === 'EarlyStopping') {
					if (scenario.early_stopping) refuse(callback.at, 'a second EarlyStopping: Stepwise takes one');
					scenario.early_stopping = this.earlyStopping(callback);
				} else this.notes.push(problemAt(callback.at, `callback ${show(callback)} left out: Stepwise takes EarlyStopping`));
			}
		}
	}

	/** keras.callbacks.EarlyStopping(monitor=…, patience=…, min_delta=…, restore_best_weights=…). */
	private earlyStopping(call: Extract<Expr, { kind: 'call' }>): NonNullable<ScenarioFile['early_stopping']> {
		const args = new Arguments(call, 'EarlyStopping', ['monitor', 'min_delta', 'patience', 'verbose', 'mode', 'baseline', 'restore_best_weights', 'start_from_epoch'], []);
		const stopping: NonNullable<ScenarioFile['early_stopping']> = {};
		const monitorExpr = args.get('monitor');
		if (monitorExpr) {
			const written = this.string(monitorExpr, 'monitor');
			const monitor = written.replace(/(^|_)(acc|binary_accuracy|categorical_accuracy)$/, '$1accuracy').replace(/(^|_)mean_absolute_error$/, '$1mae').replace(/(^|_)mean_squared_error$/, '$1mse');
			if (!(MONITORS as readonly string[]).includes(monitor)) refuse(monitorExpr.at, `monitor='${written}' is not taken: Stepwise watches ${MONITORS.join(', ')}`);
			stopping.monitor = monitor as Monitor;
		}
		const patience = args.get('patience');
		if (patience) {
			const value = this.number(patience, 'patience');
			if (!Number.isInteger(value) || value < 0) refuse(patience.at, `patience: expected a whole number of 0 or more, found ${show(patience)}`);
			stopping.patience = value;
		}
		const minDelta = args.get('min_delta');
		if (minDelta) stopping.min_delta = Math.abs(this.number(minDelta, 'min_delta'));
		const restore = args.get('restore_best_weights');
		if (restore) stopping.restore_best_weights = this.boolean(restore, 'restore_best_weights');
		const mode = args.get('mode');
		if (mode && this.string(mode, 'mode') !== 'auto') {
			const expected = stopping.monitor?.endsWith('accuracy') ? 'max' : 'min';
			if (this.string(mode, 'mode') !== expected) refuse(mode.at, `mode='${this.string(mode, 'mode')}' is not taken: Stepwise's early stopping watches ${stopping.monitor ?? 'val_loss'} in mode '${expected}', as Keras's 'auto'`);
		}
		const baseline = args.get('baseline');
		if (baseline && !this.isNone(baseline)) refuse(baseline.at, 'baseline= is not taken: Stepwise compares each epoch with the best one');
		const start = args.get('start_from_epoch');
		if (start && this.number(start, 'start_from_epoch') !== 0) refuse(start.at, 'start_from_epoch= is not taken: Stepwise watches from the first epoch');
		return stopping;
	}

	/** `(x, y)` of validation_data or model.evaluate(x, y), when both are written out in the code. */
	private dataSet(expr: Expr, input: Shape, outputs: number, what: string): { X: NestedNumbers[]; Y: NestedNumbers[] } | null {
		const e = this.resolve(expr);
		if ((e.kind !== 'tuple' && e.kind !== 'list') || e.items.length !== 2) refuse(e.at, `${what}: expected (x, y), found ${show(e)}`);
		const X = this.samples(e.items[0], input);
		const Y = X ? this.targets(e.items[1], outputs) : null;
		if (!X || !Y) {
			this.notes.push(problemAt(e.at, `${what} ${show(e)} is not in the code: left out; put the samples under ${what === 'validation_data' ? 'validation' : 'test'}.X and .Y`));
			return null;
		}
		return { X, Y };
	}

	/** x of model.fit, Keras's channels-last samples as Stepwise's channels-first ones. */
	private samples(expr: Expr, input: Shape): NestedNumbers[] | null {
		const value = this.array(expr);
		if (value === null) return null;
		const shape = nestedShape(value);
		const sample = input.length === 3 ? [input[1], input[2], input[0]] : input;
		if (!shape || shape.length !== sample.length + 1 || shape.slice(1).some((d, i) => d !== sample[i])) {
			refuse(expr.at, `x should be samples of shape (${sample.join(', ')}), found ${shape ? shape.join('×') : 'ragged lists'}`);
		}
		const rows = value as NestedNumbers[];
		return input.length === 3 ? rows.map((row) => imageToChannelsFirst(row as NestedNumbers[][])) : rows;
	}

	private targets(expr: Expr, outputs: number): NestedNumbers[] | null {
		const value = this.array(expr);
		if (value === null) {
			this.notes.push(problemAt(expr.at, `the targets ${show(expr)} are not in the code: the scenario has made-up targets`));
			return null;
		}
		const shape = nestedShape(value);
		if (shape && shape.length === 1 && outputs === 1) return (value as number[]).map((y) => [y]);
		if (!shape || shape.length !== 2 || shape[1] !== outputs) refuse(expr.at, `y should be one row of ${outputs} per sample, found ${shape ? shape.join('×') : 'ragged lists'}`);
		return value as NestedNumbers[];
	}

	/** Validates the scenario, each issue told at the place in the code it comes from. */
	private check(scenario: ScenarioFile, layers: ReadLayer[], modelAt: Position): void {
		try {
			validateScenario(scenario);
		} catch (error) {
			if (!(error instanceof ScenarioError)) throw error;
			throw kerasError(
				error.issues.map((issue) => {
					const [top, second, index] = issue.path;
					const at =
						top === 'model' && second === 'layers' && typeof index === 'number'
							? layers[index].at
							: (top === 'loss' || top === 'optimizer') && this.compile
								? this.compile.at
								: (top === 'data' || top === 'training') && this.fit
									? this.fit.at
									: modelAt;
					return problemAt(at, `${formatPath(issue.path)}: ${issue.message}`);
				})
			);
		}
	}
}

function pairOf(value: number | [number, number]): [number, number] {
	return typeof value === 'number' ? [value, value] : value;
}

function compact(pair: [number, number]): number | [number, number] {
	return pair[0] === pair[1] ? pair[0] : pair;
}

function channelsLastText(shape: Shape): string {
	return shape.length === 3 ? `${shape[1]}, ${shape[2]}, ${shape[0]}` : shape.join(', ');
}

function nextShape(config: LayerConfig, shape: Shape): Shape {
	if (config.type === 'flatten') return [shape.reduce((a, b) => a * b, 1)];
	if (config.type === 'dense') return [config.units];
	if (config.type === 'dropout' || config.type === 'batchnorm') return shape;
	const kernel = pairOf(config.type === 'conv2d' ? config.kernel : config.size);
	const stride = config.stride === undefined ? (config.type === 'pool' ? kernel : [1, 1]) : pairOf(config.stride);
	const padding = config.type === 'conv2d' && config.padding !== undefined ? pairOf(config.padding) : [0, 0];
	const channels = config.type === 'conv2d' ? config.filters : shape[0];
	return [channels, outputSize(shape[1], kernel[0], stride[0], padding[0]), outputSize(shape[2], kernel[1], stride[1], padding[1])];
}

/** One sample of the input's shape, numbers in [0, 1) with one decimal, the same every time. */
function madeUpSample(shape: Shape): NestedNumbers {
	const random = mulberry32(1);
	const fill = (dims: number[]): NestedNumbers => (dims.length === 0 ? Math.floor(random.next() * 10) / 10 : Array.from({ length: dims[0] }, () => fill(dims.slice(1))));
	return fill(shape);
}

/** Targets for made-up samples: class 1 for a classifier, 0.5 for a regression. */
function madeUpTargets(samples: number, outputs: number, loss: LossName): number[][] {
	const row = (): number[] =>
		loss === 'categorical_cross_entropy' ? Array.from({ length: outputs }, (_, j) => (j === 0 ? 1 : 0)) : Array.from({ length: outputs }, () => (loss === 'binary_cross_entropy' ? 1 : 0.5));
	return Array.from({ length: samples }, row);
}

/** Reads Keras code into a scenario. Throws ScenarioError with line and column for what it refuses. */
export function importKeras(source: string): KerasImport {
	if (source.length > LIMITS.textLength) {
		throw kerasError([{ line: 1, column: 1, message: `the code has ${source.length.toLocaleString('en')} characters; the limit is ${LIMITS.textLength.toLocaleString('en')}` }]);
	}
	const reader = new Reader();
	reader.read(parsePython(source));
	return reader.scenario();
}
