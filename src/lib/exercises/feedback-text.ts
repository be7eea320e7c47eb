/**
 * The one writer of the grader's messages (feedback-message.ts) in a reader's language: the
 * exercise page, the teacher's pages and the command line all read a report through it. Numbers
 * are formatted here, in the reader's locale (0,5 in French). TeX sits between `$…$`.
 */
import type { NestedNumbers } from '../engine/tensor';
import { formatNumber } from '../format/number';
import { m } from '../paraglide/messages';
import type { Localized } from './exercise';
import type { Unreadable, UnreadableCode } from './answers/types';
import type { FeedbackCode, FeedbackMessage, FeedbackPart, LayoutWriting } from './feedback-message';

export type FeedbackLocale = 'fr' | 'en';

type Writer<C extends FeedbackCode> = (part: Extract<FeedbackPart, { code: C }>, locale: FeedbackLocale) => string;

/** A title inside a sentence: its first letter in lower case, its formulas ($W$, $\\eta$) as they are. */
const lowerFirst = (title: string, locale: FeedbackLocale): string => title.charAt(0).toLocaleLowerCase(locale) + title.slice(1);

/** A value in words, numbers to 6 significant digits; a batch of one sample reads as its row: [[0.25, 0.18]] → [0.25, 0.18]. */
function valueText(value: NestedNumbers, locale: FeedbackLocale): string {
	while (Array.isArray(value) && value.length === 1 && Array.isArray(value[0])) value = value[0];
	const separator = m.says_list_separator({}, { locale });
	const write = (v: NestedNumbers): string => (typeof v === 'number' ? formatNumber(v, 6, locale) : `[${v.map(write).join(separator)}]`);
	return write(value);
}

/** A shape in words: a number, a vector of n entries, an n × m matrix (the dimensions of size 1 left out). */
function shapeText(shape: readonly number[] | null, locale: FeedbackLocale): string {
	if (shape === null) return m.says_shape_ragged({}, { locale });
	const dims = shape.filter((d) => d !== 1);
	if (dims.length === 0) return m.says_shape_number({}, { locale });
	if (dims.length === 1) return m.says_shape_vector({ n: dims[0] }, { locale });
	return m.says_shape_matrix({ dims: dims.join(' × ') }, { locale });
}

const LAYOUT_TEXT: Record<LayoutWriting, (inputs: Record<string, never>, options: { locale: FeedbackLocale }) => string> = {
	instance_rows: m.says_layout_instance_rows,
	instance_columns: m.says_layout_instance_columns,
	channels_first: m.says_layout_channels_first,
	channels_last: m.says_layout_channels_last,
	bias_vector: m.says_layout_bias_vector,
	bias_column: m.says_layout_bias_column
};
const layoutText = (writing: LayoutWriting, locale: FeedbackLocale): string => LAYOUT_TEXT[writing]({}, { locale });

const cellText = (cell: readonly number[]): string => (cell.length === 1 ? String(cell[0]) : `(${cell.join(', ')})`);

const named = (title: Localized, locale: FeedbackLocale): string => title[locale];

/** A piece of the student's text inside a sentence: « 0,5 » in French, "0.5" in English. */
const quoted = (text: string, locale: FeedbackLocale): string => m.says_quoted({ text }, { locale });
const count = (n: number, locale: FeedbackLocale): string => formatNumber(n, 6, locale);

type UnreadableWriter<C extends UnreadableCode> = (why: Extract<Unreadable, { code: C }>, locale: FeedbackLocale) => string;

/** Every answer-parser code's writer: a code added to the parser without one fails to build. */
export const UNREADABLE_TEXT: { [C in UnreadableCode]: UnreadableWriter<C> } = {
	empty_answer: (_, locale) => m.says_unreadable_empty_answer({}, { locale }),
	answer_too_long: ({ limit }, locale) => m.says_unreadable_answer_too_long({ limit: count(limit, locale) }, { locale }),
	ambiguous_comma: ({ text }, locale) => m.says_unreadable_ambiguous_comma({ text }, { locale }),
	stray_comma: (_, locale) => m.says_unreadable_stray_comma({}, { locale }),
	single_argument: ({ name }, locale) => m.says_unreadable_single_argument({ name }, { locale }),
	not_finite_name: ({ text }, locale) => m.says_unreadable_not_finite_name({ text }, { locale }),
	name_not_allowed: ({ text }, locale) => m.says_unreadable_name_not_allowed({ text }, { locale }),
	character_not_allowed: ({ character }, locale) => m.says_unreadable_character_not_allowed({ character }, { locale }),
	digit_after_decimal: ({ text }, locale) => m.says_unreadable_digit_after_decimal({ text }, { locale }),
	thousands_grouping: ({ text }, locale) => m.says_unreadable_thousands_grouping({ text }, { locale }),
	number_too_large: ({ text }, locale) => m.says_unreadable_number_too_large({ text }, { locale }),
	not_finite_real: ({ text }, locale) => m.says_unreadable_not_finite_real({ text }, { locale }),
	closing_expected: ({ close, open, found }, locale) =>
		m.says_unreadable_closing_expected({ close, open, found: found === null ? m.says_the_end({}, { locale }) : quoted(found, locale) }, { locale }),
	missing_entry: ({ before }, locale) => (before === null ? m.says_unreadable_missing_entry_at_end({}, { locale }) : m.says_unreadable_missing_entry({ before }, { locale })),
	too_many_entries: (_, locale) => m.says_unreadable_too_many_entries({}, { locale }),
	row_length: ({ row, entries, first }, locale) =>
		entries === 1
			? m.says_unreadable_row_length_one({ row: count(row, locale), first: count(first, locale) }, { locale })
			: m.says_unreadable_row_length({ row: count(row, locale), entries: count(entries, locale), first: count(first, locale) }, { locale }),
	numbers_mixed_with_lists: (_, locale) => m.says_unreadable_numbers_mixed_with_lists({}, { locale }),
	empty_list: ({ text }, locale) => m.says_unreadable_empty_list({ text }, { locale }),
	unexpected_end: ({ after }, locale) => (after === null ? m.says_unreadable_unexpected_end({}, { locale }) : m.says_unreadable_unexpected_end_after({ after }, { locale })),
	unexpected: ({ text }, locale) => m.says_unreadable_unexpected({ text }, { locale }),
	parenthesis_expected: ({ name }, locale) => m.says_unreadable_parenthesis_expected({ name }, { locale }),
	list_in_computation: (_, locale) => m.says_unreadable_list_in_computation({}, { locale }),
	number_expected: ({ text }, locale) => m.says_unreadable_number_expected({ text }, { locale }),
	single_number_expected: (_, locale) => m.says_unreadable_single_number_expected({}, { locale }),
	vector_not_matrix: (_, locale) => m.says_unreadable_vector_not_matrix({}, { locale }),
	expression_empty: (_, locale) => m.says_unreadable_expression_empty({}, { locale }),
	expression_too_long: (_, locale) => m.says_unreadable_expression_too_long({}, { locale }),
	expression_too_deep: (_, locale) => m.says_unreadable_expression_too_deep({}, { locale }),
	expression_too_complex: (_, locale) => m.says_unreadable_expression_too_complex({}, { locale }),
	expression_unreadable: ({ detail }, locale) => m.says_unreadable_expression_unreadable({ detail }, { locale }),
	only_numbers: ({ text }, locale) => m.says_unreadable_only_numbers({ text }, { locale }),
	not_allowed: ({ text }, locale) => m.says_unreadable_not_allowed({ text }, { locale }),
	complex_result: ({ text }, locale) => m.says_unreadable_complex_result({ text }, { locale }),
	not_finite_result: ({ text }, locale) => m.says_unreadable_not_finite_result({ text }, { locale })
};

