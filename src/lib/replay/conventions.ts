import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { ActivationName } from '../engine/activations';
import { LIMITS } from '../engine/limits';
import { LOSS_NAMES, type LossName } from '../engine/losses';
import { describeValue, formatIssue, formatPath, ScenarioError } from '../engine/scenario/issues';
import { estimateNodes, scenarioWrapper } from '../engine/scenario/parse';
import { validateScenario } from '../engine/scenario/validate';

/**
 * The conventions of a scenario that differ between courses (seeds/README.md, "Conventions differ
 * between courses, so they are settings"), read from scenario text and written back into that
 * text. Only the edited value changes: the text is spliced where the yaml library's Document
 * says the value lies, so the author's comments, key order, flow style and spacing all survive
 * (re-printing the whole Document would re-space every `[0.1, 0.1]` as `[ 0.1, 0.1 ]`). A file
 * that wraps its scenario under `scenario:` (a lesson, a fixture, an exercise) is edited inside
 * the wrapper; paths given here are always relative to the scenario.
 */

export type Reduction = 'mean' | 'sum';
export type PerceptronRule = 'delta' | 'sign';
/** A path in the scenario, as in ScenarioIssue: `['model', 'layers', 0, 'W', 1, 0]`. */
export type ScenarioPath = readonly (string | number)[];

export interface NetworkTraining {
	loss: LossName;
	reduction: Reduction;
	/** optimizer.lr, or under a schedule its first rate optimizer.lr.initial */
	lr: number;
	/** whether optimizer.lr is a schedule: an edit of lr changes its first rate and keeps the decay */
	decays: boolean;
	update: { weights: boolean; biases: boolean };
}

export interface NetworkSettings {
	kind: 'network';
	/** the activation of the last layer, which the loss must suit */
	outputActivation: ActivationName;
	/** null: a forward-only run (no loss), with nothing to train */
	training: NetworkTraining | null;
	/** every conv2d layer, by its 0-based index in model.layers: false computes a cross-correlation */
	conv: { layer: number; flip: boolean }[];
}

export interface PerceptronSettings {
	kind: 'perceptron';
	threshold: number;
	/** true: 1 when z > threshold; false: when z ≥ threshold */
	strict: boolean;
	/** delta: w_i += lr·(y − ŷ)·x_i; sign: w_i += lr·(y − ŷ) for every i */
	rule: PerceptronRule;
	lr: number;
	/** false: `b: null`, no bias */
	bias: boolean;
}

/** Text whose settings cannot be edited here (it does not validate, or is too large), and why. */
export interface NoSettings {
	kind: 'none';
	reason: string;
}

export type Settings = NetworkSettings | PerceptronSettings | NoSettings;

export type SettingChange =
	| { kind: 'loss'; value: LossName }
	| { kind: 'reduction'; value: Reduction }
	/** optimizer.lr of a network, perceptron.lr of a perceptron */
	| { kind: 'lr'; value: number }
	| { kind: 'update-weights'; value: boolean }
	| { kind: 'update-biases'; value: boolean }
	/** `layer`: 0-based index in model.layers of a conv2d layer */
	| { kind: 'flip'; layer: number; value: boolean }
	| { kind: 'threshold'; value: number }
	| { kind: 'strict'; value: boolean }
	| { kind: 'rule'; value: PerceptronRule }
	| { kind: 'bias'; value: boolean };

/** The edited text, or why the edit was refused. Nothing here throws for a bad edit. */
export type Edit = { ok: true; text: string } | { ok: false; message: string };

type Scalarish = number | boolean | string | null;
type Path = (string | number)[];

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * The most YAML values a text may hold to be edited here. Settings are read on the page's main
 * thread at every change, and the yaml library reads about 50,000 values a second: 10,000 keep a
 * change under a quarter of a second. A larger scenario (images) is edited in the editor.
 */
export const EDITABLE_VALUES = 10_000;

const TOO_LARGE = 'the file is too large to edit here; change it in the editor';

