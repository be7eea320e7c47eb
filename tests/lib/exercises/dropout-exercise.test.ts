/**
 * dropout-course-001 writes its mask in the statement, since a student cannot draw it: the mask is
 * the layer's, from its fixed seed, so every student's run must draw that same mask.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findEvent } from '../../../src/lib/engine/trace';
import { parseExercise } from '../../../src/lib/exercises/exercise';
import { drawVariant } from '../../../src/lib/exercises/variant';
import { PROJECT_ROOT } from '../../helpers';

describe('dropout-course-001', () => {
	const parsed = parseExercise(readFileSync(join(PROJECT_ROOT, 'exercises', 'dropout-course-001.yaml'), 'utf8'), 'dropout-course-001.yaml');
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	const exercise = parsed.exercise;

	it('states the mask every student’s run draws', () => {
		expect(exercise.statement.fr).toContain('$M = (1 ;\\ 0 ;\\ 0 ;\\ 1)$');
		expect(exercise.statement.en).toContain('$M = (1,\\ 0,\\ 0,\\ 1)$');
		for (const student of ['alice', 'bob', 'chloé', 'dmitri', 'emma']) {
			const drawn = drawVariant(exercise, student);
			if (!drawn.ok) throw new Error(drawn.message);
			expect(Array.from(findEvent(drawn.variant.trace, 1, 'M[2]')?.value.data ?? []), student).toEqual([1, 0, 0, 1]);
		}
	});
});