/** Why an answer cannot be read, in the reader's language. */
export const unreadableText = (why: Unreadable, locale: FeedbackLocale): string => (UNREADABLE_TEXT[why.code] as (why: Unreadable, locale: FeedbackLocale) => string)(why, locale);

/** Every code's writer: a code added to the union without one fails to build. */
export const FEEDBACK_TEXT: { [C in FeedbackCode]: Writer<C> } = {
	right: (_, locale) => m.says_right({}, { locale }),
	wrong: (_, locale) => m.says_wrong({}, { locale }),
	partly_right: ({ cells }, locale) => m.says_partly_right({ cells: cells.map(cellText).join(', ') }, { locale }),
	give_decimals: ({ decimals }, locale) => m.says_give_decimals({ decimals }, { locale }),
	give_significant: ({ digits }, locale) => m.says_give_significant({ digits }, { locale }),
	give_more_digits: (_, locale) => m.says_give_more_digits({}, { locale }),
	expected_value: ({ value }, locale) => m.says_expected_value({ value: valueText(value, locale) }, { locale }),
	expected_shape: ({ expected, answer }, locale) => m.says_expected_shape({ expected: shapeText(expected, locale), answer: shapeText(answer, locale) }, { locale }),
	right_in_other_layout: ({ expects, given }, locale) => m.says_right_in_other_layout({ expects: layoutText(expects, locale), given: layoutText(given, locale) }, { locale }),
	other_layout: ({ expects, given }, locale) => m.says_other_layout({ expects: layoutText(expects, locale), given: layoutText(given, locale) }, { locale }),
	carried_forward: ({ from, symbol, fully, earnsMarks, mistake }, locale) =>
		m.says_carried_forward(
			{
				from,
				mistake: mistake ? ` (${lowerFirst(named(mistake, locale), locale)})` : '',
				given: fully ? m.says_given_fully({ symbol }, { locale }) : m.says_given_partly({ symbol }, { locale }),
				marks: earnsMarks ? m.says_marks_given({}, { locale }) : m.says_no_marks({}, { locale })
			},
			{ locale }
		),
	mistake: ({ mistake }, locale) => m.says_mistake({ title: named(mistake.title, locale), explanation: named(mistake.explanation, locale) }, { locale }),
	mistake_again: ({ mistake, on }, locale) => m.says_mistake_again({ title: named(mistake.title, locale), explanation: named(mistake.explanation, locale), on }, { locale }),
	several_mistakes: ({ titles }, locale) => m.says_several_mistakes({ titles: titles.map((t) => lowerFirst(named(t, locale), locale)).join(m.says_or({}, { locale })) }, { locale }),
	no_answer: (_, locale) => m.says_no_answer({}, { locale }),
	not_an_option: ({ text, last }, locale) => m.says_not_an_option({ text, last }, { locale }),
	right_option: ({ letter, option }, locale) => m.says_right_option({ letter, option: named(option, locale) }, { locale }),
	unreadable: ({ why }, locale) => unreadableText(why, locale),
	stored_sentence: ({ sentence }, locale) => sentence[locale]
};

/** One part in the reader's language. */
export const partText = (part: FeedbackPart, locale: FeedbackLocale): string => (FEEDBACK_TEXT[part.code] as (part: FeedbackPart, locale: FeedbackLocale) => string)(part, locale);

/** A whole message in the reader's language: its parts, one sentence after the other. */
export const feedbackText = (message: FeedbackMessage, locale: FeedbackLocale): string => message.map((part) => partText(part, locale)).join(' ');
