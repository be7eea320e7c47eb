import { DEFAULT_CONVENTIONS } from './activations';
import { denseSgdStepper } from './dense-sgd';
import type { Backend, BackendChoice, BackendReport } from './backends/backend';
import { chooseBackend } from './backends/select';
import { evaluate, initialStopping, stoppingStep, type DataSet, type StoppingState } from './evaluate';
import { backwardLayer, costAndGradient, forwardLayer, type LayerOutput } from './network';
import type { LossName } from './losses';
import { crosses } from './numeric';
import { dropoutRandom } from './layers/dropout';
import type { ParameterSpec, Training, TrainedName } from './layers/unit';
import { parametersOf } from './plan';
import { Optimizer, withWeightDecay } from './optimizers';
import { mulberry32, permutation, type Random } from './prng';
import { learningRateAt } from './schedules';
import { GRADIENT_OF, isTrained, LAYER_SYMBOLS, layerName, nameOf, type LayerSymbol } from './quantity';
import { estimateCost, validateScenario, type NetworkScenario, type Parameters, type PerceptronScenario, type Scenario } from './scenario/validate';
import { clone, takeRows, type Tensor } from './tensor';
import { StepRecorder, type Revise, type Stepper, type Substitution } from './step-recorder';
import { TraceRecorder, type Trace, type TraceSetup } from './trace';

export type { Revise, Substitution };

/** How a run is watched, and what it changes of the scenario's maths (the grader's mistakes). */
export interface RunOptions {
	/** told about a hundred times during a run, so a page can show how far a long run has gone */
	onProgress?: (step: number, steps: number) => void;
	/** values put in place of what the engine computed; the run goes on from them */
	substitutions?: readonly Substitution[];
	/**
	 * a value put in place of each event as it is recorded, from the run so far: a rule applied to
	 * the wrong operand (δ without σ′), made at every step on the values it left (Revise)
	 */
	revise?: Revise;
	/** in place of the scenario's own choice; the grader and the formulas always use the reference */
	backend?: BackendChoice;
	/** the gpu.js backend, where the caller has loaded it: gpu.js is not bundled with the engine */
	gpu?: Backend;
	/** each layer's dA for the layer below taken through its already-updated W: a student's mistake, which the grader names */
	backpropThroughUpdatedWeights?: boolean;
	/** Adam's step η m/(√s + ε) without the bias correction √(1 − β₂ᵗ)/(1 − β₁ᵗ): a student's mistake, which the grader names */
	adamWithoutBiasCorrection?: boolean;
	/**
	 * the k a learning-rate schedule reads, counted as a student might: the epochs done instead of
	 * the updates, or from 1 (the first update already decayed); mistakes the grader names
	 */
	scheduleCount?: 'epochs' | 'from-one';
	/** each update made up the gradient, with the rate as recorded: a student's mistake under a schedule, which the grader names */
	ascend?: boolean;
}

/**
 * Runs a scenario (validated data, or the raw parsed file) and records every event, on the
 * float64 reference backend unless the scenario (or the caller) asks for gpu and the caller
 * loaded it. Throws ScenarioError for a scenario that cannot run; a run that overflows ends with
 * a `diverged` event instead.
 */
export function run(input: Scenario | unknown, options: RunOptions = {}): Trace {
	const scenario = isScenario(input) ? input : validateScenario(input);
	return scenario.kind === 'perceptron' ? runPerceptron(scenario, options) : runNetwork(scenario, options);
}

/**
 * Calls onProgress every hundredth of the run's steps. A class, not a closure: code optimised
 * around a closure made at each run was thrown away when that run's closure was collected.
 */
class Progress {
	private readonly every: number;

	constructor(
		private readonly steps: number,
		private readonly report: RunOptions['onProgress']
	) {
		this.every = Math.max(1, Math.floor(steps / 100));
	}

	at(step: number): void {
		if (this.report && step % this.every === 0) this.report(step, this.steps);
	}
}