function tooLarge(text: string): boolean {
	return text.length > LIMITS.textLength || estimateNodes(text) > EDITABLE_VALUES;
}

/**
 * The conventions of the scenario in `text`, with the engine's defaults resolved. Text that does
 * not validate gives `{ kind: 'none', reason }` with the first issue: fix the file first.
 */
export function readSettings(text: string): Settings {
	const opened = openDocument(text);
	return opened.ok ? settingsOf(opened) : { kind: 'none', reason: opened.message };
}

/** The settings of a parsed text, from the engine's own validation (so its defaults, and its refusals). */
function settingsOf({ data, prefix }: { data: unknown; prefix: Path }): Settings {
	let scenario;
	try {
		scenario = validateScenario(prefix.length > 0 ? scenarioWrapper(data) : data);
	} catch (error) {
		if (error instanceof ScenarioError) return { kind: 'none', reason: formatIssue({ ...error.issues[0], path: [...prefix, ...error.issues[0].path] }) };
		return { kind: 'none', reason: error instanceof Error ? error.message : String(error) };
	}
	if (scenario.kind === 'perceptron') {
		return {
			kind: 'perceptron',
			threshold: scenario.threshold,
			strict: scenario.strict,
			rule: scenario.rule,
			lr: scenario.lr,
			bias: scenario.b !== null
		};
	}
	const last = scenario.plans[scenario.plans.length - 1];
	return {
		kind: 'network',
		outputActivation: last.type === 'dense' || last.type === 'conv2d' ? last.activation : 'identity',
		training:
			scenario.loss === null
				? null
				: { loss: scenario.loss, reduction: scenario.reduction, lr: scenario.lr, decays: scenario.schedule !== null, update: { ...scenario.update } },
		conv: scenario.plans.flatMap((plan) => (plan.type === 'conv2d' ? [{ layer: plan.index - 1, flip: plan.flip }] : []))
	};
}

const SQUARED: LossName[] = ['half_squared_error', 'squared_error', 'mse'];

/**
 * The losses that suit the output layer, in LOSS_NAMES order: softmax needs categorical
 * cross-entropy (the engine refuses anything else); binary cross-entropy needs outputs inside
 * (0, 1), so a sigmoid; the squared losses suit every other output. The file's own loss is always
 * included, so that a menu shows what the file says. Empty for a perceptron or a forward-only run.
 */
export function allowedLosses(settings: Settings): LossName[] {
	if (settings.kind !== 'network' || !settings.training) return [];
	const current = settings.training.loss;
	const fits: LossName[] =
		settings.outputActivation === 'softmax'
			? ['categorical_cross_entropy']
			: settings.outputActivation === 'sigmoid'
				? [...SQUARED, 'binary_cross_entropy']
				: SQUARED;
	return LOSS_NAMES.filter((name) => name === current || fits.includes(name));
}

