import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { expect } from 'vitest';
import type { NestedNumbers } from '../src/lib/engine/tensor';
import { eventAt, findEvent, type Trace } from '../src/lib/engine/trace';

/** The courses' worked examples with their published numbers, copied as they are into tests/fixtures/courses. */
export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/courses', import.meta.url));
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folders no scan of the project's own files reads: installed, generated, or copied from elsewhere. */
const NOT_OURS = new Set(['node_modules', 'paraglide', 'fixtures']);

/** The files under `path` (relative to the project's root, a file or a folder), as relative paths. */
export function filesUnder(path: string): string[] {
	if (!statSync(join(PROJECT_ROOT, path)).isDirectory()) return [path];
	return readdirSync(join(PROJECT_ROOT, path))
		.filter((name) => !NOT_OURS.has(name))
		.flatMap((name) => filesUnder(join(path, name)));
}

export function fixtureFiles(): string[] {
	return readdirSync(FIXTURES_DIR)
		.filter((f) => f.endsWith('.yaml'))
		.sort();
}

export function loadFixture(file: string): unknown {
	return parse(readFileSync(join(FIXTURES_DIR, file), 'utf8'));
}

/** Asserts two nested number arrays have the same shape and agree within `tolerance` (absolute). */
export function expectClose(actual: NestedNumbers, expected: NestedNumbers, tolerance: number, where = ''): void {
	if (Array.isArray(expected)) {
		expect(Array.isArray(actual), `${where}: expected a list, got ${JSON.stringify(actual)}`).toBe(true);
		const list = actual as NestedNumbers[];
		expect(list.length, `${where}: length`).toBe(expected.length);
		expected.forEach((e, i) => expectClose(list[i], e, tolerance, `${where}[${i}]`));
		return;
	}
	expect(typeof actual, `${where}: expected a number`).toBe('number');
	expect(Math.abs((actual as number) - expected), `${where}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** DESIGN.md's example scenario: the 2-2-1 sigmoid network trained one step on one sample. */
export const DESIGN_EXAMPLE: Record<string, unknown> = {
	title: 'Backprop, one step',
	model: {
		input: 2,
		layers: [
			{ type: 'dense', units: 2, activation: 'sigmoid', W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1] },
			{ type: 'dense', units: 1, activation: 'sigmoid', W: [[0.5, -0.5]], b: [0.2] }
		]
	},
	loss: 'half_squared_error',
	reduction: 'mean',
	optimizer: { type: 'sgd', lr: 0.5 },
	update: { weights: true, biases: true },
	data: { X: [[1.0, 0.5]], Y: [[1.0]] },
	training: { epochs: 1, batch_size: 1, shuffle: false, seed: 1 }
};

/** The values of event `name` at `step`, which the test expects to exist. */
export function values(trace: Trace, step: number, name: string): number[] {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return Array.from(event.value.data);
}

/** The names of a step's events, in the order they were recorded. */
export function namesOfStep(trace: Trace, step: number): string[] {
	const names: string[] = [];
	for (let seq = trace.stepStart[step]; seq < trace.stepStart[step + 1]; seq++) names.push(eventAt(trace, seq).name);
	return names;
}

/** Every number a scenario holds (weights, inputs, targets, rate): what a statement gives the student. */
function scenarioNumbers(scenario: unknown): number[] {
	if (typeof scenario === 'number') return [scenario];
	if (Array.isArray(scenario)) return scenario.flatMap(scenarioNumbers);
	if (scenario !== null && typeof scenario === 'object') return Object.values(scenario).flatMap(scenarioNumbers);
	return [];
}

/**
 * Whether an answer is also a number the statement gives, so a page that shows it leaks nothing:
 * with x = (1.5, 1.5), W = (0.9, 0.3) and b = −0.3, z = 1.5 is the input's own number.
 */
export function givenByStatement(value: number, scenario: unknown): boolean {
	return scenarioNumbers(scenario).some((given) => Math.abs(given - value) <= 1e-12);
}
