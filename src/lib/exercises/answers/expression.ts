/**
 * Evaluating one answer entry (`1/(1+exp(-0.45))`, `sigmoid(0.45)`…) with a restricted mathjs.
 *
 * Why mathjs (the project's issue asks for it): well-tested arithmetic and elementary
 * functions (pow with negative bases, log and sqrt of negatives turning complex, overflow…)
 * instead of a second home-made evaluator, in a small instance rather than the whole library.
 *
 * How it is restricted (defence in depth, each layer enough on its own for what it covers):
 * 1. The instance is built with `create(...)` from only the factories listed below (parse,
 *    the arithmetic operators, exp, log, sqrt, tanh, e, pi), never the full default instance:
 *    no `evaluate`, `compile`, `simplify`, `derivative`, units, matrices functions exposed…
 *    and `import`, `createUnit`, `evaluate`, `parse`, `simplify`, `derivative`, `compile`,
 *    `resolve` are then overridden in the instance by functions that throw.
 * 2. Before mathjs sees the text: at most `EXPRESSION_LIMITS.maxLength` characters, bracket
 *    nesting and runs of signs at most `maxDepth`, so parsing can never exhaust the stack.
 * 3. After parsing and before evaluating anything, every node of the tree is checked against a
 *    whitelist: number constants, the symbols `e` and `pi`, the functions exp, log (natural),
 *    sqrt, tanh, sigmoid, relu applied to exactly one argument, the operators + - * / ^
 *    (binary, explicit) and unary - +, and parentheses. Nothing else: no assignment, function
 *    definition, strings, arrays/matrices, objects, property access, ranges, conditions, units
 *    (`5 cm` parses as an implicit product with the symbol `cm`, which is refused)…
 *    Names are looked up in this module's own `Map`s, never in the mathjs namespace or in an
 *    object prototype, so `__proto__` or `constructor` are just unknown names. At most
 *    `maxNodes` nodes, so evaluation time is bounded (each node is one scalar operation).
 * 4. The tree is evaluated here, node by node, by calling the instance's functions: every
 *    intermediate result must be a finite real number (a complex result such as `log(-1)` or
 *    `sqrt(-1)`, NaN or ±Infinity is refused as 'not-finite'), and the failure says which node.
 *
 * Input is the normalised form produced by `../answer.ts` (decimal point, ASCII operators,
 * canonical names), but this module is safe on its own with any string.
 */
import {
	addDependencies,
	create,
	divideDependencies,
	eDependencies,
	expDependencies,
	logDependencies,
	multiplyDependencies,
	parseDependencies,
	piDependencies,
	powDependencies,
	sqrtDependencies,
	subtractDependencies,
	tanhDependencies,
	unaryMinusDependencies,
	unaryPlusDependencies,
	type MathNode
} from 'mathjs';
import { quote, UNREADABLE_REASONS, type FailReason, type Unreadable } from './types';

/**
 * `maxLength` is twice the answer's limit, since normalising may lengthen an entry (`.5` →
 * `0.5`); `maxDepth` is a little above the answer parser's 50 so that whatever it accepts
 * passes here; `maxNodes` is more than a 2,000-character answer can hold (a node per character).
 */
export const EXPRESSION_LIMITS = { maxLength: 4000, maxDepth: 64, maxNodes: 2500 } as const;

export type ExpressionFailure = {
	ok: false;
	reason: FailReason;
	why: Unreadable;
	/** Child indices from the root to the failing node, parentheses not counted. */
	path?: number[];
};
export type ExpressionResult = { ok: true; value: number } | ExpressionFailure;

const math = create(
	{
		parseDependencies,
		addDependencies,
		subtractDependencies,
		multiplyDependencies,
		divideDependencies,
		powDependencies,
		unaryMinusDependencies,
		unaryPlusDependencies,
		expDependencies,
		logDependencies,
		sqrtDependencies,
		tanhDependencies,
		eDependencies,
		piDependencies
	},
	{ number: 'number', predictable: false }
);

/**
 * Keeps a private handle on `parse`, then makes everything that could reach outside an expression
 * throw, should any later code ever resolve names through the instance (compile() does). Done on
 * the first expression that is not a plain number, not as the module loads: resolving `parse`
 * (and `e`, `pi`) compiles mathjs's typed functions, a few hundred milliseconds that grading
 * plain numbers never needs.
 */
