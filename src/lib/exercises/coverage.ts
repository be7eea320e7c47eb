/**
 * Which mistakes of the catalogue a set of exercises can exercise: a mistake can occur in an
 * exercise when, for some question of one of a few drawn variants, it gives a value other than
 * the right one — exactly what grading reads (`MistakeRuns.valuesFor`) before it names a
 * diagnosis. A code no exercise can exercise is one no student of these exercises will ever be
 * told about.
 */
import { validateScenario } from '../engine/scenario/validate';
import { withSampleForFacts, type Exercise } from './exercise';
import { MISTAKES } from './mistakes/catalogue';
import { MistakeRuns } from './mistakes/diagnose';
import { drawVariant } from './variant';

/** Variants drawn per exercise: a mistake that applies to an exercise applies to almost every draw. */
export const COVERAGE_VARIANTS = 3;

/** The codes of the mistakes that can occur in one exercise, over `variants` drawn students. */
export function exercisedMistakes(exercise: Exercise, variants = COVERAGE_VARIANTS): Set<string> {
	const codes = new Set<string>();
	const count = exercise.varyTargets.length === 0 ? 1 : variants;
	for (let k = 1; k <= count; k++) {
		const drawn = drawVariant(exercise, `coverage-${k}`);
		if (!drawn.ok) continue;
		const { variant } = drawn;
		let runs: MistakeRuns | null = null;
		exercise.questions.forEach((q, i) => {
			const expected = variant.expected[i];
			// grading names no mistake for a choice or a shape
			if (q.kind === 'choice' || q.ask === 'shape' || !expected?.ok) return;
			runs ??= new MistakeRuns(validateScenario(withSampleForFacts(exercise, variant.scenario)), variant.trace);
			for (const { mistake } of runs.valuesFor(q, expected.value)) codes.add(mistake.code);
		});
	}
	return codes;
}

/** The catalogue's codes, in its order, that none of the exercises can exercise. */
export function unexercisedMistakes(exercises: readonly Exercise[], variants = COVERAGE_VARIANTS): string[] {
	const covered = new Set<string>();
	for (const exercise of exercises) {
		if (MISTAKES.every((m) => covered.has(m.code))) break;
		for (const code of exercisedMistakes(exercise, variants)) covered.add(code);
	}
	return MISTAKES.map((m) => m.code).filter((code) => !covered.has(code));
}
