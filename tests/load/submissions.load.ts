import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { startApp, type AppServer } from '../e2e/app-server';
import { load, recovery, report, seed, type Seeded } from './driver';

const STUDENTS = 200;
const SUBMISSIONS = 5;

const dir = mkdtempSync(join(tmpdir(), 'stepwise-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 200 students who joined, written in a new SQLite file before the server starts. */
async function seeded(name: string): Promise<{ db: string; seeded: Seeded }> {
	const db = join(dir, `${name}.db`);
	const storage = await openSqliteStorage(db);
	const result = await seed(storage, name, STUDENTS, SUBMISSIONS);
	await storage.close();
	return { db, seeded: result };
}

async function storedKeys(db: string, assignmentId: number): Promise<string[]> {
	const storage = await openSqliteStorage(db);
	const assignmentSubmissions = await storage.submissionsOfAssignment(assignmentId);
	await storage.close();
	return assignmentSubmissions.map((s) => s.idempotencyKey);
}

describe('submissions under load, one instance on SQLite', { timeout: 180_000 }, () => {
	it('stores exactly one row per submission of 200 concurrent students, retries included', async () => {
		const { db, seeded: students } = await seeded('steady');
		const server = await startApp(db);
		const result = await load(students, { targets: () => [{ name: 'sqlite', url: server.url }] });
		await server.stop();
		const keys = await storedKeys(db, students.assignmentId);
		console.log(report('load', result));
		expect(keys.length).toBe(STUDENTS * SUBMISSIONS);
		expect(new Set(keys).size).toBe(keys.length);
		expect(new Set(keys)).toEqual(result.acknowledged);
		expect(result.duplicatesAcknowledged).toBeGreaterThan(0);
	});

	it('loses nothing it acknowledged when the server is killed with SIGKILL mid-load and restarted', async () => {
		const { db, seeded: students } = await seeded('killed');
		let server: AppServer = await startApp(db);
		const port = server.port;
		let restarting: Promise<void> | null = null;
		/** when the restarted server answered its first request (performance.now()) */
		let restarted = 0;
		const result = await load(students, {
			targets: () => [{ name: 'sqlite', url: server.url }],
			onAcknowledged: (count) => {
				if (count === Math.floor((STUDENTS * SUBMISSIONS) / 3) && !restarting) {
					restarting = (async () => {
						await server.stop('SIGKILL');
						server = await startApp(db, port);
						restarted = performance.now();
					})();
				}
			}
		});
		await restarting;
		await server.stop();
		console.log(`${report('killed', result)}\n${recovery('killed, after the restart', result, restarted, 8)}`);
		const keys = await storedKeys(db, students.assignmentId);
		expect(restarting).not.toBeNull();
		// every acknowledged submission survived the kill, and none was stored twice
		for (const key of result.acknowledged) expect(keys).toContain(key);
		expect(keys.length).toBe(STUDENTS * SUBMISSIONS);
		expect(new Set(keys).size).toBe(keys.length);
	});
});
