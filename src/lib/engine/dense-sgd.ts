import { ACTIVATIONS } from './activations';
import type { Backend } from './backends/backend';
import { inputGradient, weightedSums, weightGradients } from './layers/dense';
import { required, type Parameters } from './layers/unit';
import { costInto, pairsWith } from './network';
import type { LossName } from './losses';
import { countNonFinite } from './numeric';
import { Optimizer } from './optimizers';
import type { LayerPlan } from './plan';
import { layerName, nameOf } from './quantity';
import type { NetworkScenario } from './scenario/validate';
import type { Revise, Stepper, StepRecorder, Substitution } from './step-recorder';
import type { Phase, StepEventKind } from './trace';
import { sizeOf, takeRowsInto, type Tensor } from './tensor';

/**
 * A training step of a stack of dense layers by plain gradient descent, the commonest run (the
 * courses' XOR networks, an MNIST classifier), computed in place: each quantity is written into
 * one buffer for the whole step, in event order, and the trace takes the buffer at once. The
 * general loop of run.ts allocates every tensor, looks every name up and checks every value as
 * it goes, which took most of a small network's time. The numbers are the same to the bit: the
 * same loops compute them (the dense layer's, the activations', the loss's, the optimizer's), in
 * the same order, and tests/lib/engine/dense-sgd.test.ts compares whole traces of both.
 */
type DensePlan = Extract<LayerPlan, { type: 'dense' }>;

/** The run's options this stepper cannot honour, and the backend the run chose. */
export interface StepperOptions {
	backend: Backend;
	substitutions?: readonly Substitution[];
	revise?: Revise;
	backpropThroughUpdatedWeights?: boolean;
	scheduleCount?: 'epochs' | 'from-one';
	ascend?: boolean;
}

/**
 * The stepper for this run, or null where the general loop must run it: a layer other than dense,
 * another optimizer, a schedule, weight decay, a frozen layer or update switched off, a backend
 * other than the reference, a substitution, a revision or a student's mistake to replay.
 */
export function denseSgdStepper(s: NetworkScenario, options: StepperOptions): Stepper | null {
	const plans = s.plans.filter((plan): plan is DensePlan => plan.type === 'dense');
	const { loss, Y } = s;
	if (
		!loss ||
		!Y ||
		plans.length !== s.plans.length ||
		s.optimizer.type !== 'sgd' ||
		s.schedule !== null ||
		s.l2 !== 0 ||
		s.frozen.length > 0 ||
		!s.update.weights ||
		!s.update.biases ||
		options.backend.name !== 'reference' ||
		(options.substitutions?.length ?? 0) > 0 ||
		options.revise !== undefined ||
		options.backpropThroughUpdatedWeights === true ||
		options.scheduleCount !== undefined ||
		options.ascend === true
	)
		return null;
	return new DenseSgd(s, plans, loss, Y);
}

/**
 * The stepper as a class: V8 optimises its method once for every run, where a closure made at
 * each run was optimised for that run's objects and thrown away when they were collected.
 */
class DenseSgd implements Stepper {
	private readonly X: Float64Array;
	private readonly Y: Float64Array;
	private readonly features: number;
	private readonly outputs: number;
	private readonly paired: boolean;
	private readonly optimizer: Optimizer;
	/** one frame per batch size: the last batch of an epoch may be smaller */
	private readonly frames = new Map<number, Frame>();

	constructor(
		private readonly s: NetworkScenario,
		private readonly plans: readonly DensePlan[],
		private readonly loss: LossName,
		Y: Tensor
	) {
		this.X = s.X.data;
		this.Y = Y.data;
		this.features = plans[0].inputShape[0];
		this.outputs = plans[plans.length - 1].units;
		this.paired = pairsWith(loss, plans[plans.length - 1].activation);
		this.optimizer = new Optimizer(s.optimizer, s.lr);
	}

