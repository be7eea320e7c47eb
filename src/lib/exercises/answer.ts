/**
 * Parsing what a student types as an answer (number, vector or matrix).
 *
 * "Invalid is not wrong": a failure here says what is wrong with the *input*, quotes the part
 * that could not be read and says where it is (`at`, a 0-based offset into the original
 * string), as a code with its parameters (`Unreadable`) that feedback-text.ts words in the
 * reader's language; it is never a grade. Whether a value is right, or a vector
 * has the right length, is the checker's business.
 *
 * Rules (for students and exercise authors):
 * - Numbers: `0.5933`, `0,5933`, `.5933`, `+0,5`, `5.933e-1`, `5,933E-1`, `3/4`; minus as
 *   `-`, `−` (U+2212) or `–`. Spaces around numbers and operators are ignored.
 * - Thousands separators. A no-break, narrow no-break, thin or figure space between groups of
 *   three digits always groups thousands (`1 234,5`, `1 234 567`); a plain space does so only
 *   where spaces cannot separate entries: when a single number is expected, or in a
 *   spreadsheet paste (input with tabs). `.` and `,` group thousands only when that is the one
 *   possible reading: a number with several separators, all but the last being the same
 *   character each followed by exactly three digits (first group of 1 to 3 digits), the last
 *   one, if it is the other character, being the decimal separator: `1,234.5`, `1.234,5`,
 *   `1,234,567`, `1.234.567,89` (but `1,23.4`, `1.234.5` are refused). A single separator is
 *   always decimal: `1,234` is 1.234, as `0,5` is 0.5 (the UI accepts both decimal marks).
 * - Comma rule (decided once per input). `.` never separates entries. A comma separates
 *   entries ("list comma") only when a vector/matrix is expected, the input has no tab, and:
 *   if the input contains `;`, `|` or a line break, some comma is not squeezed between two
 *   digits (`0.1, 0.2; 0.3, 0.4`, `1, 2\n3, 4`); otherwise, the input contains a `.` or a
 *   comma not squeezed between two digits (`[0.5, 0.25]`, `[1, 2]`, `[[1,2],[3,4]]`). Any
 *   other comma is decimal or thousands (`0,5; 0,25`, `0,5`, `1,5\t2`), except that in a
 *   one-line input starting with a bracket/parenthesis `[1,2]` is ambiguous and refused
 *   ('syntax') asking for `[1.2]` or `[1; 2]`. Where commas separate entries, a comma is
 *   never part of a number (write `1234.5` or `1 234.5` with a no-break space).
 * - `;` separates entries (`0,5; 0,25`), or rows when commas separate entries
 *   (`[0.1, 0.2; 0.3, 0.4]`). A line break or `|` always separates rows; a tab separates
 *   cells.
 * - Expressions: `+ - * × · / ÷ ^` (`**` = `^`), parentheses, constants `e` and `pi`/`π`,
 *   functions `exp`, `log` = `ln` (natural log, as in the courses), `sqrt`, `tanh`,
 *   `sigmoid` = `σ`, `relu`, each of exactly one argument in parentheses. Latin names are
 *   case-insensitive. No implicit multiplication (`2pi` is refused). `-2^2` = -4; `^` is
 *   right-associative. Examples: `1/(1+exp(-0.45))`, `σ(0,45)`, `relu(-2)`.
 * - Anything else (other names, `=`, quotes, `{`, `%`, units like `5 cm`…) → 'not-allowed',
 *   quoting the token; `NaN`, `Infinity`, `∞`, or a result that is not a finite real number
 *   (1/0, 1e999999, 9^9^9, log(0), log(-1) and sqrt(-1) which are complex) → 'not-finite'.
 * - Vectors: `[a, b]`, `[a; b]`, `(a; b)`, `a; b`, `a b` (spaces, no operator spaced out), or
 *   one entry per line.
 * - Matrices: `[[a, b], [c, d]]`, or lines separated by line breaks (`\n` or `\r\n`) or `|`,
 *   each line with entries separated by `;` (or `,` under the rule above) or by spaces,
 *   optionally bracketed. Spreadsheet cells paste as they come: tabs between cells, line
 *   breaks between rows, decimal commas, a trailing line break or trailing tab is fine.
 * - Coercion to the expected kind: a vector may be given as a one-row or one-column matrix;
 *   a number counts as a one-entry vector / 1×1 matrix; a vector counts as a one-row matrix.
 * - Bounds, checked before anything else reads the text: 2,000 characters, 10,000 entries,
 *   nesting depth 50 (parentheses, signs, powers) → 'too-long'. So a 100 kB paste or 10,000
 *   nested parentheses is refused at once, never by a stack overflow.
 *
 * How it works, and why mathjs. A hand-written lexer and recursive-descent parser (here and in
 * `answers/lexer.ts`) read the structure: brackets, rows, separators, the comma rule, number
 * literals with decimal commas and thousands separators, and refuse every unknown name or
 * character with a precise message. Each entry becomes a small tree, written back in a
 * normalised form (decimal point, ASCII operators, canonical names such as `log`, `sigmoid`,
 * `pi`) and evaluated by a restricted mathjs instance (`answers/expression.ts`), as the issue
 * asks: mathjs gives well-tested arithmetic and elementary functions rather than a second
 * home-made evaluator, and reports `log(-1)` or `sqrt(-1)` as complex, which is detected and
 * refused. The instance is built with
 * `create()` from the needed factories only (not the full default bundle), its `import`,
 * `createUnit`, `evaluate`, `parse`, `simplify`, `derivative`, `compile`… are disabled, the
 * parsed tree is checked against a node whitelist before anything is evaluated, and every
 * intermediate result must be a finite real number, so failures point at the operator or
 * function that overflowed.
 */

