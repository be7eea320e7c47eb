/**
 * A tiny spreadsheet-formula evaluator for the few functions the export writes (IF, SUMPRODUCT,
 * EXP, LN, TANH, MAX), so the tests can prove that each formula recomputes its cached result.
 * Comparisons treat values within 2^-48 (relative) as equal, as LibreOffice's approxEqual does
 * (Excel compares to 15 significant digits), so float noise decides no threshold.
 */

type Value = number | number[];
type Node =
	| { kind: 'number'; value: number }
	| { kind: 'ref'; ref: string }
	| { kind: 'range'; from: string; to: string }
	| { kind: 'unary'; operand: Node }
	| { kind: 'binary'; op: string; left: Node; right: Node }
	| { kind: 'call'; name: string; args: Node[] };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:E[+-]?\d+)?)|(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)|([A-Z]+)\(|(>=|<=|<>|[-+*/^(),<>=]))/gy;

function tokenize(formula: string): string[] {
	const tokens: string[] = [];
	TOKEN.lastIndex = 0;
	while (TOKEN.lastIndex < formula.length) {
		const start = TOKEN.lastIndex;
		const match = TOKEN.exec(formula);
		if (!match) throw new Error(`cannot read "${formula.slice(start)}" in ${formula}`);
		if (match[1]) tokens.push(`#${match[1]}`);
		else if (match[2]) tokens.push(`@${match[2].replaceAll('$', '')}`);
		else if (match[3]) tokens.push(`${match[3]}(`);
		else tokens.push(match[4]);
	}
	return tokens;
}

function parse(formula: string): Node {
	const tokens = tokenize(formula);
	let at = 0;
	const peek = () => tokens[at];
	const take = (expected?: string) => {
		const token = tokens[at++];
		if (expected !== undefined && token !== expected) throw new Error(`expected ${expected}, got ${token} in ${formula}`);
		return token;
	};
	const binary = (next: () => Node, ops: string[]) => () => {
		let left = next();
		while (ops.includes(peek())) {
			const op = take();
			left = { kind: 'binary', op, left, right: next() } as Node;
		}
		return left;
	};
	const primary = (): Node => {
		const token = take();
		if (token === undefined) throw new Error(`unexpected end of ${formula}`);
		if (token === '-') return { kind: 'unary', operand: primary() };
		if (token === '(') {
			const inner = comparison();
			take(')');
			return inner;
		}
		if (token.startsWith('#')) return { kind: 'number', value: Number(token.slice(1)) };
		if (token.startsWith('@')) {
			const [from, to] = token.slice(1).split(':');
			return to ? { kind: 'range', from, to } : { kind: 'ref', ref: from };
		}
		if (token.endsWith('(')) {
			const args: Node[] = [];
			if (peek() !== ')') {
				args.push(comparison());
				while (peek() === ',') {
					take();
					args.push(comparison());
				}
			}
			take(')');
			return { kind: 'call', name: token.slice(0, -1), args };
		}
		throw new Error(`unexpected ${token} in ${formula}`);
	};
	const power = binary(primary, ['^']);
	const term = binary(power, ['*', '/']);
	const additive = binary(term, ['+', '-']);
	const comparison = binary(additive, ['>', '>=', '<', '<=', '=', '<>']);
	const tree = comparison();
	if (at !== tokens.length) throw new Error(`trailing ${tokens.slice(at).join(' ')} in ${formula}`);
	return tree;
}

function columnNumber(letters: string): number {
	return [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
}

function columnLetters(column: number): string {
	let name = '';
	for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}

function cellsOf(from: string, to: string): string[] {
	const [, c1, r1] = /^([A-Z]+)(\d+)$/.exec(from) ?? [];
	const [, c2, r2] = /^([A-Z]+)(\d+)$/.exec(to) ?? [];
	const refs: string[] = [];
	for (let r = Number(r1); r <= Number(r2); r++) {
		for (let c = columnNumber(c1); c <= columnNumber(c2); c++) refs.push(`${columnLetters(c)}${r}`);
	}
	return refs;
}

const NOISE = 2 ** -48;
function compare(a: number, b: number): number {
	if (Math.abs(a - b) <= NOISE * Math.max(Math.abs(a), Math.abs(b))) return 0;
	return a < b ? -1 : 1;
}

function scalar(value: Value): number {
	if (typeof value === 'number') return value;
	throw new Error('a range where a number is expected');
}

function elementwise(value: Value, f: (x: number) => number): Value {
	return typeof value === 'number' ? f(value) : value.map(f);
}

/** The value of `formula` (no leading `=`), reading other cells through `lookup`. */
export function evaluateFormula(formula: string, lookup: (ref: string) => number): number {
	const evaluate = (node: Node): Value => {
		switch (node.kind) {
			case 'number':
				return node.value;
			case 'ref':
				return lookup(node.ref);
			case 'range':
				return cellsOf(node.from, node.to).map(lookup);
			case 'unary':
				return elementwise(evaluate(node.operand), (x) => -x);
			case 'binary': {
				const a = scalar(evaluate(node.left));
				const b = scalar(evaluate(node.right));
				switch (node.op) {
					case '+':
						return a + b;
					case '-':
						return a - b;
					case '*':
						return a * b;
					case '/':
						return a / b;
					case '^':
						return a ** b;
					case '>':
						return compare(a, b) > 0 ? 1 : 0;
					case '>=':
						return compare(a, b) >= 0 ? 1 : 0;
					case '<':
						return compare(a, b) < 0 ? 1 : 0;
					case '<=':
						return compare(a, b) <= 0 ? 1 : 0;
					case '=':
						return compare(a, b) === 0 ? 1 : 0;
					default:
						return compare(a, b) !== 0 ? 1 : 0;
				}
			}
			case 'call':
				return call(node.name, node.args.map(evaluate));
		}
	};
	return scalar(evaluate(parse(formula)));
}

function call(name: string, args: Value[]): Value {
	switch (name) {
		case 'IF':
			return scalar(args[0]) !== 0 ? args[1] : args[2];
		case 'EXP':
			return elementwise(args[0], Math.exp);
		case 'LN':
			return elementwise(args[0], Math.log);
		case 'TANH':
			return elementwise(args[0], Math.tanh);
		case 'MAX':
			return Math.max(...args.flat());
		case 'SUMPRODUCT': {
			const arrays = args.map((a) => (typeof a === 'number' ? [a] : a));
			const length = arrays[0].length;
			if (arrays.some((a) => a.length !== length)) throw new Error('SUMPRODUCT of ranges of different sizes');
			let sum = 0;
			for (let i = 0; i < length; i++) sum += arrays.reduce((product, a) => product * a[i], 1);
			return sum;
		}
		default:
			throw new Error(`no such function in the evaluator: ${name}`);
	}
}
