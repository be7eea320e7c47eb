/**
 * The replay's "with this mistake": the catalogue's mistakes run beside the right run. A mistake
 * that changes a convention (`rerun`, with its `runOptions`) gives a run of its own; one that
 * applies an engine rule to the wrong operand (`derive`) gives the right run with those events'
 * values as the student computes them. Either way the result is a trace whose events line up with the right run's, so
 * the page can show both values of an event and where they part ways (compare.ts). No maths
 * here: the catalogue and the engine compute everything. The run worker calls this module, so
 * the catalogue stays out of the page's bundle.
 */
import { quantityOf } from '../engine/quantity';
import { run } from '../engine/run';
import type { Scenario } from '../engine/scenario/validate';
import type { Tensor } from '../engine/tensor';
import { eventAt, type Trace } from '../engine/trace';
import type { Localized } from '../exercises/exercise';
import { MISTAKES, type Mistake } from '../exercises/mistakes/catalogue';

/** A mistake the replay offers for a run: plain data, sent by the run worker. */
export interface MistakeOption {
	code: string;
	title: Localized;
	explanation: Localized;
	/** its values come from the right run (no run of its own, so no formula with its numbers) */
	derived: boolean;
}

/** What a derived mistake gives for event `seq`, when it changes that event. */
function derivedAt(mistake: Mistake, trace: Trace, seq: number): Tensor | null {
	if (!mistake.derive) return null;
	const event = eventAt(trace, seq);
	const quantity = quantityOf(event.name);
	if (!quantity || !mistake.quantities.includes(quantity)) return null;
	const value = mistake.derive(trace, event.name, event.step);
	return value && value.data.length === event.value.data.length ? value : null;
}

/** The first step with events a derived mistake could change (step 0 only records the initial parameters). */
function firstStep(trace: Trace): number {
	return Math.min(1, trace.steps);
}

/** The mistakes of the catalogue that change something in this run, in the catalogue's order. */
export function applicableMistakes(scenario: Scenario, trace: Trace): MistakeOption[] {
	const step = firstStep(trace);
	const seqs = Array.from({ length: trace.stepStart[step + 1] - trace.stepStart[step] }, (_, k) => trace.stepStart[step] + k);
	return MISTAKES.filter((mistake) => (mistake.rerun?.(scenario) ?? null) !== null || seqs.some((seq) => derivedAt(mistake, trace, seq) !== null)).map((mistake) => ({
		code: mistake.code,
		title: mistake.title,
		explanation: mistake.explanation,
		derived: !mistake.rerun
	}));
}

/** `base` with the values a derived mistake gives written over its events, or null where it changes none. */
function withDerived(mistake: Mistake, base: Trace): Trace | null {
	const values = Float64Array.from(base.values);
	let changed = false;
	for (let seq = 0; seq < base.length; seq++) {
		const value = derivedAt(mistake, base, seq);
		if (!value) continue;
		values.set(value.data, base.offset[seq]);
		changed = true;
	}
	return changed ? { ...base, values } : null;
}

/**
 * The run a student making mistake `code` would write down, or null when the mistake does not
 * apply to this scenario: its rerun (a convention changed), or the scenario's own run
 * (`rightRun`), with the values of its rule applied to the wrong operand written over, as the
 * grader reads a mistake that has both (the perceptron's error written ŷ − y, on the weights that
 * correction gives).
 */
export function mistakeTrace(scenario: Scenario, code: string, rightRun: () => Trace): Trace | null {
	const mistake = MISTAKES.find((m) => m.code === code);
	if (!mistake) return null;
	const changed = mistake.rerun?.(scenario) ?? null;
	const base = changed ? run(changed, mistake.runOptions?.(changed)) : mistake.derive ? rightRun() : null;
	if (!base) return null;
	return withDerived(mistake, base) ?? (changed ? base : null);
}
