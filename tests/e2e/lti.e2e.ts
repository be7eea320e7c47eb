/**
 * Stepwise in a learning platform, end to end through Chromium, on SQLite and on PostgreSQL: the
 * test platform (tests/lti/platform.ts) is registered through the platforms page, a teacher adds an activity by deep
 * linking, launches it as an instructor, three students launch it and submit, and their scores
 * arrive in the platform's grade column equal to the gradebook's, student by student. Then the
 * platform goes down while a student is graded, comes back, and gets every score once.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NestedNumbers } from '../../src/lib/engine/tensor';
import { answerKey } from '../../src/lib/exercises/key';
import { exercisesOf, firstDraw } from '../../src/lib/server/assignments';
import { hashPassword } from '../../src/lib/server/auth';
import { loadGradebook } from '../../src/lib/server/gradebook';
import type { Assignment, Storage } from '../../src/lib/server/storage';
import { ROLE, startPlatform, type TestLink, type TestPlatform, type TestUser } from '../lti/platform';
import { startApp, type AppServer } from './app-server';
import { backends, type Backend } from './backends';
import { launch, submitBlanks } from './browser';

const ADMIN_PASSWORD = 'correct horse battery';
const PROF: TestUser = { sub: 'moodle-7', name: 'Claire Laurent', email: 'claire.laurent@univ.fr', roles: [ROLE.instructor] };
const COLLEAGUE: TestUser = { sub: 'moodle-8', name: 'Marc Petit', email: 'marc.petit@univ.fr', roles: [ROLE.instructor] };
const CAMILLE: TestUser = { sub: 'moodle-401', name: 'Camille Roux', roles: [ROLE.learner], personSourcedId: '21940001' };
const MALIK: TestUser = { sub: 'moodle-402', name: 'Malik Benali', roles: [ROLE.learner], personSourcedId: '21940002' };
const ZOE: TestUser = { sub: 'moodle-403', name: 'Zoé Garnier', roles: [ROLE.learner] };
const JADE: TestUser = { sub: 'moodle-404', name: 'Jade Fontaine', roles: [ROLE.learner], personSourcedId: '21940004' };

/** The values of a key entry, flat and in row order, as the grid's inputs take them. */
function cells(value: NestedNumbers | string): number[] {
	return typeof value === 'string' ? [] : Array.isArray(value) ? value.flatMap((v) => cells(v)) : [value];
}

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (value !== undefined) return value;
		if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
		await new Promise((r) => setTimeout(r, 150));
	}
}

