import type { Notation } from '$lib/formulas';

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
	notation: Notation | null;
	digits: number;
}

export const DEFAULT_STATE: ReplayState = { lesson: null, scenario: null, seq: 0, index: null, notation: null, digits: 4 };

interface Field<K extends keyof ReplayState> {
	key: K;
	param: string;
	parse(text: string): ReplayState[K] | undefined;
	format(value: ReplayState[K]): string | null;
}

const NOTATIONS: readonly Notation[] = ['bracket', 'paren', 'layer'];

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
		parse: (t) => (/^\d{1,6}(\.\d{1,6}){0,4}$/.test(t) ? t.split('.').map(Number) : undefined),
		format: (v) => (v ? v.join('.') : null)
	},
	{ key: 'notation', param: 'notation', parse: (t) => NOTATIONS.find((n) => n === t), format: (v) => v },
	{ key: 'digits', param: 'digits', parse: (t) => { const d = whole(t, 15); return d && d >= 1 ? d : undefined; }, format: (v) => (v === DEFAULT_STATE.digits ? null : String(v)) }
] satisfies [Field<'lesson'>, Field<'scenario'>, Field<'seq'>, Field<'index'>, Field<'notation'>, Field<'digits'>];

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
