/**
 * The replay's "with this mistake": the catalogue's mistakes run beside the right run. A mistake
 * that changes a convention (`rerun`, with its `runOptions`) gives a run of its own. One that
 * applies an engine rule to the wrong operand (`derive`) is made by the engine as it records the
 * run, at every event it changes, on the values the run so far holds: every later event (the
 * gradients below, the update, the next step) is the engine's computation from the mistaken
 * values, as the grader carries a student's wrong value forward. Either way the result is a trace
 * whose events line up with the right run's, so the page can show both values of an event and
 * where they part ways (compare.ts). No maths here: the catalogue and the engine compute
 * everything. The run worker calls this module, so the catalogue stays out of the page's bundle.
 */
import { quantityOf } from '../engine/quantity';
import { run, type Revise } from '../engine/run';
import type { Scenario } from '../engine/scenario/validate';
import type { Tensor } from '../engine/tensor';
import { eventAt, findEvent, valueStart, type Trace } from '../engine/trace';
import type { Localized } from '../exercises/exercise';
import { MISTAKES, type Mistake } from '../exercises/mistakes/catalogue';
import { differingPositions } from './compare';

/** A mistake the replay offers for a run: plain data, sent by the run worker. */
export interface MistakeOption {
	code: string;
	title: Localized;
	explanation: Localized;
	/**
	 * the events (by name) whose value the mistake writes as the student does, rather than the
	 * engine computing it: their formula is not what the student computed (compare.ts's mistakeWrites)
	 */
	written: string[];
}

/** Whether a mistake could change an event of this name: it is one of its quantities. */
function concerns(mistake: Mistake, name: string): boolean {
	const quantity = quantityOf(name);
	return quantity !== null && mistake.quantities.includes(quantity);
}

/** What a derived mistake gives for event `name` of `step` in `trace`, when it changes that event. */
function derivedIn(mistake: Mistake, trace: Trace, name: string, step: number): Tensor | null {
	if (!mistake.derive || !concerns(mistake, name)) return null;
	const value = mistake.derive(trace, name, step);
	const event = findEvent(trace, step, name);
	return value && event && value.data.length === event.value.data.length ? value : null;
}

/** The first step with events a derived mistake could change (step 0 only records the initial parameters). */
function firstStep(trace: Trace): number {
	return Math.min(1, trace.steps);
}

/** The names of the first step's events a derived mistake changes. */
function writtenNames(mistake: Mistake, trace: Trace): string[] {
	const step = firstStep(trace);
	const names = new Set<string>();
	for (let seq = trace.stepStart[step]; seq < trace.stepStart[step + 1]; seq++) {
		const { name } = eventAt(trace, seq);
		if (derivedIn(mistake, trace, name, step)) names.add(name);
	}
	return [...names];
}

/** The mistakes of the catalogue that change something in this run, in the catalogue's order. */
export function applicableMistakes(scenario: Scenario, trace: Trace): MistakeOption[] {
	return MISTAKES.flatMap((mistake) => {
		const written = writtenNames(mistake, trace);
		if ((mistake.rerun?.(scenario) ?? null) === null && written.length === 0) return [];
		return [{ code: mistake.code, title: mistake.title, explanation: mistake.explanation, written }];
	});
}

/** `base` with the values a derived mistake gives written over its events, or null where it changes none. */
function withDerived(mistake: Mistake, base: Trace): Trace | null {
	const values = Float64Array.from(base.values);
	let changed = false;
	for (let seq = 0; seq < base.length; seq++) {
		const { name, step } = eventAt(base, seq);
		const value = derivedIn(mistake, base, name, step);
		if (!value) continue;
		values.set(value.data, valueStart(base, seq));
		changed = true;
	}
	return changed ? { ...base, values } : null;
}

/**
 * The derived mistake made as the run is recorded: each event it concerns takes the value the
 * mistake gives from the run so far (the mistaken values before it included). `changed` tells
 * whether it changed any.
 */
function reviser(mistake: Mistake): { revise: Revise; changed: () => boolean } {
	let changed = false;
	// asked at every event of the run: each name is read once
	const concerned = new Map<string, boolean>();
	const revise: Revise = (name, step, sofar) => {
		let asked = concerned.get(name);
		if (asked === undefined) concerned.set(name, (asked = concerns(mistake, name)));
		if (!asked) return null;
		const trace = sofar();
		const value = derivedIn(mistake, trace, name, step);
		const computed = findEvent(trace, step, name)?.value;
		if (!value || !computed || differingPositions(computed, value).length === 0) return null;
		changed = true;
		return value;
	};
	return { revise, changed: () => changed };
}

/**
 * The run a student making mistake `code` would write down, or null when the mistake does not
 * apply to this scenario. A convention changed: its rerun, with the values of a rule applied to
 * the wrong operand written over, as the grader reads a mistake that has both (the perceptron's
 * error written ŷ − y, on the weights that correction gives: the rerun already carries it). A
 * rule applied to the wrong operand alone: the scenario's run on the reference backend, that
 * rule made at every event it changes and the run going on from there (or, for a value only
 * written another way, written over the right run).
 */
export function mistakeTrace(scenario: Scenario, code: string): Trace | null {
	const mistake = MISTAKES.find((m) => m.code === code);
	if (!mistake) return null;
	const changed = mistake.rerun?.(scenario) ?? null;
	if (changed) {
		const base = run(changed, mistake.runOptions?.(changed));
		return withDerived(mistake, base) ?? base;
	}
	if (!mistake.derive) return null;
	if (mistake.carriedForward === false) return withDerived(mistake, run(scenario, { backend: 'reference' }));
	const made = reviser(mistake);
	const trace = run(scenario, { backend: 'reference', revise: made.revise });
	return made.changed() ? trace : null;
}
