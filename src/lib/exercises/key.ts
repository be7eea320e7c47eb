/**
 * The answer key of a variant, as the CLI prints it and a teacher's sheet shows it: each value in
 * the layout of the exercise's course (003's Z^{[1]} with one column per instance).
 */
import type { Exercise } from './exercise';
import { kindOf } from './kinds';
import type { KeyValue } from './kinds/kind';
import type { Variant } from './variant';

/** The answer key by question id: numbers and nested lists, the letter of a choice. */
export function answerKey(exercise: Exercise, variant: Variant): Record<string, KeyValue> {
	const key: Record<string, KeyValue> = {};
	exercise.questions.forEach((q, i) => {
		const entry = kindOf(q).key(exercise, q, variant.expected[i]);
		if (entry !== null) key[q.id] = entry;
	});
	return key;
}
