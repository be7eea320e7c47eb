import type { Conventions } from './activations';
import type { BackendReport } from './backends/backend';
import type { EarlyStopping } from './evaluate';
import type { LossName } from './losses';
import type { OptimizerPlan } from './optimizers';
import type { LearningRateSchedule } from './schedules';
import type { LayerPlan } from './plan';
import { nameOf } from './quantity';
import { sameShape, sizeOf, toNested, type NestedNumbers, type Tensor } from './tensor';

/** `evaluate`: the end of an epoch (loss and metrics on the held-out data, early stopping), appended last so the others keep their ids */
export const PHASES = ['init', 'forward', 'loss', 'backward', 'update', 'diverged', 'evaluate'] as const;
export type Phase = (typeof PHASES)[number];

/** Why a run stopped early: the first quantity that overflowed or became NaN. */
export interface Divergence {
	step: number;
	quantity: string;
	nonFinite: number;
	message: string;
}

/**
 * What produced the events, so that formulas and pictures can say which rule computed each
 * number without recomputing anything: the layers, the loss, the learning rule, the targets.
 */
export interface TraceSetup {
	kind: 'network' | 'perceptron';
	/** the network's layers; a perceptron is one dense unit with a step activation */
	layers: LayerPlan[];
	loss: LossName | null;
	reduction: 'mean' | 'sum';
	/** the learning rate, or a schedule's first one */
	lr: number;
	/** the schedule behind the `lr` events (one per update), null when the rate stays `lr` */
	schedule: LearningRateSchedule | null;
	/** the update rule (a perceptron's is its own, `perceptron.rule`: sgd here) */
	optimizer: OptimizerPlan;
	/** layers (from 1) frozen by `trainable: false`: no dW, db or optimizer state, W and b recorded unchanged */
	frozen: number[];
	/** λ of L2 weight decay on W: the optimizer reads ∂J/∂W + 2λW (0: none) */
	l2: number;
	update: { weights: boolean; biases: boolean };
	/** where the courses differ on a derivative, which one computed the events (ReLU′(0)) */
	conventions: Conventions;
	perceptron: { threshold: number; strict: boolean; rule: 'delta' | 'sign'; bias: boolean } | null;
	/** the targets of every sample (data.Y), null in a forward-only run */
	Y: Tensor | null;
	/** which backend computed the events, as the UI says it */
	backend: BackendReport;
	/** the rule behind the `early_stopping` events, null when the run has none */
	earlyStopping: EarlyStopping | null;
}

/** What an event is, apart from its step and its values: its phase, name and shape (ids into a trace's lists). */
export interface EventKind {
	phase: number;
	name: number;
	shape: number;
	/** the number of values, the product of the shape */
	size: number;
}

/**
 * The events of a step, in order: a run's steps nearly all record the same events, so a trace
 * keeps each different list once and each step names its own.
 */
export interface StepLayout {
	kinds: Uint16Array;
	/** where event i's values start, from the step's first value; offsets[kinds.length] is the step's size */
	offsets: Uint32Array;
}

/**
 * A recorded run. All values are in one Float64Array; what each event is comes from its step's
 * layout, so that a 100,000-step run costs a few bytes a step besides its values, and the whole
 * trace is plain data that structured cloning can send to a Web Worker. Read it through
 * `eventAt`, `stepOf`, `kindOf` and the other functions below.
 */
export interface Trace {
	setup: TraceSetup;
	/** number of events; event i has seq i */
	length: number;
	/** the last step recorded */
	steps: number;
	names: string[];
	shapes: number[][];
	kinds: EventKind[];
	layouts: StepLayout[];
	/** stepStart[s] is the first event of step s; stepStart[steps + 1] = length */
	stepStart: Int32Array;
	/** the layout of step s */
	stepLayout: Uint16Array | Uint32Array;
	/** where the values of step s × VALUE_MARK_STEPS start in `values` (those of the steps between add up from their layouts) */
	valueMarks: Uint32Array;
	/** the epoch of step s */
	stepEpoch: Int32Array;
	values: Float64Array;
	/** the samples (rows of data.X and data.Y) of step s are batchRows[batchStart[s]..batchStart[s + 1]) */
	batchRows: Int32Array;
	batchStart: Int32Array;
	diverged: Divergence | null;
}

