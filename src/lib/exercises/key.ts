/**
 * The answer key of a variant, as the CLI prints it and a teacher's sheet shows it: each value in
 * the layout of the exercise's course (003's Z^{[1]} with one column per instance).
 */
import type { NestedNumbers } from '../engine/tensor';
import type { Exercise, ValueQuestion } from './exercise';
import { inCourseLayout } from './layout';
import type { Variant } from './variant';

/** The answer key by question id: numbers and nested lists, the letter of a choice. */
export function answerKey(exercise: Exercise, variant: Variant): Record<string, NestedNumbers | string> {
	const key: Record<string, NestedNumbers | string> = {};
	exercise.questions.forEach((q, i) => {
		const expected = variant.expected[i];
		if (q.ask === 'choice' && 'answer' in q) key[q.id] = String.fromCharCode(65 + q.answer);
		else if (expected?.ok) key[q.id] = inCourseLayout(exercise, q as ValueQuestion, expected).value;
	});
	return key;
}

