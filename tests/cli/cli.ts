import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, cliIsStale, CLI_MAIN } from '../../scripts/build-cli.mjs';
import { PROJECT_ROOT } from '../helpers';

// The built command line, as `npm run -s cli --` runs it: built here when missing or stale (two
// test files building at once is safe, see buildCli).
if (cliIsStale()) await buildCli();

export interface CliResult {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** Runs the built CLI (build-cli/main.js), without npm's start-up cost; `node` options go before it. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; node?: string[] } = {}): CliResult {
	const result = spawnSync(process.execPath, [...(options.node ?? []), CLI_MAIN, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', env: options.env, input: options.input });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function cli(...args: string[]): CliResult {
	return runCli(args);
}

/** A fresh temporary folder, and a writer of files in it for the command line to read. */
export function scratch(prefix: string): { dir: string; file: (name: string, text: string) => string } {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	return {
		dir,
		file(name, text) {
			const path = join(dir, name);
			writeFileSync(path, text);
			return path;
		}
	};
}