function isScenario(value: unknown): value is Scenario {
	return (
		typeof value === 'object' &&
		value !== null &&
		((value as Scenario).kind === 'network' || (value as Scenario).kind === 'perceptron') &&
		(value as Scenario).X?.data instanceof Float64Array
	);
}

/** Each layer's event names, built once a run: the trace looks names up by their (cached) hash. */
type LayerNames = Record<LayerSymbol, string>;

function layerNames(layers: number): LayerNames[] {
	return Array.from({ length: layers }, (_, i) => Object.fromEntries(LAYER_SYMBOLS.map((symbol) => [symbol, layerName(symbol, i + 1)])) as LayerNames);
}

/** A copy of each layer's parameters, so that a run never moves the scenario's own tensors. */
function copyParameters(params: readonly (Parameters | null)[]): (Parameters | null)[] {
	return params.map((p) => p && Object.fromEntries(Object.entries(p).map(([name, tensor]) => [name, clone(tensor)])));
}

const INPUT = layerName('A', 0);
const LOSS = nameOf({ symbol: 'loss', layer: null });
const LEARNING_RATE = nameOf({ symbol: 'lr', layer: null });
const ERROR = nameOf({ symbol: 'error', layer: null });
const EARLY_STOPPING = nameOf({ symbol: 'early_stopping', layer: null });
/** a perceptron is one layer: its unit's names */
const PERCEPTRON = layerNames(1)[0];

function batchesOf(order: number[], size: number): number[][] {
	const batches: number[][] = [];
	for (let start = 0; start < order.length; start += size) batches.push(order.slice(start, start + size));
	return batches;
}

function epochOrder(samples: number, shuffle: boolean, random: Random): number[] {
	return shuffle ? permutation(samples, random) : Array.from({ length: samples }, (_, i) => i);
}

function runNetwork(s: NetworkScenario, options: RunOptions): Trace {
	const cost = estimateCost(s);
	const { backend, report } = chooseBackend(options.backend ?? s.backend, cost.multiplyAdds / cost.steps, options.gpu);
	const setup: TraceSetup = {
		kind: 'network',
		layers: s.plans,
		loss: s.loss,
		reduction: s.reduction,
		lr: s.lr,
		schedule: s.schedule,
		optimizer: s.optimizer,
		frozen: s.frozen,
		l2: s.l2,
		update: s.update,
		conventions: s.conventions,
		perceptron: null,
		Y: s.Y,
		backend: report,
		earlyStopping: s.earlyStopping
	};
	const trace = new TraceRecorder(setup, cost, () => withFallback(report, backend));
	const progress = new Progress(cost.steps, options.onProgress);
	const out = new StepRecorder(trace, options.substitutions, options.revise);
	const params = copyParameters(s.initial);
	const names = layerNames(s.plans.length);
	// each layer's parameters, read at every step: declared once
	const declared = s.plans.map(parametersOf);
	params.forEach((p, i) => {
		if (!p) return;
		const recorded = { ...p };
		for (const { name } of declared[i]) {
			const value = p[name];
			if (value) recorded[name] = clone(out.emit('init', names[i][name], value) ?? value);
		}
		params[i] = recorded;
	});
	const samples = s.X.shape[0];
	if (!s.loss || !s.Y) {
		out.step = 1;
		out.epoch = 1;
		trace.batch(1, Array.from({ length: samples }, (_, i) => i));
		// a run without training is an evaluation pass: no dropout
		recordForward(s, params, s.X, out, backend, names, null);
		return trace.finish();
	}
	const stopping: Stopping | null = s.earlyStopping ? { rule: s.earlyStopping, state: initialStopping(s.earlyStopping), best: null } : null;
	const random = mulberry32(s.training.seed);
	// without shuffling every epoch reads the same batches: cut them once
	const fixedBatches = s.training.shuffle ? null : batchesOf(epochOrder(samples, false, random), s.training.batchSize);
	const stepper = denseSgdStepper(s, { ...options, backend }) ?? generalStepper(s, { loss: s.loss, Y: s.Y }, options, backend, names, declared);
	for (let epoch = 1; epoch <= s.training.epochs; epoch++) {
		const batches = fixedBatches ?? batchesOf(epochOrder(samples, true, random), s.training.batchSize);
		if (!trainEpoch(epoch, batches, stepper, out, params, progress)) return trace.finish();
		const end = endOfEpoch(s, params, out, backend, stopping, names);
		if (end === 'diverged') return trace.finish();
		if (end === 'stop') break;
	}
	if (s.test && !recordEvaluation(s, params, s.test, 'test_', out, backend)) return trace.finish();
	return trace.finish();
}

