/**
 * What the grader says, in French and English: verdicts, the pointer to the first wrong value,
 * and the formula of a cell with its numbers, taken from the replay's formula module so that the
 * feedback and the replay always show the same equation. TeX sits between `$…$`.
 */
import type { NestedNumbers } from '../engine/tensor';
import { findEvent, type Trace } from '../engine/trace';
import { formatNumber } from '../format/number';
import { explain } from '../formulas/explain';
import { plainWriting, quantitySymbol, symbolsFor } from '../formulas/notation';
import type { Locale, Writing } from '../formulas/types';
import { PROFILES } from '../profiles';
import type { Exercise, Localized, NumericQuestion } from './exercise';
import { parseAsk } from './question';
import type { Tolerance } from './tolerance';

const FORMULA_DIGITS = 4;

/** The expected value in words, for a message (numbers to 6 significant digits). */
export function describeExpected(value: NestedNumbers): Localized {
	// a batch of one sample reads as its row: [[0.25, 0.18]] → [0.25, 0.18]
	while (Array.isArray(value) && value.length === 1 && Array.isArray(value[0])) value = value[0];
	const write = (v: NestedNumbers, locale: Locale): string =>
		typeof v === 'number' ? formatNumber(v, 6, locale) : `[${v.map((item) => write(item, locale)).join(locale === 'fr' ? ' ; ' : ', ')}]`;
	return { fr: write(value, 'fr'), en: write(value, 'en') };
}

function precisionHint(tolerance: Tolerance | undefined): Localized {
	if (tolerance && 'decimals' in tolerance) return { fr: ` Donnez ${tolerance.decimals} décimales.`, en: ` Give ${tolerance.decimals} decimals.` };
	if (tolerance && 'sig' in tolerance) return { fr: ` Donnez ${tolerance.sig} chiffres significatifs.`, en: ` Give ${tolerance.sig} significant digits.` };
	return { fr: ' Donnez plus de chiffres.', en: ' Give more digits.' };
}

/** Cells 1-based as on paper: (1, 2) for row 1, column 2; the axes of size 1 are left out. */
function cellsText(cells: readonly number[][], shape: readonly number[]): string {
	const kept = shape.map((d, axis) => (d === 1 ? -1 : axis)).filter((axis) => axis >= 0);
	const label = (cell: readonly number[]): string => {
		const index = kept.length > 0 ? kept.map((axis) => cell[axis] + 1) : cell.map((i) => i + 1);
		return index.length === 1 ? String(index[0]) : `(${index.join(', ')})`;
	};
	return cells.map(label).join(', ');
}

export function verdictText(
	verdict: 'right' | 'partial' | 'wrong',
	details: { precision?: boolean; digits?: Tolerance; expected?: Localized; wrong?: number[][]; shape?: number[] } = {}
): Localized {
	if (verdict === 'right') return { fr: 'Juste.', en: 'Right.' };
	const cells = details.wrong && details.shape ? cellsText(details.wrong, details.shape) : '';
	const head: Localized =
		verdict === 'partial'
			? { fr: `En partie juste : faux en ${cells}.`, en: `Partly right: wrong at ${cells}.` }
			: { fr: 'Faux.', en: 'Wrong.' };
	const precision = details.precision ? precisionHint(details.digits) : { fr: '', en: '' };
	const expected = details.expected ? { fr: ` Attendu : ${details.expected.fr}.`, en: ` Expected: ${details.expected.en}.` } : { fr: '', en: '' };
	return { fr: `${head.fr}${precision.fr}${expected.fr}`, en: `${head.en}${precision.en}${expected.en}` };
}

/** "Your a^{[1]}_2 is off; your δ^{[1]}_2 is right given it." */
/** A title inside a sentence: its first letter in lower case, its formulas ($W$, $\\eta$) as they are. */
const lowerFirst = (title: string, language: 'fr' | 'en'): string => title.charAt(0).toLocaleLowerCase(language) + title.slice(1);

export function pointerText(wrongSymbol: string, thisSymbol: string, earnsMarks: boolean, fully: boolean, mistake?: Localized): Localized {
	const marks = earnsMarks ? { fr: ' Les points sont accordés.', en: ' The marks are given.' } : { fr: ' Pas de points pour autant.', en: ' No marks for it, though.' };
	const given = fully
		? { fr: `votre $${thisSymbol}$ est juste compte tenu de cette valeur.`, en: `your $${thisSymbol}$ is right given it.` }
		: { fr: `votre $${thisSymbol}$ est en partie juste compte tenu de cette valeur.`, en: `your $${thisSymbol}$ is partly right given it.` };
	const named = mistake ? { fr: ` (${lowerFirst(mistake.fr, 'fr')})`, en: ` (${lowerFirst(mistake.en, 'en')})` } : { fr: '', en: '' };
	return { fr: `Votre $${wrongSymbol}$ est faux${named.fr} ; ${given.fr}${marks.fr}`, en: `Your $${wrongSymbol}$ is off${named.en}; ${given.en}${marks.en}` };
}

/** A named mistake made again on the student's own wrong earlier value (their `wrongSymbol`). */
export function repeatedText(mistake: { title: Localized; explanation: Localized }, wrongSymbol: string): Localized {
	return {
		fr: `${mistake.title.fr} — de nouveau, sur votre propre $${wrongSymbol}$. ${mistake.explanation.fr}`,
		en: `${mistake.title.en} — again, on your own $${wrongSymbol}$. ${mistake.explanation.en}`
	};
}

/** Mistakes that each give the answer's value: which one the student made, no answer can tell. */
export function alternativesText(mistakes: readonly { title: Localized }[]): Localized {
	const titles = (language: 'fr' | 'en'): string => mistakes.map((m) => lowerFirst(m.title[language], language)).join(language === 'fr' ? ', ou ' : ', or ');
	return { fr: `Plusieurs erreurs donnent cette valeur : ${titles('fr')}.`, en: `Several mistakes give this value: ${titles('en')}.` };
}

/** A named mistake: its title, then what the course computes instead. */
export function diagnosisText(mistake: { title: Localized; explanation: Localized }): Localized {
	return { fr: `${mistake.title.fr}. ${mistake.explanation.fr}`, en: `${mistake.title.en}. ${mistake.explanation.en}` };
}

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
	} catch {
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
	} catch {
		return null;
	}
}

export interface CellText {
	index: number[];
	symbolic: string;
	substituted: string;
}
