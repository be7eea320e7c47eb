import type { Tensor } from '../tensor';
import { shapeLabel } from '../tensor';
import { describeValue, type ScenarioIssue } from './issues';

type Path = (string | number)[];

/**
 * The deepest nesting a scenario tensor may have. The deepest in the format is an image batch
 * (samples × channels × height × width); the margin keeps shape messages for a list or two too
 * many, and the bound keeps a hostile, deeply nested list from exhausting the stack.
 */
export const MAX_RANK = 8;

/**
 * Reads nested lists of finite numbers into a tensor, or reports the first entry that is not a
 * number or the first row whose length differs from its neighbours'.
 */
export function readTensor(value: unknown, path: Path, issues: ScenarioIssue[]): Tensor | undefined {
	const shape: number[] = [];
	let probe = value;
	while (Array.isArray(probe)) {
		if (shape.length === MAX_RANK) {
			issues.push({ path, message: `expected numbers in lists nested at most ${MAX_RANK} deep, got lists nested deeper` });
			return undefined;
		}
		shape.push(probe.length);
		if (probe.length === 0) break;
		probe = probe[0];
	}
	if (shape.length === 0 && typeof value !== 'number') {
		issues.push({ path, message: `expected a number or a list of numbers, got ${describeValue(value)}` });
		return undefined;
	}
	const data: number[] = [];
	// one path array, extended and shortened on the way down and up, copied only for a problem
	const problem = collect(value, shape, 0, [...path], data);
	if (problem) {
		issues.push(problem);
		return undefined;
	}
	return { shape, data: Float64Array.from(data) };
}

function collect(value: unknown, shape: number[], depth: number, path: Path, out: number[]): ScenarioIssue | undefined {
	if (depth === shape.length) {
		if (typeof value === 'number' && Number.isFinite(value)) {
			out.push(value);
			return undefined;
		}
		return { path: [...path], message: `expected a finite number, got ${describeValue(value)}` };
	}
	if (!Array.isArray(value)) {
		return { path: [...path], message: `expected a list of ${shape[depth]} like the entries before it, got ${describeValue(value)}` };
	}
	if (value.length !== shape[depth]) {
		const entries = shape[depth] === 1 ? 'entry' : 'entries';
		return { path: [...path], message: `expected ${shape[depth]} ${entries} like the row before it, got ${value.length}` };
	}
	for (let i = 0; i < value.length; i++) {
		path.push(i);
		const problem = collect(value[i], shape, depth + 1, path, out);
		path.pop();
		if (problem) return problem;
	}
	return undefined;
}

/** Checks a tensor's shape, saying what each dimension means: `expected 2×3 (units × inputs), got 3×2`. */
export function expectShape(
	t: Tensor,
	expected: readonly number[],
	meaning: string,
	path: Path,
	issues: ScenarioIssue[]
): boolean {
	if (t.shape.length === expected.length && t.shape.every((d, i) => d === expected[i])) return true;
	issues.push({ path, message: `expected ${shapeLabel(expected)} (${meaning}), got ${shapeLabel(t.shape)}` });
	return false;
}