/** One epoch's steps, each by the run's stepper; false when a value overflowed. */
function trainEpoch(epoch: number, batches: readonly number[][], stepper: Stepper, out: StepRecorder, params: (Parameters | null)[], progress: Progress): boolean {
	for (let b = 0; b < batches.length; b++) {
		out.step++;
		out.epoch = epoch;
		progress.at(out.step);
		out.trace.batch(out.step, batches[b]);
		if (!stepper.step(out, batches[b], params)) return false;
	}
	return true;
}

/**
 * A training step of any network, each layer by its unit on the backend, each event recorded as
 * it is computed (substituted, revised and checked): forward, loss, backward, then the updates.
 */
function generalStepper(
	s: NetworkScenario,
	{ loss, Y: targets }: { loss: LossName; Y: Tensor },
	options: RunOptions,
	backend: Backend,
	names: LayerNames[],
	declared: ParameterSpec[][]
): Stepper {
	const L = s.plans.length;
	// the parameters the optimizer trains, and their gradients' event names
	const trained = declared.map((specs, i) =>
		specs.flatMap(({ name, update }) => (isTrained(name) ? [{ name, update, gradient: names[i][GRADIENT_OF[name]] }] : []))
	);
	// each dropout layer draws its masks from its own generator, so the shuffles stay as they were
	const training: Training[] = s.plans.map((plan) => ({ draws: plan.type === 'dropout' ? dropoutRandom(plan, s.training.seed) : null }));
	const optimizer = new Optimizer(s.optimizer, s.lr, !options.adamWithoutBiasCorrection);
	// as Keras: a frozen layer gets no gradient, and backpropagation stops below the lowest layer that learns
	const learns = s.plans.map((plan, i) => declared[i].length > 0 && !s.frozen.includes(plan.index));
	const lowestLearning = learns.indexOf(true);
	return {
		step(out, rows, params) {
			const X = takeRows(s.X, rows);
			const Y = takeRows(targets, rows);
			const outputs = recordForward(s, params, X, out, backend, names, training);
			if (!outputs) return false;
			const { cost, dA, pairedDZ } = costAndGradient(loss, s.reduction, s.plans[L - 1], outputs[L - 1], Y);
			if (!out.emit('loss', LOSS, { shape: [], data: Float64Array.of(cost) })) return false;
			let upstream: Tensor = dA;
			// none for the layers below the lowest that learns, whose backward pass is not run
			const gradients: Partial<Record<TrainedName, Tensor>>[] = s.plans.map(() => ({}));
			// Keras counts the updates from 0: the first one uses the initial rate
			const k = options.scheduleCount === 'epochs' ? out.epoch - 1 : options.scheduleCount === 'from-one' ? out.step : out.step - 1;
			const scheduled = s.schedule ? learningRateAt(s.schedule, k) : null;
			for (let i = L - 1; i >= 0 && lowestLearning >= 0 && i >= lowestLearning; i--) {
				const plan = s.plans[i];
				const dAUsed = out.emit('backward', names[i].dA, upstream);
				if (!dAUsed) return false;
				const input = i === 0 ? X : outputs[i - 1].A;
				const needInput = i > lowestLearning;
				let g = backwardLayer(plan, params[i], input, outputs[i], dAUsed, i === L - 1 ? pairedDZ : null, backend, s.conventions, needInput);
				if (g.dZ) {
					const dZ = out.emit('backward', names[i].dZ, g.dZ);
					if (!dZ) return false;
					// a substituted δ is what the gradients below are computed from
					if (dZ !== g.dZ) g = backwardLayer(plan, params[i], input, outputs[i], dAUsed, dZ, backend, s.conventions, needInput);
				}
				// each trained parameter's gradient, in the order the layer declares them (dW, db; dgamma, dbeta)
				for (const { name, gradient: event } of learns[i] ? trained[i] : []) {
					const gradient = g.gradients[name];
					if (!gradient) continue;
					const used = out.emit('backward', event, gradient);
					if (!used) return false;
					gradients[i][name] = used;
				}
				const p = params[i];
				const dW = gradients[i].W;
				if (options.backpropThroughUpdatedWeights && s.update.weights && i > 0 && p?.W && dW) {
					const W = clone(p.W);
					descend(W, dW, scheduled ?? optimizer.lr);
					g = backwardLayer(plan, { ...p, W }, input, outputs[i], dAUsed, g.dZ, backend, s.conventions, needInput);
				}
				if (g.dInput) upstream = g.dInput;
			}
			if (scheduled !== null) {
				const rate = out.emit('update', LEARNING_RATE, { shape: [], data: Float64Array.of(scheduled) });
				if (!rate) return false;
				optimizer.lr = options.ascend ? -rate.data[0] : rate.data[0];
			}
			for (let i = 0; i < L; i++) {
				const p = params[i];
				if (!p) continue;
				// each parameter the layer trains moves by the optimizer from its gradient (W's with the weight decay); a frozen layer's none
				const moves: { name: TrainedName; theta: Tensor; g: Tensor }[] = [];
				for (const { name, update } of trained[i]) {
					const theta = p[name];
					const gradient = gradients[i][name];
					if (!learns[i] || !update || !s.update[update] || !theta || !gradient) continue;
					moves.push({ name, theta, g: name === 'W' ? withWeightDecay(gradient, theta, s.l2) : gradient });
				}
				// each optimizer state is recorded before the parameter it moves (vW[l], then W[l]), which moves from the state as recorded
				for (const { g, name } of moves) {
					for (const state of optimizer.advance(g, name, i + 1)) {
						const used = out.emit('update', state.name, state.value);
						if (!used) return false;
						if (used !== state.value) optimizer.set(state.name, used);
					}
				}
				for (const { theta, g, name } of moves) optimizer.move(theta, g, name, i + 1, out.step);
				const updated = { ...p };
				for (const { name, update } of declared[i]) {
					// what the optimizer does not train, the training pass moved (batch normalisation's moving statistics)
					const value = update ? p[name] : (outputs[i].moved?.[name] ?? p[name]);
					if (!value) continue;
					const recorded = out.emit('update', names[i][name], value);
					if (!recorded) return false;
					// the next step starts from the parameters as recorded (a substituted update included)
					updated[name] = recorded === value ? value : clone(recorded);
				}
				params[i] = updated;
			}
			return true;
		}
	};
}

