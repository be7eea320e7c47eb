import type { Conventions } from './activations';
import type { BackendReport } from './backends/backend';
import { EVENT_RECORD_BYTES } from './limits';
import type { EarlyStopping } from './evaluate';
import type { LossName } from './losses';
import type { OptimizerPlan } from './optimizers';
import type { LearningRateSchedule } from './schedules';
import type { LayerPlan } from './plan';
import { nameOf } from './quantity';
import { sizeOf, toNested, type NestedNumbers, type Tensor } from './tensor';

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

/**
 * A recorded run, stored by columns: one entry per event in small typed arrays and all values
 * in one Float64Array. A 100,000-step run is a few typed arrays, not millions of objects, and
 * the whole trace is plain data that structured cloning can send to a Web Worker.
 */
export interface Trace {
	setup: TraceSetup;
	/** number of events; event i has seq i */
	length: number;
	/** the last step recorded */
	steps: number;
	names: string[];
	shapes: number[][];
	step: Int32Array;
	epoch: Int32Array;
	phase: Uint8Array;
	name: Uint16Array;
	shape: Uint16Array;
	/** where event i's values start in `values` */
	offset: Uint32Array;
	values: Float64Array;
	/** stepStart[s] is the first event of step s; stepStart[steps + 1] = length */
	stepStart: Int32Array;
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

/** Appends events; `finish` hands over the trace. Used by the engine only. */
export class TraceRecorder {
	#length = 0;
	#used = 0;
	#names = new Map<string, number>();
	/** the names in id order, as a trace lists them */
	#nameList: string[] = [];
	#shapes = new Map<string, number>();
	#shapeList: number[][] = [];
	/** stepStart[s] for the steps begun, and room for the entry after the last */
	#stepStart = new Int32Array(16);
	#stepsBegun = 1;
	#step: Int32Array;
	#epoch: Int32Array;
	#phase: Uint8Array;
	#name: Uint16Array;
	#shape: Uint16Array;
	#offset: Uint32Array;
	#values: Float64Array;
	#diverged: Divergence | null = null;
	#batchRows: number[] = [];
	#batchStart: number[] = [0];
	/** per name id, the last shape recorded under it and its id: most events repeat their shape */
	#lastShape: { shape: number[]; id: number }[] = [];

	constructor(
		private readonly setup: TraceSetup,
		expected: { events: number; values: number },
		/** the backend as the run ends (one that fell back says so) */
		private readonly finalBackend: () => BackendReport = () => setup.backend
	) {
		const events = Math.max(16, expected.events);
		this.#step = new Int32Array(events);
		this.#epoch = new Int32Array(events);
		this.#phase = new Uint8Array(events);
		this.#name = new Uint16Array(events);
		this.#shape = new Uint16Array(events);
		this.#offset = new Uint32Array(events);
		this.#values = new Float64Array(Math.max(64, expected.values));
	}