let restrictedParse: typeof math.parse | undefined;
function restrictedInstance(): typeof math.parse {
	if (restrictedParse) return restrictedParse;
	const parse = math.parse;
	const disabled =
		(name: string) =>
		(): never => {
			throw new Error(`${name} is disabled`);
		};
	math.import(
		Object.fromEntries(
			['createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'compile', 'resolve', 'import'].map((n) => [
				n,
				disabled(n)
			])
		),
		{ override: true }
	);
	CONSTANTS.set('e', math.e).set('pi', math.pi);
	restrictedParse = parse;
	return parse;
}

type Fn1 = (x: number) => unknown;
type Fn2 = (x: number, y: number) => unknown;

/** Numerically stable logistic function, through the instance's exp/add/divide. */
const sigmoid: Fn1 = (x) =>
	x >= 0 ? math.divide(1, math.add(1, math.exp(-x))) : math.divide(math.exp(x), math.add(1, math.exp(x)));
const relu: Fn1 = (x) => (x > 0 ? x : 0);

/** e and pi, set by restrictedInstance(), which runs before any tree is checked. */
const CONSTANTS = new Map<string, number>();
const FUNCTIONS = new Map<string, Fn1>([
	['exp', (x) => math.exp(x)],
	['log', (x) => math.log(x)],
	['sqrt', (x) => math.sqrt(x)],
	['tanh', (x) => math.tanh(x)],
	['sigmoid', sigmoid],
	['relu', relu]
]);
const BINARY = new Map<string, { op: string; f: Fn2 }>([
	['add', { op: '+', f: (x, y) => math.add(x, y) }],
	['subtract', { op: '-', f: (x, y) => math.subtract(x, y) }],
	['multiply', { op: '*', f: (x, y) => math.multiply(x, y) }],
	['divide', { op: '/', f: (x, y) => math.divide(x, y) }],
	['pow', { op: '^', f: (x, y) => math.pow(x, y) }]
]);
const UNARY = new Map<string, { op: string; f: Fn1 }>([
	['unaryMinus', { op: '-', f: (x) => math.unaryMinus(x) }],
	['unaryPlus', { op: '+', f: (x) => math.unaryPlus(x) }]
]);
/** An optional minus sign and a decimal literal, as `../answer.ts` normalises numbers. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
const NOT_FINITE_NAMES = new Set(['NaN', 'Infinity', 'nan', 'inf', 'infinity']);

class ExprError {
	constructor(
		readonly why: Unreadable,
		readonly path?: number[]
	) {}
}
const refuse = (why: Unreadable, path?: number[]): never => {
	throw new ExprError(why, path && [...path]);
};

/** Bounds checked on the raw text, before mathjs parses it. */
function precheck(text: string): void {
	if (text.length > EXPRESSION_LIMITS.maxLength) {
		refuse({ code: 'expression_too_long' });
	}
	let depth = 0;
	let signs = 0;
	for (const c of text) {
		if (c === '(' || c === '[' || c === '{') depth++;
		else if (c === ')' || c === ']' || c === '}') depth--;
		if (c === '+' || c === '-') signs++;
		else if (c !== ' ') signs = 0;
		if (depth > EXPRESSION_LIMITS.maxDepth || signs > EXPRESSION_LIMITS.maxDepth) {
			refuse({ code: 'expression_too_deep' });
		}
	}
}

const children = (node: MathNode): MathNode[] =>
	math.isOperatorNode(node) || math.isFunctionNode(node) ? node.args : [];

/** Skips parentheses, which are kept in the tree by mathjs but carry no meaning here. */
const unwrap = (node: MathNode): MathNode => {
	let n = node;
	while (math.isParenthesisNode(n)) n = n.content;
	return n;
};

