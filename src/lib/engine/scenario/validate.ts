import { DEFAULT_CONVENTIONS, type Conventions } from '../activations';
import type { BackendChoice } from '../backends/backend';
import { splitAt, type DataSet, type EarlyStopping, type MetricName } from '../evaluate';
import { initialise } from '../init';
import { BATCH_ROW_BYTES, LIMITS, STEP_RECORD_BYTES } from '../limits';
import type { LossName } from '../losses';
import type { ParameterName, ParameterSpec, Parameters } from '../layers/unit';
import { unitOf } from '../layers/registry';
import { isParametric, layerParamCount, parametersOf, planModel, type LayerPlan } from '../plan';
import { OPTIMIZER_DEFAULTS, type OptimizerPlan } from '../optimizers';
import type { LearningRateSchedule } from '../schedules';
import { mulberry32 } from '../prng';
import { shapeLabel, sizeOf, takeRows, type Tensor } from '../tensor';
import { describeValue, ScenarioError, type ScenarioIssue } from './issues';
import { expectShape, readTensor } from './read-tensor';
import { scenarioSchema, type InitConfig, type LayerConfig, type ModelConfig, type OptimizerConfig, type PerceptronConfig, type ScenarioFile } from './schema';
import { translateZodIssues } from './zod-issues';

type Path = (string | number)[];
export type Localized = string | { fr?: string; en?: string };

export type { Parameters };

export interface TrainingPlan {
	epochs: number;
	batchSize: number;
	shuffle: boolean;
	seed: number;
}

/** A checked network scenario: every shape agrees and every number is finite. */
export interface NetworkScenario {
	kind: 'network';
	title?: Localized;
	plans: LayerPlan[];
	/** W and b as they start, by layer (null for pool and flatten) */
	initial: (Parameters | null)[];
	/** null: forward only */
	loss: LossName | null;
	reduction: 'mean' | 'sum';
	/** the learning rate, or the first one of a schedule */
	lr: number;
	/** a learning rate that decays at each update; null: `lr` throughout */
	schedule: LearningRateSchedule | null;
	/** the update rule; its learning rate is `lr` */
	optimizer: OptimizerPlan;
	/** the layers (numbered from 1) marked `trainable: false`: their W and b stay as they start */
	frozen: number[];
	/** λ of L2 weight decay on W (0: none) */
	l2: number;
	update: { weights: boolean; biases: boolean };
	conventions: Conventions;
	X: Tensor;
	Y: Tensor | null;
	training: TrainingPlan;
	backend: BackendChoice;
	/** evaluated at the end of each epoch: validation, or the last samples that training.validation_split set apart */
	validation: DataSet | null;
	/** evaluated once, after training */
	test: DataSet | null;
	metrics: MetricName[];
	earlyStopping: EarlyStopping | null;
}

/** A checked threshold unit. */
export interface PerceptronScenario {
	kind: 'perceptron';
	title?: Localized;
	w: Float64Array;
	/** null: no bias */
	b: number | null;
	threshold: number;
	strict: boolean;
	rule: 'delta' | 'sign';
	lr: number;
	X: Tensor;
	Y: Tensor;
	training: TrainingPlan;
	backend: BackendChoice;
}

export type Scenario = NetworkScenario | PerceptronScenario;

/** Checks the file's structure against the schema and returns it typed. */
function parseStructure(data: unknown): ScenarioFile {
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new ScenarioError([
			{ path: [], message: `expected a mapping with model (or perceptron), data and training, got ${describeValue(data)}` }
		]);
	}
	const parsed = scenarioSchema.safeParse(data, { reportInput: true });
	if (!parsed.success) throw new ScenarioError(translateZodIssues(parsed.error.issues, scenarioSchema, data));
	return parsed.data;
}

/** The model of a scenario file, or of a file that holds only `model:` (for `info`). */
export type ModelDescription =
	| { kind: 'network'; plans: LayerPlan[] }
	| { kind: 'perceptron'; inputs: number; bias: boolean };

export function describeModel(data: unknown): ModelDescription {
	const file = parseStructure(data);
	if (file.perceptron) {
		const w = readTensor(file.perceptron.w, ['perceptron', 'w'], []);
		return { kind: 'perceptron', inputs: w?.data.length ?? 0, bias: file.perceptron.b !== null };
	}
	if (!file.model) throw new ScenarioError([{ path: ['model'], message: 'missing; give model (a network) or perceptron' }]);
	return { kind: 'network', plans: planModel(file.model) };
}

