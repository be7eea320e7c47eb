import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExercise, type Exercise } from '../../../src/lib/exercises/exercise';
import { drawVariant, type Variant } from '../../../src/lib/exercises/variant';
import { PROJECT_ROOT } from '../../helpers';

/**
 * What the tests that work a library exercise by hand share: the exercise by its id, a student's
 * variant, and the key of one question.
 */
export function libraryExercise(id: string): Exercise {
	const parsed = parseExercise(readFileSync(join(PROJECT_ROOT, 'exercises', `${id}.yaml`), 'utf8'), `${id}.yaml`);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	return parsed.exercise;
}

export function variantOf(exercise: Exercise, student: string): Variant {
	const drawn = drawVariant(exercise, student);
	if (!drawn.ok) throw new Error(drawn.message);
	return drawn.variant;
}

/** The key of question `id` in the student's variant, as the engine gives it. */
export function keyOf(exercise: Exercise, variant: Variant, id: string): unknown {
	const expected = variant.expected[exercise.questions.findIndex((q) => q.id === id)];
	if (!expected?.ok) throw new Error(`no key for ${id}`);
	return expected.value;
}