/** Throws unless every node is whitelisted; counts nodes. `path` is a shared stack, copied on failure. */
function check(node: MathNode, path: number[], count: { n: number }): void {
	const n = unwrap(node);
	if (++count.n > EXPRESSION_LIMITS.maxNodes) refuse({ code: 'expression_too_long' });
	const shown = (): string => quote(n.toString());
	if (math.isConstantNode(n)) {
		if (typeof n.value !== 'number') {
			refuse({ code: 'only_numbers', text: shown() }, path);
		}
		if (!Number.isFinite(n.value)) {
			refuse({ code: 'not_finite_name', text: shown() }, path);
		}
		return;
	}
	if (math.isSymbolNode(n)) {
		if (CONSTANTS.has(n.name)) return;
		if (NOT_FINITE_NAMES.has(n.name)) {
			refuse({ code: 'not_finite_name', text: shown() }, path);
		}
		refuse({ code: 'name_not_allowed', text: shown() }, path);
	}
	if (math.isFunctionNode(n)) {
		const name = math.isSymbolNode(n.fn) ? n.fn.name : '';
		if (!FUNCTIONS.has(name)) {
			refuse({ code: 'not_allowed', text: shown() }, path);
		}
		if (n.args.length !== 1) {
			refuse({ code: 'single_argument', name }, path);
		}
	} else if (math.isOperatorNode(n)) {
		const table = n.args.length === 2 ? BINARY : n.args.length === 1 ? UNARY : undefined;
		const entry = table?.get(n.fn);
		if (entry === undefined || entry.op !== n.op || n.implicit) {
			refuse({ code: 'not_allowed', text: shown() }, path);
		}
	} else {
		refuse({ code: 'not_allowed', text: shown() }, path);
	}
	children(n).forEach((c, i) => {
		path.push(i);
		check(c, path, count);
		path.pop();
	});
}

/** A finite real number, or a refusal naming the node (complex results included). */
function real(v: unknown, node: MathNode, path: number[]): number {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	const shown = quote(node.toString());
	if (math.isComplex(v)) refuse({ code: 'complex_result', text: shown }, path);
	return refuse({ code: 'not_finite_result', text: shown }, path);
}

/** Evaluates a whitelisted tree; every intermediate result is checked. */
function run(node: MathNode, path: number[]): number {
	const n = unwrap(node);
	if (math.isConstantNode(n)) return real(n.value, n, path);
	if (math.isSymbolNode(n)) return real(CONSTANTS.get(n.name), n, path);
	const args = children(n).map((c, i) => {
		path.push(i);
		const v = run(c, path);
		path.pop();
		return v;
	});
	let v: unknown;
	if (math.isFunctionNode(n) && math.isSymbolNode(n.fn)) v = FUNCTIONS.get(n.fn.name)?.(args[0]);
	else if (math.isOperatorNode(n) && args.length === 2) v = BINARY.get(n.fn)?.f(args[0], args[1]);
	else if (math.isOperatorNode(n) && args.length === 1) v = UNARY.get(n.fn)?.f(args[0]);
	return real(v, n, path);
}

/** Parses, checks and evaluates one expression; never throws. */
export function evaluateExpression(text: string): ExpressionResult {
	try {
		if (text.trim() === '') refuse({ code: 'expression_empty' });
		precheck(text);
		// A plain decimal number (most answers) is exactly what mathjs would make of it, Number()
		// (its ConstantNode, negated by unaryMinus), without the cost of compiling mathjs's typed
		// functions on first use, which is most of the command line's `grade`. Anything else,
		// and a literal that is not finite, goes through mathjs and its checks.
		if (PLAIN_NUMBER.test(text)) {
			const value = Number(text);
			if (Number.isFinite(value)) return { ok: true, value };
		}
		let tree: MathNode;
		try {
			tree = restrictedInstance()(text);
		} catch (e) {
			if (e instanceof RangeError) throw e;
			const detail = e instanceof Error ? e.message : '';
			return refuse({ code: 'expression_unreadable', detail });
		}
		check(tree, [], { n: 0 });
		return { ok: true, value: run(tree, []) };
	} catch (e) {
		if (e instanceof ExprError) {
			const reason = UNREADABLE_REASONS[e.why.code];
			return e.path === undefined ? { ok: false, reason, why: e.why } : { ok: false, reason, why: e.why, path: e.path };
		}
		// Safety net only: the bounds above should make a stack overflow unreachable.
		if (e instanceof RangeError) {
			return { ok: false, reason: 'too-long', why: { code: 'expression_too_complex' } };
		}
		throw e;
	}
}
