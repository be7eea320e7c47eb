/**
 * The one writer of the grader's messages (feedback-message.ts) in a reader's language: the
 * exercise page, the teacher's pages and the command line all read a report through it. Numbers
 * are formatted here, in the reader's locale (0,5 in French). TeX sits between `$…$`.
 */
import type { NestedNumbers } from '../engine/tensor';
import { formatNumber } from '../format/number';
import { m } from '../paraglide/messages';
import type { Localized } from './exercise';
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
	unreadable: ({ explanation }, locale) => explanation[locale],
	stored_sentence: ({ sentence }, locale) => sentence[locale]
};

/** One part in the reader's language. */
export const partText = (part: FeedbackPart, locale: FeedbackLocale): string => (FEEDBACK_TEXT[part.code] as (part: FeedbackPart, locale: FeedbackLocale) => string)(part, locale);

/** A whole message in the reader's language: its parts, one sentence after the other. */
export const feedbackText = (message: FeedbackMessage, locale: FeedbackLocale): string => message.map((part) => partText(part, locale)).join(' ');
