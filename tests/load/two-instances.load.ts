import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/lib/server/auth';
import { openPostgresStorage } from '../../src/lib/server/db/postgres';
import { BUSY_TEXT } from '../../src/lib/server/db/unavailable';
import type { Storage } from '../../src/lib/server/storage';
import { startApp, type AppServer } from '../e2e/app-server';
import { freshDatabase, type TestDatabase } from '../postgres';
import { load, report, seed, type Seeded, type Target } from './driver';

const STUDENTS = 200;
const SUBMISSIONS = 5;
/** How long a reverse proxy takes to stop sending to an instance that died (its health check). */
const PROXY_NOTICES_MS = 200;

interface Deployment {
	database: TestDatabase;
	storage: Storage;
	a: AppServer;
	b: AppServer;
}

let deployment: Deployment | undefined;
afterEach(async () => {
	if (!deployment) return;
	const { database, storage, a, b } = deployment;
	deployment = undefined;
	await Promise.all([a.stop(), b.stop(), storage.close()]);
	await database.drop();
});

/** Two instances started at the same moment on a new database: both migrate it, one waits for the other. */
async function twoInstances(name: string): Promise<Deployment> {
	const database = await freshDatabase(name);
	const [a, b] = await Promise.all([startApp(database.url), startApp(database.url)]);
	deployment = { database, storage: await openPostgresStorage(database.url), a, b };
	return deployment;
}

const target = (name: string, server: AppServer): Target => ({ name, url: server.url });

/** Each student's attempts, as stored: 1..n with no gap and no attempt twice. */
async function attemptsByStudent(storage: Storage, seeded: Seeded): Promise<number[][]> {
	const byStudent = new Map<number, number[]>();
	for (const s of await storage.submissionsOfAssignment(seeded.assignmentId)) byStudent.set(s.studentId, [...(byStudent.get(s.studentId) ?? []), s.attempt]);
	return [...byStudent.values()];
}

async function expectEveryAcknowledgedOnce(storage: Storage, seeded: Seeded, acknowledged: Set<string>): Promise<void> {
	const keys = (await storage.submissionsOfAssignment(seeded.assignmentId)).map((s) => s.idempotencyKey);
	expect(keys.length).toBe(STUDENTS * SUBMISSIONS);
	expect(new Set(keys).size).toBe(keys.length);
	expect(new Set(keys)).toEqual(acknowledged);
	expect(await attemptsByStudent(storage, seeded)).toEqual(Array.from({ length: STUDENTS }, () => [1, 2, 3, 4, 5]));
}

/** A form action posted as the page's script posts it; its answer's status (303 for a redirect), and the cookies it set. */
async function post(server: AppServer, path: string, fields: Record<string, string>): Promise<{ status: number; cookies: string[] }> {
	const response = await fetch(`${server.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, 'x-sveltekit-action': 'true' },
		body: new URLSearchParams(fields)
	});
	const answer = (await response.json()) as { status: number };
	return { status: answer.status, cookies: response.headers.getSetCookie() };
}

/** `name=value` of the cookie an answer set. */
function cookieSet(answer: { status: number; cookies: string[] }, name: string): string {
	const cookie = answer.cookies.find((c) => c.startsWith(`${name}=`));
	if (!cookie) throw new Error(`no ${name} cookie in a ${answer.status} answer`);
	return cookie.split(';')[0];
}

describe('two app instances on one PostgreSQL', { timeout: 180_000 }, () => {
	it('stores exactly one row per submission of 200 concurrent students sent alternately to either instance, retries included', async () => {
		const { storage, a, b } = await twoInstances('load_two');
		const seeded = await seed(storage, 'two', STUDENTS, SUBMISSIONS);
		// a request and its retry go to different instances: they race for the same key
		const result = await load(seeded, { targets: () => [target('instance A', a), target('instance B', b)] });
		console.log(report('two instances on PostgreSQL', result));
		await expectEveryAcknowledgedOnce(storage, seeded, result.acknowledged);
		expect(result.duplicatesAcknowledged).toBeGreaterThan(0);
		// nothing failed: what was sent again had been refused by a busy instance, to come back after its Retry-After
		expect(result.failures.filter((f) => f.status !== 503 || !f.body.includes(BUSY_TEXT.en))).toEqual([]);
		expect(result.latencies.get('instance A')?.length).toBeGreaterThan(STUDENTS);
		expect(result.latencies.get('instance B')?.length).toBeGreaterThan(STUDENTS);
	});

	it("keeps a student's and a teacher's session, and counts the login limit, on both instances", async () => {
		const { storage, a, b } = await twoInstances('sessions_two');
		const seeded = await seed(storage, 'sessions', 0, SUBMISSIONS);
		const joined = await post(a, `/join/${seeded.code}`, { name: 'Chloé Martin', number: '21901234' });
		expect(joined.status).toBe(303);
		const student = cookieSet(joined, `stepwise_student_${seeded.code}`);
		const page = await fetch(`${b.url}/a/${seeded.code}`, { headers: { cookie: student } });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Chloé Martin');

		await storage.createTeacher('prof@univ.fr', 'Prof Martin', await hashPassword('a long password'));
		const signedIn = await post(a, '/teacher/login', { email: 'prof@univ.fr', password: 'a long password' });
		expect(signedIn.status).toBe(303);
		const teacher = cookieSet(signedIn, 'stepwise_session');
		const dashboard = await fetch(`${b.url}/teacher`, { headers: { cookie: teacher }, redirect: 'manual' });
		expect(dashboard.status).toBe(200);
		expect(await dashboard.text()).toContain('Prof Martin');

		// ten tries per account in 15 minutes, wherever they land: the counter is in the database
		const statuses = [];
		for (let i = 0; i < 11; i++) statuses.push((await post(i % 2 === 0 ? a : b, '/teacher/login', { email: 'other@univ.fr', password: `wrong password ${i}` })).status);
		expect(statuses).toEqual([...Array(10).fill(400), 429]);
		expect((await post(a, '/teacher/login', { email: 'other@univ.fr', password: 'wrong password again' })).status).toBe(429);
	});

	it('loses nothing it acknowledged when one instance is killed with SIGKILL mid-load, and the other keeps answering', async () => {
		const { storage, a, b } = await twoInstances('kill_two');
		const seeded = await seed(storage, 'kill', STUDENTS, SUBMISSIONS);
		let aLive = true;
		let killed: Promise<void> | null = null;
		let bBeforeKill = 0;
		const result = await load(seeded, {
			targets: () => (aLive ? [target('instance A', a), target('instance B', b)] : [target('instance B', b)]),
			onAcknowledged: (count, progress) => {
				if (count < (STUDENTS * SUBMISSIONS) / 3 || killed) return;
				bBeforeKill = progress.latencies.get('instance B')?.length ?? 0;
				// the proxy goes on sending to A until its health check notices: those requests fail and are sent again
				killed = a
					.stop('SIGKILL')
					.then(() => new Promise((r) => setTimeout(r, PROXY_NOTICES_MS)))
					.then(() => {
						aLive = false;
					});
			}
		});
		await killed;
		console.log(report('one of two instances killed', result));
		expect(killed).not.toBeNull();
		await expectEveryAcknowledgedOnce(storage, seeded, result.acknowledged);
		expect(result.latencies.get('instance B')?.length).toBeGreaterThan(bBeforeKill + STUDENTS);
	});
});
