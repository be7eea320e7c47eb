/**
 * Naming a wrong answer's mistake: each applicable mistake of the catalogue gives the value a
 * student making it would have written; the one mistake that explains every wrong cell of the
 * answer (and is not the right value there) is the diagnosis.
 */
import { run, type Substitution } from '../../engine/run';
import type { Scenario } from '../../engine/scenario/validate';
import { sliceOf, toNested, type NestedNumbers, type Tensor } from '../../engine/tensor';
import type { Trace } from '../../engine/trace';
import type { NumericQuestion } from '../exercise';
import { engineQuestion } from '../kinds';
import { markValue, nearestWithin } from '../mark';
import { expectedValue, parseAsk } from '../question';
import { MISTAKES, type Mistake } from './catalogue';
import { goOnWithout } from '../unexpected';

export interface MistakeValue {
	mistake: Mistake;
	value: NestedNumbers;
	/** the run the student's mistake gives, when it is a rerun whose formulas show it (for its formula) */
	trace: Trace | null;
}

interface MistakeRun {
	trace: Trace;
	/** the formulas read the scenario, not the run's options: an option that changes the maths leaves them wrong */
	explained: boolean;
}

export interface Diagnosis {
	mistake: Mistake;
	/** the wrong cells it explains, 0-based in the question's value */
	entries: number[][];
	trace: Trace | null;
}

/** Runs of the mistakes, computed once per graded variant. */
export class MistakeRuns {
	private readonly runs = new Map<string, MistakeRun | null>();

	/**
	 * `trace` is the run the mistakes are made on: the right one, or the student's own run from
	 * their earlier values (`substitutions`), where a mistake repeated on a wrong earlier value is
	 * named too: only a rule applied to the wrong operand (`derive`) is, since a convention
	 * changed throughout, rerun under values the student pinned, is no computation anyone makes.
	 */
	constructor(
		private readonly scenario: Scenario,
		private readonly trace: Trace,
		private readonly substitutions: readonly Substitution[] = []
	) {}

	private get onStudentValues(): boolean {
		return this.substitutions.length > 0;
	}

	private rerun(mistake: Mistake): MistakeRun | null {
		if (!this.runs.has(mistake.code)) {
			const changed = mistake.rerun?.(this.scenario) ?? null;
			const options = changed ? mistake.runOptions?.(changed) : undefined;
			let trace: Trace | null = null;
			try {
				trace = changed ? run(changed, options) : null;
			} catch (error) {
				goOnWithout(`the run of the mistake ${mistake.code}`, error);
				trace = null;
			}
			this.runs.set(mistake.code, trace && !trace.diverged ? { trace, explained: !options || Object.keys(options).length === 0 } : null);
		}
		return this.runs.get(mistake.code) ?? null;
	}

	/** What each applicable mistake gives for a question, when it differs from the right value. */
	valuesFor(q: NumericQuestion, right: NestedNumbers): MistakeValue[] {
		if (q.ask === 'output_size' || q.ask === 'param_count') return this.factValues(q.ask, q.layer, right);
		const values: MistakeValue[] = [];
		for (const mistake of MISTAKES) {
			const made = this.valueOf(mistake, q);
			if (made && JSON.stringify(made.value) !== JSON.stringify(right)) values.push(made);
		}
		return values;
	}

	/** What one mistake gives for a run question, or null where it does not apply. */
	valueOf(mistake: Mistake, q: NumericQuestion): MistakeValue | null {
		const parsed = parseAsk(q.ask);
		if (!parsed || q.step === undefined || !mistake.quantities.includes(parsed.quantity.symbol)) return null;
		const derived = mistake.derive?.(this.trace, parsed.name, q.step);
		if (derived) {
			const part = sliceOf(derived, parsed.index);
			return part && { mistake, value: toNested(part.shape, part.data), trace: null };
		}
		if (!mistake.rerun || this.onStudentValues) return null;
		const made = this.rerun(mistake);
		const expected = made ? expectedValue(made.trace, engineQuestion(q)) : null;
		return expected?.ok ? { mistake, value: expected.value, trace: made?.explained ? made.trace : null } : null;
	}