/** One event, as formulas, pictures and the grader read it: its value is a view into the trace. */
export interface TraceEvent {
	seq: number;
	step: number;
	epoch: number;
	phase: Phase;
	name: string;
	value: Tensor;
}

/** The event as DESIGN.md's JSON: `value` is a number or nested arrays in the tensor's shape. */
export interface JsonEvent {
	seq: number;
	step: number;
	epoch: number;
	phase: Phase;
	name: string;
	value: NestedNumbers;
	quantity?: string;
	message?: string;
}

/** An event of a step recorded whole: what it is, apart from its values. */
export interface StepEventKind {
	phase: Phase;
	name: string;
	shape: readonly number[];
}

/** Appends events; `finish` hands over the trace. Used by the engine only. */
export class TraceRecorder {
	#length = 0;
	#used = 0;
	#names = new Map<string, number>();
	/** the names in id order, as a trace lists them */
	#nameList: string[] = [];
	#shapes = new Map<string, number>();
	#shapeList: number[][] = [];
	#kinds = new Map<string, number>();
	#kindList: EventKind[] = [];
	/** per name id, the last kind recorded under it: most events repeat their phase and shape */
	#lastKind: number[] = [];
	#layouts = new Map<string, number>();
	#layoutList: StepLayout[] = [];
	/** the kinds of the step being recorded */
	#open = new Uint16Array(64);
	#openLength = 0;
	/** the step being recorded; steps before it are closed */
	#step = 0;
	#stepStart: Int32Array;
	#stepLayout: Uint16Array | Uint32Array;
	#valueMarks: Uint32Array;
	#stepEpoch: Int32Array;
	#values: Float64Array;
	#diverged: Divergence | null = null;
	#batchRows: number[] = [];
	#batchStart: number[] = [0];
	/** the kinds of each list of events recorded whole (recordStep) */
	#stepKinds = new Map<readonly StepEventKind[], Uint16Array>();

	constructor(
		private readonly setup: TraceSetup,
		expected: { steps: number; values: number },
		/** the backend as the run ends (one that fell back says so) */
		private readonly finalBackend: () => BackendReport = () => setup.backend
	) {
		const steps = Math.max(16, expected.steps + 2);
		this.#stepStart = new Int32Array(steps);
		this.#stepLayout = new Uint16Array(steps);
		this.#valueMarks = new Uint32Array(marksFor(steps));
		this.#stepEpoch = new Int32Array(steps);
		this.#values = new Float64Array(Math.max(64, expected.values));
	}

