import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { PROJECT_ROOT } from '../helpers';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		/** the e2e server's SQLite file, for tests that create teachers directly */
		dbPath: string;
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

async function waitUntilServing(url: string, server: ChildProcess, log: () => string): Promise<void> {
	for (let attempt = 0; attempt < 100; attempt++) {
		if (server.exitCode !== null) throw new Error(`the app exited with ${server.exitCode}: ${log()}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`the app did not answer on ${url} within 10 s: ${log()}`);
}

/** Starts the built app (`node build`, as `npm start` does) on a free loopback port for the browser tests. */
export default async function setup(project: TestProject): Promise<() => void> {
	if (!existsSync(`${PROJECT_ROOT}/build/index.js`)) throw new Error('build/ is missing: run `npx vite build` first (npm test does)');
	const port = await freePort();
	let output = '';
	const dbPath = join(mkdtempSync(join(tmpdir(), 'stepwise-e2e-')), 'stepwise.db');
	const server = spawn(process.execPath, ['build'], {
		cwd: PROJECT_ROOT,
		// a database of its own, removed with the temporary folder
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${port}`, STEPWISE_DB: dbPath },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	server.stdout?.on('data', (d) => (output += d));
	server.stderr?.on('data', (d) => (output += d));
	const baseURL = `http://127.0.0.1:${port}`;
	await waitUntilServing(baseURL, server, () => output);
	project.provide('baseURL', baseURL);
	project.provide('dbPath', dbPath);
	return () => {
		server.kill();
	};
}