import { evaluateExpression } from './answers/expression';
import { lex, type Op, type Tok } from './answers/lexer';
import { Fail, fail, quote, UNREADABLE_REASONS, type Expect, type FailReason, type Unreadable } from './answers/types';

export type { Expect, FailReason, Unreadable, UnreadableCode } from './answers/types';
export type ParseFailure = { ok: false; reason: FailReason; why: Unreadable; at?: number };
export type ParsedAnswer =
	| { ok: true; kind: 'number'; value: number }
	| { ok: true; kind: 'vector'; values: number[] }
	| { ok: true; kind: 'matrix'; rows: number[][] }
	| ParseFailure;

export const ANSWER_LIMITS = { maxLength: 2000, maxEntries: 10_000, maxDepth: 50 } as const;

/** One entry as parsed: `at` is the operator / function / literal, `from`–`to` its source. */
type Ast = { at: number; from: number; to: number } & (
	| { k: 'num'; lit: string }
	| { k: 'const'; name: string }
	| { k: 'unary'; op: '+' | '-'; arg: Ast }
	| { k: 'bin'; op: Op; l: Ast; r: Ast }
	| { k: 'call'; name: string; arg: Ast }
);

const PREC: Record<Op, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '^': 4 };
const prec = (a: Ast): number => (a.k === 'bin' ? PREC[a.op] : a.k === 'unary' ? 3 : 5);
const wrap = (s: string, yes: boolean): string => (yes ? `(${s})` : s);

/**
 * Writes an entry for mathjs with as few parentheses as keep its tree identical to ours (same
 * precedence and associativity), so the nesting mathjs sees is never deeper than the input's,
 * and no spaces: at most one character longer per number (`.5` → `0.5`) than the input.
 */
function normalise(a: Ast): string {
	switch (a.k) {
		case 'num':
			return a.lit;
		case 'const':
			return a.name;
		case 'call':
			return `${a.name}(${normalise(a.arg)})`;
		case 'unary':
			return `${a.op}${wrap(normalise(a.arg), prec(a.arg) < 3)}`;
		case 'bin': {
			const p = PREC[a.op];
			const right = a.op === '^';
			const l = wrap(normalise(a.l), right ? prec(a.l) <= p : prec(a.l) < p);
			const r = wrap(normalise(a.r), right ? prec(a.r) < 3 : prec(a.r) <= p);
			return `${l}${a.op}${r}`;
		}
	}
}