/** Checks everything a run needs and resolves defaults and initial weights. Throws ScenarioError. */
export function validateScenario(data: unknown): Scenario {
	const file = parseStructure(data);
	if (file.model && file.perceptron) {
		throw new ScenarioError([{ path: ['perceptron'], message: 'a scenario has either model or perceptron, not both' }]);
	}
	if (!file.model && !file.perceptron) {
		throw new ScenarioError([
			{ path: ['model'], message: 'missing; give model (a network) or perceptron (a threshold unit)' }
		]);
	}
	if (!file.data) throw new ScenarioError([{ path: ['data'], message: 'missing; a run needs data.X (one row per sample)' }]);
	return file.perceptron ? validatePerceptron(file, file.perceptron) : validateNetwork(file, file.model as ModelConfig);
}

function fail(issues: ScenarioIssue[]): never {
	throw new ScenarioError(issues);
}

function trainingPlan(file: ScenarioFile, samples: number, issues: ScenarioIssue[]): TrainingPlan {
	const t = file.training ?? {};
	const batchSize = t.batch_size ?? samples;
	if (batchSize < 1) issues.push({ path: ['training', 'batch_size'], message: `a batch holds at least 1 sample, got ${batchSize}` });
	return {
		epochs: t.epochs ?? 1,
		batchSize: Math.min(Math.max(batchSize, 1), samples),
		shuffle: t.shuffle ?? false,
		seed: t.seed ?? 1
	};
}

/** X as one row per sample, each of the given shape. */
function readSamples(value: unknown, sampleShape: number[], issues: ScenarioIssue[], path: Path = ['data', 'X']): Tensor | undefined {
	if (!Array.isArray(value)) {
		const row = sampleShape.length === 1 ? `a list of ${count(sampleShape[0], 'number')}` : `a ${shapeLabel(sampleShape)} image`;
		issues.push({ path, message: `expected one row per sample, each ${row}, got ${describeValue(value)}` });
		return undefined;
	}
	const X = readTensor(value, path, issues);
	if (!X) return undefined;
	const matchesOneSample = X.shape.length === sampleShape.length && X.shape.every((d, i) => d === sampleShape[i]);
	if (matchesOneSample) {
		issues.push({
			path,
			message: `expected one row per sample, got a single sample of ${shapeLabel(sampleShape)}; wrap it in one more list`
		});
		return undefined;
	}
	if (X.shape[0] === 0) {
		issues.push({ path, message: 'expected at least one sample, got an empty list' });
		return undefined;
	}
	const rowShape = X.shape.slice(1);
	if (rowShape.length !== sampleShape.length || rowShape.some((d, i) => d !== sampleShape[i])) {
		const n = X.shape[0];
		const flat = sampleShape.length === 1;
		const what = flat
			? `rows of ${count(sampleShape[0], 'number')} (the model's input)`
			: `samples of ${shapeLabel(sampleShape)} (the model's input: channels × height × width)`;
		const got =
			rowShape.length === 0
				? `a single list of ${count(n, 'number')}; give one list per sample`
				: `${count(n, flat ? 'row' : 'sample')} of ${rowShape.length === 1 ? count(rowShape[0], 'number') : shapeLabel(rowShape)}`;
		issues.push({ path, message: `expected ${what}, got ${got}` });
		return undefined;
	}
	return X;
}

