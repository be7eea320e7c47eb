// Grades back to a platform (AGS) through real HTTP against the test LMS, on both backends: what
// arrives equals the gradebook, a platform that is down gets every score once when it is back, and
// two senders on one database never send the same score twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exercisesOf, submitAnswers, variantFor } from '../../../../src/lib/server/assignments';
import { loadGradebook } from '../../../../src/lib/server/gradebook';
import { MEDIA_TYPE, SCOPE } from '../../../../src/lib/server/lti/claims';
import { retryDelay, retryTimings, scoresUrl, sendDueGrades } from '../../../../src/lib/server/lti/grades';
import { serviceFetch } from '../../../../src/lib/server/lti/service-token';
import type { Platform } from '../../../../src/lib/server/lti/storage';
import type { Assignment, Storage, Student } from '../../../../src/lib/server/storage';
import { PROJECT_ROOT } from '../../../helpers';
import { ROLE, startPlatform, type TestPlatform } from '../../../lti/platform';
import { backends, registerPlatform, serveJwks, type Opened } from './helpers';

const IDS = ['backprop-221', 'conv-output-size'];
const exercises = IDS.map((id) => ({ exerciseId: id, source: readFileSync(join(PROJECT_ROOT, 'exercises', `${id}.yaml`), 'utf8') }));

