/**
 * The settings form of a new assignment, shared by the teacher's "New assignment" page and the
 * platform's "Select content" (LTI deep linking): the library's exercises by topic, the defaults,
 * and what a posted form says.
 */
import { parseLocalDateTime, toLocalInput } from '$lib/format/dates';
import type { Localized } from '$lib/exercises/exercise';
import { TOPICS } from '$lib/topics';
import { LIMITS, type AssignmentForm } from './assignments';
import { listExercises } from './exercise-library';
import type { FeedbackWhen } from './storage';

/** What the form sends back when it is refused, so nothing typed is lost (files cannot be kept by a browser). */
export interface FormValues {
	title: string;
	exerciseIds: string[];
	opens: string;
	closes: string;
	attempts: string;
	carryForward: boolean;
	feedback: string;
}

export interface ExerciseGroup {
	id: string;
	title: Localized;
	exercises: { id: string; title: Localized; questions: number; points: number; sameForAll: boolean }[];
}

/** Only what the checkboxes show: the exercises themselves hold their answer keys. */
export function exerciseGroups(): ExerciseGroup[] {
	// an exercise without vary gives everyone the course's numbers, whose key the practice pages show
	const cards = listExercises().map((e) => ({ id: e.id, title: e.title, topic: e.topic, questions: e.questions.length, points: e.questions.reduce((s, q) => s + q.points, 0), sameForAll: e.varyTargets.length === 0 }));
	return TOPICS.map((t) => ({ id: t.id, title: { ...t.title }, exercises: cards.filter((c) => c.topic === t.id).map(({ topic: _, ...card }) => card) })).filter((g) => g.exercises.length > 0);
}

/** Opens at the hour, closes a week later, three attempts, feedback after the close. */
export function defaultValues(now: number, title = ''): FormValues {
	const hour = Math.floor(now / 3600_000) * 3600_000;
	return { title, exerciseIds: [], opens: toLocalInput(hour), closes: toLocalInput(hour + 7 * 24 * 3600_000), attempts: '3', carryForward: true, feedback: 'after_close' };
}

export const FORM_LIMITS = { uploadKb: LIMITS.uploadBytes / 1000, attempts: LIMITS.attempts, title: LIMITS.title };

export function readValues(form: FormData): FormValues {
	const text = (name: string): string => String(form.get(name) ?? '');
	return {
		title: text('title').slice(0, LIMITS.title + 50),
		exerciseIds: form.getAll('exercise').map(String).slice(0, LIMITS.exercises + 1),
		opens: text('opens'),
		closes: text('closes'),
		attempts: text('attempts'),
		carryForward: form.get('carryForward') === 'on',
		feedback: text('feedback')
	};
}

/** The values as createAssignment reads them; what does not parse is refused there with its own message. */
export function assignmentForm(values: FormValues, uploads: AssignmentForm['uploads']): AssignmentForm {
	return {
		title: values.title,
		exerciseIds: values.exerciseIds,
		uploads,
		opensAt: parseLocalDateTime(values.opens),
		closesAt: parseLocalDateTime(values.closes),
		attempts: /^\d{1,3}$/.test(values.attempts.trim()) ? Number(values.attempts) : NaN,
		carryForward: values.carryForward,
		feedback: values.feedback as FeedbackWhen
	};
}
