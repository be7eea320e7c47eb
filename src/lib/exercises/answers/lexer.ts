/**
 * The lexer of the answer parser: the comma rule, number literals (decimal commas, thousands
 * separators), names and operators. The rules themselves are documented in `../answer.ts`.
 */
import { fail, quote, type Expect } from './types';

export type Op = '+' | '-' | '*' | '/' | '^';
type Span = { at: number; end: number; sp: boolean };
export type Tok = Span &
	(
		| { t: 'num'; lit: string }
		| { t: 'const'; name: string }
		| { t: 'fn'; name: string }
		| { t: 'op'; op: Op }
		| { t: '(' | ')' | '[' | ']' | 'sep' | 'row' | 'end' }
	);

/** Names a student may type (case-insensitive for Latin letters) → canonical mathjs name. */
const NAMES = new Map<string, { t: 'const' | 'fn'; name: string }>([
	['e', { t: 'const', name: 'e' }],
	['pi', { t: 'const', name: 'pi' }],
	['π', { t: 'const', name: 'pi' }],
	['exp', { t: 'fn', name: 'exp' }],
	['log', { t: 'fn', name: 'log' }],
	['ln', { t: 'fn', name: 'log' }],
	['sqrt', { t: 'fn', name: 'sqrt' }],
	['tanh', { t: 'fn', name: 'tanh' }],
	['sigmoid', { t: 'fn', name: 'sigmoid' }],
	['σ', { t: 'fn', name: 'sigmoid' }],
	['relu', { t: 'fn', name: 'relu' }]
]);
const NOT_FINITE_NAMES = new Set(['nan', 'inf', 'infinity']);
const OPS = new Map<string, Op>([
	['+', '+'],
	['-', '-'],
	['\u2212', '-'],
	['\u2013', '-'],
	['*', '*'],
	['×', '*'],
	['·', '*'],
	['\u22c5', '*'],
	['\u2217', '*'],
	['/', '/'],
	['÷', '/'],
	['^', '^']
]);
const SPACES = new Set([' ', '\t', '\r', '\u00a0', '\u202f', '\u2009', '\u2007']);
/** No-break, narrow no-break, thin and figure spaces: always thousands separators. */
const THIN_SPACES = new Set(['\u00a0', '\u202f', '\u2009', '\u2007']);
const WORD = /^[\p{L}_][\p{L}\p{N}_]*/u;

export const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Decide once per input whether `,` is decimal/thousands (true) or separates entries (false);
 * see the comma rule in `../answer.ts`.
 */