const childAt = (a: Ast, i: number): Ast | undefined =>
	a.k === 'bin' ? (i === 0 ? a.l : a.r) : a.k === 'unary' || a.k === 'call' ? a.arg : undefined;

class Parser {
	private pos = 0;
	private depth = 0;
	private parens = 0;
	/** True while reading a space-separated row: a space at paren level 0 ends an entry. */
	private spaceMode = false;
	private entries = 0;

	constructor(
		private readonly input: string,
		private readonly toks: Tok[]
	) {}

	private peek(): Tok {
		return this.toks[this.pos];
	}
	private next(): Tok {
		return this.toks[this.pos++];
	}
	private text(tok: Tok): string {
		return quote(this.input.slice(tok.at, tok.end));
	}
	private stopsHere(tok: Tok): boolean {
		return this.spaceMode && this.parens === 0 && tok.sp;
	}
	private expect(t: ')' | ']', open: Tok): void {
		const tok = this.next();
		if (tok.t === t) return;
		fail({ code: 'closing_expected', close: t, open: this.text(open), found: tok.t === 'end' ? null : this.text(tok) }, tok.t === 'end' ? open.at : tok.at);
	}

	/** Parses one entry and evaluates it with the restricted mathjs instance. */
	private entry(): number {
		const tok = this.peek();
		if (tok.t === 'sep' || tok.t === 'row' || tok.t === 'end' || tok.t === ']' || tok.t === ')') {
			fail({ code: 'missing_entry', before: tok.t === 'end' ? null : this.text(tok) }, tok.at);
		}
		if (++this.entries > ANSWER_LIMITS.maxEntries) {
			fail({ code: 'too_many_entries' }, tok.at);
		}
		const ast = this.parseExpr();
		const r = evaluateExpression(normalise(ast));
		if (r.ok) return r.value;
		let node: Ast = ast;
		for (const i of r.path ?? []) node = childAt(node, i) ?? node;
		const src = quote(this.input.slice(node.from, node.to));
		if (r.reason === 'not-finite') fail({ code: 'not_finite_real', text: src }, node.at);
		throw new Fail(r.why, node.at);
	}

	parseTop(expectKind: Expect): Raw {
		if (this.peek().t === 'end') return fail({ code: 'empty_answer' });
		const hasRows = this.toks.some((t) => t.t === 'row');
		if (this.peek().t === '[' && this.closesAtEnd()) {
			const raw = this.parseList(']', true);
			this.atLineEnd();
			return raw;
		}
		const lines: number[][] = [];
		for (;;) {
			const lineAt = this.peek().at;
			const row = this.parseRow(expectKind !== 'number');
			if (lines.length > 0 && row.length !== lines[0].length) {
				fail({ code: 'row_length', row: lines.length + 1, entries: row.length, first: lines[0].length }, lineAt);
			}
			lines.push(row);
			if (this.next().t === 'end') break;
		}
		if (hasRows) return { kind: 'matrix', rows: lines };
		const only = lines[0];
		return only.length === 1 ? { kind: 'number', value: only[0] } : { kind: 'vector', values: only };
	}

