import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESIGN_EXAMPLE } from '../helpers';
import { cliIsStale } from '../../scripts/build-cli.mjs';
import { runCli, scratch } from './cli';

const { dir, file } = scratch('stepwise-cli-loading-');

// A module resolve hook that writes every package the process imports to the file STEPWISE_LOADED
// names: what the command really loaded, whatever the bundle looks like.
file(
	'hooks.mjs',
	`import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
	const resolved = await next(specifier, context);
	appendFileSync(process.env.STEPWISE_LOADED, resolved.url + '\\n');
	return resolved;
}
`
);
const register = file('register.mjs', `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);

// DESIGN.md's example (JSON is YAML)
const backprop = file('backprop.yaml', JSON.stringify(DESIGN_EXAMPLE));
const answers = file('answers.json', '{"z1": "0,1 ; 0,45", "a2": "sigmoid(0.2)"}');

/** The packages (folder names under node_modules) a command imported, and its exit status. */
function packagesLoaded(args: string[]): { status: number | null; packages: string[] } {
	const log = join(dir, `loaded-${args[0]}-${Math.random().toString(36).slice(2)}.txt`);
	writeFileSync(log, '');
	const { status } = runCli(args, { node: ['--import', register], env: { ...process.env, STEPWISE_LOADED: log } });
	const packages = readFileSync(log, 'utf8')
		.split('\n')
		.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
		.filter((name): name is string => name !== undefined);
	return { status, packages: [...new Set(packages)].sort() };
}

const HEAVY = ['better-sqlite3', 'exceljs', 'gpu.js', 'kysely', 'pg'];

describe('each command loads only what it needs', () => {
	it.each([
		['trace', [backprop]],
		['trace --json', [backprop, '--json']],
		['info', [backprop, '--json']],
		['check', ['exercises/backprop-221.yaml']],
		['variant', ['backprop-221', '--student', '21901234', '--key', '--json']],
		['grade', ['backprop-221', '--student', '21901234', '--answers', answers]]
	])('%s: no database driver, gpu.js or exceljs', (name, rest) => {
		const { status, packages } = packagesLoaded([name.split(' ')[0], ...rest]);
		expect(status).toBe(0);
		expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
	});

	it('sees gpu.js when a run asks for the gpu backend, so the check above can fail', () => {
		const { status, packages } = packagesLoaded(['trace', backprop, '--backend', 'gpu']);
		expect(status).toBe(0);
		expect(packages).toContain('gpu.js');
	});

	it('sees a database driver on a database command', () => {
		const { packages } = packagesLoaded(['db', 'copy', '--from', join(dir, 'none.db'), '--to', join(dir, 'copy.db')]);
		expect(packages).toContain('better-sqlite3');
	});
});

describe('the built command line', () => {
	// paraglide rewrites its output at every compile, the build's own included: counted as a source,
	// it made every `npm run cli` rebuild (about 3 s a call)
	it('is up to date once built, however often the messages are compiled again', () => {
		expect(cliIsStale()).toBe(false);
	});
});
