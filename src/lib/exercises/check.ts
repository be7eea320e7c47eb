/**
 * `stepwise check`: everything a teacher's exercise file must satisfy before a student meets it,
 * with messages that name the path (and line) they are about:
 * the schema; that each question resolves to an event of its scenario and can be typed in (a
 * number, a vector or a matrix); that a run is small enough to grade at once; and that
 * VARIANTS_CHECKED students all get non-degenerate numbers.
 */
import { estimateCost, validateScenario } from '../engine/scenario/validate';
import { parseScenarioText } from '../engine/scenario/parse';
import { translateZodIssues } from '../engine/scenario/zod-issues';
import { lessonFileSchema, lessonIdOf } from '../lessons';
import { ScenarioError } from '../engine/scenario/issues';
import { checkExercise, courseIssue, notationIssue, parseExercise, withSampleForFacts, type Exercise, type ExerciseIssue } from './exercise';
import { eitherRefusal } from './layout';
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
	const notation = notationIssue(exercise.course, exercise.notation);
	if (notation) return fail([{ ...notation, line: parseScenarioText(source).lineOf(notation.path) }]);
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
	const layoutIssues: ExerciseIssue[] = [];
	exercise.questions.forEach((q, i) => {
		const expected = base.expected[i];
		if (q.kind === 'choice' || q.layout !== 'either' || !expected?.ok) return;
		const refusal = eitherRefusal(q, expected.value);
		const line = exercise.lines?.[i];
		if (refusal) layoutIssues.push({ path: ['questions', i, 'layout'], message: refusal, ...(line === undefined ? {} : { line }) });
	});
	if (layoutIssues.length > 0) return fail(layoutIssues);
	let rejected = 0;
	const count = exercise.varyTargets.length === 0 ? 1 : variants;
	for (let k = 1; k <= count; k++) {
		const drawn = drawVariant(exercise, `check-${k}`);
		rejected += drawn.rejected.length;
		if (!drawn.ok) return fail([{ path: exercise.varyTargets.length === 0 ? ['scenario'] : ['vary'], message: `student check-${k}: ${drawn.message}` }], k - 1, rejected);
	}
	return { ok: true, exercise, issues: [], variants: count, rejected };
}

/** A lesson file's top-level keys: an exercise has none of these. */
const LESSON_KEYS = ['summary', 'explanation', 'order'];

/** Whether a YAML text is a lesson (src/lib/lessons/library) rather than an exercise. */
export function isLessonText(source: string): boolean {
	try {
		const { data } = parseScenarioText(source);
		return data !== null && typeof data === 'object' && LESSON_KEYS.every((key) => key in data);
	} catch {
		return false;
	}
}

/**
 * A lesson file: its schema and its id, with lines. Its `course` names the profile its replay
 * and formulas follow (profiles.ts); an unquoted 004 is read as the number 4, and said so.
 */
export function checkLessonText(source: string, file: string): { ok: boolean; issues: ExerciseIssue[] } {
	let parsed: ReturnType<typeof parseScenarioText>;
	try {
		parsed = parseScenarioText(source);
	} catch (error) {
		if (error instanceof ScenarioError) return { ok: false, issues: error.issues };
		throw error;
	}
	const result = lessonFileSchema.safeParse(parsed.data);
	const issues: ExerciseIssue[] = result.success ? [] : translateZodIssues(result.error.issues, lessonFileSchema, parsed.data).map((issue) => courseIssue(issue, parsed.data));
	if (result.success && result.data.id !== lessonIdOf(file)) issues.push({ path: ['id'], message: `expected "${lessonIdOf(file)}" (the file name), got "${result.data.id}"` });
	const notation = result.success ? notationIssue(result.data.course, result.data.notation) : null;
	if (notation) issues.push(notation);
	return { ok: issues.length === 0, issues: issues.map((issue) => ({ ...issue, line: issue.line ?? parsed.lineOf(issue.path) })) };
}
