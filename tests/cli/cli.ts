import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers';

/** Runs the CLI as `npm run -s cli --` does (tsx on src/cli/main.ts), without npm's start-up cost. */
export function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
	const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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
