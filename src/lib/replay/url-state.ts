import type { Notation } from '$lib/formulas';
import { isProfileId, type ProfileId } from '$lib/profiles';
import { exerciseReturn, FROM_PARAM } from './back-link';

/**
 * Where the reader is, as URL query parameters, so that "look at this step" is a link. One table
 * lists every parameter once; parsing and formatting both walk it.
 */
export interface ReplayState {
	/** a lesson of the library */
	lesson: string | null;
	/** a pasted scenario, compressed (see share.ts) */
	scenario: string | null;
	/** the current event */
	seq: number;
	/** the selected element of its tensor, 0-based */
	index: number[] | null;
	/** elements of the current event's tensor to light (a student's wrong entries), 0-based */
	lit: number[][] | null;
	/** a mistake of the catalogue to run beside the right run, by its code */
	mistake: string | null;
	/** the course whose words the replay uses (profiles.ts); a lesson's own course when absent */
	profile: ProfileId | null;
	/** a bare notation, from links made before profiles (the neutral profile, written in it) */
	notation: Notation | null;
	digits: number;
	/** the exercise page an exercise's "Show me this step" came from, to go back to (back-link.ts) */
	from: string | null;
}

export const DEFAULT_STATE: ReplayState = { lesson: null, scenario: null, seq: 0, index: null, lit: null, mistake: null, profile: null, notation: null, digits: 4, from: null };

interface Field<K extends keyof ReplayState> {
	key: K;
	param: string;
	parse(text: string): ReplayState[K] | undefined;
	format(value: ReplayState[K]): string | null;
}

const NOTATIONS: readonly Notation[] = ['bracket', 'paren', 'layer'];

/** An element index as the URL writes it: 0.1.2 (at most 5 axes, each below a million). */
const INDEX = /^\d{1,6}(\.\d{1,6}){0,4}$/;
/** No question asks more entries than a 20 × 20 matrix. */
export const MAX_LIT = 400;

/**
 * `0.0_0.1`: indices of one rank, at most MAX_LIT of them, each once; anything else is refused
 * whole. `_` joins them as a query string writes it as is (a comma would become %2C).
 */
function parseLit(text: string): number[][] | undefined {
	if (text.length > MAX_LIT * 36) return undefined;
	const parts = text.split('_');
	if (parts.length > MAX_LIT || !parts.every((p) => INDEX.test(p)) || new Set(parts).size !== parts.length) return undefined;
	const entries = parts.map((p) => p.split('.').map(Number));
	return entries.every((e) => e.length === entries[0].length) ? entries : undefined;
}

function whole(text: string, max: number): number | undefined {
	return /^\d{1,9}$/.test(text) && Number(text) <= max ? Number(text) : undefined;
}

const FIELDS = [
	{ key: 'lesson', param: 'lesson', parse: (t) => (/^[a-z0-9-]{1,64}$/.test(t) ? t : undefined), format: (v) => v },
	{ key: 'scenario', param: 's', parse: (t) => (/^[A-Za-z0-9_-]{1,100000}$/.test(t) ? t : undefined), format: (v) => v },
	{ key: 'seq', param: 'at', parse: (t) => whole(t, 1e9), format: (v) => (v === 0 ? null : String(v)) },
	{
		key: 'index',
		param: 'i',
		parse: (t) => (INDEX.test(t) ? t.split('.').map(Number) : undefined),
		format: (v) => (v ? v.join('.') : null)
	},
	{ key: 'lit', param: 'lit', parse: parseLit, format: (v) => (v && v.length > 0 ? v.map((e) => e.join('.')).join('_') : null) },
	{ key: 'mistake', param: 'mistake', parse: (t) => (/^[a-z0-9-]{1,64}$/.test(t) ? t : undefined), format: (v) => v },
	{ key: 'profile', param: 'profile', parse: (t) => (isProfileId(t) ? t : undefined), format: (v) => v },
	{ key: 'notation', param: 'notation', parse: (t) => NOTATIONS.find((n) => n === t), format: (v) => v },
	{ key: 'digits', param: 'digits', parse: (t) => { const d = whole(t, 15); return d && d >= 1 ? d : undefined; }, format: (v) => (v === DEFAULT_STATE.digits ? null : String(v)) },
	{ key: 'from', param: FROM_PARAM, parse: (t) => exerciseReturn(t) ?? undefined, format: (v) => v }
] satisfies [Field<'lesson'>, Field<'scenario'>, Field<'seq'>, Field<'index'>, Field<'lit'>, Field<'mistake'>, Field<'profile'>, Field<'notation'>, Field<'digits'>, Field<'from'>];

/** Reads the state from a query string; anything malformed falls back to its default. */
export function parseState(params: URLSearchParams): ReplayState {
	const state: ReplayState = { ...DEFAULT_STATE };
	for (const field of FIELDS) {
		const text = params.get(field.param);
		if (text === null) continue;
		const value = field.parse(text);
		if (value !== undefined) (state as unknown as Record<string, unknown>)[field.key] = value;
	}
	return state;
}

/** The query string for a state, without defaults, in the table's order. */
export function formatState(state: ReplayState): string {
	const params = new URLSearchParams();
	for (const field of FIELDS) {
		const text = (field.format as (v: unknown) => string | null)(state[field.key]);
		if (text !== null) params.set(field.param, text);
	}
	return params.toString();
}
