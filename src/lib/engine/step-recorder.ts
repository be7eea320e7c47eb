import { countNonFinite } from './numeric';
import type { Tensor } from './tensor';
import type { Parameters } from './layers/unit';
import type { Phase, Trace, TraceRecorder } from './trace';

/**
 * A value that replaces part of an event before the run reads it, e.g. a student's own A[1]:
 * every later quantity is then computed from it, which is how the grader carries an error
 * forward without redoing any maths itself. `values` overwrite the event's row-major values
 * from `offset` on (a whole tensor, one element, or a contiguous slice such as one sample).
 */
export interface Substitution {
	step: number;
	name: string;
	offset: number;
	values: readonly number[];
}

/**
 * What a recorded event becomes, given its name, its step and the run so far (that event
 * included, as computed; the view is valid during the call only): a value of the same size, or
 * null to keep it. The run goes on from the value returned, as from a substitution, so every
 * later event is the engine's computation from it (but for a layer's inner values, Z or a mask,
 * recorded once the layer's output is computed: revised, they are only recorded so).
 */
export type Revise = (name: string, step: number, sofar: () => Trace) => Tensor | null;

/** Records events of one step, and stops the run at the first tensor that is not finite. */
export class StepRecorder {
	step = 0;
	epoch = 0;
	private readonly substitutions = new Map<string, Substitution[]>();

	constructor(
		readonly trace: TraceRecorder,
		substitutions: readonly Substitution[] = [],
		private readonly revise: Revise | null = null
	) {
		for (const s of substitutions) {
			const key = `${s.step} ${s.name}`;
			this.substitutions.set(key, [...(this.substitutions.get(key) ?? []), s]);
		}
	}

	/** The value the run goes on with: `value`, or a copy with this step's substitutions written in. */
	substitute(name: string, value: Tensor): Tensor {
		if (this.substitutions.size === 0) return value;
		const found = this.substitutions.get(`${this.step} ${name}`);
		if (!found) return value;
		const data = Float64Array.from(value.data);
		for (const s of found) {
			for (let k = 0; k < s.values.length && s.offset + k < data.length; k++) data[s.offset + k] = s.values[k];
		}
		return { shape: value.shape, data };
	}

	/** Substitutes, then records; the value as recorded (revised), or null when it overflowed and the run must stop. */
	emit(phase: Phase, name: string, value: Tensor): Tensor | null {
		return this.record(phase, name, this.substitute(name, value));
	}

	/**
	 * Records the value, revised where the run revises it; the value as recorded, or null when it
	 * overflowed: a `diverged` event is recorded instead and the run must stop.
	 */
	record(phase: Phase, name: string, value: Tensor): Tensor | null {
		if (!this.finite(name, value)) return null;
		this.trace.record(this.step, this.epoch, phase, name, value);
		const revised = this.revise?.(name, this.step, () => this.trace.sofar()) ?? null;
		if (!revised || revised.data.length !== value.data.length) return value;
		if (!this.finite(name, revised)) return null;
		this.trace.overwriteLast(revised.data);
		return { shape: value.shape, data: Float64Array.from(revised.data) };
	}

	/** false, with a `diverged` event recorded, when the value overflowed. */
	private finite(name: string, value: Tensor): boolean {
		const nonFinite = countNonFinite(value.data);
		if (nonFinite === 0) return true;
		this.trace.diverge(this.step, this.epoch, {
			step: this.step,
			quantity: name,
			nonFinite,
			message: `training diverged at step ${this.step}: ${nonFinite} of the ${value.data.length} values of ${name} overflowed or are not a number; try a smaller learning rate`
		});
		return false;
	}
}

/** A training step of the run, on the batch `rows` at the recorder's step and epoch, moving `params`. */
export interface Stepper {
	/** false when a value overflowed: the events before it are recorded, then `diverged`, and the run stops */
	step(out: StepRecorder, rows: readonly number[], params: (Parameters | null)[]): boolean;
}