async function hydrated(page: Page): Promise<void> {
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

interface Context {
	app: AppServer;
	platform: TestPlatform;
	db: Storage;
	browser: Browser;
	contexts: BrowserContext[];
	link: TestLink;
	assignment: Assignment;
}

describe.each(backends('lti_flow'))('Stepwise in a learning platform, on %s', (_, open) => {
	let backend: Backend;
	const ctx = {} as Context;
	const person = async (locale: 'fr-FR' | 'en-US' = 'fr-FR'): Promise<Page> => {
		const context = await ctx.browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
		ctx.contexts.push(context);
		return context.newPage();
	};
	/** Opens the activity from the platform's course page, as `user`. */
	const launchAs = async (user: TestUser, locale: 'fr-FR' | 'en-US' = 'fr-FR'): Promise<Page> => {
		const page = await person(locale);
		await page.goto(ctx.platform.launchUrl({ user, resourceLinkId: ctx.link.id }));
		return page;
	};

	beforeAll(async () => {
		backend = await open();
		ctx.app = await startApp(backend.database, undefined, { STEPWISE_LTI_RETRY_MS: '200,1000' });
		ctx.platform = await startPlatform({ toolUrl: ctx.app.url, context: { id: 'course-dl', title: 'Apprentissage profond L3', label: 'DL-L3' } });
		ctx.platform.members.push(CAMILLE, MALIK, ZOE, JADE, PROF);
		ctx.db = await backend.open();
		ctx.browser = await launch();
		ctx.contexts = [];
		await ctx.db.createTeacher('admin@univ.fr', 'Admin UFR', await hashPassword(ADMIN_PASSWORD));
	}, 60_000);
	afterAll(async () => {
		for (const context of ctx.contexts ?? []) await context.close();
		await ctx.browser?.close();
		await ctx.db?.close();
		await ctx.platform?.stop();
		await ctx.app?.stop();
		await backend?.cleanup();
	});

	it('is registered by an administrator through the platforms page', async () => {
		const page = await person('en-US');
		await page.goto(`${ctx.app.url}/teacher/login?next=/teacher/platforms`);
		await hydrated(page);
		await page.locator('input[name=email]').fill('admin@univ.fr');
		await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL('**/teacher/platforms');
		await hydrated(page);
		const fields = { name: 'Moodle de l’UFR', issuer: ctx.platform.issuer, clientId: ctx.platform.clientId, deploymentIds: ctx.platform.deploymentId, authUrl: ctx.platform.authUrl, jwksUrl: ctx.platform.jwksUrl, tokenUrl: ctx.platform.tokenUrl };
		for (const [field, value] of Object.entries(fields)) await page.locator(`[name=${field}]`).fill(value);
		await page.getByRole('button', { name: 'Add the platform' }).click();
		await page.waitForURL(/\/teacher\/platforms\?added=\d+/);
		expect(await ctx.db.lti.platformsByIssuer(ctx.platform.issuer)).toEqual([expect.objectContaining({ clientId: ctx.platform.clientId, deploymentIds: [ctx.platform.deploymentId] })]);
	});

	it('adds an activity chosen by the teacher (deep linking), with its grade column', async () => {
		const page = await person();
		await page.goto(ctx.platform.launchUrl({ user: PROF, messageType: 'LtiDeepLinkingRequest' }));
		await page.waitForURL(/\/lti\/deep-link\/[\w-]+$/);
		await hydrated(page);
		expect(await page.locator('h1').textContent()).toBe("Choisir l'activité");
		expect(await page.locator('.lead').textContent()).toContain('Apprentissage profond L3');
		await page.locator('input[name=title]').fill('TD 5 : rétropropagation');
		await page.locator('input[name=exercise][value=backprop-221]').check();
		await page.locator('input[name=feedback][value=immediate]').check();
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL(`${ctx.platform.url}/**`);
		await page.getByText('Activity added').waitFor();

		expect(ctx.platform.links).toHaveLength(1);
		ctx.link = ctx.platform.links[0];
		const id = Number(ctx.link.custom.stepwise_assignment);
		const assignment = await ctx.db.assignmentById(id);
		if (!assignment) throw new Error(`assignment ${id} was not stored`);
		ctx.assignment = assignment;
		expect(assignment.title).toBe('TD 5 : rétropropagation');
		const points = exercisesOf(assignment)[0].questions.reduce((sum, q) => sum + q.points, 0);
		expect(ctx.platform.lineItems).toEqual([expect.objectContaining({ id: ctx.link.lineItemId, scoreMaximum: points, label: 'TD 5 : rétropropagation', resourceId: String(id) })]);
		expect(await ctx.db.lti.bindingOf(id)).toMatchObject({ contextId: 'course-dl', contextTitle: 'Apprentissage profond L3' });
	});

	it('opens the teacher’s view of the assignment for the course’s instructors', async () => {
		for (const teacher of [PROF, COLLEAGUE]) {
			const page = await launchAs(teacher);
			await page.waitForURL(`**/teacher/assignments/${ctx.assignment.id}`);
			expect(await page.locator('h1').textContent()).toContain('TD 5 : rétropropagation');
		}
	});

	it('opens each student’s own numbers without a join code, and sends their scores equal to the gradebook’s', async () => {
		const [exercise] = exercisesOf(ctx.assignment);
		const keyOf = (number: string): Record<string, number[]> => Object.fromEntries(Object.entries(answerKey(exercise, firstDraw(ctx.assignment, exercise, number))).map(([q, v]) => [q, cells(v)]));
		const code = ctx.assignment.code;
		for (const [student, answers] of [
			[CAMILLE, (key: Record<string, number[]>) => key],
			[MALIK, (key: Record<string, number[]>) => ({ z1: key.z1, a1: key.a1 })],
			[ZOE, (key: Record<string, number[]>) => ({ z1: key.z1 })]
		] as const) {
			const page = await launchAs(student);
			await page.waitForURL(`**/a/${code}`);
			const main = await page.locator('main').innerText();
			expect(main).toContain(student.name);
			expect(main).toContain('Votre note va dans le carnet de notes de Moodle de l’UFR après chaque soumission.');
			const stored = (await ctx.db.studentsOf(ctx.assignment.id)).find((s) => s.name === student.name);
			if (!stored) throw new Error(`${student.name} was not enrolled`);
			if (student.personSourcedId) expect(stored.studentNumber).toBe(student.personSourcedId);
			await page.goto(`${ctx.app.url}/a/${code}/1`);
			await hydrated(page);
			for (const [id, values] of Object.entries(answers(keyOf(stored.studentNumber))))
				for (let k = 0; k < values.length; k++) await page.locator(`#question-${id} input`).nth(k).fill(values[k].toFixed(6).replace('.', ','));
			// Malik and Zoé leave questions blank: the page asks first
			if (student !== CAMILLE) await submitBlanks(page);
			else await page.locator('form button[type=submit]').click();
			await page.locator('#ack .received').waitFor();
		}

		const gradebook = await loadGradebook(ctx.db, ctx.assignment);
		const subjects = await ctx.db.lti.subjectsOf(ctx.assignment.id);
		const lineItem = ctx.link.lineItemId ?? '';
		expect(gradebook.rows.map((r) => r.total).sort()).toHaveLength(3);
		expect(new Set(gradebook.rows.map((r) => r.total)).size).toBe(3);
		for (const row of gradebook.rows) {
			const sub = subjects.get(row.student.id) ?? '';
			const score = await until(`${row.student.name}'s score`, () => ctx.platform.latestScore(lineItem, sub));
			expect(score.body, row.student.name).toMatchObject({ userId: sub, scoreGiven: row.total, scoreMaximum: gradebook.max, gradingProgress: 'FullyGraded', activityProgress: 'Completed' });
		}
	}, 90_000);

	it('keeps scores while the platform is down and delivers each one once when it is back', async () => {
		const lineItem = ctx.link.lineItemId ?? '';
		const camille = (await ctx.db.studentsOf(ctx.assignment.id)).find((s) => s.name === CAMILLE.name);
		if (!camille) throw new Error('Camille was not enrolled');
		const received = (): number => ctx.platform.scores.filter((s) => s.body.userId === CAMILLE.sub).length;
		const before = received();
		const firstScore = ctx.platform.latestScore(lineItem, CAMILLE.sub)?.body.scoreGiven;

		ctx.platform.setDown(true);
		// Camille's second attempt leaves a1 blank: her score goes down
		const page = await launchAs(CAMILLE);
		await page.waitForURL(`**/a/${ctx.assignment.code}`);
		await page.goto(`${ctx.app.url}/a/${ctx.assignment.code}/1`);
		await hydrated(page);
		for (const input of await page.locator('#question-a1 input').all()) await input.fill('');
		await submitBlanks(page);
		await page.locator('#ack .received').waitFor();
		const waiting = await until('a failed try', async () => (await ctx.db.lti.gradesOf(ctx.assignment.id)).find((g) => g.studentId === camille.id && g.tries > 0 && g.lastError));
		expect(waiting.status).toBe('waiting');
		expect(ctx.platform.latestScore(lineItem, CAMILLE.sub)?.body.scoreGiven).toBe(firstScore);

		ctx.platform.setDown(false);
		const gradebook = await loadGradebook(ctx.db, ctx.assignment);
		const total = gradebook.rows.find((r) => r.student.id === camille.id)?.total;
		expect(total).toBeLessThan(firstScore ?? 0);
		await until('the new score', () => (ctx.platform.latestScore(lineItem, CAMILLE.sub)?.body.scoreGiven === total ? true : undefined));
		// a little longer: a second delivery of the same score would show now
		await new Promise((r) => setTimeout(r, 1500));
		expect(received()).toBe(before + 1);
		for (const other of [MALIK, ZOE]) expect(ctx.platform.scores.filter((s) => s.body.userId === other.sub)).toHaveLength(1);
		expect((await ctx.db.lti.gradesOf(ctx.assignment.id)).map((g) => g.status)).toEqual(['sent', 'sent', 'sent']);
	}, 90_000);
});