	private factValues(ask: 'output_size' | 'param_count', layer: number | undefined, right: NestedNumbers): MistakeValue[] {
		const values: MistakeValue[] = [];
		for (const mistake of MISTAKES) {
			if (!mistake.quantities.includes(ask) || !mistake.fact) continue;
			const value = mistake.fact(this.trace.setup.layers, ask, layer);
			if (value !== null && JSON.stringify(value) !== JSON.stringify(right)) values.push({ mistake, value, trace: null });
		}
		return values;
	}
}

/**
 * The mistakes that explain every wrong cell of the answer (give or take `spreadOf` their value,
 * per cell, when made on the student's own rounded earlier values).
 */
export function explainingMistakes(
	runs: MistakeRuns,
	q: NumericQuestion,
	answer: NestedNumbers,
	right: NestedNumbers,
	wrong: number[][],
	spreadOf: (made: MistakeValue) => readonly number[] | null = () => null
): MistakeValue[] {
	if (wrong.length === 0) return [];
	const wrongCells = new Set(wrong.map((cell) => cell.join()));
	return runs.valuesFor(q, right).filter((made) => {
		const { mistake, value } = made;
		const asMistake = markValue(answer, nearestWithin(answer, value, spreadOf(made)), q.tolerance);
		if (asMistake.shapeMessage) return false;
		const unexplained = new Set(asMistake.wrong.map((cell) => cell.join()));
		if (!wrong.every((cell) => !unexplained.has(cell.join()))) return false;
		// a convention applied throughout would have changed the cells the answer has right, unless
		// the answer, rounded, agrees with both there
		return !mistake.everyEntry || markValue(value, right, q.tolerance).wrong.every((cell) => wrongCells.has(cell.join()) || !unexplained.has(cell.join()));
	});
}

/**
 * The mistake that explains every wrong cell of the answer, if exactly one does: where two do (a
 * fact, which no redraw can tell apart, or a few cells), naming either would be a guess.
 */
export function diagnose(
	runs: MistakeRuns,
	q: NumericQuestion,
	answer: NestedNumbers,
	right: NestedNumbers,
	wrong: number[][],
	spreadOf: (made: MistakeValue) => readonly number[] | null = () => null
): Diagnosis | null {
	return soleDiagnosis(explainingMistakes(runs, q, answer, right, wrong, spreadOf), wrong);
}

/** The mistake that explains the answer's wrong cells when it is the only one that does. */
export function soleDiagnosis(explaining: readonly MistakeValue[], wrong: number[][]): Diagnosis | null {
	if (explaining.length !== 1) return null;
	const [{ mistake, trace }] = explaining;
	return { mistake, entries: wrong, trace };
}

/**
 * The mistake whose value has the answer's shape, where the right value has another, and which
 * gives every cell of it: a map computed without padding is smaller than the right one.
 */
export function diagnoseShape(runs: MistakeRuns, q: NumericQuestion, answer: NestedNumbers, right: NestedNumbers): Diagnosis | null {
	const explaining = runs.valuesFor(q, right).filter(({ value }) => markValue(answer, value, q.tolerance).score === 1 && markValue(value, right, q.tolerance).shapeMessage);
	if (explaining.length !== 1) return null;
	const [{ mistake, trace }] = explaining;
	return { mistake, entries: [], trace };
}

/**
 * Two mistakes that give the same value for a question (within its tolerance) make a diagnosis a
 * guess: the variant generator redraws such numbers.
 */
export function coincidingMistakes(runs: MistakeRuns, q: NumericQuestion, right: NestedNumbers): [string, string] | null {
	const values = runs.valuesFor(q, right);
	for (let i = 0; i < values.length; i++) {
		for (let j = i + 1; j < values.length; j++) {
			const same = markValue(values[i].value, values[j].value, q.tolerance);
			if (!same.shapeMessage && same.score === 1) return [values[i].mistake.code, values[j].mistake.code];
		}
	}
	return null;
}
