/**
 * `vary`: the rules that give every student their own numbers, and where in the scenario each
 * rule writes. Pure TypeScript; drawing uses the engine's seeded PRNG so a variant is the same on
 * every machine.
 *
 * A rule's key names what it changes:
 * - a scenario input by its canonical name: `W[2]`, `b[1]` (a layer's weights), `A[0]` or `X`
 *   (the input batch), `Y` (the targets), `lr`, and for a perceptron `W[1]`, `b[1]`, `threshold`;
 * - or any scenario path: `model.layers[0].filters`, `model.input`, `training.batch_size`;
 * - either one followed by element indices: `W[1][0][1]`, `A[0][0][1]`, `model.input[1]`.
 * The target must exist in the scenario as written: a typo is reported, never silently added.
 *
 * A rule is one of:
 * - `{ range: [lo, hi], step: s }`: every number of the target drawn from lo, lo + s, …, hi
 *   (optional `exclude: [0]`); the sketch's `{ values: [lo, hi], step: s }` means the same;
 * - `{ choices: [a, b, …] }`: every number of the target drawn from the list;
 * - `{ pick: [v1, v2, …] }`: the whole target replaced by one of the values (shapes, matrices).
 */
import { z } from 'zod';
import type { Random } from '../engine/prng';
import { parseAddress, splitIndices, type Quantity } from '../engine/quantity';

export type VaryRule =
	| { kind: 'range'; lo: number; hi: number; step: number; exclude: number[] }
	| { kind: 'choices'; choices: number[] }
	| { kind: 'pick'; values: unknown[] };

/** A rule with where it writes: a path of keys and indices into the scenario. */
export interface VaryTarget {
	key: string;
	path: (string | number)[];
	rule: VaryRule;
}

export type VaryIssue = { path: (string | number)[]; message: string };

const MAX_GRID = 100_000;

const finite = z.number().finite();
const rangeRule = z
	.strictObject({ range: z.tuple([finite, finite]).optional(), values: z.tuple([finite, finite]).optional(), step: finite.positive(), exclude: z.array(finite).optional() })
	.refine((r) => (r.range === undefined) !== (r.values === undefined), 'give the bounds once, as range: [lo, hi]');
const choicesRule = z.strictObject({ choices: z.array(finite).min(2) });
const pickRule = z.strictObject({ pick: z.array(z.unknown()).min(2) });

/** The scenario path of a quantity an exercise may vary: the input batch A[0], a layer's W and b. */
function quantityPath(q: Quantity, perceptron: boolean): (string | number)[] | null {
	if (q.symbol === 'A' && q.layer === 0) return ['data', 'X'];
	if ((q.symbol !== 'W' && q.symbol !== 'b') || q.layer < 1) return null;
	if (perceptron) return q.layer === 1 ? ['perceptron', q.symbol === 'W' ? 'w' : 'b'] : null;
	return ['model', 'layers', q.layer - 1, q.symbol];
}

/** The other names a key may give: X (the input batch, as A[0]), Y, the learning rate and a perceptron's threshold. */
const SETTINGS = {
	X: () => ['data', 'X'],
	Y: () => ['data', 'Y'],
	lr: (perceptron: boolean) => (perceptron ? ['perceptron', 'lr'] : ['optimizer', 'lr']),
	threshold: (perceptron: boolean) => (perceptron ? ['perceptron', 'threshold'] : null)
} satisfies Record<string, (perceptron: boolean) => (string | number)[] | null>;

const isSetting = (name: string): name is keyof typeof SETTINGS => Object.hasOwn(SETTINGS, name);

/** Splits `W[1][0][1]` or `model.layers[0].units` into a scenario path; null when it is neither. */
export function targetPath(key: string, scenario: Record<string, unknown>): (string | number)[] | null {
	const perceptron = 'perceptron' in scenario;
	const address = parseAddress(key);
	if (address && address.quantity.layer !== null) {
		const base = quantityPath(address.quantity, perceptron);
		if (!base) return null;
		// A perceptron's W[1] is 1 × n in events but a plain list `w` in the file: skip the row index.
		const { index } = address;
		return [...base, ...(base[1] === 'w' && index.length > 0 && index[0] === 0 ? index.slice(1) : index)];
	}
	const split = splitIndices(key);
	if (split && isSetting(split.head)) {
		const base = SETTINGS[split.head](perceptron);
		return base && [...base, ...split.indices];
	}
	// keys after the first may hold capitals and digits: validation.X, regularization.l2
	if (!/^[a-z_]+(\[\d+\]|\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(key)) return null;
	const path: (string | number)[] = [];
	for (const part of key.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)) path.push(part[1] ?? Number(part[2]));
	return path;
}

/** The value at a path, or undefined when the scenario has nothing there. */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
	let here = data;
	for (const key of path) {
		if (typeof key === 'number') {
			if (!Array.isArray(here) || key >= here.length) return undefined;
			here = here[key];
		} else {
			if (here === null || typeof here !== 'object' || Array.isArray(here) || !Object.hasOwn(here, key)) return undefined;
			here = (here as Record<string, unknown>)[key];
		}
	}
	return here;
}

/** A copy of `data` with `value` at `path` (the path exists: readVary checked it). */
export function withValueAt(data: unknown, path: readonly (string | number)[], value: unknown): unknown {
	if (path.length === 0) return value;
	const [key, ...rest] = path;
	if (Array.isArray(data)) return data.map((item, i) => (i === key ? withValueAt(item, rest, value) : item));
	const record = data as Record<string, unknown>;
	return { ...record, [key]: withValueAt(record[key as string], rest, value) };
}

