import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { PROJECT_ROOT } from '../helpers';

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

export interface AppServer {
	url: string;
	port: number;
	process: ChildProcess;
	/** everything it printed, for an error message */
	output(): string;
	/** stops it (SIGTERM by default) and waits until it has exited */
	stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The environment that points the app at a database: a postgres:// URL, else a SQLite file. */
export function databaseEnv(database: string): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.DATABASE_URL;
	delete env.STEPWISE_DB;
	return database.startsWith('postgres://') ? { ...env, DATABASE_URL: database } : { ...env, STEPWISE_DB: database };
}

/** Starts the built app (`node build`, as `npm start` does) on a loopback port with its own database (a SQLite file or a postgres:// URL), and any other environment given. */
export async function startApp(database: string, port?: number, env: NodeJS.ProcessEnv = {}): Promise<AppServer> {
	if (!existsSync(`${PROJECT_ROOT}/build/index.js`)) throw new Error('build/ is missing: run `npx vite build` first (npm test does)');
	const chosen = port ?? (await freePort());
	const url = `http://127.0.0.1:${chosen}`;
	let output = '';
	const child = spawn(process.execPath, ['build'], {
		cwd: PROJECT_ROOT,
		env: { ...databaseEnv(database), ...env, PORT: String(chosen), HOST: '127.0.0.1', ORIGIN: url },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d) => (output += d));
	child.stderr?.on('data', (d) => (output += d));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	for (let attempt = 0; ; attempt++) {
		if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}: ${output}`);
		try {
			if ((await fetch(url)).ok) break;
		} catch {
			// not listening yet
		}
		if (attempt >= 150) throw new Error(`the app did not answer on ${url} within 15 s: ${output}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url,
		port: chosen,
		process: child,
		output: () => output,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
		}
	};
}
