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

/**
 * Parses YAML or JSON (JSON is YAML) into plain data. Syntax errors become a ScenarioError
 * with the line; aliases are bounded so a small hostile file cannot expand into a huge one.
 */
export function parseScenarioText(text: string): ParsedText {
	if (text.length > LIMITS.textLength) {
		throw new ScenarioError([{ path: [], message: `the file has ${text.length.toLocaleString('en')} characters; the limit is ${LIMITS.textLength.toLocaleString('en')}` }]);
	}
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
	if (doc.errors.length > 0) {
		throw new ScenarioError(
			doc.errors.slice(0, 5).map((error) => {
				const line = lineCounter.linePos(error.pos[0]).line;
				return { path: [], message: `line ${line}: ${firstSentence(error.message)}`, line };
			})
		);
	}
	let data: unknown;
	try {
		data = doc.toJS({ maxAliasCount: 100 });
	} catch (error) {
		throw new ScenarioError([{ path: [], message: error instanceof Error ? firstSentence(error.message) : 'unreadable YAML' }]);
	}
	return { data, lineOf: (path) => locate(doc, lineCounter, path) };
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
 * Parses and validates scenario text; errors carry the line of the path they name. A file that
 * wraps its scenario under `scenario:` (a fixture or an exercise) is read through the wrapper.
 */
export function readScenario(text: string): Scenario {
	const parsed = parseScenarioText(text);
	const wrapped = scenarioWrapper(parsed.data);
	try {
		return validateScenario(wrapped ?? parsed.data);
	} catch (error) {
		if (!(error instanceof ScenarioError)) throw error;
		const located = wrapped ? new ScenarioError(error.issues.map((i) => ({ ...i, path: ['scenario', ...i.path] }))) : error;
		throw withLines(located, parsed);
	}
}

/** The inner scenario of `{ scenario: {...}, expect: [...] }`, or undefined for a plain scenario file. */
export function scenarioWrapper(data: unknown): unknown {
	if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
	const record = data as Record<string, unknown>;
	return 'scenario' in record && !('model' in record) && !('perceptron' in record) ? record.scenario : undefined;
}