/** `1 row`, `3 rows` */
function count(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function readTargets(value: unknown, samples: number, outputs: number, issues: ScenarioIssue[], at: 'data' | 'validation' | 'test' = 'data'): Tensor | undefined {
	const path = [at, 'Y'];
	const Y = readTensor(value, path, issues);
	if (!Y) return undefined;
	const ok = expectShape(Y, [samples, outputs], `one row per sample of ${at}.X × ${outputs} output${outputs > 1 ? 's' : ''}`, path, issues);
	return ok ? Y : undefined;
}

function validateNetwork(file: ScenarioFile, model: ModelConfig): NetworkScenario {
	const issues: ScenarioIssue[] = [];
	const plans = planModel(model);
	const last = plans[plans.length - 1];
	const loss = file.loss ?? null;
	checkActivations(plans, loss, issues);
	const frozen = frozenLayers(model, plans, issues);

	const parameters = plans.reduce((sum, plan) => sum + layerParamCount(plan), 0);
	if (parameters > LIMITS.parameters) {
		fail([{ path: ['model'], message: `${parameters.toLocaleString('en')} parameters is more than the ${LIMITS.parameters.toLocaleString('en')} a run allows` }]);
	}
	const initial = plans.map((plan, i) => {
		const specs = parametersOf(plan);
		return specs.length > 0 ? readParameters(plan, specs, model.layers[i], i, issues) : null;
	});

	const dataFile = file.data as NonNullable<ScenarioFile['data']>;
	const X = readSamples(dataFile.X, plans[0].inputShape, issues);
	const samples = X?.shape[0] ?? 0;
	let Y: Tensor | null = null;
	if (loss) {
		if (dataFile.Y === undefined) issues.push({ path: ['data', 'Y'], message: `missing; the loss ${loss} compares the output with targets Y` });
		else if (X) Y = readTargets(dataFile.Y, samples, sizeOf(last.outputShape), issues) ?? null;
		if (last.outputShape.length !== 1) {
			issues.push({ path: ['loss'], message: `the last layer gives ${shapeLabel(last.outputShape)}; add flatten and dense layers so the output is a list of numbers` });
		}
		if (!file.optimizer) issues.push({ path: ['optimizer'], message: 'missing; training with a loss needs { type: sgd, lr: … }' });
	} else {
		if (dataFile.Y !== undefined) issues.push({ path: ['loss'], message: 'missing; data.Y is given but no loss says how to compare it with the output' });
		if (file.optimizer) issues.push({ path: ['optimizer'], message: 'there is no loss to minimise; add a loss or remove the optimizer' });
	}
	const heldOut = readHeldOut(file, plans, X, Y, issues);
	const training = trainingPlan(file, Math.max(heldOut.X?.shape[0] ?? samples, 1), issues);
	const conventions = readConventions(file, issues);
	if (issues.length > 0) fail(issues);

	const scenario: NetworkScenario = {
		kind: 'network',
		title: file.title,
		plans,
		initial,
		loss,
		reduction: file.reduction ?? 'mean',
		lr: learningRateOf(file.optimizer),
		schedule: scheduleOf(file.optimizer),
		optimizer: optimizerPlan(file.optimizer),
		frozen,
		l2: file.regularization?.l2 ?? 0,
		update: { weights: file.update?.weights ?? true, biases: file.update?.biases ?? true },
		conventions,
		X: heldOut.X as Tensor,
		Y: heldOut.Y,
		training,
		backend: file.backend ?? 'auto',
		validation: heldOut.validation,
		test: heldOut.test,
		metrics: file.metrics ?? [],
		earlyStopping: heldOut.earlyStopping
	};
	checkBudget(scenario);
	return scenario;
}

interface HeldOut {
	/** the samples trained on: data, less what validation_split set apart */
	X: Tensor | undefined;
	Y: Tensor | null;
	validation: DataSet | null;
	test: DataSet | null;
	earlyStopping: EarlyStopping | null;
}

/** validation, test, training.validation_split, metrics and early_stopping, which all need a loss and targets. */
function readHeldOut(file: ScenarioFile, plans: LayerPlan[], X: Tensor | undefined, Y: Tensor | null, issues: ScenarioIssue[]): HeldOut {
	const split = file.training?.validation_split;
	const none: HeldOut = { X, Y, validation: null, test: null, earlyStopping: null };
	const asked = (['validation', 'test', 'metrics', 'early_stopping'] as const).filter((key) => file[key] !== undefined);
	if (!file.loss) {
		for (const key of asked) issues.push({ path: [key], message: 'there is no loss, so nothing to evaluate; add a loss and data.Y' });
		if (split !== undefined) issues.push({ path: ['training', 'validation_split'], message: 'there is no loss, so nothing to evaluate; add a loss and data.Y' });
		return none;
	}
	const outputs = sizeOf(plans[plans.length - 1].outputShape);
	const readSet = (at: 'validation' | 'test'): DataSet | null => {
		const given = file[at];
		if (!given) return null;
		const setX = readSamples(given.X, plans[0].inputShape, issues, [at, 'X']);
		const setY = setX && readTargets(given.Y, setX.shape[0], outputs, issues, at);
		return setX && setY ? { X: setX, Y: setY } : null;
	};
	let validation = readSet('validation');
	const test = readSet('test');
	let trainX = X;
	let trainY = Y;
	if (split !== undefined && file.validation) {
		issues.push({ path: ['training', 'validation_split'], message: 'validation is given; remove validation_split (or validation)' });
	} else if (split !== undefined && X && Y) {
		const m = X.shape[0];
		const at = splitAt(m, split);
		if (at < 1 || at >= m) {
			issues.push({ path: ['training', 'validation_split'], message: `${split} of ${m} samples leaves ${at} to train on and ${m - at} to validate; each needs at least 1` });
		} else {
			const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
			trainX = takeRows(X, rows(0, at));
			trainY = takeRows(Y, rows(0, at));
			validation = { X: takeRows(X, rows(at, m)), Y: takeRows(Y, rows(at, m)) };
		}
	}
	const rule = file.early_stopping;
	let earlyStopping: EarlyStopping | null = null;
	if (rule) {
		const monitor = rule.monitor ?? 'val_loss';
		const metricName = monitor.replace(/^val_/, '');
		if (monitor.startsWith('val_') && split === undefined && !file.validation) {
			issues.push({ path: ['early_stopping', 'monitor'], message: `${monitor} needs held-out data; add validation or training.validation_split` });
		} else if (metricName !== 'loss' && !(file.metrics ?? []).some((name) => name === metricName)) {
			issues.push({ path: ['early_stopping', 'monitor'], message: `${monitor} is not computed; add ${metricName} to metrics` });
		}
		earlyStopping = { monitor, patience: rule.patience ?? 0, minDelta: rule.min_delta ?? 0, restoreBestWeights: rule.restore_best_weights ?? false };
	}
	return { X: trainX, Y: trainY, validation, test, earlyStopping };
}

/** The learning rate given (a schedule's first one), or the optimizer's Keras default (0 without an optimizer: nothing is trained). */
function learningRateOf(optimizer: OptimizerConfig | undefined): number {
	if (!optimizer) return 0;
	const given = optimizer.lr;
	if (typeof given === 'object') return given.initial;
	if (given !== undefined) return given;
	return optimizer.type === 'adam' ? OPTIMIZER_DEFAULTS.adamLr : OPTIMIZER_DEFAULTS.rmspropLr;
}

function scheduleOf(optimizer: OptimizerConfig | undefined): LearningRateSchedule | null {
	const given = optimizer?.lr;
	if (typeof given !== 'object') return null;
	return { schedule: given.schedule, initial: given.initial, decayRate: given.decay_rate, decaySteps: given.decay_steps, staircase: given.staircase ?? false };
}

/** The layers marked `trainable: false`; the key on a layer without weights is reported, as it would freeze nothing. */
function frozenLayers(model: ModelConfig, plans: LayerPlan[], issues: ScenarioIssue[]): number[] {
	const frozen: number[] = [];
	model.layers.forEach((layer, i) => {
		if (layer.trainable === undefined) return;
		if (layer.type === 'batchnorm') {
			if (!layer.trainable) {
				issues.push({
					path: ['model', 'layers', i, 'trainable'],
					message: 'a frozen batchnorm layer is not taken: Keras then normalises by the moving statistics even at training, which Stepwise does not; remove trainable'
				});
			}
		} else if (!isParametric(plans[i])) {
			issues.push({ path: ['model', 'layers', i, 'trainable'], message: `a ${layer.type} layer has no weights to freeze or train; remove trainable` });
		} else if (!layer.trainable) frozen.push(plans[i].index);
	});
	return frozen;
}

/** The update rule with Keras's defaults filled in; plain sgd without an optimizer (nothing is trained then). */
function optimizerPlan(optimizer: OptimizerConfig | undefined): OptimizerPlan {
	const d = OPTIMIZER_DEFAULTS;
	switch (optimizer?.type) {
		case undefined:
		case 'sgd':
			return { type: 'sgd' };
		case 'momentum':
			return { type: 'momentum', momentum: optimizer.momentum ?? d.momentum };
		case 'rmsprop':
			return { type: 'rmsprop', rho: optimizer.rho ?? d.rho, epsilon: optimizer.epsilon ?? d.epsilon };
		case 'adam':
			return { type: 'adam', beta1: optimizer.beta_1 ?? d.beta1, beta2: optimizer.beta_2 ?? d.beta2, epsilon: optimizer.epsilon ?? d.epsilon };
	}
}

/** `conventions:` with its defaults; ReLU′(0) is one of the two values the courses give it. */
function readConventions(file: ScenarioFile, issues: ScenarioIssue[]): Conventions {
	const atZero = file.conventions?.relu_derivative_at_zero ?? DEFAULT_CONVENTIONS.reluDerivativeAtZero;
	if (atZero === 0 || atZero === 1) return { reluDerivativeAtZero: atZero };
	issues.push({
		path: ['conventions', 'relu_derivative_at_zero'],
		message: `ReLU′(0) is 0 (the default, as PyTorch and TensorFlow) or 1 (course 003: h′(x) = 1 for x ≥ 0), got ${atZero}`
	});
	return DEFAULT_CONVENTIONS;
}

function checkActivations(plans: LayerPlan[], loss: LossName | null, issues: ScenarioIssue[]): void {
	plans.forEach((plan, i) => {
		if (!isParametric(plan) || plan.activation !== 'softmax') return;
		const path = ['model', 'layers', i, 'activation'];
		if (i !== plans.length - 1) issues.push({ path, message: 'softmax is only allowed on the last layer' });
		else if (plan.type !== 'dense') issues.push({ path, message: 'softmax is only allowed on a dense output layer' });
		else if (loss && loss !== 'categorical_cross_entropy') {
			issues.push({ path: ['loss'], message: `softmax on the last layer needs categorical_cross_entropy, got ${loss}` });
		}
	});
}

/** What a layer's mapping may give for its learned tensors. */
type ParameterConfig = { type: LayerConfig['type']; init?: InitConfig } & Partial<Record<ParameterName, unknown>>;

/** Each learned tensor as the file gives it, or drawn by its `init:` scheme; null when one is wrong (reported). */
function readParameters(plan: LayerPlan, specs: ParameterSpec[], layer: ParameterConfig, i: number, issues: ScenarioIssue[]): Parameters | null {
	const at: Path = ['model', 'layers', i];
	const init = layer.init ?? {};
	const random = mulberry32(init.seed ?? plan.index);
	const read: Parameters = {};
	for (const spec of specs) {
		const given = layer[spec.name];
		if (given === undefined) {
			const { initial } = spec;
			read[spec.name] =
				'constant' in initial
					? { shape: spec.shape, data: new Float64Array(sizeOf(spec.shape)).fill(initial.constant) }
					: initialise(spec.shape, init[initial.key] ?? initial.scheme, random, spec, init.scale);
			continue;
		}
		const path = [...at, spec.name];
		const value = readTensor(given, path, issues);
		if (!value || !expectShape(value, spec.shape, spec.meaning, path, issues)) continue;
		const least = spec.atLeast;
		const below = least === undefined ? -1 : value.data.findIndex((v) => v < least);
		if (below >= 0) {
			issues.push({ path: [...path, below], message: `${spec.name} cannot be below ${spec.atLeast}, got ${value.data[below]}` });
			continue;
		}
		read[spec.name] = value;
	}
	return specs.every((spec) => read[spec.name]) ? read : null;
}

function validatePerceptron(file: ScenarioFile, p: PerceptronConfig): PerceptronScenario {
	const issues: ScenarioIssue[] = [];
	for (const key of ['loss', 'optimizer', 'reduction', 'update', 'regularization', 'validation', 'test', 'metrics', 'early_stopping'] as const) {
		if (file[key] !== undefined) {
			issues.push({ path: [key], message: `a perceptron learns by its own rule; set perceptron.rule and perceptron.lr instead` });
		}
	}
	if (file.conventions !== undefined) {
		issues.push({ path: ['conventions'], message: 'a perceptron has no ReLU, so no ReLU′(0) to choose; remove conventions' });
	}
	const w = readTensor(p.w, ['perceptron', 'w'], issues);
	if (w && w.shape.length !== 1) issues.push({ path: ['perceptron', 'w'], message: `expected a list of weights, one per input, got ${shapeLabel(w.shape)}` });
	else if (w && w.shape[0] === 0) issues.push({ path: ['perceptron', 'w'], message: 'expected a list of weights, one per input, got an empty list' });
	if (issues.length > 0) fail(issues);
	const inputs = (w as Tensor).shape[0];
	const dataFile = file.data as NonNullable<ScenarioFile['data']>;
	const X = readSamples(dataFile.X, [inputs], issues);
	let Y: Tensor | undefined;
	if (dataFile.Y === undefined) issues.push({ path: ['data', 'Y'], message: 'missing; a perceptron learns from targets Y (0 or 1)' });
	else if (X) Y = readTargets(dataFile.Y, X.shape[0], 1, issues);
	Y?.data.forEach((y, n) => {
		if (y !== 0 && y !== 1 && issues.length < 5) issues.push({ path: ['data', 'Y', n, 0], message: `a threshold unit's target is 0 or 1, got ${y}` });
	});
	const training = trainingPlan(file, 1, issues);
	if (file.training?.batch_size !== undefined && file.training.batch_size !== 1) {
		issues.push({ path: ['training', 'batch_size'], message: 'a perceptron learns from one sample at a time; use 1' });
	}
	if (issues.length > 0) fail(issues);
	const scenario: PerceptronScenario = {
		kind: 'perceptron',
		title: file.title,
		w: (w as Tensor).data,
		b: p.b === undefined ? 0 : p.b,
		threshold: p.threshold ?? 0,
		strict: p.strict ?? false,
		rule: p.rule ?? 'delta',
		lr: p.lr ?? 1,
		X: X as Tensor,
		Y: Y as Tensor,
		training,
		backend: file.backend ?? 'auto'
	};
	checkBudget(scenario);
	return scenario;
}

/** What a run will record and compute, estimated from shapes alone before anything runs. */
export interface RunCost {
	steps: number;
	events: number;
	values: number;
	bytes: number;
	multiplyAdds: number;
}

export function estimateCost(scenario: Scenario): RunCost {
	const samples = scenario.X.shape[0];
	if (scenario.kind === 'perceptron') {
		const n = scenario.w.length;
		const steps = scenario.training.epochs * samples;
		const bias = scenario.b !== null ? 1 : 0;
		const events = 1 + bias + steps * (5 + bias);
		const values = n + bias + steps * (2 * n + 3 + bias);
		return { steps, events, values, bytes: values * 8 + steps * (STEP_RECORD_BYTES + BATCH_ROW_BYTES), multiplyAdds: steps * n * 2 };
	}
	const batch = scenario.training.batchSize;
	const training = scenario.loss !== null;
	const steps = training ? scenario.training.epochs * Math.ceil(samples / batch) : 1;
	const rows = training ? batch : samples;
	let params = 0;
	let learned = 0;
	let perStepValues = rows * sizeOf(scenario.plans[0].inputShape) + (training ? 1 : 0);
	let perStepEvents = 1 + (training ? 1 : 0);
	let macsPerRow = 0;
	for (const plan of scenario.plans) {
		const out = sizeOf(plan.outputShape);
		const tensorsPerPass = isParametric(plan) ? 2 : 1; // Z and A (dA and dZ), or A (dA) alone
		perStepValues += rows * out * tensorsPerPass * (training ? 2 : 1);
		perStepEvents += tensorsPerPass * (training ? 2 : 1);
		params += layerParamCount(plan);
		learned += parametersOf(plan).length;
		macsPerRow += unitOf(plan.type).multiplyAdds(plan);
	}
	if (training) {
		perStepValues += 2 * params; // each tensor's gradient (dW, db) and its update
		perStepEvents += 2 * learned;
	}
	const values = params + steps * perStepValues;
	const events = learned + steps * perStepEvents;
	return {
		steps,
		events,
		values,
		bytes: values * 8 + steps * (STEP_RECORD_BYTES + rows * BATCH_ROW_BYTES),
		multiplyAdds: steps * rows * macsPerRow * (training ? 3 : 1)
	};
}

function checkBudget(scenario: Scenario): void {
	const cost = estimateCost(scenario);
	const where = scenario.kind === 'network' && scenario.loss === null ? ['data', 'X'] : ['training', 'epochs'];
	const advice = scenario.kind === 'network' && scenario.loss === null ? 'use fewer or smaller samples' : 'use fewer epochs or samples';
	if (cost.bytes > LIMITS.traceBytes) {
		fail([{ path: where, message: `the trace would take about ${megabytes(cost.bytes)} (limit ${megabytes(LIMITS.traceBytes)}); ${advice}` }]);
	}
	if (cost.multiplyAdds > LIMITS.multiplyAdds) {
		fail([{ path: where, message: `the run needs about ${cost.multiplyAdds.toExponential(1)} multiply-adds (limit ${LIMITS.multiplyAdds.toExponential(0)}); ${advice}` }]);
	}
}

function megabytes(bytes: number): string {
	return `${Math.ceil(bytes / (1024 * 1024)).toLocaleString('en')} MB`;
}
