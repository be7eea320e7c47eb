import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../src/lib/server/db/postgres';
import { PROJECT_ROOT } from '../helpers';
import { freshDatabase } from '../postgres';
import { freePort, startApp } from './app-server';

/** Runs the built app with this DATABASE_URL until it exits by itself: how it exited, and what it printed. */
async function startExpectingExit(url: string): Promise<{ code: number | null; output: string }> {
	const port = await freePort();
	// DATABASE_URL comes before any STEPWISE_DB
	const env = { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1' };
	const child = spawn(process.execPath, ['build'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	clearTimeout(timer);
	return { code, output };
}

describe('the server and its database', () => {
	it.each([
		['a malformed DATABASE_URL', 'postgres//db.univ.fr/stepwise', 'stepwise: DATABASE_URL is not a URL: expected postgres://user:password@host:5432/database'],
		['a URL of another database', 'mysql://db.univ.fr/stepwise', 'stepwise: DATABASE_URL must start with postgres://'],
		['a server that is not running', 'postgres://stepwise:pw@127.0.0.1:1/stepwise', 'stepwise: cannot use PostgreSQL at postgres://stepwise:***@127.0.0.1:1/stepwise: connection refused']
	])('refuses to start on %s, saying why in one line', async (_, url, message) => {
		const { code, output } = await startExpectingExit(url);
		expect(code).toBe(1);
		expect(output.trim().split('\n')).toEqual([expect.stringContaining(message)]);
	});

	it('creates the schema of an empty PostgreSQL database when it starts, and serves from it', async () => {
		const database = await freshDatabase('server');
		const server = await startApp(database.url);
		const storage = await openPostgresStorage(database.url);
		try {
			const teacher = await storage.createTeacher('pg@univ.fr', 'PG', 'hash');
			const assignment = await storage.createAssignment({ teacherId: teacher.id, title: 'Served from PostgreSQL', exercises: [{ exerciseId: 'conv-output-size', source: 'id: conv-output-size' }], opensAt: 0, closesAt: Date.now() + 3_600_000, attempts: 1, carryForward: false, feedback: 'never' });
			expect(await (await fetch(`${server.url}/join/${assignment.code}`)).text()).toContain('Served from PostgreSQL');
		} finally {
			await storage.close();
			await server.stop();
			await database.drop();
		}
	});
});