	step(out: StepRecorder, rows: readonly number[], params: readonly (Parameters | null)[]): boolean {
		const { plans, outputs, paired } = this;
		const batch = rows.length;
		let frame = this.frames.get(batch);
		if (!frame) {
			frame = frameOf(plans, batch, outputs);
			this.frames.set(batch, frame);
		}
		takeRowsInto(this.X, this.features, rows, frame.input);
		takeRowsInto(this.Y, outputs, rows, frame.targets);
		const { layers } = frame;
		let input = frame.input;
		for (let i = 0; i < plans.length; i++) {
			const plan = plans[i];
			weightedSums(input, required(plan, params[i], 'W').data, required(plan, params[i], 'b').data, batch, plan.inputShape[0], plan.units, layers[i].Z);
			ACTIVATIONS[plan.activation].forward(layers[i].Z, layers[i].A, plan.units);
			input = layers[i].A;
		}
		const last = layers[layers.length - 1];
		const activation = plans[plans.length - 1].activation;
		frame.cost[0] = costInto(this.loss, this.s.reduction, activation, batch, { yHat: last.A, y: frame.targets, z: last.Z, width: outputs }, last.dA, paired ? last.dZ : null);
		for (let i = plans.length - 1; i >= 0; i--) {
			const { units, inputShape, activation } = plans[i];
			const layer = layers[i];
			if (!(paired && i === plans.length - 1)) ACTIVATIONS[activation].backward(layer.Z, layer.A, layer.dA, layer.dZ, units, this.s.conventions);
			layer.dW.fill(0);
			layer.db.fill(0);
			weightGradients(layer.dZ, i === 0 ? frame.input : layers[i - 1].A, batch, inputShape[0], units, layer.dW, layer.db);
			if (i === 0) continue;
			layers[i - 1].dA.fill(0);
			inputGradient(layer.dZ, required(plans[i], params[i], 'W').data, batch, inputShape[0], units, layers[i - 1].dA);
		}
		for (let i = 0; i < plans.length; i++) {
			const W = required(plans[i], params[i], 'W');
			const b = required(plans[i], params[i], 'b');
			const layer = layers[i];
			this.optimizer.move(W, layer.gradients.W, 'W', i + 1, out.step);
			this.optimizer.move(b, layer.gradients.b, 'b', i + 1, out.step);
			layer.W.set(W.data);
			layer.b.set(b.data);
		}
		if (countNonFinite(frame.values) === 0) {
			out.trace.recordStep(out.step, out.epoch, frame.events, frame.values);
			return true;
		}
		// the events before the first that overflowed, then `diverged`, as the general loop records them
		for (const { phase, name, shape, value } of frame.events) if (!out.record(phase, name, { shape, data: value })) return false;
		return true;
	}
}

/** One event of the step: its values, a view of the step's buffer. */
interface StepEvent extends StepEventKind {
	shape: number[];
	value: Float64Array;
}

/** A layer's quantities in the step's buffer. */
interface LayerViews {
	Z: Float64Array;
	A: Float64Array;
	dA: Float64Array;
	dZ: Float64Array;
	dW: Float64Array;
	db: Float64Array;
	W: Float64Array;
	b: Float64Array;
	/** dW and db as the optimizer reads them */
	gradients: { W: Tensor; b: Tensor };
}

/** The step's buffer for one batch size: every event's values, in the order the general loop records them. */
interface Frame {
	values: Float64Array;
	events: StepEvent[];
	input: Float64Array;
	cost: Float64Array;
	layers: LayerViews[];
	/** the batch's targets, which the step reads but does not record */
	targets: Float64Array;
}

const LOSS = nameOf({ symbol: 'loss', layer: null });

/** What a dense layer records at a training step. */
type StepSymbol = 'A' | 'Z' | 'dA' | 'dZ' | 'dW' | 'db' | 'W' | 'b';

function frameOf(plans: readonly DensePlan[], batch: number, outputs: number): Frame {
	const layout: { phase: Phase; name: string; shape: number[] }[] = [];
	const add = (phase: Phase, name: string, shape: number[]) => layout.push({ phase, name, shape });
	const name = (symbol: StepSymbol, l: number) => layerName(symbol, l);
	add('forward', name('A', 0), [batch, plans[0].inputShape[0]]);
	plans.forEach((plan, i) => {
		add('forward', name('Z', i + 1), [batch, plan.units]);
		add('forward', name('A', i + 1), [batch, plan.units]);
	});
	add('loss', LOSS, []);
	for (let i = plans.length - 1; i >= 0; i--) {
		const { units, inputShape } = plans[i];
		add('backward', name('dA', i + 1), [batch, units]);
		add('backward', name('dZ', i + 1), [batch, units]);
		add('backward', name('dW', i + 1), [units, inputShape[0]]);
		add('backward', name('db', i + 1), [units]);
	}
	plans.forEach(({ units, inputShape }, i) => {
		add('update', name('W', i + 1), [units, inputShape[0]]);
		add('update', name('b', i + 1), [units]);
	});
	const sizes = layout.map(({ shape }) => sizeOf(shape));
	const values = new Float64Array(sizes.reduce((sum, n) => sum + n, 0));
	let offset = 0;
	const events = layout.map((event, k) => {
		const value = values.subarray(offset, offset + sizes[k]);
		offset += sizes[k];
		return { ...event, value };
	});
	const view = new Map(events.map((event) => [event.name, event.value]));
	const at = (symbol: StepSymbol, l: number) => view.get(name(symbol, l)) as Float64Array;
	const layers = plans.map(({ units, inputShape }, i): LayerViews => {
		const l = i + 1;
		const dW = at('dW', l);
		const db = at('db', l);
		return {
			Z: at('Z', l),
			A: at('A', l),
			dA: at('dA', l),
			dZ: at('dZ', l),
			dW,
			db,
			W: at('W', l),
			b: at('b', l),
			gradients: { W: { shape: [units, inputShape[0]], data: dW }, b: { shape: [units], data: db } }
		};
	});
	return { values, events, input: at('A', 0), cost: view.get(LOSS) as Float64Array, layers, targets: new Float64Array(batch * outputs) };
}
