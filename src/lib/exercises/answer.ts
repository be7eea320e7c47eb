/**
 * Parsing what a student types as an answer (number, vector or matrix).
 *
 * "Invalid is not wrong": a failure here says what is wrong with the *input* and where
 * (`at`, a 0-based character offset into the original string); it is never a grade.
 *
 * Pure TS, no DOM, no eval, no mathjs: a hand-written lexer and recursive-descent evaluator
 * whose whole vocabulary is listed below, so nothing outside it can ever be reached.
 *
 * Rules (documented for students and authors):
 * - Numbers: `0.5`, `0,5`, `.5`, `5.933e-1`, `5,933e-1`; minus as `-`, `−` (U+2212) or `–`.
 * - Operators: `+ - * × · / ÷ ^` (`**` = `^`), parentheses, constants `e` and `pi`/`π`,
 *   functions `exp`, `log` = `ln` (natural log), `sqrt`, `tanh`, each of one argument in
 *   parentheses. Names are case-insensitive. No implicit multiplication (`2pi` is refused).
 *   `-2^2` = -4; `^` is right-associative.
 * - Anything else (other names, `=`, quotes, `{`, `:`…) → 'not-allowed', naming the token;
 *   `NaN`, `Infinity`, `∞`, or a result that is not finite (1/0, 1e400, 9^9^9) → 'not-finite'.
 * - Comma rule. `;` always separates entries. `.` is always a decimal point.
 *   When a number is expected, `,` is always a decimal comma.
 *   For a vector/matrix, `,` is a decimal comma if the input contains `;`, `|` or a line break;
 *   otherwise it separates entries if the input contains a `.` or any comma not squeezed
 *   between two digits (`[0.5, 0.25]`, `[1, 2]`, `[[1,2],[3,4]]`); otherwise (only `d,d`
 *   commas) it is a decimal comma (`0,5`), except inside a leading bracket/parenthesis,
 *   where `[1,2]` is ambiguous and refused ('syntax') asking for `[1.2]` or `[1; 2]`.
 * - Thousands separators: no-break / thin spaces (U+00A0, U+202F, U+2009) in groups of three
 *   (`1 234,5`) everywhere; a plain space only when a single number is expected, since spaces
 *   separate matrix entries.
 * - Vectors: `[a, b]`, `[a; b]`, `(a; b)`, `a; b`, or `a b` (spaces, no operators spaced out).
 * - Matrices: `[[a, b], [c, d]]`, or lines separated by line breaks or `|`, each line with
 *   entries separated by `;` (or `,` under the rule above) or by spaces, optionally bracketed.
 * - Coercion to the expected kind: a vector may be given as a one-row or one-column matrix;
 *   a number counts as a one-entry vector / 1×1 matrix; a vector counts as a one-row matrix.
 *   Whether the *length* is right is the checker's business, not the parser's.
 * - Bounds: 2,000 characters, 10,000 entries, nesting depth 50 → 'too-long'. Evaluation is
 *   done while parsing, one pass, so work is linear in the input.
 */

export type Expect = 'number' | 'vector' | 'matrix';
export type FailReason = 'empty' | 'syntax' | 'not-allowed' | 'shape' | 'too-long' | 'not-finite';
export type Message = { fr: string; en: string };
export type ParseFailure = { ok: false; reason: FailReason; message: Message; at?: number };
export type ParsedAnswer =
	| { ok: true; kind: 'number'; value: number }
	| { ok: true; kind: 'vector'; values: number[] }
	| { ok: true; kind: 'matrix'; rows: number[][] }
	| ParseFailure;

export const ANSWER_LIMITS = { maxLength: 2000, maxEntries: 10_000, maxDepth: 50 } as const;

/** Thrown internally and turned into a ParseFailure at the boundary. */
class Fail {
	constructor(
		readonly reason: FailReason,
		readonly message: Message,
		readonly at?: number
	) {}
}
const fail = (reason: FailReason, fr: string, en: string, at?: number): never => {
	throw new Fail(reason, { fr, en }, at);
};

