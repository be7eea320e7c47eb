/**
 * What the grader says, as data: each part of a message is a code with its parameters, numbers
 * kept as numbers. feedback-text.ts writes it in the reader's language when it is shown, so a
 * report stored in one language reads in the other, and a page decides on codes, never on words.
 */
import type { NestedNumbers } from '../engine/tensor';
import type { FailReason, Unreadable } from './answers/types';
import type { Localized } from './exercise';

/** How a layout convention is written (layout.ts), for a note on an answer in another layout. */
export const LAYOUT_WRITINGS = ['instance_rows', 'instance_columns', 'channels_first', 'channels_last', 'bias_vector', 'bias_column'] as const;
export type LayoutWriting = (typeof LAYOUT_WRITINGS)[number];

/** A named mistake of the catalogue: its texts are the library's, in both languages, like an exercise's title. */
export interface MistakeNamed {
	code: string;
	title: Localized;
	explanation: Localized;
}

export type FeedbackPart =
	| { code: 'right' }
	| { code: 'wrong' }
	/** cells 1-based as on paper, the axes of size 1 left out: [[1, 2]] reads (1, 2) */
	| { code: 'partly_right'; cells: number[][] }
	| { code: 'give_decimals'; decimals: number }
	| { code: 'give_significant'; digits: number }
	| { code: 'give_more_digits' }
	| { code: 'expected_value'; value: NestedNumbers }
	/** a shape is its dimensions; null for rows of different lengths */
	| { code: 'expected_shape'; expected: number[]; answer: number[] | null }
	| { code: 'right_in_other_layout'; expects: LayoutWriting; given: LayoutWriting }
	| { code: 'other_layout'; expects: LayoutWriting; given: LayoutWriting }
	/** symbols are TeX: the earlier wrong value, and this question's value computed right from it */
	| { code: 'carried_forward'; from: string; symbol: string; fully: boolean; earnsMarks: boolean; mistake?: Localized }
	| { code: 'mistake'; mistake: MistakeNamed }
	| { code: 'mistake_again'; mistake: MistakeNamed; on: string }
	| { code: 'several_mistakes'; titles: Localized[] }
	| { code: 'no_answer' }
	| { code: 'not_an_option'; text: string; last: string }
	| { code: 'right_option'; letter: string; option: Localized }
	/** the answer parser's own account of where the text stops being readable, as its code and parameters */
	| { code: 'unreadable'; reason: FailReason; why: Unreadable }
	/** a report stored before messages were codes: its sentence, as it was written */
	| { code: 'stored_sentence'; sentence: Localized };

export type FeedbackCode = FeedbackPart['code'];
export type FeedbackMessage = FeedbackPart[];

/** Every code, checked by the compiler against the union: a code missing here or unknown there fails to build. */
const CODES: Record<FeedbackCode, true> = {
	right: true,
	wrong: true,
	partly_right: true,
	give_decimals: true,
	give_significant: true,
	give_more_digits: true,
	expected_value: true,
	expected_shape: true,
	right_in_other_layout: true,
	other_layout: true,
	carried_forward: true,
	mistake: true,
	mistake_again: true,
	several_mistakes: true,
	no_answer: true,
	not_an_option: true,
	right_option: true,
	unreadable: true,
	stored_sentence: true
};
export const FEEDBACK_CODES = Object.keys(CODES) as FeedbackCode[];

const isLocalized = (value: unknown): value is Localized =>
	typeof value === 'object' && value !== null && typeof (value as Localized).fr === 'string' && typeof (value as Localized).en === 'string';

/**
 * An unreadable answer's part as stored before the parser gave codes: its explanation in both
 * languages, which reads on as that sentence.
 */
const storedExplanation = (part: { code?: unknown; explanation?: unknown }): FeedbackPart | null =>
	part.code === 'unreadable' && isLocalized(part.explanation) ? { code: 'stored_sentence', sentence: { fr: part.explanation.fr, en: part.explanation.en } } : null;

/**
 * A message read back from a stored report: the parts this version knows (a newer version's
 * codes are left out rather than breaking the page), or the sentence of a report stored before
 * codes, `{ fr, en }`, kept whole.
 */
export function readMessage(stored: unknown): FeedbackMessage {
	if (Array.isArray(stored)) {
		return stored
			.map((part) => storedExplanation(part ?? {}) ?? part)
			.filter((part): part is FeedbackPart => typeof part?.code === 'string' && part.code in CODES);
	}
	return isLocalized(stored) ? [{ code: 'stored_sentence', sentence: { fr: stored.fr, en: stored.en } }] : [];
}

/** Whether the message already gives the expected value in words (the page then does not repeat it). */
export const givesExpected = (message: FeedbackMessage): boolean => message.some((part) => part.code === 'expected_value' || part.code === 'expected_shape');

/** Codes that only repeat the verdict's label (Right., Wrong., No answer.). */
const VERDICT_ONLY: ReadonlySet<FeedbackCode> = new Set<FeedbackCode>(['right', 'wrong', 'no_answer']);

/** The message less what only repeats the verdict, for a page that shows the verdict beside it ("✗ Wrong" needs no "Wrong."). */
export const besideVerdict = (message: FeedbackMessage): FeedbackMessage => message.filter((part) => !VERDICT_ONLY.has(part.code));
