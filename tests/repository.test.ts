import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder, PROJECT_ROOT } from './helpers';

/** A clone of Stepwise alone must pass `npm test`: no code, test or script reads a path outside the repository. */
const SCANNED = ['src', 'tests', 'scripts', 'bench', '.ci', 'vite.config.ts', 'svelte.config.js', 'package.json'];
const SHARED = join(dirname(resolve(PROJECT_ROOT)), 'shared');

/** Relative paths written in a file (`../x`, `../../y/z`) that leave the repository, and the absolute path of the shared folder beside it. */
function pathsEscaping(file: string, text: string): string[] {
	const escaping: string[] = [];
	for (const match of text.matchAll(/(?:\.\.\/)+[\w./-]*/g)) {
		const target = resolve(dirname(file), match[0]);
		if (relative(PROJECT_ROOT, target).startsWith('..')) escaping.push(match[0]);
	}
	// only `shared`: the folder a clone sits in may be /tmp, which scripts name for their own reasons
	if (text.includes(SHARED)) escaping.push(SHARED);
	return escaping;
}

describe('the repository stands on its own', () => {
	const files = SCANNED.flatMap((path) => filesUnder(path).map((file) => join(PROJECT_ROOT, file))).filter((file) => /\.(ts|js|mjs|cjs|svelte|sh|json)$|\/run$/.test(file))
		// this file writes such paths on purpose, as the cases below
		.filter((file) => file !== fileURLToPath(import.meta.url));

	it('scans the code, the tests and the scripts', () => {
		expect(files.length).toBeGreaterThan(300);
		expect(files.some((file) => file.endsWith('.ci/run'))).toBe(true);
	});

	it.each([
		["new URL('../../outside/fixtures', import.meta.url)", ['../../outside/fixtures']],
		["readFileSync('../../../elsewhere/seeds/000.txt')", ['../../../elsewhere/seeds/000.txt']],
		["import { run } from '../src/lib/engine/run';", []],
		[`const dir = '${SHARED}/fixtures';`, [SHARED]],
		["const out = '/tmp/stepwise-screenshots';", []]
	])('in tests/x.ts, %s reaches outside: %j', (text, expected) => {
		expect(pathsEscaping(join(PROJECT_ROOT, 'tests', 'x.ts'), text)).toEqual(expected);
	});

	it('names no path outside the repository', () => {
		const found = files.flatMap((file) => pathsEscaping(file, readFileSync(file, 'utf8')).map((path) => `${relative(PROJECT_ROOT, file)}: ${path}`));
		expect(found).toEqual([]);
	});
});