type Op = '+' | '-' | '*' | '/' | '^';
type Tok =
	| { t: 'num'; v: number; at: number; sp: boolean }
	| { t: 'const'; v: number; name: string; at: number; sp: boolean }
	| { t: 'fn'; f: (x: number) => number; name: string; at: number; sp: boolean }
	| { t: 'op'; op: Op; at: number; sp: boolean }
	| { t: '(' | ')' | '[' | ']' | 'sep' | 'row' | 'end'; at: number; sp: boolean };

const CONSTS: Record<string, number> = { e: Math.E, pi: Math.PI, 'π': Math.PI };
const FUNCS: Record<string, (x: number) => number> = {
	exp: Math.exp,
	log: Math.log,
	ln: Math.log,
	sqrt: Math.sqrt,
	tanh: Math.tanh
};
const NOT_FINITE_NAMES = new Set(['nan', 'inf', 'infinity']);
const OPS: Record<string, Op> = {
	'+': '+',
	'-': '-',
	'\u2212': '-',
	'\u2013': '-',
	'*': '*',
	'×': '*',
	'·': '*',
	'\u22c5': '*',
	'/': '/',
	'÷': '/',
	'^': '^'
};
const SPACES = new Set([' ', '\t', '\r', '\u00a0', '\u202f', '\u2009']);
const THIN_SPACES = new Set(['\u00a0', '\u202f', '\u2009']);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Decide once per input what `,` means (see the comma rule above). */
function commaIsDecimal(input: string, expect: Expect): boolean {
	if (expect === 'number' || /[;|\n]/.test(input)) return true;
	if (input.includes('.')) return false;
	let first = -1;
	for (let i = 0; i < input.length; i++) {
		if (input[i] !== ',') continue;
		if (!isDigit(input[i - 1]) || !isDigit(input[i + 1])) return false;
		if (first < 0) first = i;
	}
	if (first >= 0 && /^\s*[[(]/.test(input)) {
		fail(
			'syntax',
			'Virgule ambiguë : écrivez 1.2 (un nombre) ou 1; 2 (deux coefficients).',
			'Ambiguous comma: write 1.2 (one number) or 1; 2 (two entries).',
			first
		);
	}
	return true;
}

function lex(input: string, expect: Expect): Tok[] {
	const decimalComma = commaIsDecimal(input, expect);
	const toks: Tok[] = [];
	let sp = false;
	let i = 0;
	const push = (tok: Tok): void => {
		toks.push(tok);
		sp = false;
	};
	while (i < input.length) {
		const c = input[i];
		if (SPACES.has(c)) {
			sp = true;
			i++;
		} else if (c === '\n' || c === '|') {
			// Blank lines collapse; leading row separators are dropped.
			const last = toks[toks.length - 1];
			if (last !== undefined && last.t !== 'row') push({ t: 'row', at: i, sp });
			i++;
		} else if (c === ';') {
			push({ t: 'sep', at: i, sp });
			i++;
		} else if (c === ',') {
			if (decimalComma) {
				fail(
					'syntax',
					'Virgule isolée : la virgule est ici un séparateur décimal (0,5) ; séparez les coefficients par « ; ».',
					'Stray comma: here the comma is a decimal separator (0,5); separate entries with ";".',
					i
				);
			}
			push({ t: 'sep', at: i, sp });
			i++;
		} else if (isDigit(c) || (c === '.' && isDigit(input[i + 1]))) {
			i = lexNumber(input, i, decimalComma, expect === 'number', sp, push);
		} else if (c === '*' && input[i + 1] === '*') {
			push({ t: 'op', op: '^', at: i, sp });
			i += 2;
		} else if (OPS[c] !== undefined) {
			push({ t: 'op', op: OPS[c], at: i, sp });
			i++;
		} else if (c === '(' || c === ')' || c === '[' || c === ']') {
			push({ t: c, at: i, sp });
			i++;
		} else if (/[A-Za-z_π]/.test(c)) {
			const m = /^[A-Za-z_π][A-Za-z_0-9π]*/.exec(input.slice(i, i + 64)) as RegExpExecArray;
			const word = m[0];
			const name = word.toLowerCase();
			if (CONSTS[name] !== undefined) push({ t: 'const', v: CONSTS[name], name, at: i, sp });
			else if (FUNCS[name] !== undefined) push({ t: 'fn', f: FUNCS[name], name, at: i, sp });
			else if (NOT_FINITE_NAMES.has(name)) {
				fail('not-finite', `« ${word} » : une valeur finie est attendue.`, `"${word}": a finite value is expected.`, i);
			} else {
				fail(
					'not-allowed',
					`« ${word} » n'est pas autorisé ; seuls e, pi, exp, log/ln, sqrt et tanh le sont.`,
					`"${word}" is not allowed; only e, pi, exp, log/ln, sqrt and tanh are.`,
					i
				);
			}
			i += word.length;
		} else if (c === '∞') {
			fail('not-finite', '« ∞ » : une valeur finie est attendue.', '"∞": a finite value is expected.', i);
		} else {
			const ch = String.fromCodePoint(input.codePointAt(i) ?? 0);
			fail('not-allowed', `Caractère « ${ch} » non autorisé.`, `Character "${ch}" is not allowed.`, i);
		}
	}
	while (toks.length > 0 && toks[toks.length - 1].t === 'row') toks.pop();
	toks.push({ t: 'end', at: input.length, sp });
	return toks;
}

/** Reads one numeric literal starting at `i`; returns the index after it. */
function lexNumber(
	input: string,
	start: number,
	decimalComma: boolean,
	plainSpaceGroups: boolean,
	sp: boolean,
	push: (tok: Tok) => void
): number {
	let i = start;
	let int = '';
	while (isDigit(input[i])) int += input[i++];
	// Thousands groups: "1 234 567" — only exact groups of three, so "12 34" stays two numbers.
	if (int.length >= 1 && int.length <= 3) {
		for (;;) {
			const s = input[i];
			const groupSep = THIN_SPACES.has(s) || (plainSpaceGroups && s === ' ');
			const g = input.slice(i + 1, i + 4);
			if (!groupSep || !/^\d{3}$/.test(g) || isDigit(input[i + 4])) break;
			int += g;
			i += 4;
		}
	}
	let frac = '';
	if (input[i] === '.' || (input[i] === ',' && decimalComma)) {
		if (!isDigit(input[i + 1])) {
			fail('syntax', 'Chiffre attendu après le séparateur décimal.', 'Digit expected after the decimal separator.', i);
		}
		i++;
		while (isDigit(input[i])) frac += input[i++];
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
	const v = Number(`${int || '0'}.${frac || '0'}${exp}`);
	if (!Number.isFinite(v)) {
		fail('not-finite', 'Nombre trop grand.', 'Number too large.', start);
	}
	push({ t: 'num', v, at: start, sp });
	return i;
}

const finite = (v: number, at: number): number => {
	if (!Number.isFinite(v)) {
		fail(
			'not-finite',
			'Le calcul ne donne pas un nombre fini (division par zéro, dépassement, log ou racine d’un négatif…).',
			'The computation does not give a finite number (division by zero, overflow, log or root of a negative…).',
			at
		);
	}
	return v;
};

type Raw = { kind: 'number'; value: number } | { kind: 'vector'; values: number[] } | { kind: 'matrix'; rows: number[][] };

class Parser {
	private pos = 0;
	private depth = 0;
	private parens = 0;
	/** True while reading a space-separated row: a space at paren level 0 ends an entry. */
	private spaceMode = false;
	private entries = 0;

	constructor(private readonly toks: Tok[]) {}

	private peek(): Tok {
		return this.toks[this.pos];
	}
	private next(): Tok {
		return this.toks[this.pos++];
	}
	private stopsHere(tok: Tok): boolean {
		return this.spaceMode && this.parens === 0 && tok.sp;
	}
	private count(at: number): void {
		if (++this.entries > ANSWER_LIMITS.maxEntries) {
			fail('too-long', 'Trop de coefficients.', 'Too many entries.', at);
		}
	}
	private expect(t: ')' | ']', at: number): void {
		const tok = this.next();
		if (tok.t !== t) {
			fail('syntax', `« ${t} » attendu.`, `"${t}" expected.`, tok.t === 'end' ? at : tok.at);
		}
	}

	parseTop(expectKind: Expect): Raw {
		if (this.peek().t === 'end') return fail('empty', 'Réponse vide.', 'Empty answer.');
		const hasRows = this.toks.some((t) => t.t === 'row');
		if (!hasRows && this.peek().t === '[') {
			const raw = this.parseList(']', true);
			this.atLineEnd();
			return raw;
		}
		const lines: number[][] = [];
		for (;;) {
			const lineAt = this.peek().at;
			const row = this.parseRow(expectKind !== 'number');
			if (lines.length > 0 && row.length !== lines[0].length) {
				fail(
					'shape',
					`La ligne ${lines.length + 1} a ${row.length} coefficient(s), la première en a ${lines[0].length}.`,
					`Row ${lines.length + 1} has ${row.length} entr${row.length === 1 ? 'y' : 'ies'}, the first has ${lines[0].length}.`,
					lineAt
				);
			}
			lines.push(row);
			if (this.next().t === 'end') break;
		}
		if (hasRows) return { kind: 'matrix', rows: lines };
		const only = lines[0];
		return only.length === 1 ? { kind: 'number', value: only[0] } : { kind: 'vector', values: only };
	}

	/** One line: bracketed `[a; b]` / `(a; b)`, or entries separated by `;`/`,` or by spaces. */
	private parseRow(spacesSeparate: boolean): number[] {
		const first = this.peek();
		if (first.t === '[' || (first.t === '(' && this.isParenList())) {
			const raw = this.parseList(first.t === '[' ? ']' : ')', false);
			this.atLineEnd();
			return raw.kind === 'vector' ? raw.values : raw.kind === 'number' ? [raw.value] : [];
		}
		this.spaceMode = spacesSeparate && !this.lineHasSep();
		const row: number[] = [];
		for (;;) {
			const tok = this.peek();
			if (tok.t === 'sep' || tok.t === 'row' || tok.t === 'end') {
				fail('syntax', 'Coefficient manquant.', 'Missing entry.', tok.at);
			}
			this.count(tok.at);
			row.push(this.parseExpr());
			const after = this.peek();
			if (after.t === 'row' || after.t === 'end') break;
			if (after.t === 'sep') this.next();
			else if (!this.stopsHere(after)) this.unexpected(after);
		}
		this.spaceMode = false;
		return row;
	}

	/** `[` items `]` or `(` items `)`; items are expressions, or `[...]` rows when nested. */
	private parseList(close: ']' | ')', nested: boolean): Raw {
		const open = this.next();
		if (this.peek().t === close) fail('empty', 'Liste vide.', 'Empty list.', open.at);
		const nums: number[] = [];
		const rows: number[][] = [];
		for (;;) {
			const tok = this.peek();
			if (nested && tok.t === '[') {
				const inner = this.parseList(']', false);
				rows.push(inner.kind === 'vector' ? inner.values : inner.kind === 'number' ? [inner.value] : []);
			} else {
				if (tok.t === 'sep' || tok.t === close) fail('syntax', 'Coefficient manquant.', 'Missing entry.', tok.at);
				this.count(tok.at);
				nums.push(this.parseExpr());
			}
			if (nums.length > 0 && rows.length > 0) {
				fail(
					'shape',
					'Mélange de nombres et de listes : écrivez un vecteur [a; b] ou une matrice [[a; b]; [c; d]].',
					'Numbers mixed with lists: write a vector [a, b] or a matrix [[a, b], [c, d]].',
					tok.at
				);
			}
			const sep = this.next();
			if (sep.t === close) break;
			if (sep.t !== 'sep') this.unexpected(sep);
		}
		if (rows.length === 0) return nums.length === 1 ? { kind: 'number', value: nums[0] } : { kind: 'vector', values: nums };
		const width = rows[0].length;
		const bad = rows.findIndex((r) => r.length !== width);
		if (bad >= 0) {
			fail(
				'shape',
				`La ligne ${bad + 1} a ${rows[bad].length} coefficient(s), la première en a ${width}.`,
				`Row ${bad + 1} has ${rows[bad].length} entries, the first has ${width}.`,
				open.at
			);
		}
		return { kind: 'matrix', rows };
	}

	private atLineEnd(): void {
		const tok = this.peek();
		if (tok.t !== 'row' && tok.t !== 'end') this.unexpected(tok);
	}

	private unexpected(tok: Tok): never {
		return fail(
			'syntax',
			tok.t === 'end' ? 'Fin inattendue.' : 'Symbole inattendu ici (opérateur ou séparateur manquant ?).',
			tok.t === 'end' ? 'Unexpected end.' : 'Unexpected symbol here (missing operator or separator?).',
			tok.at
		);
	}

	/** A `(` that closes at the end of the line with a separator inside is a list, not a group. */
	private isParenList(): boolean {
		let depth = 0;
		let sawSep = false;
		for (let i = this.pos; i < this.toks.length; i++) {
			const t = this.toks[i].t;
			if (t === '(' || t === '[') depth++;
			else if (t === ')' || t === ']') {
				depth--;
				if (depth === 0) {
					const after = this.toks[i + 1].t;
					return sawSep && (after === 'row' || after === 'end');
				}
			} else if (t === 'sep' && depth === 1) sawSep = true;
			else if (t === 'row' || t === 'end') return false;
		}
		return false;
	}

	private lineHasSep(): boolean {
		for (let i = this.pos; i < this.toks.length; i++) {
			const t = this.toks[i].t;
			if (t === 'sep') return true;
			if (t === 'row' || t === 'end') return false;
		}
		return false;
	}

	private parseExpr(): number {
		let left = this.parseTerm();
		for (;;) {
			const tok = this.peek();
			if (tok.t !== 'op' || (tok.op !== '+' && tok.op !== '-') || this.stopsHere(tok)) return left;
			this.next();
			const right = this.parseTerm();
			left = finite(tok.op === '+' ? left + right : left - right, tok.at);
		}
	}

	private parseTerm(): number {
		let left = this.parseUnary();
		for (;;) {
			const tok = this.peek();
			if (tok.t !== 'op' || (tok.op !== '*' && tok.op !== '/') || this.stopsHere(tok)) return left;
			this.next();
			const right = this.parseUnary();
			left = finite(tok.op === '*' ? left * right : left / right, tok.at);
		}
	}

	private parseUnary(): number {
		// The depth bound keeps hostile nesting ("((((…", "------1") far from the JS stack limit.
		if (++this.depth > ANSWER_LIMITS.maxDepth) {
			fail('too-long', 'Expression trop imbriquée.', 'Expression nested too deeply.', this.peek().at);
		}
		const tok = this.peek();
		let v: number;
		if (tok.t === 'op' && (tok.op === '-' || tok.op === '+')) {
			this.next();
			if (this.stopsHere(this.peek())) this.unexpected(this.peek());
			const operand = this.parseUnary();
			v = tok.op === '-' ? -operand : operand;
		} else {
			v = this.parsePower();
		}
		this.depth--;
		return v;
	}

	private parsePower(): number {
		const base = this.parsePrimary();
		const tok = this.peek();
		if (tok.t !== 'op' || tok.op !== '^' || this.stopsHere(tok)) return base;
		this.next();
		// Right-associative, and the exponent may carry a sign: 2^-1, 9^9^9.
		const exponent = this.parseUnary();
		return finite(Math.pow(base, exponent), tok.at);
	}

	private parsePrimary(): number {
		const tok = this.next();
		switch (tok.t) {
			case 'num':
			case 'const':
				return tok.v;
			case 'fn': {
				const open = this.next();
				if (open.t !== '(') {
					fail('syntax', `« ( » attendu après ${tok.name}.`, `"(" expected after ${tok.name}.`, open.at);
				}
				this.parens++;
				const arg = this.parseExpr();
				this.expect(')', open.at);
				this.parens--;
				return finite(tok.f(arg), tok.at);
			}
			case '(': {
				this.parens++;
				const v = this.parseExpr();
				this.expect(')', tok.at);
				this.parens--;
				return v;
			}
			case '[':
				return fail(
					'shape',
					'Une liste ne peut pas figurer dans un calcul ni être imbriquée si profondément.',
					'A list cannot appear inside a computation or be nested that deeply.',
					tok.at
				);
			default:
				return fail('syntax', 'Nombre ou expression attendu.', 'Number or expression expected.', tok.at);
		}
	}
}

function coerce(raw: Raw, expect: Expect): ParsedAnswer {
	const shapeFail = (fr: string, en: string): ParseFailure => ({ ok: false, reason: 'shape', message: { fr, en } });
	if (expect === 'number') {
		return raw.kind === 'number'
			? { ok: true, kind: 'number', value: raw.value }
			: shapeFail('Un seul nombre est attendu.', 'A single number is expected.');
	}
	if (expect === 'vector') {
		if (raw.kind === 'number') return { ok: true, kind: 'vector', values: [raw.value] };
		if (raw.kind === 'vector') return { ok: true, kind: 'vector', values: raw.values };
		if (raw.rows.length === 1) return { ok: true, kind: 'vector', values: raw.rows[0] };
		if (raw.rows.every((r) => r.length === 1)) return { ok: true, kind: 'vector', values: raw.rows.map((r) => r[0]) };
		return shapeFail('Un vecteur est attendu, pas une matrice.', 'A vector is expected, not a matrix.');
	}
	if (raw.kind === 'number') return { ok: true, kind: 'matrix', rows: [[raw.value]] };
	if (raw.kind === 'vector') return { ok: true, kind: 'matrix', rows: [raw.values] };
	return { ok: true, kind: 'matrix', rows: raw.rows };
}

export function parseAnswer(input: string, expect: Expect): ParsedAnswer {
	// Bound the input before any work, so a 100 kB paste costs nothing.
	if (input.length > ANSWER_LIMITS.maxLength) {
		return {
			ok: false,
			reason: 'too-long',
			message: {
				fr: `Réponse trop longue (plus de ${ANSWER_LIMITS.maxLength} caractères).`,
				en: `Answer too long (more than ${ANSWER_LIMITS.maxLength} characters).`
			},
			at: ANSWER_LIMITS.maxLength
		};
	}
	try {
		const toks = lex(input, expect);
		return coerce(new Parser(toks).parseTop(expect), expect);
	} catch (e) {
		if (e instanceof Fail) {
			return e.at === undefined
				? { ok: false, reason: e.reason, message: e.message }
				: { ok: false, reason: e.reason, message: e.message, at: e.at };
		}
		// Safety net only: the depth and length bounds should make this unreachable.
		if (e instanceof RangeError) {
			return { ok: false, reason: 'too-long', message: { fr: 'Expression trop complexe.', en: 'Expression too complex.' } };
		}
		throw e;
	}
}
