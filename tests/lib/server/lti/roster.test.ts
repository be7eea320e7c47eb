// The course's roster from the platform (NRPS) through real HTTP, on both backends: every page
// read, only the learners kept, those who never launched told apart, a platform down said in one line.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { courseLearners, nextPage, notLaunched } from '../../../../src/lib/server/lti/roster';
import { ltiGradebook } from '../../../../src/lib/server/lti/teacher-view';
import type { Platform } from '../../../../src/lib/server/lti/storage';
import type { Storage } from '../../../../src/lib/server/storage';
import { ROLE, startPlatform, type TestPlatform, type TestUser } from '../../../lti/platform';
import { backends, registerPlatform, serveJwks, type Opened } from './helpers';

const roster: TestUser[] = [
	{ sub: 'r-teacher', name: 'Ada Lovelace', roles: [ROLE.instructor] },
	{ sub: 'r-1', name: 'Chloé Martin', email: 'chloe@etu.univ.fr', personSourcedId: '21901234', roles: [ROLE.learner] },
	{ sub: 'r-2', name: 'Léa Petit', roles: [ROLE.learner] },
	{ sub: 'r-3', name: 'Hugo Grand', roles: [ROLE.learner] },
	{ sub: 'r-4', name: 'Inès Roux', roles: ['Learner'] },
	{ sub: 'r-5', name: 'Tom Blanc', roles: [ROLE.learner] }
];

describe.each(backends)('the course roster, on %s', (_, open) => {
	let opened: Opened;
	let db: Storage;
	let tool: { url: string; close: () => Promise<void> };
	let platform: TestPlatform;
	let registered: Platform;
	let teacherId: number;
	let clock = Date.now();

	beforeAll(async () => {
		opened = await open();
		db = opened.db;
		tool = await serveJwks(db);
		platform = await startPlatform({ toolUrl: tool.url });
		platform.members.push(...roster);
		registered = await registerPlatform(db, platform);
		teacherId = (await db.createTeacher('prof@univ.fr', 'Prof', 'hash')).id;
	});
	afterAll(async () => {
		await platform?.stop();
		await tool?.close();
		await db?.close();
		await opened?.cleanup();
	});
	afterEach(() => platform.setDown(false));

	async function assignment(membershipsUrl: string | null): Promise<number> {
		const a = await db.createAssignment({ teacherId, title: 'TD', exercises: [{ exerciseId: 'x', source: 'id: x' }], opensAt: 0, closesAt: 1, attempts: 1, carryForward: false, feedback: 'never' });
		await db.lti.bindAssignment({ assignmentId: a.id, platformId: registered.id, deploymentId: platform.deploymentId, contextId: platform.context.id, contextTitle: platform.context.title, lineItemUrl: null, membershipsUrl, createdAt: clock });
		return a.id;
	}

	it('gives the teacher’s page the queue of each student and the learners not launched yet', async () => {
		const id = await assignment(memberships());
		const a = await db.assignmentById(id);
		if (!a) throw new Error('no assignment');
		const chloe = await db.lti.enrolStudent({ assignmentId: id, platformId: registered.id, subject: 'r-1', studentNumber: '21901234', name: 'Chloé Martin', tokenHash: `t-${id}-r-1`, now: clock });
		await db.lti.queueScore({ assignmentId: id, studentId: chloe.id, scoreGiven: 2.5, scoreMaximum: 8, activityProgress: 'InProgress' }, clock);
		const view = await ltiGradebook(db, a, fetch, (clock += 1000));
		expect(view).toMatchObject({
			platform: 'Moodle de test',
			counts: { sent: 0, waiting: 1, failed: 0 },
			grades: [{ studentId: chloe.id, name: 'Chloé Martin', status: 'waiting', score: 2.5, max: 8, sentAt: null }],
			roster: { ok: true, notLaunched: roster.filter((u) => u.sub !== 'r-teacher' && u.sub !== 'r-1').map((u) => ({ userId: u.sub, name: u.name, number: u.personSourcedId ?? '' })) }
		});
		const unbound = await db.createAssignment({ teacherId, title: 'Sans plateforme', exercises: [{ exerciseId: 'x', source: 'id: x' }], opensAt: 0, closesAt: 1, attempts: 1, carryForward: false, feedback: 'never' });
		expect(await ltiGradebook(db, unbound, fetch, clock)).toBeUndefined();
	});

	const memberships = () => `${platform.url}/contexts/${platform.context.id}/memberships?limit=2`;

	it('reads every page and keeps the learners, with what the platform tells of them', async () => {
		const id = await assignment(memberships());
		const pages: string[] = [];
		const counting: typeof fetch = (input, init) => {
			if (String(input).includes('/memberships')) pages.push(String(input));
			return fetch(input, init);
		};
		const found = await courseLearners(db, id, counting, (clock += 1000));
		expect(found).toEqual({
			ok: true,
			learners: roster
				.filter((u) => u.sub !== 'r-teacher')
				.map((u) => ({ userId: u.sub, name: u.name, email: u.email ?? null, sourcedId: u.personSourcedId ?? null }))
		});
		expect(pages).toHaveLength(3);
		// read again within the minute: from the cache
		await courseLearners(db, id, counting, (clock += 1000));
		expect(pages).toHaveLength(3);
	});

	it('tells apart the learners who have not launched the assignment yet', async () => {
		const id = await assignment(memberships());
		for (const sub of ['r-2', 'r-4']) {
			await db.lti.enrolStudent({ assignmentId: id, platformId: registered.id, subject: sub, studentNumber: `n-${sub}`, name: sub, tokenHash: `t-${id}-${sub}`, now: clock });
		}
		const found = await courseLearners(db, id, fetch, (clock += 1000));
		if (!found.ok) throw new Error(found.reason);
		expect(notLaunched(found.learners, await db.lti.subjectsOf(id)).map((l) => l.userId)).toEqual(['r-1', 'r-3', 'r-5']);
	});

	it.each([
		['is down', true, /503/],
		['has not given its roster service yet', false, /roster service/]
	])('says in one line when the platform %s', async (_, down, why) => {
		const id = await assignment(down ? memberships() : null);
		platform.setDown(down);
		const found = await courseLearners(db, id, fetch, (clock += 61_000));
		expect(found.ok).toBe(false);
		if (found.ok) return;
		expect(found.reason).toMatch(why);
		expect(found.reason).not.toContain('\n');
	});

	it('reads the roster again after a minute, when the platform is back', async () => {
		const id = await assignment(memberships());
		platform.setDown(true);
		expect((await courseLearners(db, id, fetch, (clock += 1000))).ok).toBe(false);
		platform.setDown(false);
		expect((await courseLearners(db, id, fetch, (clock += 1000))).ok).toBe(false);
		expect((await courseLearners(db, id, fetch, (clock += 61_000))).ok).toBe(true);
	});
});

describe('the next page of a roster', () => {
	it.each([
		['<https://lms/m?offset=2>; rel="next"', 'https://lms/m?offset=2'],
		['<https://lms/m?offset=0>; rel="first", <https://lms/m?offset=4>; rel="next"', 'https://lms/m?offset=4'],
		['<https://lms/m?offset=4>; rel=next', 'https://lms/m?offset=4'],
		['<https://lms/m?offset=0>; rel="prev"', null],
		['<https://lms/m?offset=8>; rel="differences"', null],
		[null, null]
	])('%s → %s', (link, next) => {
		expect(nextPage(link)).toBe(next);
	});
});
