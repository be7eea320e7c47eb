/**
 * What the two numeric kinds (value, fact) share: an answer of numbers, read in the course's
 * layout and marked cell by cell within the question's tolerance.
 */
import type { NestedNumbers } from '../../engine/tensor';
import type { Exercise, NumericQuestion } from '../exercise';
import { inCourseLayout } from '../layout';
import { markValue, type Mark } from '../mark';
import type { Expected } from '../question';

export function markNumbers(answer: NestedNumbers, right: NestedNumbers, q: NumericQuestion): Mark {
	return markValue(answer, right, q.tolerance);
}

/** The expected value as the exercise's course writes it. */
export function keyInCourse(exercise: Exercise, q: NumericQuestion, expected: Expected | null): NestedNumbers | null {
	return expected?.ok ? inCourseLayout(exercise, q, expected).value : null;
}