/** The number at `path` in the scenario, or undefined where the file holds no number there. */
export function readNumber(text: string, path: ScenarioPath): number | undefined {
	const opened = openDocument(text);
	if (!opened.ok) return undefined;
	const node = opened.doc.getIn([...opened.prefix, ...path], true);
	return isScalar(node) && typeof node.value === 'number' ? node.value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Writing

interface Target {
	/** relative to the scenario */
	path: Path;
	value: Scalarish;
	/** the engine's value when the key is absent: setting it on an absent key leaves the text alone */
	fallback?: Scalarish;
	/** where a new key goes: after the first of these keys that its mapping has, else at the end */
	after?: string[];
	/** the same for a new mapping above the key (`update:` for `update.biases`) */
	parentAfter?: string[];
}

/** What a change writes, `null` when the scenario already says it, or why it does not apply. */
type Plan = Target | null | string;

const PERCEPTRON_ORDER = ['lr', 'rule', 'strict', 'threshold', 'b', 'w'];
/** A new perceptron key goes after the keys that DESIGN.md writes before it. */
function perceptronAfter(key: string): string[] {
	return PERCEPTRON_ORDER.slice(PERCEPTRON_ORDER.indexOf(key) + 1);
}

/** Where a new `update:` goes in the scenario. */
const UPDATE_AFTER = ['optimizer', 'reduction', 'loss'];

const NETWORK_ONLY = new Set<SettingChange['kind']>(['loss', 'reduction', 'update-weights', 'update-biases', 'flip']);
const PERCEPTRON_ONLY = new Set<SettingChange['kind']>(['threshold', 'strict', 'rule', 'bias']);

/** What a change writes where, or why it does not apply to these settings. */
function targetOf(settings: NetworkSettings | PerceptronSettings, change: SettingChange): Plan {
	if (settings.kind === 'perceptron' && NETWORK_ONLY.has(change.kind)) return `${change.kind} is a setting of a network; this scenario is a perceptron`;
	if (settings.kind === 'network' && PERCEPTRON_ONLY.has(change.kind)) return `${change.kind} is a setting of a perceptron; this scenario is a network`;
	if (settings.kind === 'perceptron') {
		switch (change.kind) {
			case 'threshold':
				if (!Number.isFinite(change.value)) return `the threshold must be a finite number, got ${describeValue(change.value)}`;
				return { path: ['perceptron', 'threshold'], value: change.value, fallback: 0, after: perceptronAfter('threshold') };
			case 'strict':
				return { path: ['perceptron', 'strict'], value: change.value, fallback: false, after: perceptronAfter('strict') };
			case 'rule':
				if (change.value !== 'delta' && change.value !== 'sign') return `the rule is delta or sign, got ${describeValue(change.value)}`;
				return { path: ['perceptron', 'rule'], value: change.value, fallback: 'delta', after: perceptronAfter('rule') };
			case 'lr':
				if (!(change.value > 0) || !Number.isFinite(change.value)) return `the learning rate must be a number above 0, got ${describeValue(change.value)}`;
				return { path: ['perceptron', 'lr'], value: change.value, fallback: 1, after: perceptronAfter('lr') };
			case 'bias':
				// on: an existing bias keeps its value, a null becomes 0 (the default when b is absent)
				if (change.value === settings.bias) return null;
				return { path: ['perceptron', 'b'], value: change.value ? 0 : null, fallback: 0, after: ['w'] };
		}
		return `${change.kind} is not a setting of a perceptron`;
	}
	if (change.kind === 'flip') {
		if (!settings.conv.some((c) => c.layer === change.layer)) {
			const layers = settings.conv.map((c) => c.layer);
			return `model.layers[${change.layer}] is not a conv2d layer${layers.length ? `; the conv2d layers are ${layers.map((l) => `[${l}]`).join(', ')}` : ''}`;
		}
		return { path: ['model', 'layers', change.layer, 'flip'], value: change.value, fallback: false, after: ['padding', 'stride', 'kernel', 'filters', 'type'] };
	}
	const training = settings.training;
	if (!training) return 'this scenario runs forward only (no loss): there is nothing to train';
	switch (change.kind) {
		case 'loss':
			if (!allowedLosses(settings).includes(change.value)) {
				return settings.outputActivation === 'softmax'
					? `softmax on the last layer needs categorical_cross_entropy, not ${change.value}`
					: `${change.value} does not suit a ${settings.outputActivation} output; choose one of ${allowedLosses(settings).join(', ')}`;
			}
			return { path: ['loss'], value: change.value };
		case 'reduction':
			if (change.value !== 'mean' && change.value !== 'sum') return `the reduction is mean or sum, got ${describeValue(change.value)}`;
			return { path: ['reduction'], value: change.value, fallback: 'mean', after: ['loss'] };
		case 'lr':
			if (!(change.value > 0) || !Number.isFinite(change.value)) return `the learning rate must be a number above 0, got ${describeValue(change.value)}`;
			return training.decays ? { path: ['optimizer', 'lr', 'initial'], value: change.value } : { path: ['optimizer', 'lr'], value: change.value, after: ['type'] };
		case 'update-weights':
			return { path: ['update', 'weights'], value: change.value, fallback: true, after: [], parentAfter: UPDATE_AFTER };
		case 'update-biases':
			return { path: ['update', 'biases'], value: change.value, fallback: true, after: ['weights'], parentAfter: UPDATE_AFTER };
	}
	return `${change.kind} is not a setting of a network`;
}

/**
 * Writes one convention into the scenario text, after checking that it applies to this scenario
 * (a loss that suits the output, a learning rate above 0, a conv2d layer's flip…). The text keeps
 * everything else byte for byte; an absent key is added only when the new value differs from the
 * engine's default.
 */
export function applySetting(text: string, change: SettingChange): Edit {
	const opened = openDocument(text);
	if (!opened.ok) return opened;
	const settings = settingsOf(opened);
	if (settings.kind === 'none') return { ok: false, message: settings.reason };
	const target = targetOf(settings, change);
	if (target === null) return { ok: true, text };
	if (typeof target === 'string') return { ok: false, message: target };
	return writeScalar(text, opened, target, 'setting');
}

/**
 * Writes `value` at `path` (relative to the scenario), where the file holds a number: one weight
 * (`['model', 'layers', 0, 'W', 1, 0]`, `['perceptron', 'w', 1]`), one input (`['data', 'X', 0, 1]`).
 * Refuses a path that does not hold a number (a list, a name, a weight drawn by init) and a value
 * that is not finite. The text is not validated: an edit can make it invalid, which the page shows.
 */
export function setNumber(text: string, path: ScenarioPath, value: number): Edit {
	if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, message: `${formatPath(path)}: expected a finite number, got ${describeValue(value)}` };
	const opened = openDocument(text);
	if (!opened.ok) return opened;
	return writeScalar(text, opened, { path: [...path], value }, 'number');
}

