import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelay } from '../../src/lib/components/assignment/backoff';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { startApp } from '../e2e/app-server';
import { percentile, seed } from './driver';

const STUDENTS = 200;
/** The students arrive evenly over this time: the code written on the board, 200 phones. */
const ARRIVALS_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'stepwise-join-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a browser asks for when it follows a link or posts a form. */
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

interface Joined {
	/** the join page's GET */
	page: number;
	/** from the click on "Join" to the assignment's page read: the form's POST and its redirect followed */
	join: number;
	/** answers that had to be sent again (503 or no answer) */
	retries: number;
}

/**
 * One student as a browser without script does it: the join page, the form posted, the 303
 * followed to /a/CODE with the cookie it set. An answer of 503 (or none) is sent again after its
 * Retry-After and a jitter (backoff.ts), as a student presses the button again; the time counts
 * from the first click.
 */
async function joinAsBrowser(url: string, code: string, i: number): Promise<Joined> {
	let retries = 0;
	const again = async <T>(request: () => Promise<Response>, read: (response: Response) => Promise<T>): Promise<T> => {
		for (let attempt = 0; attempt < 50; attempt++) {
			let asked: number | null = null;
			try {
				const response = await request();
				if (response.status !== 503) return read(response);
				asked = retryAfterMs(response.headers.get('retry-after'), Date.now());
				await response.body?.cancel();
			} catch {
				// no answer: pressed again after a moment
			}
			retries++;
			await new Promise((r) => setTimeout(r, retryDelay(Math.min(attempt, 3), asked)));
		}
		throw new Error(`student ${i} never got an answer`);
	};
	const pageStarted = performance.now();
	await again(
		() => fetch(`${url}/join/${code}`, { headers: HTML }),
		async (response) => {
			if (response.status !== 200) throw new Error(`the join page answered ${response.status}`);
			await response.text();
		}
	);
	const page = performance.now() - pageStarted;
	const started = performance.now();
	const cookie = await again(
		() =>
			fetch(`${url}/join/${code}`, {
				method: 'POST',
				headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded', origin: url },
				body: new URLSearchParams({ name: `Student ${i}`, number: `2190${String(i).padStart(4, '0')}` }),
				redirect: 'manual'
			}),
		async (response) => {
			const text = await response.text();
			if (response.status !== 303 || response.headers.get('location') !== `/a/${code}`) throw new Error(`the join answered ${response.status}, not a redirect to /a/${code}: ${text.slice(0, 300)}`);
			const set = response.headers.getSetCookie().find((c) => c.startsWith(`stepwise_student_${code}=`));
			if (!set) throw new Error('the join set no cookie');
			return set.split(';')[0];
		}
	);
	const assignmentPage = await again(
		() => fetch(`${url}/a/${code}`, { headers: { ...HTML, cookie } }),
		async (response) => ({ status: response.status, text: await response.text() })
	);
	if (assignmentPage.status !== 200 || !assignmentPage.text.includes(`"Student ${i}"`)) throw new Error(`the assignment's page answered ${assignmentPage.status} without the student's name`);
	return { page, join: performance.now() - started, retries };
}

describe('joining under load, one instance on SQLite', { timeout: 180_000 }, () => {
	it('stores each of 200 students joining within 10 s once, and lets each in', async () => {
		const db = join(dir, 'join.db');
		const storage = await openSqliteStorage(db);
		const { assignmentId, code } = await seed(storage, 'join', 0, 1);
		await storage.close();
		const server = await startApp(db);
		const started = performance.now();
		const joined = await Promise.all(
			Array.from({ length: STUDENTS }, async (_, i) => {
				await new Promise((r) => setTimeout(r, (i * ARRIVALS_MS) / STUDENTS));
				return joinAsBrowser(server.url, code, i);
			})
		).finally(() => server.stop());
		const seconds = (performance.now() - started) / 1000;

		const pages = joined.map((j) => j.page);
		const joins = joined.map((j) => j.join);
		const retries = joined.reduce((sum, j) => sum + j.retries, 0);
		console.log(
			[
				`join: ${STUDENTS} students in ${seconds.toFixed(1)} s, ${retries} answers sent again after a 503 or none`,
				`join: join page p50 ${percentile(pages, 50).toFixed(0)} ms, p99 ${percentile(pages, 99).toFixed(0)} ms`,
				`join: join (form post + assignment page) p50 ${percentile(joins, 50).toFixed(0)} ms, p99 ${percentile(joins, 99).toFixed(0)} ms, max ${Math.max(...joins).toFixed(0)} ms`
			].join('\n')
		);

		const after = await openSqliteStorage(db);
		const students = await after.studentsOf(assignmentId);
		await after.close();
		const numbers = students.map((s) => s.studentNumber).sort();
		expect(numbers).toEqual(Array.from({ length: STUDENTS }, (_, i) => `2190${String(i).padStart(4, '0')}`));
	});
});
