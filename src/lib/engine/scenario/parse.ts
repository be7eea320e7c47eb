import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { LIMITS } from '../limits';
import { ScenarioError, type ScenarioIssue } from './issues';
import { validateScenario, type Scenario } from './validate';

/** Parsed scenario text: the plain data, and where each path sits in the text. */
export interface ParsedText {
	data: unknown;
	/** 1-based line of the value at `path`, or of its closest parent found in the text */
	lineOf(path: readonly (string | number)[]): number | undefined;
}

/** How deep lists and mappings may nest in a large JSON text (a scenario needs about 8). */
const MAX_JSON_DEPTH = 64;

/**
 * Parses YAML or JSON (JSON is YAML) into plain data. Syntax errors become a ScenarioError
 * with the line; aliases are bounded so a small hostile file cannot expand into a huge one.
 */
export function parseScenarioText(text: string): ParsedText {
	if (text.length > LIMITS.textLength) {
		throw new ScenarioError([{ path: [], message: `the file has ${text.length.toLocaleString('en')} characters; the limit is ${LIMITS.textLength.toLocaleString('en')}` }]);
	}
	const nodes = estimateNodes(text);
	if (nodes > LIMITS.yamlValues) return { data: parseLargeJson(text, nodes), lineOf: () => undefined };
	const lineCounter = new LineCounter();
	// resolveKnownTags: false keeps !!binary, !!set and !!timestamp as plain text instead of
	// Buffers, Sets and Dates; logLevel: 'error' keeps the library from writing warnings to the console
	const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, resolveKnownTags: false, logLevel: 'error' });
	if (doc.errors.length > 0) {
		throw new ScenarioError(
			doc.errors.slice(0, 5).map((error) => {
				const line = lineCounter.linePos(error.pos[0]).line;
				return { path: [], message: `line ${line}: ${syntaxMessage(error.code, error.message, text, error.pos[0])}`, line };
			})
		);
	}
	let data: unknown;
	try {
		data = doc.toJS({ maxAliasCount: 100 });
	} catch (error) {
		const reason = error instanceof Error ? firstSentence(error.message) : 'unreadable YAML';
		// an alias repeated inside aliases ("billion laughs") would expand a small file into a huge one
		const message = /alias/i.test(reason) ? 'too many aliases (*name) to expand; repeat fewer anchored values' : reason;
		throw new ScenarioError([{ path: [], message }]);
	}
	return { data, lineOf: (path) => locate(doc, lineCounter, path) };
}

/**
 * The YAML nodes in a text, estimated within a factor of about two from one pass over its
 * characters: nearly every node follows a separator (`,` `[` `{` `-` `:` or a line break).
 */
export function estimateNodes(text: string): number {
	let nodes = 1;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 44 || c === 91 || c === 123 || c === 45 || c === 58 || c === 10) nodes++;
	}
	return nodes;
}

/** A text too large for the YAML reader, read as JSON (no line numbers, the last of duplicate keys wins). */
function parseLargeJson(text: string, nodes: number): unknown {
	const tooLarge = `the file holds about ${nodes.toLocaleString('en')} values, more than the ${LIMITS.yamlValues.toLocaleString('en')} a YAML file may hold; write a larger scenario as JSON`;
	if (!/^\s*[{[]/.test(text)) throw new ScenarioError([{ path: [], message: tooLarge }]);
	const depth = jsonDepth(text);
	if (depth > MAX_JSON_DEPTH) {
		throw new ScenarioError([{ path: [], message: `lists and mappings nested ${depth.toLocaleString('en')} deep; a scenario needs fewer than ${MAX_JSON_DEPTH}` }]);
	}
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		const reason = error instanceof Error ? firstSentence(error.message) : 'unreadable JSON';
		const size = `a file of about ${nodes.toLocaleString('en')} values is read as JSON`;
		throw new ScenarioError([{ path: [], message: `${size}, and this one is not valid JSON: ${reason}` }]);
	}
}

/** The deepest nesting of [ and { outside strings in a JSON text. */
function jsonDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92) i++; // a backslash escapes the next character
			else if (c === 34) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
		else if (c === 93 || c === 125) depth--;
	}
	return deepest;
}

/** The yaml library's message, reworded where it names the library rather than the file. */
function syntaxMessage(code: string, message: string, text: string, pos: number): string {
	if (code === 'DUPLICATE_KEY') {
		const key = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:,{}[\]\n]+?)\s*:/.exec(text.slice(pos, pos + 200))?.[1];
		return key ? `the key ${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`} appears twice in one mapping` : 'a key appears twice in one mapping';
	}
	if (code === 'MULTIPLE_DOCS') return 'a scenario file holds one YAML document; this one has another after ---';
	if (/call stack/i.test(message)) return 'lists or mappings nested too deeply';
	return firstSentence(message);
}

function firstSentence(message: string): string {
	return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function locate(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[]): number | undefined {
	for (let depth = path.length; depth >= 0; depth--) {
		const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
		if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
	}
	return undefined;
}

/** Adds line numbers to a ScenarioError's issues. */
export function withLines(error: ScenarioError, parsed: ParsedText): ScenarioError {
	const issues: ScenarioIssue[] = error.issues.map((issue) => ({ ...issue, line: issue.line ?? parsed.lineOf(issue.path) }));
	return new ScenarioError(issues);
}

/**
 * Reads scenario text with `read` (validation, a summary…), attaching to its errors the line of
 * the path they name. A file that wraps its scenario under `scenario:` (a fixture or an exercise)
 * is read through the wrapper, and its errors are located under `scenario`.
 */
export function readText<T>(text: string, read: (data: unknown) => T): T {
	const parsed = parseScenarioText(text);
	const wrapped = scenarioWrapper(parsed.data);
	try {
		return read(wrapped ?? parsed.data);
	} catch (error) {
		if (!(error instanceof ScenarioError)) throw error;
		const located = wrapped ? new ScenarioError(error.issues.map((i) => ({ ...i, path: ['scenario', ...i.path] }))) : error;
		throw withLines(located, parsed);
	}
}

/** Parses and validates scenario text. */
export function readScenario(text: string): Scenario {
	return readText(text, validateScenario);
}

/** The inner scenario of `{ scenario: {...}, expect: [...] }`, or undefined for a plain scenario file. */
export function scenarioWrapper(data: unknown): unknown {
	if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
	const record = data as Record<string, unknown>;
	return 'scenario' in record && !('model' in record) && !('perceptron' in record) ? record.scenario : undefined;
}