/** The end of an epoch: loss and metrics on the training and validation data, then the early-stopping decision. */
function endOfEpoch(s: NetworkScenario, params: (Parameters | null)[], out: StepRecorder, backend: Backend, stopping: Stopping | null, names: LayerNames[]): 'go' | 'stop' | 'diverged' {
	if (s.metrics.length === 0 && !s.validation && !stopping) return 'go';
	const train = recordEvaluation(s, params, { X: s.X, Y: s.Y as Tensor }, 'epoch_', out, backend);
	const validation = s.validation ? recordEvaluation(s, params, s.validation, 'val_', out, backend) : new Map<string, number>();
	if (!train || !validation) return 'diverged';
	if (!stopping) return 'go';
	const rule = stopping.rule;
	const monitored = (rule.monitor.startsWith('val_') ? validation : train).get(rule.monitor.replace(/^val_/, '')) as number;
	const decision = stoppingStep(rule, stopping.state, out.epoch, monitored);
	stopping.state = decision.state;
	if (decision.improved && rule.restoreBestWeights) stopping.best = copyParameters(params);
	const { best, bestEpoch, wait } = decision.state;
	if (!out.record('evaluate', EARLY_STOPPING, { shape: [4], data: Float64Array.of(best, bestEpoch, wait, decision.stop ? 1 : 0) })) return 'diverged';
	if (!decision.stop) return 'go';
	// Keras restores the weights of the best epoch when it stops training early
	if (rule.restoreBestWeights && stopping.best) {
		stopping.best.forEach((p, i) => {
			if (!p) return;
			params[i] = p;
			for (const { name } of parametersOf(s.plans[i])) {
				const value = p[name];
				if (value) out.record('evaluate', names[i][name], value);
			}
		});
	}
	return 'stop';
}

