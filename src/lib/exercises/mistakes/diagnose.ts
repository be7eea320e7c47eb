/**
 * Naming a wrong answer's mistake: each applicable mistake of the catalogue gives the value a
 * student making it would have written; the one mistake that explains every wrong cell of the
 * answer (and is not the right value there) is the diagnosis.
 */
import { run } from '../../engine/run';
import type { Scenario } from '../../engine/scenario/validate';
import { toNested, type NestedNumbers, type Tensor } from '../../engine/tensor';
import type { Trace } from '../../engine/trace';
import { engineQuestion, type ValueQuestion } from '../exercise';
import { markValue } from '../mark';
import { expectedValue, parseAsk } from '../question';
import { MISTAKES, type Mistake } from './catalogue';

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

/** The quantity a name is about, without its layer: dZ[2] → dZ. */
function quantityOf(name: string): string {
	return name.replace(/\[\d+\]$/, '');
}

function slice(tensor: Tensor, index: number[]): NestedNumbers {
	const nested = toNested(tensor.shape, tensor.data);
	return index.reduce<NestedNumbers>((v, i) => (v as NestedNumbers[])[i], nested);
}

/** Runs of the mistakes, computed once per graded variant. */
export class MistakeRuns {
	private readonly runs = new Map<string, MistakeRun | null>();

	constructor(
		private readonly scenario: Scenario,
		private readonly trace: Trace
	) {}

	private rerun(mistake: Mistake): MistakeRun | null {
		if (!this.runs.has(mistake.code)) {
			const changed = mistake.rerun?.(this.scenario) ?? null;
			const options = changed ? mistake.runOptions?.(changed) : undefined;
			let trace: Trace | null = null;
			try {
				trace = changed ? run(changed, options) : null;
			} catch {
				trace = null;
			}
			this.runs.set(mistake.code, trace && !trace.diverged ? { trace, explained: !options || Object.keys(options).length === 0 } : null);
		}
		return this.runs.get(mistake.code) ?? null;
	}

	/** What each applicable mistake gives for a question, when it differs from the right value. */
	valuesFor(q: ValueQuestion, right: NestedNumbers): MistakeValue[] {
		if (q.ask === 'output_size' || q.ask === 'param_count') return this.factValues(q.ask, q.layer, right);
		const parsed = parseAsk(q.ask);
		if (!parsed || q.step === undefined) return [];
		const quantity = quantityOf(parsed.name);
		const values: MistakeValue[] = [];
		for (const mistake of MISTAKES) {
			if (!mistake.quantities.includes(quantity)) continue;
			let value: NestedNumbers | null = null;
			let trace: Trace | null = null;
			if (mistake.derive) {
				const tensor = mistake.derive(this.trace, parsed.name, q.step);
				value = tensor ? slice(tensor, parsed.index) : null;
			} else if (mistake.rerun) {
				const made = this.rerun(mistake);
				const expected = made ? expectedValue(made.trace, engineQuestion(q)) : null;
				value = expected?.ok ? expected.value : null;
				trace = made?.explained ? made.trace : null;
			}
			if (value === null || JSON.stringify(value) === JSON.stringify(right)) continue;
			values.push({ mistake, value, trace });
		}
		return values;
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
 * The mistake that explains every wrong cell of the answer, if exactly one does: where two do (a
 * fact, which no redraw can tell apart, or a few cells), naming either would be a guess.
 */
export function diagnose(runs: MistakeRuns, q: ValueQuestion, answer: NestedNumbers, right: NestedNumbers, wrong: number[][]): Diagnosis | null {
	if (wrong.length === 0) return null;
	const wrongCells = new Set(wrong.map((cell) => cell.join()));
	const explaining = runs.valuesFor(q, right).filter(({ mistake, value }) => {
		const asMistake = markValue(answer, value, q.tolerance);
		if (asMistake.shapeMessage) return false;
		const unexplained = new Set(asMistake.wrong.map((cell) => cell.join()));
		if (!wrong.every((cell) => !unexplained.has(cell.join()))) return false;
		// a convention applied throughout would have changed the cells the answer has right
		return !mistake.everyEntry || markValue(value, right, q.tolerance).wrong.every((cell) => wrongCells.has(cell.join()));
	});
	if (explaining.length !== 1) return null;
	const [{ mistake, trace }] = explaining;
	return { mistake, entries: wrong, trace };
}

/**
 * Two mistakes that give the same value for a question (within its tolerance) make a diagnosis a
 * guess: the variant generator redraws such numbers.
 */
export function coincidingMistakes(runs: MistakeRuns, q: ValueQuestion, right: NestedNumbers): [string, string] | null {
	const values = runs.valuesFor(q, right);
	for (let i = 0; i < values.length; i++) {
		for (let j = i + 1; j < values.length; j++) {
			const same = markValue(values[i].value, values[j].value, q.tolerance);
			if (!same.shapeMessage && same.score === 1) return [values[i].mistake.code, values[j].mistake.code];
		}
	}
	return null;
}
