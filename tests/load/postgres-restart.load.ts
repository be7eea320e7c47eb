import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../src/lib/server/db/postgres';
import { BUSY_TEXT, UNAVAILABLE_TEXT } from '../../src/lib/server/db/unavailable';
import { startApp } from '../e2e/app-server';
import { PROJECT_ROOT } from '../helpers';
import { freshDatabase, type TestDatabase } from '../postgres';
import { load, report, seed } from './driver';

const STUDENTS = 20;
const SUBMISSIONS = 10;
/** A student's pause between two submissions: a light load, with requests in flight all the time. */
const THINK_MS = 20;

/** The throwaway cluster of scripts/test.sh, restarted as an operator would (pg_ctl restart -m fast: sessions are cut). */
async function restartPostgres(): Promise<void> {
	const cluster = process.env.TEST_POSTGRES_CLUSTER;
	if (!cluster) throw new Error('TEST_POSTGRES_CLUSTER is not set: run the tests with `npm test`, which starts the PostgreSQL cluster this test restarts');
	await promisify(execFile)('bash', ['scripts/postgres-test-cluster.sh', 'restart', cluster], { cwd: PROJECT_ROOT });
}

let database: TestDatabase;
beforeAll(async () => {
	database = await freshDatabase('restart');
});
afterAll(() => database?.drop());

describe('a PostgreSQL restart under light load', { timeout: 120_000 }, () => {
	it('fails the requests it catches with a clear 503, reconnects by itself and loses nothing acknowledged', async () => {
		const storage = await openPostgresStorage(database.url);
		const seeded = await seed(storage, 'restart', STUDENTS, SUBMISSIONS);
		await storage.close();
		const [a, b] = await Promise.all([startApp(database.url), startApp(database.url)]);
		let restarted: Promise<void> | null = null;
		const result = await load(seeded, {
			targets: () => [
				{ name: 'instance A', url: a.url },
				{ name: 'instance B', url: b.url }
			],
			thinkMs: THINK_MS,
			onAcknowledged: (count) => {
				if (count >= (STUDENTS * SUBMISSIONS) / 3 && !restarted) restarted = restartPostgres();
			}
		});
		await restarted;
		const alive = [a, b].map((server) => server.process.exitCode === null && server.process.signalCode === null);
		await Promise.all([a.stop(), b.stop()]);
		console.log(report('PostgreSQL restarted', result));

		expect(restarted).not.toBeNull();
		// the instances answered throughout: with 503, never with a 500 or a closed connection
		expect(result.failures.length).toBeGreaterThan(0);
		// (or, where requests piled up while the database was away, 503 with the busy instance's message)
		expect(result.failures.filter((f) => f.status !== 503 || !(f.body.includes(UNAVAILABLE_TEXT.en) || f.body.includes(BUSY_TEXT.en)))).toEqual([]);
		expect(alive).toEqual([true, true]);

		const after = await openPostgresStorage(database.url);
		const keys = (await after.submissionsOfAssignment(seeded.assignmentId)).map((s) => s.idempotencyKey);
		await after.close();
		expect(keys.length).toBe(STUDENTS * SUBMISSIONS);
		expect(new Set(keys)).toEqual(result.acknowledged);
	});
});
