import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startApp } from './app-server';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		/** the e2e server's SQLite file, for tests that create teachers directly */
		dbPath: string;
	}
}

/** Starts the built app (`node build`, as `npm start` does) on a free loopback port, with a database of its own. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const dir = mkdtempSync(join(tmpdir(), 'stepwise-e2e-'));
	const dbPath = join(dir, 'stepwise.db');
	const server = await startApp(dbPath);
	project.provide('baseURL', server.url);
	project.provide('dbPath', dbPath);
	return async () => {
		await server.stop();
		rmSync(dir, { recursive: true, force: true });
	};
}