	record(step: number, epoch: number, phase: Phase, name: string, value: Tensor): void {
		if (this.#length === this.#step.length) this.#growEvents();
		while (this.#used + value.data.length > this.#values.length) this.#values = grow(this.#values, this.#values.length * 2);
		while (this.#stepsBegun <= step) {
			if (this.#stepsBegun + 1 >= this.#stepStart.length) this.#stepStart = grow(this.#stepStart, this.#stepStart.length * 2);
			this.#stepStart[this.#stepsBegun++] = this.#length;
		}
		const i = this.#length++;
		this.#step[i] = step;
		this.#epoch[i] = epoch;
		this.#phase[i] = PHASE_IDS[phase];
		const nameId = intern(this.#names, this.#nameList, name, name);
		this.#name[i] = nameId;
		this.#shape[i] = this.#shapeId(nameId, value.shape);
		const used = this.#used;
		this.#offset[i] = used;
		const data = value.data;
		const values = this.#values;
		// most events of a small network hold a few numbers, where a loop beats set()'s call
		if (data.length <= 16) for (let k = 0; k < data.length; k++) values[used + k] = data[k];
		else values.set(data, used);
		this.#used = used + data.length;
	}

	/** Writes `data` over the values of the last event recorded (a value revised once recorded: the same size). */
	overwriteLast(data: ArrayLike<number>): void {
		this.#values.set(data, this.#offset[this.#length - 1]);
	}

	/**
	 * The run so far as a trace, for a caller that reads the events recorded until now: a view of
	 * the recorder's arrays, valid until the next event is recorded.
	 */
	sofar(): Trace {
		const length = this.#length;
		const rows = this.#batchRows;
		const starts = this.#batchStart;
		this.#stepStart[this.#stepsBegun] = length;
		return {
			setup: this.setup,
			length,
			steps: this.#stepsBegun - 1,
			names: this.#nameList,
			shapes: this.#shapeList,
			step: this.#step.subarray(0, length),
			epoch: this.#epoch.subarray(0, length),
			phase: this.#phase.subarray(0, length),
			name: this.#name.subarray(0, length),
			shape: this.#shape.subarray(0, length),
			offset: this.#offset.subarray(0, length),
			values: this.#values.subarray(0, this.#used),
			stepStart: this.#stepStart.subarray(0, this.#stepsBegun + 1),
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

	#shapeId(nameId: number, shape: number[]): number {
		const last = this.#lastShape[nameId];
		if (last && sameShape(last.shape, shape)) return last.id;
		const id = intern(this.#shapes, this.#shapeList, shape.join(','), [...shape]);
		this.#lastShape[nameId] = { shape: [...shape], id };
		return id;
	}

	#growEvents(): void {
		const size = this.#step.length * 2;
		this.#step = grow(this.#step, size);
		this.#epoch = grow(this.#epoch, size);
		this.#phase = grow(this.#phase, size);
		this.#name = grow(this.#name, size);
		this.#shape = grow(this.#shape, size);
		this.#offset = grow(this.#offset, size);
	}

	finish(): Trace {
		const length = this.#length;
		const steps = this.#stepsBegun - 1;
		while (this.#batchStart.length <= steps + 1) this.#batchStart.push(this.#batchRows.length);
		return {
			setup: { ...this.setup, backend: this.finalBackend() },
			length,
			steps,
			names: [...this.#nameList],
			shapes: this.#shapeList.map((shape) => [...shape]),
			step: fit(this.#step, length),
			epoch: fit(this.#epoch, length),
			phase: fit(this.#phase, length),
			name: fit(this.#name, length),
			shape: fit(this.#shape, length),
			offset: fit(this.#offset, length),
			values: fit(this.#values, this.#used),
			stepStart: Int32Array.from([...this.#stepStart.subarray(0, this.#stepsBegun), length]),
			batchRows: Int32Array.from(this.#batchRows),
			batchStart: Int32Array.from(this.#batchStart),
			diverged: this.#diverged
		};
	}
}

const PHASE_IDS = Object.fromEntries(PHASES.map((phase, i) => [phase, i])) as Record<Phase, number>;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

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

export function eventAt(trace: Trace, seq: number): TraceEvent {
	const shape = trace.shapes[trace.shape[seq]];
	const start = trace.offset[seq];
	return {
		seq,
		step: trace.step[seq],
		epoch: trace.epoch[seq],
		phase: PHASES[trace.phase[seq]],
		name: trace.names[trace.name[seq]],
		value: { shape, data: trace.values.subarray(start, start + sizeOf(shape)) }
	};
}

/** The event `name` of step `step` (the last one if the step records it twice), found without scanning the trace. */
export function findEvent(trace: Trace, step: number, name: string): TraceEvent | undefined {
	if (step < 0 || step > trace.steps) return undefined;
	const nameId = trace.names.indexOf(name);
	if (nameId < 0) return undefined;
	for (let seq = trace.stepStart[step + 1] - 1; seq >= trace.stepStart[step]; seq--) {
		if (trace.name[seq] === nameId) return eventAt(trace, seq);
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

/** Bytes the trace holds, for the memory budget and the benchmarks. */
export function traceBytes(trace: Trace): number {
	return trace.values.byteLength + trace.length * EVENT_RECORD_BYTES;
}
