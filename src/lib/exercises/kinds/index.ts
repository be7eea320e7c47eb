/**
 * The question kinds, by their `kind`. Code that treats every kind alike goes through `kindOf(q)`;
 * code that treats them differently switches on `q.kind`, which the compiler checks is exhaustive.
 */
import type { NestedNumbers } from '../../engine/tensor';
import type { ExerciseQuestion, NumericQuestion, QuestionKind } from '../exercise';
import type { Question } from '../question';
import { choice } from './choice';
import { engineFact, fact } from './fact';
import type { KindModule } from './kind';
import { engineValue, value } from './value';

type QuestionOf<K extends QuestionKind> = Extract<ExerciseQuestion, { kind: K }>;
/** What a question of each kind reads its answer as: numbers, or a choice's 0-based option. */
interface AnswerOf {
	value: NestedNumbers;
	fact: NestedNumbers;
	choice: number;
}

type Kinds = { [K in QuestionKind]: KindModule<QuestionOf<K>, AnswerOf[K]> };

export const KINDS: Kinds = { value, fact, choice };

/**
 * The module of a question's kind. For a question narrowed to one kind, that kind's module; for a
 * question of any kind, a module over them all, whose methods TypeScript checks bivariantly: give
 * them the very question it was taken for.
 */
export function kindOf<K extends QuestionKind>(q: QuestionOf<K>): KindModule<QuestionOf<K>, AnswerOf[K]> {
	return KINDS[q.kind];
}

/** The question the engine resolves for a numeric one (question.ts). */
export function engineQuestion(q: NumericQuestion): Question {
	switch (q.kind) {
		case 'value':
			return engineValue(q);
		case 'fact':
			return engineFact(q);
	}
}
