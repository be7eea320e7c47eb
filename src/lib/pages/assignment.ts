/**
 * What the student's assignment pages receive from the server (src/lib/server/student.ts):
 * statements, the student's own fields and results; an expected value only inside a report the
 * feedback policy revealed.
 */
import type { Localized } from '$lib/exercises/exercise';
import type { PracticeField, PracticeReport, Sketch } from '$lib/pages/exercises';

export type Phase = 'not_open' | 'open' | 'closed';
export type FeedbackWhen = 'immediate' | 'after_close' | 'never';

/** What the join page shows before anyone joins: no seed, no exercise text. */
export interface AssignmentSummary {
	code: string;
	title: string;
	opensAt: number;
	closesAt: number;
	phase: Phase;
	exercises: number;
	attempts: number;
	feedback: FeedbackWhen;
}

export type ExerciseStatus = 'not_started' | 'draft' | 'submitted';

export interface ExerciseRow {
	/** 1-based, as in the URL */
	position: number;
	title: Localized;
	max: number;
	status: ExerciseStatus;
	used: number;
	/** the last submission's points, only when the policy reveals them */
	points: number | null;
}

export interface StudentOverview extends AssignmentSummary {
	student: { name: string; number: string };
	/** the learning platform the student came from, whose gradebook gets their score; null for a student who joined with the code */
	platform: string | null;
	revealed: boolean;
	rows: ExerciseRow[];
}

/** A submission as the student sees it: always its attempt, the report only when revealed. */
export type StudentResult = { attempt: number; revealed: false } | { attempt: number; revealed: true; report: PracticeReport };

export interface StudentExercise {
	code: string;
	/** 1-based */
	position: number;
	count: number;
	assignmentTitle: string;
	phase: Phase;
	closesAt: number;
	feedback: FeedbackWhen;
	attempts: number;
	used: number;
	student: { number: string };
	title: Localized;
	statement: Localized;
	fields: PracticeField[];
	sketch: Sketch;
	max: number;
	/** the page's fields as last saved, on any device */
	draft: Record<string, string> | null;
	last: StudentResult | null;
}

/** The submit endpoint's answer. */
export type SubmitAnswer = { ok: true; duplicate: boolean; attempts: number; used: number; result: StudentResult } | { ok: false; message: Localized };