	record(step: number, epoch: number, phase: Phase, name: string, value: Tensor): void {
		if (step !== this.#step) this.#begin(step);
		this.#stepEpoch[step] = epoch;
		const data = value.data;
		while (this.#used + data.length > this.#values.length) this.#values = grow(this.#values, this.#values.length * 2);
		if (this.#openLength === this.#open.length) this.#open = grow(this.#open, this.#open.length * 2);
		this.#open[this.#openLength++] = this.#kindId(PHASE_IDS[phase], intern(this.#names, this.#nameList, name, name), value.shape);
		this.#length++;
		const used = this.#used;
		const values = this.#values;
		// most events of a small network hold a few numbers, where a loop beats set()'s call
		if (data.length <= 16) for (let k = 0; k < data.length; k++) values[used + k] = data[k];
		else values.set(data, used);
		this.#used = used + data.length;
	}

	/**
	 * Records `events` at once, their values one after the other in `values`, as `record` would
	 * one by one; the step may go on with events recorded one by one. A run that records the same
	 * events at every step passes the same list, whose kinds are looked up once.
	 */
	recordStep(step: number, epoch: number, events: readonly StepEventKind[], values: Float64Array): void {
		if (step !== this.#step) this.#begin(step);
		this.#stepEpoch[step] = epoch;
		let kinds = this.#stepKinds.get(events);
		if (!kinds) {
			kinds = Uint16Array.from(events, ({ phase, name, shape }) => this.#kindId(PHASE_IDS[phase], intern(this.#names, this.#nameList, name, name), shape));
			this.#stepKinds.set(events, kinds);
		}
		while (this.#openLength + kinds.length > this.#open.length) this.#open = grow(this.#open, this.#open.length * 2);
		while (this.#used + values.length > this.#values.length) this.#values = grow(this.#values, this.#values.length * 2);
		this.#open.set(kinds, this.#openLength);
		this.#openLength += kinds.length;
		this.#length += kinds.length;
		const used = this.#used;
		const all = this.#values;
		if (values.length <= 64) for (let k = 0; k < values.length; k++) all[used + k] = values[k];
		else all.set(values, used);
		this.#used = used + values.length;
	}

	/** Writes `data` over the values of the last event recorded (a value revised once recorded: the same size). */
	overwriteLast(data: ArrayLike<number>): void {
		this.#values.set(data, this.#used - data.length);
	}

	/**
	 * The run so far as a trace, for a caller that reads the events recorded until now: a view of
	 * the recorder's arrays, valid until the next event is recorded.
	 */
	sofar(): Trace {
		const length = this.#length;
		const rows = this.#batchRows;
		const starts = this.#batchStart;
		const step = this.#step;
		this.#stepLayout[step] = this.#layoutId();
		this.#stepStart[step + 1] = length;
		return {
			setup: this.setup,
			length,
			steps: step,
			names: this.#nameList,
			shapes: this.#shapeList,
			kinds: this.#kindList,
			layouts: this.#layoutList,
			stepStart: this.#stepStart.subarray(0, step + 2),
			stepLayout: this.#stepLayout.subarray(0, step + 1),
			valueMarks: this.#valueMarks.subarray(0, marksFor(step + 1)),
			stepEpoch: this.#stepEpoch.subarray(0, step + 1),
			values: this.#values.subarray(0, this.#used),
			// copied only where read: no rule a caller applies to an event reads them
			get batchRows() {
				return Int32Array.from(rows);
			},
			get batchStart() {
				return Int32Array.from(starts);
			},
			diverged: this.#diverged
		};
	}

	/** Remembers which samples step `step` reads, in batch order. */
	batch(step: number, rows: ArrayLike<number>): void {
		while (this.#batchStart.length <= step) this.#batchStart.push(this.#batchRows.length);
		for (let i = 0; i < rows.length; i++) this.#batchRows.push(rows[i]);
	}

	/** Records a `diverged` event (its value: how many entries were not finite) and remembers why. */
	diverge(step: number, epoch: number, divergence: Divergence): void {
		this.record(step, epoch, 'diverged', nameOf({ symbol: 'diverged', layer: null }), { shape: [], data: Float64Array.of(divergence.nonFinite) });
		this.#diverged = divergence;
	}

	/** Closes the step being recorded and the steps without events up to `step`, which begins. */
	#begin(step: number): void {
		if (step < this.#step) throw new Error(`step ${step} recorded after step ${this.#step}`);
		if (step + 2 > this.#stepStart.length) this.#growSteps(Math.max(step + 2, this.#stepStart.length * 2));
		this.#stepLayout[this.#step] = this.#layoutId();
		this.#openLength = 0;
		for (let s = this.#step + 1; s <= step; s++) {
			this.#stepStart[s] = this.#length;
			if (s % VALUE_MARK_STEPS === 0) this.#valueMarks[s / VALUE_MARK_STEPS] = this.#used;
			this.#stepEpoch[s] = this.#stepEpoch[s - 1];
			this.#stepLayout[s] = s < step ? this.#layoutId() : 0;
		}
		this.#step = step;
	}

	/** The id of the open step's layout, the same as the last step's when it records the same events. */
	#layoutId(): number {
		const open = this.#open;
		const length = this.#openLength;
		const previous = this.#step > 0 ? this.#layoutList[this.#stepLayout[this.#step - 1]] : undefined;
		if (previous && previous.kinds.length === length) {
			let same = true;
			for (let i = 0; i < length && same; i++) same = previous.kinds[i] === open[i];
			if (same) return this.#stepLayout[this.#step - 1];
		}
		return this.#internLayout(open.subarray(0, length));
	}

	/** The id of the layout of these kinds, added when new. */
	#internLayout(step: Uint16Array): number {
		const key = step.join(',');
		let id = this.#layouts.get(key);
		if (id === undefined) {
			const length = step.length;
			const kinds = step.slice();
			const offsets = new Uint32Array(length + 1);
			for (let i = 0; i < length; i++) offsets[i + 1] = offsets[i] + this.#kindList[kinds[i]].size;
			id = this.#layoutList.length;
			this.#layouts.set(key, id);
			this.#layoutList.push({ kinds, offsets });
			// a run with more different steps than 65,536 (none of the courses' comes near) widens the ids
			if (id > 0xffff && this.#stepLayout instanceof Uint16Array) this.#stepLayout = Uint32Array.from(this.#stepLayout);
		}
		return id;
	}

	#kindId(phase: number, name: number, shape: readonly number[]): number {
		const last = this.#lastKind[name];
		if (last !== undefined) {
			const kind = this.#kindList[last];
			if (kind.phase === phase && sameShape(this.#shapeList[kind.shape], shape)) return last;
		}
		const shapeId = intern(this.#shapes, this.#shapeList, shape.join(','), [...shape]);
		const id = intern(this.#kinds, this.#kindList, `${phase}|${name}|${shapeId}`, { phase, name, shape: shapeId, size: sizeOf(shape) });
		this.#lastKind[name] = id;
		return id;
	}

	#growSteps(size: number): void {
		this.#stepStart = grow(this.#stepStart, size);
		this.#stepLayout = grow(this.#stepLayout, size);
		this.#valueMarks = grow(this.#valueMarks, marksFor(size));
		this.#stepEpoch = grow(this.#stepEpoch, size);
	}

	finish(): Trace {
		const length = this.#length;
		const steps = this.#step;
		this.#stepLayout[steps] = this.#layoutId();
		this.#stepStart[steps + 1] = length;
		while (this.#batchStart.length <= steps + 1) this.#batchStart.push(this.#batchRows.length);
		return {
			setup: { ...this.setup, backend: this.finalBackend() },
			length,
			steps,
			names: [...this.#nameList],
			shapes: this.#shapeList.map((shape) => [...shape]),
			kinds: this.#kindList.map((kind) => ({ ...kind })),
			layouts: [...this.#layoutList],
			stepStart: fit(this.#stepStart, steps + 2),
			stepLayout: fit(this.#stepLayout, steps + 1),
			valueMarks: fit(this.#valueMarks, marksFor(steps + 1)),
			stepEpoch: fit(this.#stepEpoch, steps + 1),
			values: fit(this.#values, this.#used),
			batchRows: Int32Array.from(this.#batchRows),
			batchStart: Int32Array.from(this.#batchStart),
			diverged: this.#diverged
		};
	}
}

/** Steps between two value marks: a step's first value is found by adding up at most this many steps' sizes. */
export const VALUE_MARK_STEPS = 64;

/** How many value marks `steps` steps need. */
function marksFor(steps: number): number {
	return Math.ceil(steps / VALUE_MARK_STEPS);
}

const PHASE_IDS = Object.fromEntries(PHASES.map((phase, i) => [phase, i])) as Record<Phase, number>;

type TypedArray = Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** The first `used` entries: the array itself when the run filled it exactly (as estimateCost sized it), else a trimmed copy. */
function fit<T extends TypedArray>(array: T, used: number): T {
	return array.length === used ? array : (array.slice(0, used) as T);
}

function grow<T extends TypedArray>(array: T, size: number): T {
	const bigger = new (array.constructor as new (n: number) => T)(size);
	bigger.set(array);
	return bigger;
}

/** The id of `key`, with `entry` added to `list` at that id when the key is new. */
function intern<T>(table: Map<string, number>, list: T[], key: string, entry: T): number {
	let id = table.get(key);
	if (id === undefined) {
		id = table.size;
		table.set(key, id);
		list.push(entry);
	}
	return id;
}

/** The step of event `seq` (found by bisection over the steps' first events); 0 for a seq outside the trace. */
export function stepOf(trace: Trace, seq: number): number {
	if (!(seq >= 0 && seq < trace.length)) return 0;
	const starts = trace.stepStart;
	let low = 0;
	let high = trace.steps;
	// the last step whose first event is at or before seq (a step without events shares its start with the next)
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (starts[middle] <= seq) low = middle;
		else high = middle - 1;
	}
	return low;
}

export function epochOf(trace: Trace, seq: number): number {
	return trace.stepEpoch[stepOf(trace, seq)];
}

/** What event `seq` is: its phase, name and shape ids. */
export function kindOf(trace: Trace, seq: number): EventKind {
	const step = stepOf(trace, seq);
	return trace.kinds[trace.layouts[trace.stepLayout[step]].kinds[seq - trace.stepStart[step]]];
}

export function phaseOf(trace: Trace, seq: number): Phase {
	return PHASES[kindOf(trace, seq).phase];
}

export function nameAt(trace: Trace, seq: number): string {
	return trace.names[kindOf(trace, seq).name];
}

/** Where step `step`'s values start in `trace.values`: from the mark before it, adding up the sizes of the steps between. */
export function stepValueStart(trace: Trace, step: number): number {
	const marked = step - (step % VALUE_MARK_STEPS);
	let start = trace.valueMarks[marked / VALUE_MARK_STEPS];
	for (let s = marked; s < step; s++) {
		const offsets = trace.layouts[trace.stepLayout[s]].offsets;
		start += offsets[offsets.length - 1];
	}
	return start;
}

/** Where event `seq`'s values start in `trace.values`. */
export function valueStart(trace: Trace, seq: number): number {
	const step = stepOf(trace, seq);
	return stepValueStart(trace, step) + trace.layouts[trace.stepLayout[step]].offsets[seq - trace.stepStart[step]];
}

/**
 * Calls `visit` for each event from `from` to `to` (excluded), in order, with what it is and where
 * its values start: a scan of the trace without a bisection per event. `visit` returns true to stop.
 */
export function scanEvents(trace: Trace, visit: (seq: number, kind: EventKind, step: number, start: number) => boolean | void, from = 0, to = trace.length): void {
	if (from >= to) return;
	let step = stepOf(trace, from);
	for (let values = stepValueStart(trace, step); step <= trace.steps && trace.stepStart[step] < to; step++) {
		const layout = trace.layouts[trace.stepLayout[step]];
		const first = trace.stepStart[step];
		for (let i = Math.max(0, from - first); i < layout.kinds.length && first + i < to; i++) {
			if (visit(first + i, trace.kinds[layout.kinds[i]], step, values + layout.offsets[i]) === true) return;
		}
		values += layout.offsets[layout.kinds.length];
	}
}

export function eventAt(trace: Trace, seq: number): TraceEvent {
	const step = stepOf(trace, seq);
	const layout = trace.layouts[trace.stepLayout[step]];
	const index = seq - trace.stepStart[step];
	const kind = trace.kinds[layout.kinds[index]];
	const start = stepValueStart(trace, step) + layout.offsets[index];
	return {
		seq,
		step,
		epoch: trace.stepEpoch[step],
		phase: PHASES[kind.phase],
		name: trace.names[kind.name],
		value: { shape: trace.shapes[kind.shape], data: trace.values.subarray(start, start + kind.size) }
	};
}

/** The event `name` of step `step` (the last one if the step records it twice), found without scanning the trace. */
export function findEvent(trace: Trace, step: number, name: string): TraceEvent | undefined {
	if (step < 0 || step > trace.steps) return undefined;
	const nameId = trace.names.indexOf(name);
	if (nameId < 0) return undefined;
	const kinds = trace.layouts[trace.stepLayout[step]].kinds;
	for (let i = kinds.length - 1; i >= 0; i--) {
		if (trace.kinds[kinds[i]].name === nameId) return eventAt(trace, trace.stepStart[step] + i);
	}
	return undefined;
}

/** The sample indices (rows of data.X and data.Y) that step `step` reads, in batch order. */
export function batchRowsOf(trace: Trace, step: number): Int32Array {
	if (step < 0 || step > trace.steps) return new Int32Array(0);
	return trace.batchRows.subarray(trace.batchStart[step], trace.batchStart[step + 1]);
}

export function toJsonEvent(trace: Trace, seq: number): JsonEvent {
	const event = eventAt(trace, seq);
	const json: JsonEvent = {
		seq: event.seq,
		step: event.step,
		epoch: event.epoch,
		phase: event.phase,
		name: event.name,
		value: toNested(event.value.shape, event.value.data)
	};
	if (event.phase === 'diverged' && trace.diverged) {
		json.quantity = trace.diverged.quantity;
		json.message = trace.diverged.message;
	}
	return json;
}

/** Bytes the trace's arrays hold, for the memory budget and the benchmarks (its lists of names, shapes, kinds and layouts are a few per run). */
export function traceBytes(trace: Trace): number {
	const layouts = trace.layouts.reduce((bytes, layout) => bytes + layout.kinds.byteLength + layout.offsets.byteLength, 0);
	const perStep = [trace.stepStart, trace.stepLayout, trace.valueMarks, trace.stepEpoch, trace.batchRows, trace.batchStart].reduce((bytes, array) => bytes + array.byteLength, 0);
	return trace.values.byteLength + perStep + layouts;
}
