import { backwardLayer, costAndGradient, forwardPass } from './network';
import { countNonFinite, crosses } from './numeric';
import { isParametric } from './plan';
import { mulberry32, permutation, type Random } from './prng';
import { estimateCost, validateScenario, type NetworkScenario, type Parameters, type PerceptronScenario, type Scenario } from './scenario/validate';
import { clone, takeRows, type Tensor } from './tensor';
import { TraceRecorder, type Phase, type Trace, type TraceSetup } from './trace';

/**
 * Runs a scenario (validated data, or the raw parsed file) on the float64 reference backend and
 * records every event. Throws ScenarioError for a scenario that cannot run; a run that overflows
 * ends with a `diverged` event instead.
 */
export interface RunOptions {
	/** told about a hundred times during a run, so a page can show how far a long run has gone */
	onProgress?: (step: number, steps: number) => void;
}

export function run(input: Scenario | unknown, options: RunOptions = {}): Trace {
	const scenario = isScenario(input) ? input : validateScenario(input);
	return scenario.kind === 'perceptron' ? runPerceptron(scenario, options) : runNetwork(scenario, options);
}

/** Calls onProgress every hundredth of the run's steps. */
function progressReporter(steps: number, options: RunOptions): (step: number) => void {
	const every = Math.max(1, Math.floor(steps / 100));
	const report = options.onProgress;
	return report ? (step) => step % every === 0 && report(step, steps) : () => {};
}

function isScenario(value: unknown): value is Scenario {
	return (
		typeof value === 'object' &&
		value !== null &&
		((value as Scenario).kind === 'network' || (value as Scenario).kind === 'perceptron') &&
		(value as Scenario).X?.data instanceof Float64Array
	);
}

/** Records events of one step, and stops the run at the first tensor that is not finite. */
class StepRecorder {
	step = 0;
	epoch = 0;

	constructor(readonly trace: TraceRecorder) {}

	/** false when the value overflowed: a `diverged` event is recorded instead and the run must stop. */
	record(phase: Phase, name: string, value: Tensor): boolean {
		const nonFinite = countNonFinite(value.data);
		if (nonFinite > 0) {
			this.trace.diverge(this.step, this.epoch, {
				step: this.step,
				quantity: name,
				nonFinite,
				message: `training diverged at step ${this.step}: ${nonFinite} of the ${value.data.length} values of ${name} overflowed or are not a number; try a smaller learning rate`
			});
			return false;
		}
		this.trace.record(this.step, this.epoch, phase, name, value);
		return true;
	}
}

function epochOrder(samples: number, shuffle: boolean, random: Random): number[] {
	return shuffle ? permutation(samples, random) : Array.from({ length: samples }, (_, i) => i);
}

function runNetwork(s: NetworkScenario, options: RunOptions): Trace {
	const setup: TraceSetup = {
		kind: 'network',
		layers: s.plans,
		loss: s.loss,
		reduction: s.reduction,
		lr: s.lr,
		update: s.update,
		perceptron: null,
		Y: s.Y
	};
	const cost = estimateCost(s);
	const trace = new TraceRecorder(setup, cost);
	const progress = progressReporter(cost.steps, options);
	const out = new StepRecorder(trace);
	const params: (Parameters | null)[] = s.initial.map((p) => (p ? { W: clone(p.W), b: clone(p.b) } : null));
	const L = s.plans.length;
	params.forEach((p, i) => {
		if (p) {
			out.record('init', `W[${i + 1}]`, p.W);
			out.record('init', `b[${i + 1}]`, p.b);
		}
	});
	const samples = s.X.shape[0];
	if (!s.loss || !s.Y) {
		out.step = 1;
		out.epoch = 1;
		trace.batch(1, Array.from({ length: samples }, (_, i) => i));
		recordForward(s, params, s.X, out);
		return trace.finish();
	}
	const random = mulberry32(s.training.seed);
	for (let epoch = 1; epoch <= s.training.epochs; epoch++) {
		const order = epochOrder(samples, s.training.shuffle, random);
		for (let start = 0; start < samples; start += s.training.batchSize) {
			out.step++;
			out.epoch = epoch;
			progress(out.step);
			const rows = order.slice(start, start + s.training.batchSize);
			trace.batch(out.step, rows);
			const X = takeRows(s.X, rows);
			const Y = takeRows(s.Y, rows);
			const outputs = recordForward(s, params, X, out);
			if (!outputs) return trace.finish();
			const { cost, dA, pairedDZ } = costAndGradient(s.loss, s.reduction, s.plans[L - 1], outputs[L - 1], Y);
			if (!out.record('loss', 'loss', { shape: [], data: Float64Array.of(cost) })) return trace.finish();
			let upstream = dA;
			const gradients: { dW: Tensor; db: Tensor }[] = [];
			for (let i = L - 1; i >= 0; i--) {
				const plan = s.plans[i];
				const layer = `[${i + 1}]`;
				if (!out.record('backward', `dA${layer}`, upstream)) return trace.finish();
				const input = i === 0 ? X : outputs[i - 1].A;
				const g = backwardLayer(plan, params[i], input, outputs[i], upstream, i === L - 1 ? pairedDZ : null);
				if (g.dZ && !out.record('backward', `dZ${layer}`, g.dZ)) return trace.finish();
				if (g.dW && g.db) {
					if (!out.record('backward', `dW${layer}`, g.dW) || !out.record('backward', `db${layer}`, g.db)) return trace.finish();
					gradients[i] = { dW: g.dW, db: g.db };
				}
				upstream = g.dInput;
			}
			for (let i = 0; i < L; i++) {
				const p = params[i];
				if (!p || !isParametric(s.plans[i])) continue;
				if (s.update.weights) descend(p.W, gradients[i].dW, s.lr);
				if (s.update.biases) descend(p.b, gradients[i].db, s.lr);
				if (!out.record('update', `W[${i + 1}]`, p.W) || !out.record('update', `b[${i + 1}]`, p.b)) return trace.finish();
			}
		}
	}
	return trace.finish();
}

