/** `choice` questions: one option among several (`ask: choice`), answered by its letter, number or text. */
import type { ChoiceQuestion } from '../exercise';
import { verdictMessage } from '../feedback';
import type { FeedbackMessage } from '../feedback-message';
import type { QuestionReport } from '../grade';
import type { Reading } from '../mark';
import type { KindModule } from './kind';

/** A, B, C… for the 0-based options. */
const letterOf = (option: number): string => String.fromCharCode(65 + option);

/** The 0-based option a student chose: its letter (A, B…), its number (1, 2…) or its text in either language. */
function readChoice(text: string | undefined, question: ChoiceQuestion): Reading<number> {
	const answer = (text ?? '').trim().toLowerCase();
	if (answer === '') return { ok: false, missing: true, message: { code: 'no_answer' } };
	const n = question.options.length;
	const letter = /^[a-z]$/.test(answer) ? answer.charCodeAt(0) - 97 : -1;
	const number = /^\d{1,3}$/.test(answer) ? Number(answer) - 1 : -1;
	const text_ = question.options.findIndex((o) => o.fr.trim().toLowerCase() === answer || o.en.trim().toLowerCase() === answer);
	const option = [letter, number, text_].find((i) => i >= 0 && i < n);
	if (option !== undefined) return { ok: true, value: option };
	const last = String.fromCharCode(64 + n);
	return {
		ok: false,
		missing: false,
		message: { code: 'not_an_option', text: text?.trim() ?? '', last }
	};
}

export const choice: KindModule<ChoiceQuestion, number> = {
	kind: 'choice',
	readsRun: false,
	expected: () => null,
	read: (text, q) => readChoice(text, q),
	mark: (answer, right) => (answer === right ? { score: 1, wrong: [], precision: false } : { score: 0, wrong: [[]], precision: false }),
	key: (_exercise, q) => letterOf(q.answer),
	field: (q) => ({ kind: 'choice', prompt: q.prompt, options: q.options })
};

/** A choice is right or wrong; with the key, a wrong one is told the right option. */
export function gradeChoice(q: ChoiceQuestion, text: string | undefined, reveal: boolean): QuestionReport {
	const base = { id: q.id, max: q.points };
	const read = choice.read(text, q, []);
	if (!read.ok) return { ...base, verdict: read.missing ? 'missing' : 'unreadable', points: 0, message: [read.message] };
	if (choice.mark(read.value, q.answer, q).score === 1) return { ...base, verdict: 'right', points: q.points, message: verdictMessage('right') };
	const letter = letterOf(q.answer);
	const shown = reveal && q.feedback === 'key';
	const message: FeedbackMessage = shown ? [{ code: 'right_option', letter, option: q.options[q.answer] }] : verdictMessage('wrong');
	return { ...base, verdict: 'wrong', points: 0, message, ...(shown ? { expected: q.answer } : {}) };
}