function gridSize(lo: number, hi: number, step: number): number {
	return Math.floor((hi - lo) / step + 1e-9) + 1;
}

function readRule(input: unknown): VaryRule | VaryIssue[] {
	const issue = (message: string): VaryIssue[] => [{ path: [], message }];
	if (input === null || typeof input !== 'object' || Array.isArray(input)) {
		return issue('expected a rule: { range: [lo, hi], step: s }, { choices: [a, b] } or { pick: [v1, v2] }');
	}
	if ('pick' in input) {
		const r = pickRule.safeParse(input);
		return r.success ? { kind: 'pick', values: r.data.pick } : issue('pick: expected a list of at least two values');
	}
	if ('choices' in input) {
		const r = choicesRule.safeParse(input);
		return r.success ? { kind: 'choices', choices: r.data.choices } : issue('choices: expected a list of at least two numbers');
	}
	const r = rangeRule.safeParse(input);
	if (!r.success) {
		const first = r.error.issues[0];
		return [{ path: first.path.filter((p): p is string | number => typeof p !== 'symbol'), message: first.message }];
	}
	const [lo, hi] = (r.data.range ?? r.data.values) as [number, number];
	if (hi < lo) return issue(`range: [${lo}, ${hi}] is empty; write the smaller bound first`);
	if (gridSize(lo, hi, r.data.step) > MAX_GRID) return issue(`range: more than ${MAX_GRID} values; use a larger step`);
	const exclude = r.data.exclude ?? [];
	const rule: VaryRule = { kind: 'range', lo, hi, step: r.data.step, exclude };
	if (gridValues(rule).length < 2) return issue('range: fewer than two values left to draw from');
	return rule;
}

/** Decimals of the step, so that 0.1 · 3 is written 0.3 and not 0.30000000000000004. */
function decimalsOfStep(step: number): number {
	const text = String(step);
	const exp = /e-(\d+)$/.exec(text);
	if (exp) return Number(exp[1]) + (text.split('e')[0].split('.')[1]?.length ?? 0);
	return text.split('.')[1]?.length ?? 0;
}

function gridValues(rule: Extract<VaryRule, { kind: 'range' }>): number[] {
	const decimals = Math.min(15, decimalsOfStep(rule.step) + decimalsOfStep(rule.lo));
	const values: number[] = [];
	for (let k = 0; k < gridSize(rule.lo, rule.hi, rule.step); k++) {
		const v = Number((rule.lo + k * rule.step).toFixed(decimals));
		if (!rule.exclude.some((x) => Math.abs(x - v) < 1e-12)) values.push(v === 0 ? 0 : v);
	}
	return values;
}

/**
 * Reads `vary` against the scenario it changes: every key must name something the scenario has,
 * and number rules must land on numbers.
 */
export function readVary(vary: Record<string, unknown>, scenario: Record<string, unknown>): { targets: VaryTarget[] } | { issues: VaryIssue[] } {
	const issues: VaryIssue[] = [];
	const targets: VaryTarget[] = [];
	for (const [key, input] of Object.entries(vary)) {
		const path = targetPath(key, scenario);
		if (!path) {
			issues.push({ path: [key], message: 'expected a canonical name (W[1], b[2], A[0], X, Y, lr, threshold), maybe with indices, or a scenario path such as model.layers[0].units' });
			continue;
		}
		const current = valueAt(scenario, path);
		if (current === undefined) {
			issues.push({ path: [key], message: `the scenario has no ${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1)} to vary; write it in the scenario first` });
			continue;
		}
		const rule = readRule(input);
		if (Array.isArray(rule)) {
			issues.push(...rule.map((issue) => ({ path: [key, ...issue.path], message: issue.message })));
			continue;
		}
		if (rule.kind !== 'pick' && !holdsOnlyNumbers(current)) {
			issues.push({ path: [key], message: `${rule.kind} draws numbers, but the scenario holds ${JSON.stringify(current)} there; use pick for other values` });
			continue;
		}
		targets.push({ key, path, rule });
	}
	return issues.length > 0 ? { issues } : { targets };
}

function holdsOnlyNumbers(value: unknown): boolean {
	if (typeof value === 'number') return true;
	return Array.isArray(value) && value.length > 0 && value.every(holdsOnlyNumbers);
}

/** Every number of `template` drawn by `draw`, in the template's nesting. */
function mapNumbers(template: unknown, draw: () => number): unknown {
	return Array.isArray(template) ? template.map((item) => mapNumbers(item, draw)) : draw();
}

function drawFrom<T>(list: readonly T[], random: Random): T {
	return list[Math.floor(random.next() * list.length)];
}

/** The scenario with every rule applied, in the order of the file, and the values each drew. */
export function applyVary(scenario: Record<string, unknown>, targets: readonly VaryTarget[], random: Random): { scenario: Record<string, unknown>; drawn: Record<string, unknown> } {
	let varied: unknown = scenario;
	const drawn: Record<string, unknown> = {};
	for (const { key, path, rule } of targets) {
		let value: unknown;
		if (rule.kind === 'pick') value = drawFrom(rule.values, random);
		else {
			const pool = rule.kind === 'range' ? gridValues(rule) : rule.choices;
			value = mapNumbers(valueAt(varied, path), () => drawFrom(pool, random));
		}
		varied = withValueAt(varied, path, value);
		drawn[key] = value;
	}
	return { scenario: varied as Record<string, unknown>, drawn };
}