	/** One line: bracketed `[a; b]` / `(a; b)`, or entries separated by `;`/`,`/tabs or by spaces. */
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
			row.push(this.entry());
			const after = this.peek();
			if (after.t === 'row' || after.t === 'end') break;
			if (after.t === 'sep') this.next();
			else if (!this.stopsHere(after)) this.unexpected(after);
		}
		this.spaceMode = false;
		return row;
	}

	/**
	 * `[` items `]` or `(` items `)`. At the top (`top`), items may also be `[...]` rows, or
	 * entries in rows separated by `;` (when commas separate entries) or line breaks.
	 */
	private parseList(close: ']' | ')', top: boolean): Raw {
		const open = this.next();
		if (this.peek().t === close) fail({ code: 'empty_list', text: `${this.text(open)}${close}` }, open.at);
		let nums: number[] = [];
		const lines: number[][] = [];
		const lists: number[][] = [];
		for (;;) {
			// A list of lists may be pasted over several lines: [[1, 2],⏎ [3, 4]].
			const fresh = nums.length === 0 && lines.length === 0;
			while (top && (lists.length > 0 || fresh) && this.peek().t === 'row') this.next();
			const tok = this.peek();
			if (tok.t === close && (lists.length > 0 || (fresh === false && nums.length === 0))) {
				this.next();
				break;
			}
			if (top && tok.t === '[') {
				const inner = this.parseList(']', false);
				lists.push(inner.kind === 'vector' ? inner.values : inner.kind === 'number' ? [inner.value] : []);
			} else {
				nums.push(this.entry());
			}
			if ((nums.length > 0 || lines.length > 0) && lists.length > 0) {
				fail({ code: 'numbers_mixed_with_lists' }, tok.at);
			}
			const sep = this.next();
			if (sep.t === close) break;
			if (sep.t === 'row' && top && lists.length === 0) {
				lines.push(nums);
				nums = [];
			} else if (sep.t !== 'sep' && !(sep.t === 'row' && top)) this.unexpected(sep);
		}
		if (lines.length > 0 && nums.length > 0) lines.push(nums);
		const rows = lines.length > 0 ? lines : lists;
		if (rows.length === 0) return nums.length === 1 ? { kind: 'number', value: nums[0] } : { kind: 'vector', values: nums };
		const width = rows[0].length;
		const bad = rows.findIndex((r) => r.length !== width);
		if (bad >= 0) {
			fail({ code: 'row_length', row: bad + 1, entries: rows[bad].length, first: width }, open.at);
		}
		return { kind: 'matrix', rows };
	}

	/** True when the bracket at the current position closes at the very end of the input. */
	private closesAtEnd(): boolean {
		let depth = 0;
		for (let i = this.pos; i < this.toks.length; i++) {
			const t = this.toks[i].t;
			if (t === '[') depth++;
			else if (t === ']' && --depth === 0) return this.toks[i + 1].t === 'end';
		}
		return false;
	}

	private atLineEnd(): void {
		const tok = this.peek();
		if (tok.t !== 'row' && tok.t !== 'end') this.unexpected(tok);
	}

	private unexpected(tok: Tok): never {
		const prev = this.toks[this.toks.length - 2];
		if (tok.t === 'end') return fail({ code: 'unexpected_end', after: prev === undefined ? null : this.text(prev) }, tok.at);
		return fail({ code: 'unexpected', text: this.text(tok) }, tok.at);
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

	private bin(op: Op, at: number, l: Ast, r: Ast): Ast {
		return { k: 'bin', op, l, r, at, from: l.from, to: r.to };
	}

	private parseExpr(): Ast {
		let left = this.parseTerm();
		for (;;) {
			const tok = this.peek();
			if (tok.t !== 'op' || (tok.op !== '+' && tok.op !== '-') || this.stopsHere(tok)) return left;
			this.next();
			left = this.bin(tok.op, tok.at, left, this.parseTerm());
		}
	}

	private parseTerm(): Ast {
		let left = this.parseUnary();
		for (;;) {
			const tok = this.peek();
			if (tok.t !== 'op' || (tok.op !== '*' && tok.op !== '/') || this.stopsHere(tok)) return left;
			this.next();
			left = this.bin(tok.op, tok.at, left, this.parseUnary());
		}
	}

	private parseUnary(): Ast {
		// The depth bound keeps hostile nesting ("((((…", "------1") far from the JS stack limit.
		if (++this.depth > ANSWER_LIMITS.maxDepth) {
			fail({ code: 'expression_too_deep' }, this.peek().at);
		}
		const tok = this.peek();
		let a: Ast;
		if (tok.t === 'op' && (tok.op === '-' || tok.op === '+')) {
			this.next();
			if (this.stopsHere(this.peek())) this.unexpected(this.peek());
			const arg = this.parseUnary();
			a = { k: 'unary', op: tok.op, arg, at: tok.at, from: tok.at, to: arg.to };
		} else {
			a = this.parsePower();
		}
		this.depth--;
		return a;
	}

	private parsePower(): Ast {
		const base = this.parsePrimary();
		const tok = this.peek();
		if (tok.t !== 'op' || tok.op !== '^' || this.stopsHere(tok)) return base;
		this.next();
		// Right-associative, and the exponent may carry a sign: 2^-1, 9^9^9.
		return this.bin('^', tok.at, base, this.parseUnary());
	}

	private parsePrimary(): Ast {
		const tok = this.next();
		switch (tok.t) {
			case 'num':
				return { k: 'num', lit: tok.lit, at: tok.at, from: tok.at, to: tok.end };
			case 'const':
				return { k: 'const', name: tok.name, at: tok.at, from: tok.at, to: tok.end };
			case 'fn': {
				const name = this.text(tok);
				const open = this.next();
				if (open.t !== '(') {
					fail({ code: 'parenthesis_expected', name }, open.at);
				}
				this.parens++;
				const arg = this.parseExpr();
				if (this.peek().t === 'sep') {
					fail({ code: 'single_argument', name }, this.peek().at);
				}
				this.expect(')', open);
				this.parens--;
				return { k: 'call', name: tok.name, arg, at: tok.at, from: tok.at, to: this.toks[this.pos - 1].end };
			}
			case '(': {
				this.parens++;
				const a = this.parseExpr();
				this.expect(')', tok);
				this.parens--;
				return { ...a, from: tok.at, to: this.toks[this.pos - 1].end };
			}
			case '[':
				return fail({ code: 'list_in_computation' }, tok.at);
			case 'end':
				return this.unexpected(tok);
			default:
				return fail({ code: 'number_expected', text: this.text(tok) }, tok.at);
		}
	}
}

