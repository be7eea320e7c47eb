/**
 * A student's own numbers: the exercise's `vary` rules drawn from a seed made of the exercise id,
 * the student id and an optional assignment seed, so the same student gets the same numbers on
 * every device and every student gets different ones. A draw whose run makes a question
 * ambiguous or trivial (degenerate.ts) is redrawn, up to MAX_DRAWS times.
 */
import { mulberry32 } from '../engine/prng';
import type { Trace } from '../engine/trace';
import { describeDegeneracy, findDegeneracy, type AskedValue, type Degeneracy } from './degenerate';
import { validateScenario } from '../engine/scenario/validate';
import { checkExercise, formatExerciseIssues, withSampleForFacts, type Exercise } from './exercise';
import { coincidingMistakes, MistakeRuns } from './mistakes/diagnose';
import { parseAsk, type Expected } from './question';
import { applyVary } from './vary';

export const MAX_DRAWS = 200;

export interface Variant {
	exerciseId: string;
	student: string;
	seed: string;
	/** which draw this is (0: the first); earlier draws were degenerate */
	attempt: number;
	/** the scenario with the student's numbers (plain data, as a file would hold it) */
	scenario: Record<string, unknown>;
	/** the value each `vary` rule drew, by its key */
	drawn: Record<string, unknown>;
	trace: Trace;
	/** the expected answer of each question; null for a choice */
	expected: (Expected | null)[];
}

export type VariantResult = { ok: true; variant: Variant; rejected: Degeneracy[] } | { ok: false; message: string; rejected: Degeneracy[] };

/** 32-bit FNV-1a of the parts, separated so that ("ab", "c") and ("a", "bc") differ. */
export function seedOf(parts: readonly string[]): number {
	let hash = 0x811c9dc5;
	for (const char of parts.join('\u0000')) {
		hash ^= char.codePointAt(0) ?? 0;
		hash = Math.imul(hash, 0x01000193);
	}
	return hash | 0;
}

/** The values the questions ask, as the degeneracy checks read them. */
export function askedValues(exercise: Exercise, expected: readonly (Expected | null)[]): AskedValue[] {
	const asked: AskedValue[] = [];
	exercise.questions.forEach((q, i) => {
		const e = expected[i];
		if (q.kind !== 'value' || !e) return;
		const parsed = parseAsk(q.ask);
		if (!parsed) return;
		asked.push({ ask: q.ask, name: parsed.name, element: parsed.index.length > 0, step: q.step, tolerance: q.tolerance, expected: e });
	});
	return asked;
}

/** The first question for which two mistakes would give the same value, as a degeneracy. */
function mistakesCoincide(exercise: Exercise, scenario: Record<string, unknown>, trace: Trace, expected: readonly (Expected | null)[]): Degeneracy | null {
	if (exercise.allow.includes('mistakes-coincide')) return null;
	let runs: MistakeRuns | null = null;
	for (let i = 0; i < exercise.questions.length; i++) {
		const q = exercise.questions[i];
		const e = expected[i];
		if (q.kind !== 'value' || !e?.ok) continue;
		runs ??= new MistakeRuns(validateScenario(withSampleForFacts(exercise, scenario)), trace);
		const pair = coincidingMistakes(runs, q, e.value);
		if (pair) return { code: 'mistakes-coincide', where: `${q.id}: ${pair.join(' and ')}` };
	}
	return null;
}

/**
 * The variant of `student` (and of an assignment's `seed`): the file's own numbers when the
 * exercise has no `vary`, else the first non-degenerate draw.
 */
export function drawVariant(exercise: Exercise, student: string, seed = ''): VariantResult {
	const rejected: Degeneracy[] = [];
	const draws = exercise.varyTargets.length === 0 ? 1 : MAX_DRAWS;
	for (let attempt = 0; attempt < draws; attempt++) {
		const { scenario, drawn } =
			exercise.varyTargets.length === 0
				? { scenario: exercise.scenario, drawn: {} }
				: applyVary(exercise.scenario, exercise.varyTargets, mulberry32(seedOf([exercise.id, student, seed, String(attempt)])));
		const check = checkExercise(exercise, scenario);
		if (!check.ok) return { ok: false, message: formatExerciseIssues(check.issues), rejected };
		const degeneracy = findDegeneracy(check.trace, askedValues(exercise, check.expected), exercise.allow) ?? mistakesCoincide(exercise, scenario, check.trace, check.expected);
		if (degeneracy) {
			rejected.push(degeneracy);
			continue;
		}
		return { ok: true, rejected, variant: { exerciseId: exercise.id, student, seed, attempt, scenario, drawn, trace: check.trace, expected: check.expected } };
	}
	const last = rejected.at(-1);
	// in words for the author, with the code that `allow:` takes where the exercise means it
	const why = last ? `; the last: ${describeDegeneracy(last)} (\`allow: [${last.code}]\` accepts it)` : '';
	return {
		ok: false,
		rejected,
		message: exercise.varyTargets.length === 0 ? `the exercise's own numbers are degenerate${why}` : `no usable numbers in ${MAX_DRAWS} draws${why}`
	};
}
