import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { expect } from 'vitest';
import type { NestedNumbers } from '../src/lib/engine/tensor';

/** The courses' worked examples, loaded as they are from ../shared/fixtures. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../shared/fixtures', import.meta.url));
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

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
