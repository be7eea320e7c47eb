import { kerasError, problemAt, type Position } from './problems';

/** A token of the Python text. Strings hold their value, numbers their text (read by the parser). */
export interface Token {
	kind: 'name' | 'number' | 'string' | 'op';
	text: string;
	at: Position;
}

/** A logical line: the tokens of one statement, with brackets spanning physical lines joined. */
export interface LogicalLine {
	/** the column of its first token, 1 for a statement at the top level */
	indent: number;
	tokens: Token[];
}

/** Two-character operators first, so that `**` is not read as two `*`. */
const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '->', '+=', '-=', '*=', '/=', '(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '+', '-', '*', '/', '%', '@', '<', '>', ';', '|', '&', '~', '^'];
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/** How deep brackets may nest: a model's weights need 5 (a list of 4-D kernels), a reader's stack far more. */
const MAX_NESTING = 64;

/**
 * Splits Python text into logical lines of tokens: comments dropped, a line break inside brackets
 * or after a backslash joined. Text Python itself would refuse (a bracket closed by the wrong one,
 * an unterminated string, a stray character) is refused with its line and column.
 */
export function tokenize(source: string): LogicalLine[] {
	const lines: LogicalLine[] = [];
	const open: { text: string; at: Position }[] = [];
	let current: Token[] = [];
	let indent = 1;
	let line = 1;
	let lineStart = 0;
	let i = 0;
	const here = (): Position => ({ line, column: i - lineStart + 1 });
	const endLine = () => {
		if (current.length > 0) lines.push({ indent, tokens: current });
		current = [];
	};
	while (i < source.length) {
		const c = source[i];
		if (c === '\n') {
			if (open.length === 0) endLine();
			i++;
			line++;
			lineStart = i;
			continue;
		}
		if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
			i++;
			continue;
		}
		if (c === '#') {
			while (i < source.length && source[i] !== '\n') i++;
			continue;
		}
		if (c === '\\' && (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n'))) {
			i += source[i + 1] === '\n' ? 2 : 3;
			line++;
			lineStart = i;
			continue;
		}
		const at = here();
		if (current.length === 0) indent = at.column;
		const prefixed = /^[rRbBuUfF]{1,2}(?=['"])/.exec(source.slice(i, i + 3));
		if (c === '"' || c === "'" || prefixed) {
			const start = i + (prefixed ? prefixed[0].length : 0);
			const read = readString(source, start, at);
			current.push({ kind: 'string', text: read.value, at });
			for (let k = i; k < read.end; k++) {
				if (source[k] === '\n') {
					line++;
					lineStart = k + 1;
				}
			}
			i = read.end;
			continue;
		}
		const number = /^(?:\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/.exec(source.slice(i, i + 64));
		if (number) {
			current.push({ kind: 'number', text: number[0], at });
			i += number[0].length;
			continue;
		}
		const name = /^[A-Za-z_\u00c0-\uffff][\w\u00c0-\uffff]*/.exec(source.slice(i, i + 256));
		if (name) {
			current.push({ kind: 'name', text: name[0], at });
			i += name[0].length;
			continue;
		}
		const op = OPERATORS.find((o) => source.startsWith(o, i));
		if (!op) throw kerasError([problemAt(at, `unexpected character ${JSON.stringify(c)}`)]);
		if (op === '(' || op === '[' || op === '{') {
			if (open.length >= MAX_NESTING) throw kerasError([problemAt(at, `brackets nested more than ${MAX_NESTING} deep`)]);
			open.push({ text: op, at });
		}
		else if (op in CLOSING) {
			const opener = open.pop();
			if (!opener) throw kerasError([problemAt(at, `${op} closes nothing: there is no ${CLOSING[op]} open before it`)]);
			if (opener.text !== CLOSING[op]) {
				throw kerasError([problemAt(at, `${op} does not close the ${opener.text} opened at line ${opener.at.line}, column ${opener.at.column}`)]);
			}
		}
		current.push({ kind: 'op', text: op, at });
		i += op.length;
	}
	const unclosed = open.pop();
	if (unclosed) throw kerasError([problemAt(unclosed.at, `${unclosed.text} is never closed`)]);
	endLine();
	return lines;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

/** A string literal starting at its quote: its value and the index after it. */
function readString(source: string, start: number, at: Position): { value: string; end: number } {
	const quote = source[start];
	const triple = source.startsWith(quote.repeat(3), start);
	const delimiter = triple ? quote.repeat(3) : quote;
	let value = '';
	let i = start + delimiter.length;
	while (i < source.length) {
		if (source.startsWith(delimiter, i)) return { value, end: i + delimiter.length };
		const c = source[i];
		if (c === '\n' && !triple) break;
		if (c === '\\' && i + 1 < source.length) {
			value += ESCAPES[source[i + 1]] ?? `\\${source[i + 1]}`;
			i += 2;
			continue;
		}
		value += c;
		i++;
	}
	throw kerasError([problemAt(at, 'this string is never closed')]);
}
