/**
 * What the grader says, as data (feedback-message.ts; feedback-text.ts writes it in the reader's
 * language): verdicts, the symbols of the pointer to the first wrong value, and the formula of a
 * cell with its numbers, taken from the replay's formula module so that the feedback and the
 * replay always show the same equation. TeX sits between `$…$`.
 */
import type { NestedNumbers } from '../engine/tensor';
import { findEvent, type Trace } from '../engine/trace';
import { explain } from '../formulas/explain';
import { plainWriting, quantitySymbol, symbolsFor } from '../formulas/notation';
import type { Locale, Writing } from '../formulas/types';
import { PROFILES } from '../profiles';
import type { Exercise, Localized, NumericQuestion } from './exercise';
import type { FeedbackMessage, FeedbackPart, MistakeNamed } from './feedback-message';
import { parseAsk } from './question';
import type { Tolerance } from './tolerance';
import { goOnWithout } from './unexpected';

const FORMULA_DIGITS = 4;

/** The hint of an answer right at the fewer digits it was written with: how many to give. */
function precisionHint(tolerance: Tolerance | undefined): FeedbackPart {
	if (tolerance && 'decimals' in tolerance) return { code: 'give_decimals', decimals: tolerance.decimals };
	if (tolerance && 'sig' in tolerance) return { code: 'give_significant', digits: tolerance.sig };
	return { code: 'give_more_digits' };
}

/** Cells 1-based as on paper: (1, 2) for row 1, column 2; the axes of size 1 are left out. */
function paperCells(cells: readonly number[][], shape: readonly number[]): number[][] {
	const kept = shape.map((d, axis) => (d === 1 ? -1 : axis)).filter((axis) => axis >= 0);
	return cells.map((cell) => (kept.length > 0 ? kept.map((axis) => cell[axis] + 1) : cell.map((i) => i + 1)));
}

/** A verdict, with the precision hint and the expected value (when the key is shown). */
export function verdictMessage(
	verdict: 'right' | 'partial' | 'wrong',
	details: { precision?: boolean; digits?: Tolerance; expected?: NestedNumbers; wrong?: number[][]; shape?: number[] } = {}
): FeedbackMessage {
	if (verdict === 'right') return [{ code: 'right' }];
	const head: FeedbackPart = verdict === 'partial' ? { code: 'partly_right', cells: details.wrong && details.shape ? paperCells(details.wrong, details.shape) : [] } : { code: 'wrong' };
	return [head, ...(details.precision ? [precisionHint(details.digits)] : []), ...(details.expected !== undefined ? [{ code: 'expected_value' as const, value: details.expected }] : [])];
}

/** A mistake of the catalogue as a message names it. */
export const mistakeNamed = (mistake: { code: string; title: Localized; explanation: Localized }): MistakeNamed => ({ code: mistake.code, title: mistake.title, explanation: mistake.explanation });

/**
 * How an exercise writes its symbols: its course's profile (notation, learning rate, cost, bias,
 * the number of the input layer; an exercise's notation is its course's, check.ts sees to it);
 * without a course, the notation alone, as before profiles.
 */
export const writingOf = (exercise: Pick<Exercise, 'course' | 'notation'>): Writing => (exercise.course ? PROFILES[exercise.course] : plainWriting(exercise.notation));

/** The symbol of a whole quantity: W^{[1]}, δ^{[2]}, ∂J/∂W^{[1]}, J, e; the name itself for another text. */
function tensorSymbol(name: string, writing: Writing): string {
	return quantitySymbol(name, writing) ?? name;
}

/**
 * The TeX symbol of a question's quantity, or of one cell of it (`cell` is indexed in the
 * question's value, after the indices the question itself gives).
 */
export function symbolOf(trace: Trace, writing: Writing, q: NumericQuestion, cell: readonly number[] = []): string {
	// a size and a count are facts of the model: dim a^{[l]}, P (or P_l for one layer)
	if (q.ask === 'output_size') return `\\dim ${symbolsFor(writing).tensor('a', q.layer ?? 0)}`;
	if (q.ask === 'param_count') return q.layer === undefined ? 'P' : `P_{${q.layer}}`;
	const parsed = parseAsk(q.ask);
	if (!parsed) return q.ask;
	const event = findEvent(trace, q.step ?? 1, parsed.name);
	const index = [...parsed.index, ...cell];
	if (!event || index.length !== event.value.shape.length) return tensorSymbol(parsed.name, writing);
	try {
		return explain(trace, event.seq, { profile: writing, digits: FORMULA_DIGITS, locale: 'en' }).element(index)?.lhs ?? tensorSymbol(parsed.name, writing);
	} catch (error) {
		goOnWithout(`the symbol of ${event.name}`, error);
		return tensorSymbol(parsed.name, writing);
	}
}

/**
 * The formula of one cell with its numbers, in both languages; null when the formulas have none.
 * `asName` reads another event of the same shape at that cell (a mistake's `sameAs`).
 */
export function explainCell(trace: Trace, writing: Writing, q: NumericQuestion, cell: readonly number[], asName?: (name: string) => string): { fr: CellText; en: CellText } | null {
	const parsed = parseAsk(q.ask);
	const event = parsed && findEvent(trace, q.step ?? 1, asName ? asName(parsed.name) : parsed.name);
	if (!parsed || !event) return null;
	const index = [...parsed.index, ...cell];
	if (index.length !== event.value.shape.length) return null;
	try {
		const write = (locale: Locale): CellText | null => {
			const element = explain(trace, event.seq, { profile: writing, digits: FORMULA_DIGITS, locale }).element(index);
			return element ? { index, symbolic: element.symbolic, substituted: element.substituted } : null;
		};
		const fr = write('fr');
		const en = write('en');
		return fr && en ? { fr, en } : null;
	} catch (error) {
		goOnWithout(`the formula of ${event.name}`, error);
		return null;
	}
}

export interface CellText {
	index: number[];
	symbolic: string;
	substituted: string;
}
