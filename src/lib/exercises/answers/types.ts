/**
 * Types and the internal failure helper shared by the answer parser modules
 * (`../answer.ts` is the public entry point and re-exports the public types).
 */

export type Expect = 'number' | 'vector' | 'matrix';
export type FailReason = 'empty' | 'syntax' | 'not-allowed' | 'shape' | 'too-long' | 'not-finite';

/**
 * Why an answer cannot be read, as data: a code and the piece of the student's text it quotes
 * (shortened by `quote`), worded in the reader's language by feedback-text.ts.
 */
export type Unreadable =
	| { code: 'empty_answer' }
	| { code: 'answer_too_long'; limit: number }
	| { code: 'ambiguous_comma'; text: string }
	| { code: 'stray_comma' }
	| { code: 'single_argument'; name: string }
	| { code: 'not_finite_name'; text: string }
	| { code: 'name_not_allowed'; text: string }
	| { code: 'character_not_allowed'; character: string }
	| { code: 'digit_after_decimal'; text: string }
	| { code: 'thousands_grouping'; text: string }
	| { code: 'number_too_large'; text: string }
	| { code: 'not_finite_real'; text: string }
	| { code: 'closing_expected'; close: ')' | ']'; open: string; found: string | null }
	/** `before` is null at the end of the answer */
	| { code: 'missing_entry'; before: string | null }
	| { code: 'too_many_entries' }
	/** rows counted from 1, as on paper */
	| { code: 'row_length'; row: number; entries: number; first: number }
	| { code: 'numbers_mixed_with_lists' }
	| { code: 'empty_list'; text: string }
	/** `after` is null when the answer ends before anything was read */
	| { code: 'unexpected_end'; after: string | null }
	| { code: 'unexpected'; text: string }
	| { code: 'parenthesis_expected'; name: string }
	| { code: 'list_in_computation' }
	| { code: 'number_expected'; text: string }
	| { code: 'single_number_expected' }
	| { code: 'vector_not_matrix' }
	| { code: 'expression_empty' }
	| { code: 'expression_too_long' }
	| { code: 'expression_too_deep' }
	| { code: 'expression_too_complex' }
	| { code: 'expression_unreadable'; detail: string }
	| { code: 'only_numbers'; text: string }
	| { code: 'not_allowed'; text: string }
	| { code: 'complex_result'; text: string }
	| { code: 'not_finite_result'; text: string };
export type UnreadableCode = Unreadable['code'];

/** The kind of failure each code is, for whoever sorts failures without reading them. */
export const UNREADABLE_REASONS: Record<UnreadableCode, FailReason> = {
	empty_answer: 'empty',
	answer_too_long: 'too-long',
	ambiguous_comma: 'syntax',
	stray_comma: 'syntax',
	single_argument: 'syntax',
	not_finite_name: 'not-finite',
	name_not_allowed: 'not-allowed',
	character_not_allowed: 'not-allowed',
	digit_after_decimal: 'syntax',
	thousands_grouping: 'syntax',
	number_too_large: 'not-finite',
	not_finite_real: 'not-finite',
	closing_expected: 'syntax',
	missing_entry: 'syntax',
	too_many_entries: 'too-long',
	row_length: 'shape',
	numbers_mixed_with_lists: 'shape',
	empty_list: 'empty',
	unexpected_end: 'syntax',
	unexpected: 'syntax',
	parenthesis_expected: 'syntax',
	list_in_computation: 'shape',
	number_expected: 'syntax',
	single_number_expected: 'shape',
	vector_not_matrix: 'shape',
	expression_empty: 'empty',
	expression_too_long: 'too-long',
	expression_too_deep: 'too-long',
	expression_too_complex: 'too-long',
	expression_unreadable: 'syntax',
	only_numbers: 'not-allowed',
	not_allowed: 'not-allowed',
	complex_result: 'not-finite',
	not_finite_result: 'not-finite'
};

/** Thrown inside the parser and turned into a `ParseFailure` at the boundary. */
export class Fail {
	constructor(
		readonly why: Unreadable,
		readonly at?: number
	) {}
}

export const fail = (why: Unreadable, at?: number): never => {
	throw new Fail(why, at);
};

/** Shows a piece of the student's input inside a message, shortened if long. */
export const quote = (s: string): string => (s.length > 24 ? `${s.slice(0, 20)}…` : s);