/** Records A[0], then Z[l] and A[l] layer by layer; null if a value overflowed. */
function recordForward(s: NetworkScenario, params: (Parameters | null)[], X: Tensor, out: StepRecorder) {
	if (!out.record('forward', 'A[0]', X)) return null;
	const outputs = forwardPass(s.plans, params, X);
	for (let i = 0; i < outputs.length; i++) {
		const { Z, A } = outputs[i];
		if (Z && !out.record('forward', `Z[${i + 1}]`, Z)) return null;
		if (!out.record('forward', `A[${i + 1}]`, A)) return null;
	}
	return outputs;
}

/** Gradient descent, in place: θ ← θ − lr·∂J/∂θ */
function descend(theta: Tensor, gradient: Tensor, lr: number): void {
	for (let i = 0; i < theta.data.length; i++) theta.data[i] -= lr * gradient.data[i];
}

function runPerceptron(s: PerceptronScenario, options: RunOptions): Trace {
	const n = s.w.length;
	const setup: TraceSetup = {
		kind: 'perceptron',
		layers: [{ type: 'dense', index: 1, inputShape: [n], outputShape: [1], units: 1, activation: 'step' }],
		loss: null,
		reduction: 'sum',
		lr: s.lr,
		update: { weights: true, biases: s.b !== null },
		perceptron: { threshold: s.threshold, strict: s.strict, rule: s.rule, bias: s.b !== null },
		Y: s.Y
	};
	const cost = estimateCost(s);
	const trace = new TraceRecorder(setup, cost);
	const progress = progressReporter(cost.steps, options);
	const out = new StepRecorder(trace);
	const W: Tensor = { shape: [1, n], data: Float64Array.from(s.w) };
	const b: Tensor | null = s.b === null ? null : { shape: [1], data: Float64Array.of(s.b) };
	out.record('init', 'W[1]', W);
	if (b) out.record('init', 'b[1]', b);
	const random = mulberry32(s.training.seed);
	for (let epoch = 1; epoch <= s.training.epochs; epoch++) {
		for (const sample of epochOrder(s.X.shape[0], s.training.shuffle, random)) {
			out.step++;
			out.epoch = epoch;
			progress(out.step);
			trace.batch(out.step, [sample]);
			const x = s.X.data.subarray(sample * n, (sample + 1) * n);
			let weightedSum = b ? b.data[0] : 0;
			for (let i = 0; i < n; i++) weightedSum += W.data[i] * x[i];
			const fired = crosses(weightedSum, s.threshold, s.strict) ? 1 : 0;
			const error = s.Y.data[sample] - fired;
			const ok =
				out.record('forward', 'A[0]', { shape: [1, n], data: x }) &&
				out.record('forward', 'Z[1]', { shape: [1, 1], data: Float64Array.of(weightedSum) }) &&
				out.record('forward', 'A[1]', { shape: [1, 1], data: Float64Array.of(fired) }) &&
				out.record('loss', 'error', { shape: [1, 1], data: Float64Array.of(error) });
			if (!ok) return trace.finish();
			// delta: w_i += lr·(y − ŷ)·x_i; sign: the correction lr·(y − ŷ) is added to every weight.
			for (let i = 0; i < n; i++) W.data[i] += s.lr * error * (s.rule === 'delta' ? x[i] : 1);
			if (b) b.data[0] += s.lr * error;
			if (!out.record('update', 'W[1]', W)) return trace.finish();
			if (b && !out.record('update', 'b[1]', b)) return trace.finish();
		}
	}
	return trace.finish();
}
