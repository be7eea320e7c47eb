/**
 * The run a student's own earlier values lead to. Error carried forward judges a later answer
 * against the engine's run from those values (substituted: nothing is recomputed here). A student
 * keeps full precision on the calculator and rounds only what they write, so an earlier value
 * written 0.0088 stands for anything in [0.00875, 0.00885]: each substituted value is also moved
 * to both ends of that interval, and a later answer agrees with the student's run when it is
 * within its tolerance of the values those ends span.
 */
import { run, type Substitution } from '../engine/run';
import type { Scenario } from '../engine/scenario/validate';
import { flattenNested, offsetOf, type NestedNumbers } from '../engine/tensor';
import type { Trace } from '../engine/trace';
import type { NumericQuestion } from './exercise';
import { engineQuestion } from './kinds';
import { engineValue } from './kinds/value';
import type { Mark } from './mark';
import { MistakeRuns, type MistakeValue } from './mistakes/diagnose';
import { expectedValue, locateAsk, parseAsk, type Expected } from './question';
import { writtenSpread } from './tolerance';
import { goOnWithout } from './unexpected';

/** One cell of an earlier answer as the student wrote it, with how far the kept value may be from it. */
export interface WrittenValue {
	/** the cell at the value written */
	substitution: Substitution;
	spread: number;
	/**
	 * a wrong cell, which the student's run takes as written; a right cell stays at the right value
	 * there, and only its ends are the student's (a mistake can land within the tolerance of a
	 * cell, and the student kept its unrounded value)
	 */
	wrong: boolean;
}

/** An earlier answer, as marked. */
export interface EarlierAnswer {
	question: NumericQuestion;
	/** the student's value in the engine's layout, or null when missing or unreadable */
	value: NestedNumbers | null;
	mark: Mark | null;
}

/**
 * The cells of an earlier answer, for the student's run: the wrong ones as written, the right
 * ones at the right value (the ends of their rounding aside).
 */
export function writtenValuesOf(trace: Trace, earlier: EarlierAnswer): WrittenValue[] {
	const { question, value, mark } = earlier;
	// a fact is no event of the run: nothing of it is substituted
	if (question.kind !== 'value') return [];
	const parsed = parseAsk(question.ask);
	if (!parsed || value === null || mark === null || mark.shapeMessage) return [];
	const located = locateAsk(trace, engineValue(question));
	if (!located) return [];
	const flat = flattenNested(value);
	if (flat.length !== located.size) return [];
	// Wrong cells are indexed in the expected value's shape, whose row-major order is the answer's.
	const shape = located.shape.slice(parsed.index.length);
	const wrong = new Set(mark.wrong.map((index) => offsetOf(shape, index)));
	return flat.map((value, k) => ({
		substitution: { step: question.step, name: parsed.name, offset: located.offset + k, values: [value] },
		spread: writtenSpread(value, question.tolerance),
		wrong: wrong.has(k)
	}));
}

/** The wrong cells of an earlier answer, as the student's run takes them. */
export function wrongValuesOf(trace: Trace, earlier: EarlierAnswer): Substitution[] {
	return writtenValuesOf(trace, earlier)
		.filter((w) => w.wrong)
		.map((w) => w.substitution);
}

/** Above this many written values, their ends are moved all together instead of one at a time. */
const ONE_AT_A_TIME = 24;

/** A run with the written values moved to one end of their rounding. */
interface EndRun {
	trace: Trace;
	substitutions: Substitution[];
	mistakes: MistakeRuns | null;
}

/** The student's run from a set of earlier written values, made once per set. */
export class StudentRun {
	private ends: EndRun[][] | null = null;
	private mistakeRuns: MistakeRuns | null = null;

	constructor(
		private readonly scenario: Scenario,
		readonly written: readonly WrittenValue[],
		readonly trace: Trace
	) {}

	get substitutions(): Substitution[] {
		return this.written.filter((w) => w.wrong).map((w) => w.substitution);
	}

	/** What the question's value is in the student's run. */
	valueOf(q: NumericQuestion): Expected {
		return expectedValue(this.trace, engineQuestion(q));
	}

	/**
	 * How far each cell of the question's value moves when the written values move within their
	 * rounding (the sum over the written values of the largest move each causes alone), or null
	 * when the runs at the ends cannot be made.
	 */
	spreadOf(q: NumericQuestion): number[] | null {
		const center = this.valueOf(q);
		return center.ok ? this.spreadAround(center.value, (end) => expectedValue(end.trace, engineQuestion(q))) : null;
	}

	/** The mistakes of the catalogue made on top of the student's own earlier values. */
	mistakes(): MistakeRuns {
		return (this.mistakeRuns ??= new MistakeRuns(this.scenario, this.trace, this.substitutions));
	}

	/** How far a mistake's value, made on the student's own values, moves within their rounding. */
	mistakeSpread(made: MistakeValue, q: NumericQuestion): number[] | null {
		return this.spreadAround(made.value, (end) => {
			end.mistakes ??= new MistakeRuns(this.scenario, end.trace, end.substitutions);
			const value = end.mistakes.valueOf(made.mistake, q);
			return value ? { ok: true, value: value.value } : { ok: false };
		});
	}

	private spreadAround(center: NestedNumbers, at: (end: EndRun) => { ok: true; value: NestedNumbers } | { ok: false }): number[] | null {
		const c = flattenNested(center);
		const spread = new Array<number>(c.length).fill(0);
		for (const pair of this.endRuns()) {
			const moves = new Array<number>(c.length).fill(0);
			for (const end of pair) {
				const value = at(end);
				if (!value.ok) return null;
				const e = flattenNested(value.value);
				if (e.length !== c.length) return null;
				e.forEach((v, j) => (moves[j] = Math.max(moves[j], Math.abs(v - c[j]))));
			}
			moves.forEach((m, j) => (spread[j] += m));
		}
		return spread;
	}

	private endRuns(): EndRun[][] {
		if (this.ends) return this.ends;
		// a right cell not moved stays at the right value, as in the student's run
		const moved = (shift: (w: WrittenValue, i: number) => number): Substitution[] =>
			this.written.flatMap((w, i) => (w.wrong || shift(w, i) !== 0 ? [{ ...w.substitution, values: [w.substitution.values[0] + shift(w, i)] }] : []));
		const widened = this.written.map((w, i) => ({ w, i })).filter(({ w }) => w.spread > 0);
		const shifts: ((w: WrittenValue, i: number) => number)[][] =
			widened.length <= ONE_AT_A_TIME
				? widened.map(({ i: k }) => [(w, i) => (i === k ? w.spread : 0), (w, i) => (i === k ? -w.spread : 0)])
				: [[(w) => w.spread, (w) => -w.spread]];
		this.ends = shifts.map((pair) =>
			pair.flatMap((shift) => {
				const substitutions = moved(shift);
				const trace = rerun(this.scenario, substitutions);
				return trace ? [{ trace, substitutions, mistakes: null }] : [];
			})
		);
		return this.ends;
	}
}

export function rerun(scenario: Scenario, substitutions: Substitution[]): Trace | null {
	try {
		return run(scenario, { substitutions });
	} catch (error) {
		goOnWithout('a run from the student’s values', error);
		return null;
	}
}
