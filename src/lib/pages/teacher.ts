/** What the teacher pages receive from the server: plain data, no answer key. */
import type { Localized } from '$lib/locale';

export type { Localized };

export interface BookQuestion {
	position: number;
	id: string;
	max: number;
	/** how the column is titled: what a value question asks (TeX), a choice's prompt shortened; null: its id */
	label?: { tex: string } | { text: Localized } | null;
}

export interface BookExercise {
	position: number;
	exerciseId: string;
	title: Localized;
	questions: BookQuestion[];
	max: number;
}

export interface BookRow {
	id: number;
	name: string;
	number: string;
	points: (number | null)[];
	total: number;
	attempts: number;
	lastAt: number | null;
}

export interface BookStats {
	position: number;
	id: string;
	submitted: number;
	succeeded: number;
	successRate: number | null;
	wrong: { answer: string; count: number }[];
	/** the named mistakes of the last submissions, most common first */
	mistakes: { code: string; title: { fr: string; en: string }; count: number }[];
}

export interface Book {
	exercises: BookExercise[];
	questions: BookQuestion[];
	rows: BookRow[];
	stats: BookStats[];
	max: number;
	submissions: number;
}

/** A learner of the platform's course who has not launched the assignment yet (LTI roster). */
export interface PendingLearner {
	userId: string;
	name: string;
	number: string;
}
