import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, hashToken, newToken } from '../../src/lib/server/auth';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { PROJECT_ROOT } from '../helpers';
import { startApp, type AppServer } from '../e2e/app-server';

const STUDENTS = 200;
const SUBMISSIONS = 5;
/** Every request is sent again with the same key with this probability, as a client that timed out would. */
const RETRY_SHARE = 0.2;

const dir = mkdtempSync(join(tmpdir(), 'stepwise-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Seeded {
	db: string;
	code: string;
	tokens: string[];
}

/** A teacher, an open assignment of one exercise with 5 attempts, and 200 students who joined, written before the server starts. */
async function seed(name: string): Promise<Seeded> {
	const db = join(dir, `${name}.db`);
	const storage = await openSqliteStorage(db);
	const teacher = await storage.createTeacher(`${name}@univ.fr`, name, await hashPassword('a long password'));
	const now = Date.now();
	const assignment = await storage.createAssignment({
		teacherId: teacher.id,
		title: 'Load',
		exercises: [{ exerciseId: 'backprop-221', source: readFileSync(join(PROJECT_ROOT, 'exercises/backprop-221.yaml'), 'utf8') }],
		opensAt: now - 3_600_000,
		closesAt: now + 3_600_000,
		attempts: SUBMISSIONS,
		carryForward: true,
		feedback: 'immediate'
	});
	const tokens: string[] = [];
	for (let i = 0; i < STUDENTS; i++) {
		const token = newToken();
		await storage.joinStudent(assignment.id, `2190${String(i).padStart(4, '0')}`, `Student ${i}`, hashToken(token));
		tokens.push(token);
	}
	await storage.close();
	return { db, code: assignment.code, tokens };
}

/** A seeded random in [0, 1), so the retries are the same from one run to the next. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

interface Load {
	latencies: number[];
	acknowledged: Set<string>;
	duplicatesAcknowledged: number;
}

/**
 * 200 students at once, 5 submissions each. A request that fails (connection refused while the
 * server restarts, a 5xx) is retried with the same key until it is acknowledged.
 */
async function load(seeded: Seeded, server: () => AppServer, onAcknowledged: (count: number) => void = () => {}): Promise<Load> {
	const result: Load = { latencies: [], acknowledged: new Set(), duplicatesAcknowledged: 0 };
	const send = async (token: string, key: string): Promise<{ ok: boolean; duplicate: boolean }> => {
		for (let attempt = 0; attempt < 200; attempt++) {
			const started = performance.now();
			try {
				const response = await fetch(`${server().url}/a/${seeded.code}/1/submit`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', cookie: `stepwise_student_${seeded.code}=${token}`, origin: server().url },
					body: JSON.stringify({ key, fields: { 'q:a2': '0,5', 'q:dw1': '0,01' } })
				});
				if (response.ok) {
					const body = (await response.json()) as { ok: boolean; duplicate: boolean };
					result.latencies.push(performance.now() - started);
					return body;
				}
				if (response.status < 500) throw new Error(`refused: ${response.status} ${await response.text()}`);
			} catch (error) {
				if (error instanceof Error && error.message.startsWith('refused')) throw error;
			}
			await new Promise((r) => setTimeout(r, 50));
		}
		throw new Error(`${key} was never acknowledged`);
	};
	await Promise.all(
		seeded.tokens.map(async (token, i) => {
			const draw = random(i + 1);
			for (let k = 0; k < SUBMISSIONS; k++) {
				const key = `load-${i}-${k}-${'x'.repeat(8)}`;
				const sends = draw() < RETRY_SHARE ? [send(token, key), send(token, key)] : [send(token, key)];
				const answers = await Promise.all(sends);
				result.duplicatesAcknowledged += answers.filter((a) => a.duplicate).length;
				result.acknowledged.add(key);
				onAcknowledged(result.acknowledged.size);
			}
		})
	);
	return result;
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function storedKeys(db: string): Promise<string[]> {
	const storage = await openSqliteStorage(db);
	const assignmentSubmissions = await storage.submissionsOfAssignment(1);
	await storage.close();
	return assignmentSubmissions.map((s) => s.idempotencyKey);
}

describe('submissions under load', { timeout: 180_000 }, () => {
	it('stores exactly one row per submission of 200 concurrent students, retries included', async () => {
		const seeded = await seed('steady');
		const server = await startApp(seeded.db);
		const started = performance.now();
		const result = await load(seeded, () => server);
		const seconds = (performance.now() - started) / 1000;
		await server.stop();
		const keys = await storedKeys(seeded.db);
		console.log(
			`load: ${keys.length} submissions in ${seconds.toFixed(1)} s (${(keys.length / seconds).toFixed(0)}/s), ` +
				`p50 ${percentile(result.latencies, 50).toFixed(0)} ms, p99 ${percentile(result.latencies, 99).toFixed(0)} ms, ` +
				`${result.duplicatesAcknowledged} retries answered as duplicates`
		);
		expect(keys.length).toBe(STUDENTS * SUBMISSIONS);
		expect(new Set(keys).size).toBe(keys.length);
		expect(new Set(keys)).toEqual(result.acknowledged);
		expect(result.duplicatesAcknowledged).toBeGreaterThan(0);
	});

	it('loses nothing it acknowledged when the server is killed with SIGKILL mid-load and restarted', async () => {
		const seeded = await seed('killed');
		let server = await startApp(seeded.db);
		const port = server.port;
		let restarting: Promise<void> | null = null;
		const result = await load(
			seeded,
			() => server,
			(count) => {
				if (count === Math.floor((STUDENTS * SUBMISSIONS) / 3) && !restarting) {
					restarting = (async () => {
						await server.stop('SIGKILL');
						server = await startApp(seeded.db, port);
					})();
				}
			}
		);
		await restarting;
		await server.stop();
		const keys = await storedKeys(seeded.db);
		expect(restarting).not.toBeNull();
		// every acknowledged submission survived the kill, and none was stored twice
		for (const key of result.acknowledged) expect(keys).toContain(key);
		expect(keys.length).toBe(STUDENTS * SUBMISSIONS);
		expect(new Set(keys).size).toBe(keys.length);
	});
});
