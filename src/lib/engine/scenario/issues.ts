/** One problem found in a scenario, located by its path in the file (0-based indices, as in the file). */
export interface ScenarioIssue {
	path: (string | number)[];
	message: string;
	/** 1-based line in the source text, when the scenario came from text */
	line?: number;
}

/** `model.layers[2].kernel` */
export function formatPath(path: readonly (string | number)[]): string {
	let out = '';
	for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
	return out || '(top level)';
}

export function formatIssue(issue: ScenarioIssue): string {
	return `${formatPath(issue.path)}: ${issue.message}`;
}

/**
 * Thrown for a scenario that cannot run. `message` lists every issue, one a line, each starting
 * with the path it is about, so that a person, an editor and a test can all find the place.
 */
export class ScenarioError extends Error {
	readonly issues: ScenarioIssue[];

	constructor(issues: ScenarioIssue[]) {
		super(issues.map(formatIssue).join('\n'));
		this.name = 'ScenarioError';
		this.issues = issues;
	}
}

/** Describes a value found where another was expected: `"two"`, `.inf`, `a list of 3`. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'number') {
		if (Number.isNaN(value)) return '.nan (not a number)';
		if (!Number.isFinite(value)) return value > 0 ? '.inf (infinite)' : '-.inf (infinite)';
		return String(value);
	}
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
	if (typeof value === 'object') return 'a mapping';
	return String(value);
}

/** The closest of `candidates` to a misspelt `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Infinity;
	for (const candidate of candidates) {
		const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
		if (d < bestDistance) {
			best = candidate;
			bestDistance = d;
		}
	}
	return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = current;
	}
	return previous[b.length];
}

/** "a, b or c" */
export function listOf(words: readonly string[]): string {
	return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