function commaIsDecimal(input: string, expect: Expect): boolean {
	if (expect === 'number' || input.includes('\t')) return true;
	let first = -1;
	let loose = false;
	for (let i = 0; i < input.length; i++) {
		if (input[i] !== ',') continue;
		if (!isDigit(input[i - 1]) || !isDigit(input[i + 1])) loose = true;
		else if (first < 0) first = i;
	}
	if (/[;|\n]/.test(input)) return !loose;
	if (loose || input.includes('.')) return false;
	// [[1,2],[3,4]]: lists of lists are written with separating commas
	if (/^\s*\[\s*\[/.test(input)) return false;
	if (first >= 0 && /^\s*[[(]/.test(input)) {
		fail({ code: 'ambiguous_comma', text: quote(input.trim()) }, first);
	}
	return true;
}

/** True when only spaces/tabs remain before the end of the line (a trailing spreadsheet tab). */
function restOfLineBlank(input: string, i: number): boolean {
	for (let j = i; j < input.length; j++) {
		if (input[j] === '\n') return true;
		if (!SPACES.has(input[j])) return false;
	}
	return true;
}

export function lex(input: string, expect: Expect): Tok[] {
	const decimalComma = commaIsDecimal(input, expect);
	const tabCells = input.includes('\t');
	// When commas separate entries, `;` separates rows, as in [0.1, 0.2; 0.3, 0.4].
	const semicolonRows = !decimalComma;
	const toks: Tok[] = [];
	/** For each open parenthesis, the function it belongs to (to explain `sigmoid(1, 2)`). */
	const parens: (string | null)[] = [];
	let sp = false;
	let i = 0;
	const push = (tok: Tok): void => {
		toks.push(tok);
		sp = false;
	};
	while (i < input.length) {
		const c = input[i];
		if (c === '\t' && tabCells && !restOfLineBlank(input, i)) {
			push({ t: 'sep', at: i, end: i + 1, sp });
			i++;
		} else if (SPACES.has(c)) {
			sp = true;
			i++;
		} else if (c === '\n' || c === '|') {
			// Blank lines collapse; leading row separators are dropped.
			const last = toks[toks.length - 1];
			if (last !== undefined && last.t !== 'row') push({ t: 'row', at: i, end: i + 1, sp });
			i++;
		} else if (c === ';') {
			push({ t: semicolonRows ? 'row' : 'sep', at: i, end: i + 1, sp });
			i++;
		} else if (c === ',') {
			if (decimalComma) {
				const fn = parens[parens.length - 1];
				if (fn) {
					fail({ code: 'single_argument', name: fn }, i);
				}
				fail({ code: 'stray_comma' }, i);
			}
			push({ t: 'sep', at: i, end: i + 1, sp });
			i++;
		} else if (isDigit(c) || (c === '.' && isDigit(input[i + 1]))) {
			const n = lexNumber(input, i, decimalComma, expect === 'number' || tabCells);
			push({ t: 'num', lit: n.lit, at: i, end: n.end, sp });
			i = n.end;
		} else if (c === '*' && input[i + 1] === '*') {
			push({ t: 'op', op: '^', at: i, end: i + 2, sp });
			i += 2;
		} else if (OPS.has(c)) {
			push({ t: 'op', op: OPS.get(c) as Op, at: i, end: i + 1, sp });
			i++;
		} else if (c === '(' || c === ')' || c === '[' || c === ']') {
			if (c === '(') {
				const last = toks[toks.length - 1];
				parens.push(last !== undefined && last.t === 'fn' ? input.slice(last.at, last.end) : null);
			} else if (c === ')') parens.pop();
			push({ t: c, at: i, end: i + 1, sp });
			i++;
		} else if (WORD.test(input.slice(i, i + 2))) {
			const word = (WORD.exec(input.slice(i, i + 64)) as RegExpExecArray)[0];
			const known = NAMES.get(/^[A-Za-z]/.test(word) ? word.toLowerCase() : word);
			if (known !== undefined) push({ ...known, at: i, end: i + word.length, sp });
			else if (NOT_FINITE_NAMES.has(word.toLowerCase())) {
				fail({ code: 'not_finite_name', text: word }, i);
			} else {
				fail({ code: 'name_not_allowed', text: quote(word) }, i);
			}
			i += word.length;
		} else if (c === '∞') {
			fail({ code: 'not_finite_name', text: '∞' }, i);
		} else {
			const ch = String.fromCodePoint(input.codePointAt(i) ?? 0);
			fail({ code: 'character_not_allowed', character: ch }, i);
		}
	}
	while (toks.length > 0 && toks[toks.length - 1].t === 'row') toks.pop();
	toks.push({ t: 'end', at: input.length, end: input.length, sp });
	return toks;
}

/**
 * Reads one numeric literal starting at `start`.
 * Digits, then optional thousands groups (spaces), then `.`/`,`-separated digit groups
 * (`,` only when the comma is not an entry separator), then an optional exponent.
 */
function lexNumber(
	input: string,
	start: number,
	decimalComma: boolean,
	plainSpaceGroups: boolean
): { lit: string; end: number } {
	let i = start;
	let int = '';
	while (isDigit(input[i])) int += input[i++];
	// Thousands groups "1 234 567": only exact groups of three, so "12 34" stays two numbers.
	let spaceGroups = false;
	if (int.length >= 1 && int.length <= 3) {
		for (;;) {
			const s = input[i];
			const groupSep = THIN_SPACES.has(s) || (plainSpaceGroups && s === ' ');
			const g = input.slice(i + 1, i + 4);
			if (!groupSep || !/^\d{3}$/.test(g) || isDigit(input[i + 4])) break;
			int += g;
			i += 4;
			spaceGroups = true;
		}
	}
	const isSep = (c: string | undefined): boolean => c === '.' || (c === ',' && decimalComma);
	const groups = [int];
	const seps: string[] = [];
	while (isSep(input[i]) && isDigit(input[i + 1])) {
		seps.push(input[i++]);
		let g = '';
		while (isDigit(input[i])) g += input[i++];
		groups.push(g);
	}
	if (seps.length === 0 && input[i] === '.') {
		fail({ code: 'digit_after_decimal', text: input.slice(start, i + 1) }, i);
	}
	let intPart = groups[0];
	let frac = '';
	if (seps.length === 1) frac = groups[1];
	else if (seps.length > 1) {
		// Thousands then (optionally) decimal: 1,234,567 · 1.234.567 · 1,234.5 · 1.234,5.
		const k = seps.findIndex((s) => s !== seps[0]);
		const thousands = k < 0 ? seps.length : k;
		const ok =
			!spaceGroups &&
			/^\d{1,3}$/.test(groups[0]) &&
			(k < 0 || k === seps.length - 1) &&
			groups.slice(1, thousands + 1).every((g) => g.length === 3);
		if (!ok) {
			fail({ code: 'thousands_grouping', text: quote(input.slice(start, i)) }, start);
		}
		intPart = groups.slice(0, thousands + 1).join('');
		frac = k < 0 ? '' : groups[groups.length - 1];
	}
	let exp = '';
	if (input[i] === 'e' || input[i] === 'E') {
		const sign = input[i + 1];
		const hasSign = sign === '+' || sign === '-' || sign === '\u2212';
		if (isDigit(input[i + (hasSign ? 2 : 1)])) {
			exp = 'e' + (hasSign && sign !== '+' ? '-' : '');
			i += hasSign ? 2 : 1;
			while (isDigit(input[i])) exp += input[i++];
		}
	}
	// The literal as mathjs will read it: decimal point, no thousands separators.
	const lit = `${intPart || '0'}${frac ? `.${frac}` : ''}${exp}`;
	const v = Number(lit);
	if (!Number.isFinite(v)) {
		fail({ code: 'number_too_large', text: quote(input.slice(start, i)) }, start);
	}
	return { lit, end: i };
}