type Parsed = { ok: true; doc: Document; data: unknown; prefix: Path };
type Opened = Parsed | { ok: false; message: string };

/** Parses the text as parse.ts does (aliases bounded, tags kept as text) and finds the scenario in it. */
function openDocument(text: string): Opened {
	if (tooLarge(text)) return { ok: false, message: TOO_LARGE };
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, resolveKnownTags: false, logLevel: 'error' });
	if (doc.errors.length > 0) {
		const error = doc.errors[0];
		const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
		return { ok: false, message: `the text is not valid YAML: line ${lineCounter.linePos(error.pos[0]).line}: ${reason}` };
	}
	let data: unknown;
	try {
		data = doc.toJS({ maxAliasCount: 100 });
	} catch (error) {
		return { ok: false, message: error instanceof Error ? error.message : 'unreadable YAML' };
	}
	return { ok: true, doc, data, prefix: scenarioWrapper(data) === undefined ? [] : ['scenario'] };
}

function writeScalar(text: string, opened: Parsed, target: Target, mode: 'setting' | 'number'): Edit {
	const { doc, prefix } = opened;
	const where = formatPath(target.path);
	const found = locate(doc, [...prefix, ...target.path]);
	let edited: string;
	if (found.kind === 'scalar') {
		const node = found.node;
		if (mode === 'number' && typeof node.value !== 'number') {
			return { ok: false, message: `${where} holds ${describeValue(node.value)}, not a number` };
		}
		if (node.value === target.value) return { ok: true, text };
		edited = replaceScalar(text, node, target.value);
	} else if (found.kind === 'other') {
		const at = formatPath(found.at.slice(prefix.length));
		return { ok: false, message: mode === 'number' ? `${where} is not a number: ${at} holds ${found.what}` : `${where}: ${at} holds ${found.what}; expected a single value` };
	} else if (found.kind === 'outside') {
		return { ok: false, message: `${where} is not in the file: ${formatPath(found.at.slice(prefix.length))} has ${found.length} entr${found.length === 1 ? 'y' : 'ies'}` };
	} else if (mode === 'number') {
		const missing = found.missing.slice(prefix.length);
		return { ok: false, message: `${where} is not in the file: ${formatPath(missing.slice(0, -1))} has no ${String(missing[missing.length - 1])}` };
	} else {
		if (target.fallback !== undefined && target.fallback === target.value) return { ok: true, text };
		const inserted = insertKey(text, found, target);
		if (typeof inserted !== 'string') return { ok: false, message: `${where}: ${inserted.message}` };
		edited = inserted;
	}
	return verify(text, edited, opened.data, [...prefix, ...target.path], target.value);
}

