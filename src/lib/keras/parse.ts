import { problemAt, type KerasProblem, type Position } from './problems';
import { tokenize, type LogicalLine, type Token } from './tokenize';

/**
 * The expressions of the Python subset (each `at` where its text starts) Keras models are written in: literals, names, attributes,
 * calls with keyword arguments, lists, tuples, subscripts and arithmetic on numbers. Nothing is
 * evaluated here; the reader (import.ts) looks at the tree.
 */
export type Expr =
	| { kind: 'number'; value: number; at: Position }
	| { kind: 'string'; value: string; at: Position }
	| { kind: 'name'; name: string; at: Position }
	| { kind: 'attribute'; object: Expr; name: string; at: Position }
	| { kind: 'call'; callee: Expr; args: Expr[]; keywords: Keyword[]; at: Position }
	| { kind: 'list' | 'tuple'; items: Expr[]; at: Position }
	| { kind: 'subscript'; object: Expr; index: Expr; at: Position }
	| { kind: 'unary'; op: '-' | '+'; operand: Expr; at: Position }
	| { kind: 'binary'; op: '+' | '-' | '*' | '/' | '//'; left: Expr; right: Expr; at: Position };

export interface Keyword {
	name: string;
	value: Expr;
	at: Position;
}

export type Statement =
	| { kind: 'import'; at: Position }
	| { kind: 'assign'; target: Expr; value: Expr; at: Position }
	| { kind: 'expression'; value: Expr; at: Position }
	/** a line outside the subset: its tokens, and why it was not read */
	| { kind: 'unread'; tokens: Token[]; problem: KerasProblem; at: Position };

/** Operators in a row an expression may chain: layer sizes need a few, a reader's stack bounds them. */
const MAX_OPERATORS = 64;
const ARITHMETIC = `more than ${MAX_OPERATORS} operators in a row: the reader takes short arithmetic, such as 28 * 28`;

class SyntaxProblem extends Error {
	constructor(readonly at: Position, message: string) {
		super(message);
	}
}

/** Python's compound statements: their header and indented body are not read. */
const COMPOUND = new Set(['def', 'class', 'for', 'while', 'if', 'elif', 'else', 'with', 'try', 'except', 'finally', 'async', 'match']);

/**
 * Reads Python text into statements. A statement outside the subset (a loop, a lambda, a
 * function) is kept as `unread` with the reason, for the reader to decide whether it matters.
 */
export function parsePython(source: string): Statement[] {
	const statements: Statement[] = [];
	let bodyIndent: number | null = null;
	for (const line of tokenize(source)) {
		const first = line.tokens[0];
		if (bodyIndent !== null && line.indent > bodyIndent) {
			continue;
		}
		bodyIndent = null;
		if (first.kind === 'name' && COMPOUND.has(first.text)) {
			bodyIndent = line.indent;
			const problem = problemAt(first.at, `the ${first.text} block is not read: the reader takes the statements of a script, not loops, functions or conditions`);
			statements.push({ kind: 'unread', tokens: line.tokens, problem, at: first.at });
			continue;
		}
		for (const tokens of splitSemicolons(line)) statements.push(parseStatement(tokens));
	}
	return statements;
}

function splitSemicolons(line: LogicalLine): Token[][] {
	const parts: Token[][] = [[]];
	let depth = 0;
	for (const token of line.tokens) {
		if (token.kind === 'op' && '([{'.includes(token.text)) depth++;
		if (token.kind === 'op' && ')]}'.includes(token.text)) depth--;
		if (depth === 0 && token.kind === 'op' && token.text === ';') parts.push([]);
		else parts[parts.length - 1].push(token);
	}
	return parts.filter((part) => part.length > 0);
}

function parseStatement(tokens: Token[]): Statement {
	const at = tokens[0].at;
	if (tokens[0].kind === 'name' && (tokens[0].text === 'import' || tokens[0].text === 'from')) return { kind: 'import', at };
	try {
		const parser = new Parser(tokens);
		const value = parser.expression();
		if (parser.peekOp('=')) {
			parser.next();
			const right = parser.expression();
			parser.end();
			return { kind: 'assign', target: value, value: right, at };
		}
		parser.end();
		return { kind: 'expression', value, at };
	} catch (error) {
		if (!(error instanceof SyntaxProblem)) throw error;
		return { kind: 'unread', tokens, problem: problemAt(error.at, error.message), at };
	}
}

class Parser {
	private i = 0;

	constructor(private readonly tokens: Token[]) {}

	private peek(): Token | undefined {
		return this.tokens[this.i];
	}

	peekOp(text: string): boolean {
		const token = this.peek();
		return token?.kind === 'op' && token.text === text;
	}

	next(): Token {
		const token = this.tokens[this.i++];
		if (!token) throw new SyntaxProblem(this.endPosition(), 'the statement ends too early');
		return token;
	}