describe.each(backends)('grades sent back to the platform, on %s', (_, open) => {
	let opened: Opened;
	let db: Storage;
	let tool: { url: string; close: () => Promise<void> };
	let platform: TestPlatform;
	let registered: Platform;
	let teacherId: number;
	let clock = Date.now();
	let course = 0;
	const tick = (ms = 1000): number => (clock += ms);

	beforeAll(async () => {
		opened = await open();
		db = opened.db;
		tool = await serveJwks(db);
		platform = await startPlatform({ toolUrl: tool.url });
		registered = await registerPlatform(db, platform);
		teacherId = (await db.createTeacher('prof@univ.fr', 'Prof', 'hash')).id;
	});
	afterAll(async () => {
		await platform?.stop();
		await tool?.close();
		await db?.close();
		await opened?.cleanup();
	});
	afterEach(() => {
		platform.setDown(false);
		delete process.env.STEPWISE_LTI_RETRY_MS;
	});

	/** A line item made on the platform, as deep linking would. */
	async function lineItem(): Promise<string> {
		const response = await serviceFetch(db.lti, registered, [SCOPE.lineItem], `${platform.url}/contexts/${platform.context.id}/lineitems`, {
			method: 'POST',
			headers: { 'content-type': MEDIA_TYPE.lineItem },
			body: JSON.stringify({ scoreMaximum: 15, label: 'TD 3' }),
			timeoutMs: 3000
		});
		expect(response.status).toBe(201);
		return ((await response.json()) as { id: string }).id;
	}

	/** An assignment bound to the platform's course, with `count` students who launched it. */
	async function course_(count: number, bindLineItem = true): Promise<{ assignment: Assignment; students: Student[]; lineItemUrl: string; subjectOf: (s: Student) => string }> {
		course++;
		const assignment = await db.createAssignment({ teacherId, title: `TD ${course}`, exercises, opensAt: 0, closesAt: Date.UTC(2100, 0, 1), attempts: 5, carryForward: true, feedback: 'immediate' });
		const lineItemUrl = await lineItem();
		await db.lti.bindAssignment({ assignmentId: assignment.id, platformId: registered.id, deploymentId: platform.deploymentId, contextId: platform.context.id, contextTitle: platform.context.title, lineItemUrl: bindLineItem ? lineItemUrl : null, membershipsUrl: null, createdAt: clock });
		const subjects = new Map<number, string>();
		const students: Student[] = [];
		for (let i = 1; i <= count; i++) {
			const subject = `c${course}-u${i}`;
			platform.members.push({ sub: subject, name: `Student ${course}.${i}`, roles: [ROLE.learner] });
			const student = await db.lti.enrolStudent({ assignmentId: assignment.id, platformId: registered.id, subject, studentNumber: `2190${course}${i}`, name: `Student ${course}.${i}`, tokenHash: `t-${course}-${i}`, now: clock });
			subjects.set(student.id, subject);
			students.push(student);
		}
		return { assignment, students, lineItemUrl, subjectOf: (s) => subjects.get(s.id) ?? '' };
	}

	let keys = 0;
	/** Submits the right value to the first `right` number questions of an exercise, nothing to the others. */
	async function submit(assignment: Assignment, student: Student, position: number, right: number): Promise<void> {
		const exercise = exercisesOf(assignment)[position];
		const variant = await variantFor(db, assignment, student, position);
		const answers: Record<string, string> = {};
		exercise.questions.forEach((q, i) => {
			const e = variant.expected[i];
			if (Object.keys(answers).length < right && e?.ok && typeof e.value === 'number') answers[q.id] = String(e.value);
		});
		const submitted = await submitAnswers(db, assignment, student, position, answers, `grades-key-${++keys}`, tick());
		if (!submitted.ok) throw new Error(submitted.message.en);
	}

	const scoresOf = (lineItemUrl: string, subject: string) => platform.scores.filter((s) => s.lineItemId === lineItemUrl && s.body.userId === subject);

	it('sends each student the gradebook’s total and maximum, with their progress', async () => {
		const { assignment, students, lineItemUrl, subjectOf } = await course_(3);
		await submit(assignment, students[0], 0, 3);
		await submit(assignment, students[0], 1, 1);
		await submit(assignment, students[1], 0, 1);
		await submit(assignment, students[2], 1, 0);
		const tokens = platform.tokenRequests.length;
		const report = await sendDueGrades(db, tick());
		expect(report).toEqual({ sent: 3, retried: 0, failed: 0 });
		// one token for the three scores, asked for the score scope only
		expect(platform.tokenRequests.slice(tokens).map((r) => r.granted)).toEqual([SCOPE.score]);

		const book = await loadGradebook(db, assignment);
		expect(new Set(book.rows.map((r) => r.total)).size).toBeGreaterThan(1);
		for (const row of book.rows) {
			const received = scoresOf(lineItemUrl, subjectOf(row.student));
			expect(received).toHaveLength(1);
			expect(received[0].body).toMatchObject({ scoreGiven: row.total, scoreMaximum: book.max, gradingProgress: 'FullyGraded' });
		}
		expect(scoresOf(lineItemUrl, subjectOf(students[0]))[0].body.activityProgress).toBe('Completed');
		expect(scoresOf(lineItemUrl, subjectOf(students[1]))[0].body.activityProgress).toBe('InProgress');
		const grades = await db.lti.gradesOf(assignment.id);
		expect(grades.map((g) => g.status)).toEqual(['sent', 'sent', 'sent']);
	});

	it('keeps the scores waiting while the platform is down, then delivers each once', async () => {
		const { assignment, students, lineItemUrl, subjectOf } = await course_(3);
		for (const [i, s] of students.entries()) await submit(assignment, s, 0, i + 1);
		platform.setDown(true);
		const downAt = tick();
		expect(await sendDueGrades(db, downAt)).toEqual({ sent: 0, retried: 3, failed: 0 });
		for (const g of await db.lti.gradesOf(assignment.id)) {
			expect(g.status).toBe('waiting');
			expect(g.lastError).toMatch(/503/);
			expect(g.lastError).not.toContain('\n');
			expect(g.nextTryAt).toBeGreaterThan(downAt);
		}
		// not due yet: nothing is tried again
		const requests = platform.tokenRequests.length;
		expect(await sendDueGrades(db, downAt + 1)).toEqual({ sent: 0, retried: 0, failed: 0 });
		expect(platform.tokenRequests.length).toBe(requests);

		platform.setDown(false);
		expect(await sendDueGrades(db, tick(3_600_000))).toEqual({ sent: 3, retried: 0, failed: 0 });
		expect(await sendDueGrades(db, tick(3_600_000))).toEqual({ sent: 0, retried: 0, failed: 0 });
		const book = await loadGradebook(db, assignment);
		for (const row of book.rows) {
			const received = scoresOf(lineItemUrl, subjectOf(row.student));
			expect(received.map((r) => r.body.scoreGiven)).toEqual([row.total]);
		}
	});

	it('gives up after the retry window, and "Resend all" queues them again', async () => {
		process.env.STEPWISE_LTI_RETRY_MS = '10,40,100';
		const { assignment, students, lineItemUrl, subjectOf } = await course_(1);
		await submit(assignment, students[0], 0, 2);
		platform.setDown(true);
		let failed = 0;
		for (let pass = 0; pass < 10 && failed === 0; pass++) failed = (await sendDueGrades(db, tick(50))).failed;
		expect(failed).toBe(1);
		const [given] = await db.lti.gradesOf(assignment.id);
		expect(given).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/503/) });

		platform.setDown(false);
		expect(await db.lti.resendAll(assignment.id, tick())).toBe(1);
		expect(await sendDueGrades(db, tick())).toMatchObject({ sent: 1 });
		expect(scoresOf(lineItemUrl, subjectOf(students[0]))).toHaveLength(1);
	});

	it('sends a score queued while an older one is in flight after it; the platform ends with the newest', async () => {
		const { assignment, students, lineItemUrl, subjectOf } = await course_(1);
		const [s] = students;
		await submit(assignment, s, 0, 1);
		let queuedMeanwhile = false;
		const slow: typeof fetch = async (input, init) => {
			if (String(input).endsWith('/scores') && !queuedMeanwhile) {
				queuedMeanwhile = true;
				await submit(assignment, s, 1, 1);
			}
			return fetch(input, init);
		};
		await sendDueGrades(db, tick(), slow);
		expect(queuedMeanwhile).toBe(true);
		await sendDueGrades(db, tick());
		const received = scoresOf(lineItemUrl, subjectOf(s));
		expect(received).toHaveLength(2);
		expect(Date.parse(received[1].body.timestamp)).toBeGreaterThan(Date.parse(received[0].body.timestamp));
		const book = await loadGradebook(db, assignment);
		expect(received[1].body.scoreGiven).toBe(book.rows[0].total);
		expect(received[1].body.scoreGiven).toBeGreaterThan(received[0].body.scoreGiven);
		expect(platform.latestScore(lineItemUrl, subjectOf(s))?.body.scoreGiven).toBe(book.rows[0].total);
		expect((await db.lti.gradesOf(assignment.id))[0].status).toBe('sent');
	});

	it('"Resend all" sends every score again with a newer timestamp', async () => {
		const { assignment, students, lineItemUrl, subjectOf } = await course_(2);
		for (const s of students) await submit(assignment, s, 0, 2);
		await sendDueGrades(db, tick());
		expect(await db.lti.resendAll(assignment.id, tick())).toBe(2);
		expect(await sendDueGrades(db, tick())).toMatchObject({ sent: 2 });
		for (const s of students) {
			const received = scoresOf(lineItemUrl, subjectOf(s));
			expect(received).toHaveLength(2);
			expect(received[1].body.scoreGiven).toBe(received[0].body.scoreGiven);
			expect(Date.parse(received[1].body.timestamp)).toBeGreaterThan(Date.parse(received[0].body.timestamp));
		}
	});

	it('asks for a new access token after a 401, and sends the score', async () => {
		const { assignment, students, lineItemUrl, subjectOf } = await course_(1);
		await submit(assignment, students[0], 0, 1);
		await sendDueGrades(db, tick());
		const before = platform.tokenRequests.length;
		platform.revokeTokens();
		await submit(assignment, students[0], 0, 3);
		expect(await sendDueGrades(db, tick())).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(platform.tokenRequests.length).toBe(before + 1);
		expect(platform.tokenRequests.at(-1)).toMatchObject({ scope: SCOPE.score, granted: SCOPE.score });
		expect(scoresOf(lineItemUrl, subjectOf(students[0]))).toHaveLength(2);
	});

	it('counts a score the platform refuses as older (409) as sent: it holds a later one', async () => {
		const { assignment, students, lineItemUrl, subjectOf } = await course_(1);
		await submit(assignment, students[0], 0, 1);
		const later = await serviceFetch(db.lti, registered, [SCOPE.score], scoresUrl(lineItemUrl), {
			method: 'POST',
			headers: { 'content-type': MEDIA_TYPE.score },
			body: JSON.stringify({ userId: subjectOf(students[0]), scoreGiven: 1, scoreMaximum: 15, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date(clock + 3_600_000).toISOString() }),
			timeoutMs: 3000
		});
		expect(later.status).toBe(204);
		expect(await sendDueGrades(db, tick())).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(scoresOf(lineItemUrl, subjectOf(students[0]))).toHaveLength(1);
		expect((await db.lti.gradesOf(assignment.id))[0].status).toBe('sent');
	});

	it('two instances sending at once never send the same score twice', async () => {
		const { assignment, students, lineItemUrl, subjectOf } = await course_(6);
		for (const [i, s] of students.entries()) await submit(assignment, s, i % 2, 1 + (i % 3));
		const other = await opened.another();
		try {
			const slowly: typeof fetch = async (input, init) => {
				await new Promise((resolve) => setTimeout(resolve, 5));
				return fetch(input, init);
			};
			const at = tick();
			const [a, b] = await Promise.all([sendDueGrades(db, at, slowly), sendDueGrades(other, at, slowly)]);
			expect(a.sent + b.sent).toBe(6);
		} finally {
			await other.close();
		}
		for (const s of students) expect(scoresOf(lineItemUrl, subjectOf(s))).toHaveLength(1);
	});

	it('stores the submission even when its grade cannot be queued, and says so in the log', async () => {
		const { assignment, students } = await course_(1);
		const lti = Object.create(db.lti, { queueScore: { value: () => Promise.reject(new Error('grade queue unavailable')) } }) as Storage['lti'];
		const broken = Object.create(db, { lti: { value: lti } }) as Storage;
		const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			const submitted = await submitAnswers(broken, assignment, students[0], 0, {}, `grades-key-${++keys}`, tick());
			expect(submitted.ok).toBe(true);
			expect(logged.mock.calls.flat().join(' ')).toContain('grade queue unavailable');
		} finally {
			logged.mockRestore();
		}
		expect(await db.submissionsOf(students[0].id)).toHaveLength(1);
		expect(await db.lti.gradesOf(assignment.id)).toEqual([]);
	});

	it('waits for a line item without giving up, then sends once a launch brings it', async () => {
		const { assignment, students, lineItemUrl, subjectOf } = await course_(1, false);
		await submit(assignment, students[0], 0, 1);
		expect(await sendDueGrades(db, tick())).toEqual({ sent: 0, retried: 1, failed: 0 });
		expect((await db.lti.gradesOf(assignment.id))[0]).toMatchObject({ status: 'waiting', lastError: expect.stringMatching(/line item/) });
		// two days without a launch: still waiting, looked at every 5 minutes
		for (let pass = 0; pass < 48; pass++) await sendDueGrades(db, tick(3_600_000));
		const waiting = (await db.lti.gradesOf(assignment.id))[0];
		expect(waiting.status).toBe('waiting');
		expect(waiting.nextTryAt).toBeLessThanOrEqual(clock + 5 * 60_000);
		await db.lti.updateServices(assignment.id, { lineItemUrl });
		expect(await sendDueGrades(db, tick(2 * 3_600_000))).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(scoresOf(lineItemUrl, subjectOf(students[0]))).toHaveLength(1);
	});
});