type Located =
	| { kind: 'scalar'; node: Scalar }
	/** something other than a single value at `at` (on the path or at its end) */
	| { kind: 'other'; at: Path; what: string }
	/** an index past the end of the list at `at` */
	| { kind: 'outside'; at: Path; length: number }
	/** `map` is the deepest mapping found on the path; `missing` the path to it plus the first absent key */
	| { kind: 'absent'; map: YAMLMap; missing: Path; rest: Path };

/** Walks the path through mappings and lists of the Document, as nodes (so their ranges are known). */
function locate(doc: Document, path: Path): Located {
	let node: unknown = doc.contents;
	const alias = (i: number, source: string): Located => ({ kind: 'other', at: path.slice(0, i), what: `an alias (*${source}); edit the anchored value` });
	for (let i = 0; i < path.length; i++) {
		const key = path[i];
		if (isAlias(node)) return alias(i, node.source);
		if (isMap(node)) {
			const pair = findPair(node, key);
			if (!pair) return { kind: 'absent', map: node, missing: path.slice(0, i + 1), rest: path.slice(i + 1) };
			node = pair.value;
		} else if (isSeq(node) && typeof key === 'number' && Number.isInteger(key) && key >= 0) {
			if (key >= node.items.length) return { kind: 'outside', at: path.slice(0, i), length: node.items.length };
			node = node.items[key];
		} else {
			return { kind: 'other', at: path.slice(0, i), what: describeNode(node) };
		}
	}
	if (isAlias(node)) return alias(path.length, node.source);
	if (isScalar(node)) return { kind: 'scalar', node };
	return { kind: 'other', at: path, what: describeNode(node) };
}

function describeNode(node: unknown): string {
	if (isSeq(node)) return node.items.length === 0 ? 'an empty list' : `a list of ${node.items.length}`;
	if (isMap(node)) return 'a mapping';
	if (isScalar(node)) return describeValue(node.value);
	return 'nothing';
}

function findPair(map: YAMLMap, key: string | number): Pair | undefined {
	return map.items.find((pair) => (isScalar(pair.key) ? pair.key.value === key : pair.key === key)) as Pair | undefined;
}