type Raw = { kind: 'number'; value: number } | { kind: 'vector'; values: number[] } | { kind: 'matrix'; rows: number[][] };

function coerce(raw: Raw, expect: Expect): ParsedAnswer {
	const shapeFail = (why: Unreadable): ParseFailure => ({ ok: false, reason: UNREADABLE_REASONS[why.code], why });
	if (expect === 'number') {
		return raw.kind === 'number'
			? { ok: true, kind: 'number', value: raw.value }
			: shapeFail({ code: 'single_number_expected' });
	}
	if (expect === 'vector') {
		if (raw.kind === 'number') return { ok: true, kind: 'vector', values: [raw.value] };
		if (raw.kind === 'vector') return { ok: true, kind: 'vector', values: raw.values };
		if (raw.rows.length === 1) return { ok: true, kind: 'vector', values: raw.rows[0] };
		if (raw.rows.every((r) => r.length === 1)) return { ok: true, kind: 'vector', values: raw.rows.map((r) => r[0]) };
		return shapeFail({ code: 'vector_not_matrix' });
	}
	if (raw.kind === 'number') return { ok: true, kind: 'matrix', rows: [[raw.value]] };
	if (raw.kind === 'vector') return { ok: true, kind: 'matrix', rows: [raw.values] };
	return { ok: true, kind: 'matrix', rows: raw.rows };
}

export function parseAnswer(input: string, expect: Expect): ParsedAnswer {
	// Bound the input before any work, so a 100 kB paste costs nothing.
	if (input.length > ANSWER_LIMITS.maxLength) {
		return { ok: false, reason: 'too-long', why: { code: 'answer_too_long', limit: ANSWER_LIMITS.maxLength }, at: ANSWER_LIMITS.maxLength };
	}
	try {
		const toks = lex(input, expect);
		return coerce(new Parser(input, toks).parseTop(expect), expect);
	} catch (e) {
		if (e instanceof Fail) {
			const reason = UNREADABLE_REASONS[e.why.code];
			return e.at === undefined ? { ok: false, reason, why: e.why } : { ok: false, reason, why: e.why, at: e.at };
		}
		// Safety net only: the depth and length bounds should make this unreachable.
		if (e instanceof RangeError) {
			return { ok: false, reason: 'too-long', why: { code: 'expression_too_complex' } };
		}
		throw e;
	}
}