describe('retry timings', () => {
	it.each([
		['doubles from 30 s', undefined, [0, 1, 2, 3], [30_000, 60_000, 120_000, 240_000]],
		['is capped at an hour', undefined, [7, 8, 20], [3_600_000, 3_600_000, 3_600_000]],
		['reads STEPWISE_LTI_RETRY_MS', '10,40', [0, 1, 2, 3], [10, 20, 40, 40]]
	])('%s', (_, env, tries, delays) => {
		const timings = retryTimings(env);
		expect(tries.map((t) => retryDelay(t, timings))).toEqual(delays);
	});

	it('gives up once the delays add up to a day', () => {
		const timings = retryTimings(undefined);
		let tries = 0;
		let waited = 0;
		for (let delay = retryDelay(tries, timings); delay !== null; delay = retryDelay(++tries, timings)) waited += delay;
		expect(waited).toBeGreaterThanOrEqual(24 * 3_600_000);
		expect(waited).toBeLessThan(25 * 3_600_000);
	});

	it.each([
		['https://lms.example/lineitems/9', 'https://lms.example/lineitems/9/scores'],
		['https://lms.example/mod/lti/services.php/2/lineitems/9/lineitem?type_id=1', 'https://lms.example/mod/lti/services.php/2/lineitems/9/lineitem/scores?type_id=1']
	])('the scores of %s are posted to %s', (item, scores) => {
		expect(scoresUrl(item)).toBe(scores);
	});
});
