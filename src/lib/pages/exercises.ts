/**
 * What the exercise pages receive from the server (src/lib/server/practice.ts). Plain data with
 * no answer key: a question carries the size of its input, never its expected value.
 */
import type { CardPicture } from '$lib/viz/card-picture';
import type { ActivationName } from '$lib/engine/activations';
import type { Localized } from '$lib/exercises/exercise';
import type { QuestionReport } from '$lib/exercises/grade';
import type { FactAsk } from '$lib/exercises/kinds/kind';

/** A card of the library. */
export interface ExerciseCard {
	id: string;
	title: Localized;
	questions: number;
	points: number;
	/** the card's small picture of its scenario, null when there is none */
	picture: CardPicture | null;
}

export interface ExerciseGroup {
	topic: { id: string; title: Localized };
	exercises: ExerciseCard[];
}

/** How a value question is typed: one field for a number, a rows × columns grid, or free text (higher ranks). */
export type InputShape = { kind: 'number' } | { kind: 'grid'; rows: number; columns: number } | { kind: 'text' };

export interface ValueField {
	kind: 'value';
	id: string;
	points: number;
	/** TeX of what is asked (a^{[2]}_{1}, W^{[1]}), or null for a fact worded by `fact` */
	symbol: string | null;
	/** a fact of the model, worded by the page */
	fact: FactAsk | null;
	/** the step whose update gives this value (W, b after gradient descent), else null */
	afterUpdate: number | null;
	input: InputShape;
	/** TeX of each grid cell (row-major), for its label */
	cellSymbols: string[][];
	hints: Localized[];
}

export interface ChoiceField {
	kind: 'choice';
	id: string;
	points: number;
	prompt: Localized;
	options: Localized[];
	hints: Localized[];
}

export type PracticeField = ValueField | ChoiceField;

/** The picture beside the statement: only what the statement gives. */
export type Sketch =
	/** inputLayer: the number the course gives the input layer (004's worked example: 1) */
	| { kind: 'network'; sizes: number[]; activations: ActivationName[]; inputs: number[] | null; inputLayer: 0 | 1 }
	| { kind: 'grid'; channels: number; height: number; width: number }
	| null;

export interface PracticeData {
	id: string;
	n: number;
	title: Localized;
	topic: { id: string; title: Localized };
	/** Markdown + TeX with the variant's numbers */
	statement: Localized;
	fields: PracticeField[];
	sketch: Sketch;
	max: number;
}

/** A question's report, with the replay link built on the server. */
export interface FieldReport extends QuestionReport {
	/** `/replay?…` at the question's event, with the variant's scenario */
	replay?: string;
	/** the wrong cells as (row, column) of the question's grid */
	cells?: [number, number][];
}

export interface PracticeReport {
	points: number;
	max: number;
	questions: FieldReport[];
}