/** Records `prefix`loss (epoch_loss, val_loss, test_loss) and each metric (accuracy, val_accuracy, …); null if one overflowed. */
function recordEvaluation(s: NetworkScenario, params: (Parameters | null)[], data: DataSet, prefix: 'epoch_' | 'val_' | 'test_', out: StepRecorder, backend: Backend): Map<string, number> | null {
	const result = evaluate(s.plans, params, data, s.loss as LossName, s.reduction, s.metrics, backend);
	const values = new Map<string, number>([['loss', result.loss], ...s.metrics.map((name, k): [string, number] => [name, result.metrics[k]])]);
	for (const [name, value] of values) {
		const event = name === 'loss' || prefix !== 'epoch_' ? `${prefix}${name}` : name;
		if (!out.record('evaluate', event, { shape: [], data: Float64Array.of(value) })) return null;
	}
	return values;
}

/** Early stopping as the run goes: Keras's rule, where it stands, and the weights of the best epoch when they are to be restored. */
interface Stopping {
	rule: NonNullable<NetworkScenario['earlyStopping']>;
	state: StoppingState;
	best: (Parameters | null)[] | null;
}

/**
 * Records A[0], then Z[l] (or a dropout's mask M[l], a batch normalisation's mu[l], sigma2[l] and
 * xhat[l]) and A[l] layer by layer, each layer reading the values as recorded (substitutions
 * included); null if a value overflowed. `training` holds what each layer is given at training;
 * null for an evaluation pass.
 */
function recordForward(
	s: NetworkScenario,
	params: (Parameters | null)[],
	X: Tensor,
	out: StepRecorder,
	backend: Backend,
	names: LayerNames[],
	training: Training[] | null
): LayerOutput[] | null {
	let input = out.emit('forward', INPUT, X);
	const outputs: LayerOutput[] = [];
	for (let i = 0; i < s.plans.length && input; i++) {
		const computed = forwardLayer(s.plans[i], params[i], input, (symbol, value) => out.substitute(names[i][symbol], value), backend, training ? training[i] : null);
		const recorded: [LayerSymbol, Tensor | null | undefined][] = [
			['Z', computed.Z],
			['M', computed.mask],
			['mu', computed.mu],
			['sigma2', computed.sigma2],
			['xhat', computed.xhat]
		];
		for (const [symbol, value] of recorded) if (value && !out.record('forward', names[i][symbol], value)) return null;
		const A = out.emit('forward', names[i].A, computed.A);
		if (!A) return null;
		outputs.push({ ...computed, A });
		input = A;
	}
	return input ? outputs : null;
}

/** The report as the run ends: the device gpu.js settled on, and why an operation fell back. */
function withFallback(report: BackendReport, backend: Backend): BackendReport {
	if (report.name !== backend.name) return report;
	return { ...report, device: backend.device, note: backend.fallback() ?? report.note };
}

