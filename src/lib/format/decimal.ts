/** Numbers typed by a person, in French or English: what the replay's settings read and write. */
import { withDecimalMark } from './number';

export type NumberInput =
	| { ok: true; value: number }
	| { ok: false; reason: 'empty' | 'syntax' | 'range'; message: string };

const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads a number typed in French or English: `0,5` and `0.5`, `-0,25`, ` 1e-3 ` (spaces around
 * and a typographic minus − are allowed). Refuses thousands separators, several commas, words,
 * `Infinity` and numbers too large for a float64 (`1e400`), with a message.
 */
export function parseDecimal(input: string): NumberInput {
	const s = input.trim().replace(/^\u2212/, '-');
	if (s === '') return { ok: false, reason: 'empty', message: 'type a number' };
	if (!DECIMAL.test(s)) {
		return { ok: false, reason: 'syntax', message: `${JSON.stringify(input.trim())} is not a number; write it as 0,5 or 0.5` };
	}
	const value = Number(s.replace(',', '.'));
	if (!Number.isFinite(value)) return { ok: false, reason: 'range', message: `${input.trim()} is too large for a number` };
	return { ok: true, value: Object.is(value, -0) ? 0 : value };
}

/** A number as a person types it in `locale`: 0,5 in French, 0.5 in English. */
export function formatDecimal(value: number, locale: 'fr' | 'en'): string {
	return withDecimalMark(String(value), locale);
}