	private endPosition(): Position {
		const last = this.tokens[this.tokens.length - 1];
		return { line: last.at.line, column: last.at.column + last.text.length };
	}

	private expect(text: string): void {
		const token = this.next();
		if (token.kind !== 'op' || token.text !== text) throw new SyntaxProblem(token.at, `expected ${text}, found ${describe(token)}`);
	}

	end(): void {
		const token = this.peek();
		if (token) throw new SyntaxProblem(token.at, `${describe(token)} is not read here: the reader takes names, numbers, strings, lists, tuples and calls`);
	}

	expression(): Expr {
		let left = this.term();
		for (let count = 0; this.peekOp('+') || this.peekOp('-'); count++) {
			const op = this.next();
			if (count === MAX_OPERATORS) throw new SyntaxProblem(op.at, ARITHMETIC);
			left = { kind: 'binary', op: op.text as '+' | '-', left, right: this.term(), at: left.at };
		}
		return left;
	}

	private term(): Expr {
		let left = this.unary();
		for (let count = 0; this.peekOp('*') || this.peekOp('/') || this.peekOp('//'); count++) {
			const op = this.next();
			if (count === MAX_OPERATORS) throw new SyntaxProblem(op.at, ARITHMETIC);
			left = { kind: 'binary', op: op.text as '*' | '/' | '//', left, right: this.unary(), at: left.at };
		}
		return left;
	}

	private unary(): Expr {
		const signs: Token[] = [];
		while (this.peekOp('-') || this.peekOp('+')) {
			signs.push(this.next());
			if (signs.length > MAX_OPERATORS) throw new SyntaxProblem(signs[signs.length - 1].at, ARITHMETIC);
		}
		let expr = this.postfix(this.primary());
		for (const sign of signs.reverse()) expr = { kind: 'unary', op: sign.text as '-' | '+', operand: expr, at: sign.at };
		return expr;
	}

	private postfix(start: Expr): Expr {
		let expr = start;
		for (;;) {
			if (this.peekOp('.')) {
				this.next();
				const name = this.next();
				if (name.kind !== 'name') throw new SyntaxProblem(name.at, `expected a name after the dot, found ${describe(name)}`);
				expr = { kind: 'attribute', object: expr, name: name.text, at: expr.at };
			} else if (this.peekOp('(')) {
				this.next();
				expr = { ...this.callArguments(), kind: 'call', callee: expr, at: expr.at };
			} else if (this.peekOp('[')) {
				this.next();
				const index = this.expression();
				this.expect(']');
				expr = { kind: 'subscript', object: expr, index, at: expr.at };
			} else return expr;
		}
	}

	private callArguments(): { args: Expr[]; keywords: Keyword[] } {
		const args: Expr[] = [];
		const keywords: Keyword[] = [];
		while (!this.peekOp(')')) {
			const token = this.peek();
			const following = this.tokens[this.i + 1];
			if (token?.kind === 'name' && following?.kind === 'op' && following.text === '=') {
				this.i += 2;
				keywords.push({ name: token.text, value: this.expression(), at: token.at });
			} else {
				const value = this.expression();
				if (keywords.length > 0) throw new SyntaxProblem(value.at, 'a positional argument follows a keyword argument');
				args.push(value);
			}
			if (!this.peekOp(',')) break;
			this.next();
		}
		this.expect(')');
		return { args, keywords };
	}

	private primary(): Expr {
		const token = this.next();
		if (token.kind === 'number') return { kind: 'number', value: Number(token.text.replaceAll('_', '')), at: token.at };
		if (token.kind === 'string') {
			let value = token.text;
			// adjacent literals are one string in Python
			while (this.peek()?.kind === 'string') value += this.next().text;
			return { kind: 'string', value, at: token.at };
		}
		if (token.kind === 'name') {
			if (token.text === 'lambda') throw new SyntaxProblem(token.at, 'a lambda is not read');
			return { kind: 'name', name: token.text, at: token.at };
		}
		if (token.text === '(' || token.text === '[') {
			const close = token.text === '(' ? ')' : ']';
			const items: Expr[] = [];
			let comma = false;
			while (!this.peekOp(close)) {
				items.push(this.expression());
				const after = this.peek();
				if (after?.kind === 'name' && after.text === 'for') throw new SyntaxProblem(after.at, 'a comprehension (for inside brackets) is not read');
				if (!this.peekOp(',')) break;
				this.next();
				comma = true;
			}
			this.expect(close);
			if (token.text === '(' && items.length === 1 && !comma) return items[0];
			return { kind: token.text === '(' ? 'tuple' : 'list', items, at: token.at };
		}
		throw new SyntaxProblem(token.at, `${describe(token)} is not read here`);
	}
}

function describe(token: Token): string {
	if (token.kind === 'string') return 'a string';
	return token.kind === 'number' ? `the number ${token.text}` : `"${token.text}"`;
}
