import { describe, expect, it } from 'vitest';
import { drawVariant } from '../../../src/lib/exercises/variant';
import { listExercises } from '../../../src/lib/server/exercise-library';

/**
 * The numbers each student of the library's exercises is given, kept in a file: a student's
 * numbers must not move from one release to the next (a practice page's, or an assignment's not
 * yet opened: opened ones are stored). A change to the draws, the degeneracy rules or the mistakes
 * that moves them fails here; when it is meant, `npx vitest run -u` writes the file again, and the
 * commit says why.
 */
const STUDENTS = ['21900001', '21900002', '21900003'];
const SEED = 'golden';

describe('the numbers the library draws, release after release', () => {
	it('draws for each exercise and student what it drew before', async () => {
		const exercises = listExercises();
		expect(exercises.length).toBeGreaterThan(50);
		// one line a student, exercises in id order: a change shows as the lines it moves
		const lines = [...exercises]
			.sort((a, b) => a.id.localeCompare(b.id))
			.flatMap((exercise) =>
				STUDENTS.map((student) => {
					const result = drawVariant(exercise, student, SEED);
					const draw = result.ok ? { attempt: result.variant.attempt, drawn: result.variant.drawn } : { error: result.message };
					return `${exercise.id} ${student} ${JSON.stringify(draw)}`;
				})
			);
		await expect(lines.join('\n') + '\n').toMatchFileSnapshot('../../fixtures/variants/drawn.txt');
	});
});