/** Gradient descent, in place: θ ← θ − lr·∂J/∂θ */
function descend(theta: Tensor, gradient: Tensor, lr: number): void {
	for (let i = 0; i < theta.data.length; i++) theta.data[i] -= lr * gradient.data[i];
}

function perceptronBackend(requested: BackendChoice): BackendReport {
	return { requested, name: 'reference', device: 'float64 loops', note: requested === 'reference' ? null : 'a perceptron always runs on the reference backend' };
}

function runPerceptron(s: PerceptronScenario, options: RunOptions): Trace {
	const n = s.w.length;
	const setup: TraceSetup = {
		kind: 'perceptron',
		layers: [{ type: 'dense', index: 1, inputShape: [n], outputShape: [1], units: 1, activation: 'step' }],
		loss: null,
		reduction: 'sum',
		lr: s.lr,
		schedule: null,
		optimizer: { type: 'sgd' },
		frozen: [],
		l2: 0,
		update: { weights: true, biases: s.b !== null },
		conventions: DEFAULT_CONVENTIONS,
		perceptron: { threshold: s.threshold, strict: s.strict, rule: s.rule, bias: s.b !== null },
		Y: s.Y,
		// one unit's weighted sum: nothing a kernel could speed up, and the threshold is compared in float64
		backend: perceptronBackend(options.backend ?? s.backend),
		earlyStopping: null
	};
	const cost = estimateCost(s);
	const trace = new TraceRecorder(setup, cost);
	const progress = new Progress(cost.steps, options.onProgress);
	const out = new StepRecorder(trace, options.substitutions, options.revise);
	const W: Tensor = { shape: [1, n], data: Float64Array.from(s.w) };
	const b: Tensor | null = s.b === null ? null : { shape: [1], data: Float64Array.of(s.b) };
	out.record('init', PERCEPTRON.W, W);
	if (b) out.record('init', PERCEPTRON.b, b);
	const random = mulberry32(s.training.seed);
	for (let epoch = 1; epoch <= s.training.epochs; epoch++) {
		for (const sample of epochOrder(s.X.shape[0], s.training.shuffle, random)) {
			out.step++;
			out.epoch = epoch;
			progress.at(out.step);
			trace.batch(out.step, [sample]);
			// each quantity is computed from the one before as recorded (substitutions included)
			const xUsed = out.emit('forward', INPUT, { shape: [1, n], data: s.X.data.subarray(sample * n, (sample + 1) * n) });
			if (!xUsed) return trace.finish();
			const x = xUsed.data;
			let weightedSum = b ? b.data[0] : 0;
			for (let i = 0; i < n; i++) weightedSum += W.data[i] * x[i];
			const z = out.emit('forward', PERCEPTRON.Z, { shape: [1, 1], data: Float64Array.of(weightedSum) });
			const fired = z && out.emit('forward', PERCEPTRON.A, { shape: [1, 1], data: Float64Array.of(crosses(z.data[0], s.threshold, s.strict) ? 1 : 0) });
			const errorUsed = fired && out.emit('loss', ERROR, { shape: [1, 1], data: Float64Array.of(s.Y.data[sample] - fired.data[0]) });
			if (!errorUsed) return trace.finish();
			const error = errorUsed.data[0];
			// delta: w_i += lr·(y − ŷ)·x_i; sign: the correction lr·(y − ŷ) is added to every weight.
			for (let i = 0; i < n; i++) W.data[i] += s.lr * error * (s.rule === 'delta' ? x[i] : 1);
			if (b) b.data[0] += s.lr * error;
			const WUsed = out.emit('update', PERCEPTRON.W, W);
			if (!WUsed) return trace.finish();
			if (WUsed !== W) W.data.set(WUsed.data);
			const bUsed = b && out.emit('update', PERCEPTRON.b, b);
			if (b && !bUsed) return trace.finish();
			if (b && bUsed && bUsed !== b) b.data.set(bUsed.data);
		}
	}
	return trace.finish();
}
