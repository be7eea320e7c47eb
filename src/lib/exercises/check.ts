/**
 * `stepwise check`: everything a teacher's exercise file must satisfy before a student meets it,
 * with messages that name the path (and line) they are about:
 * the schema; that each question resolves to an event of its scenario and can be typed in (a
 * number, a vector or a matrix); that a run is small enough to grade at once; and that
 * VARIANTS_CHECKED students all get non-degenerate numbers.
 */
import { estimateCost, validateScenario } from '../engine/scenario/validate';
import { ScenarioError } from '../engine/scenario/issues';
import { checkExercise, parseExercise, withSampleForFacts, type Exercise, type ExerciseIssue } from './exercise';
import { squeezedRank } from './mark';
import { drawVariant } from './variant';

export const VARIANTS_CHECKED = 50;
/** A grading reruns the scenario once per question: keep each run to a fraction of a second. */
export const EXERCISE_LIMITS = { multiplyAdds: 10_000_000, steps: 1_000 } as const;

export interface FileCheck {
	ok: boolean;
	exercise: Exercise | null;
	issues: ExerciseIssue[];
	/** variants drawn, and how many draws were rejected as degenerate on the way */
	variants: number;
	rejected: number;
}

export function checkExerciseText(source: string, file: string, variants = VARIANTS_CHECKED): FileCheck {
	const parsed = parseExercise(source, file);
	if (!parsed.ok) return { ok: false, exercise: null, issues: parsed.issues, variants: 0, rejected: 0 };
	const exercise = parsed.exercise;
	const fail = (issues: ExerciseIssue[], drawn = 0, rejected = 0): FileCheck => ({ ok: false, exercise, issues, variants: drawn, rejected });
	const base = checkExercise(exercise);
	if (!base.ok) return fail(base.issues);
	try {
		const cost = estimateCost(validateScenario(withSampleForFacts(exercise, exercise.scenario)));
		if (cost.multiplyAdds > EXERCISE_LIMITS.multiplyAdds || cost.steps > EXERCISE_LIMITS.steps) {
			return fail([{ path: ['scenario'], message: `too large for an exercise (${cost.steps} steps, ${cost.multiplyAdds} multiply-adds); keep to ${EXERCISE_LIMITS.steps} steps and ${EXERCISE_LIMITS.multiplyAdds} multiply-adds` }]);
		}
	} catch (error) {
		if (error instanceof ScenarioError) return fail(error.issues.map((i) => ({ ...i, path: ['scenario', ...i.path] })));
		throw error;
	}
	const shapeIssues: ExerciseIssue[] = [];
	base.expected.forEach((expected, i) => {
		if (expected?.ok && squeezedRank(expected.shape) > 2) {
			shapeIssues.push({ path: ['questions', i, 'ask'], message: `the answer would be a ${expected.shape.join('×')} tensor, which cannot be typed; ask a slice such as ${exercise.questions[i].ask}[0][0]` });
		}
	});
	if (shapeIssues.length > 0) return fail(shapeIssues);
	let rejected = 0;
	const count = exercise.varyTargets.length === 0 ? 1 : variants;
	for (let k = 1; k <= count; k++) {
		const drawn = drawVariant(exercise, `check-${k}`);
		rejected += drawn.rejected.length;
		if (!drawn.ok) return fail([{ path: exercise.varyTargets.length === 0 ? ['scenario'] : ['vary'], message: `student check-${k}: ${drawn.message}` }], k - 1, rejected);
	}
	return { ok: true, exercise, issues: [], variants: count, rejected };
}