/** The source of a scalar, in the style of the one it replaces (quotes, decimals). */
function scalarSource(value: Scalarish, like?: Scalar, quoteKeys = false): string {
	if (value === null) return 'null';
	if (typeof value === 'boolean') return String(value);
	if (typeof value === 'number') return numberSource(value, like?.minFractionDigits ?? 0);
	if (like?.type === 'QUOTE_DOUBLE' || quoteKeys) return JSON.stringify(value);
	if (like?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
	return value;
}

/** 0.25, 1e-7; with as many decimals as the number it replaces had (1.0 → 2.0). */
function numberSource(value: number, minFractionDigits: number): string {
	let s = String(Object.is(value, -0) ? 0 : value);
	if (minFractionDigits > 0 && !/e/i.test(s)) {
		let dot = s.indexOf('.');
		if (dot < 0) {
			dot = s.length;
			s += '.';
		}
		for (let d = minFractionDigits - (s.length - dot - 1); d > 0; d--) s += '0';
	}
	return s;
}

function replaceScalar(text: string, node: Scalar, value: Scalarish): string {
	const [start, end] = node.range as [number, number, number];
	let source = scalarSource(value, node);
	// an empty value (`lr:` with nothing after it) sits right after its colon
	if (start === end && text[start - 1] === ':') source = ` ${source}`;
	return text.slice(0, start) + source + text.slice(end);
}

/** Inserts the absent key (and any absent mappings above it) into the deepest mapping found. */
function insertKey(text: string, found: Extract<Located, { kind: 'absent' }>, target: Target): string | { message: string } {
	const { map, rest } = found;
	const key = found.missing[found.missing.length - 1];
	if (typeof key !== 'string') return { message: `no entry ${String(key)} to write into` };
	if (map.range == null) return { message: 'the mapping has no place in the text' };
	const quote = map.items.length > 0 && isScalar(map.items[0].key) && map.items[0].key.type === 'QUOTE_DOUBLE';
	const k = (name: string): string => (quote ? JSON.stringify(name) : name);
	// the value of the new key: the target's value, or flow mappings down to it (`update: { biases: false }`)
	let value = scalarSource(target.value, undefined, quote);
	for (let i = rest.length - 1; i >= 0; i--) {
		const name = rest[i];
		if (typeof name !== 'string') return { message: `no list ${formatPath(found.missing)} to write into` };
		value = quote ? `{${k(name)}: ${value}}` : `{ ${name}: ${value} }`;
	}
	const after = (rest.length > 0 ? target.parentAfter : target.after) ?? [];
	const anchor = after.map((name) => findPair(map, name)).find((pair) => pair !== undefined) ?? map.items[map.items.length - 1];
	const entry = `${k(key)}: ${value}`;
	if (map.flow) {
		if (!anchor) {
			const open = map.range[0];
			return text.slice(0, open + 1) + (quote ? entry : ` ${entry} `) + text.slice(open + 1);
		}
		const end = pairEnd(anchor);
		return text.slice(0, end) + `, ${entry}` + text.slice(end);
	}
	if (!anchor || !isNodeWithRange(anchor.key)) return { message: 'the mapping has no place in the text' };
	const first = map.items[0].key as Node;
	const keyStart = (first.range as [number, number, number])[0];
	const indent = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1);
	let last = pairEnd(anchor);
	while (last > 0 && /\s/.test(text[last - 1])) last--;
	const newline = text.indexOf('\n', last);
	const at = newline < 0 ? text.length : newline;
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	const lineEnd = at > 0 && text[at - 1] === '\r' ? at - 1 : at;
	return text.slice(0, lineEnd) + eol + ' '.repeat(indent) + entry + text.slice(lineEnd);
}

function isNodeWithRange(node: unknown): node is Node {
	return (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) && node.range != null;
}

/** The end of a pair's value in the text (of its key, for a key without a value). */
function pairEnd(pair: Pair): number {
	const node = isNodeWithRange(pair.value) ? pair.value : isNodeWithRange(pair.key) ? pair.key : null;
	return node ? (node.range as [number, number, number])[1] : 0;
}

/**
 * Reads the edited text back and checks that it holds the same data as before with one value
 * changed (or added), so that a splice in the wrong place can never reach the page.
 */
function verify(before: string, after: string, data: unknown, path: Path, value: Scalarish): Edit {
	const doc = parseDocument(after, { uniqueKeys: true, prettyErrors: false, resolveKnownTags: false, logLevel: 'error' });
	let ok = doc.errors.length === 0 && after !== before;
	try {
		ok &&= deepEqual(doc.toJS({ maxAliasCount: 100 }), withValue(data, path, value));
	} catch {
		ok = false;
	}
	return ok ? { ok: true, text: after } : { ok: false, message: `${formatPath(path)}: could not write ${String(value)} into this text without changing other values; edit it in the editor` };
}

/** A copy of `data` with `value` at `path`, creating the mappings on the way. */
function withValue(data: unknown, path: Path, value: Scalarish): unknown {
	if (path.length === 0) return value;
	const [key, ...rest] = path;
	if (Array.isArray(data)) {
		const copy = [...data];
		copy[key as number] = withValue(copy[key as number], rest, value);
		return copy;
	}
	const record = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
	return { ...record, [key]: withValue(record[key as string], rest, value) };
}

function deepEqual(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const ka = Object.keys(a);
	const kb = Object.keys(b);
	if (ka.length !== kb.length) return false;
	return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
