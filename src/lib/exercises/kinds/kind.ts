/**
 * What a question kind provides. The parser gives every question its `kind`; the checker, the
 * grader, the answer key and the pages reach the question through its kind's module (kinds/index.ts)
 * instead of testing its `ask`, so a new kind is one new module and the places the compiler names.
 */
import type { NestedNumbers } from '../../engine/tensor';
import type { Trace } from '../../engine/trace';
import type { Exercise, ExerciseQuestion, Localized } from '../exercise';
import type { Mark, Reading } from '../mark';
import type { Expected, Fact } from '../question';

/** A fact as a page or a sheet words it: `output_size` of a layer, `param_count`, the `shape` of a tensor. */
export interface FactAsk {
	ask: Fact;
	layer?: number;
	of?: string;
}

/** What a page or a printed sheet shows of a question before its input (practice.ts, gradebook.ts). */
export type AskField =
	/** symbol: TeX of the quantity (a^{[2]}_{1}); afterUpdate: the step whose update gives it (W, b after gradient descent) */
	| { kind: 'value'; symbol: string; afterUpdate: number | null }
	| { kind: 'fact'; fact: FactAsk }
	| { kind: 'choice'; prompt: Localized; options: Localized[] };

/** An answer key entry: numbers as the course writes them, or a choice's letter. */
export type KeyValue = NestedNumbers | string;

/** The module of one kind of question `Q`, whose answers read as `A`. */
export interface KindModule<Q extends ExerciseQuestion, A> {
	readonly kind: Q['kind'];
	/** whether its expected value is an event of the run, so that its scenario needs data (a fact reads only the model) */
	readonly readsRun: boolean;
	/** its expected value in the variant's run (the engine's layout); null where the run decides nothing (a choice) */
	expected(trace: Trace, q: Q): Expected | null;
	/** the student's text, read in `shape`: the shape of the expected value as the course writes it */
	read(text: string | undefined, q: Q, shape: readonly number[]): Reading<A>;
	/** a read answer against the right one */
	mark(answer: A, right: A, q: Q): Mark;
	/** its entry in the answer key, null when it has no expected value */
	key(exercise: Exercise, q: Q, expected: Expected | null): KeyValue | null;
	/** what the page and the sheet show of it */
	field(q: Q, trace: Trace, exercise: Exercise): Extract<AskField, { kind: Q['kind'] }>;
}
