import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import type { Assignment, FeedbackWhen, Storage } from '../../src/lib/server/storage';
import { PROJECT_ROOT } from '../helpers';
import { goto, launch, submitBlanks } from './browser';

let browser: Browser;
let db: Storage;
let assignment: Assignment;
const contexts: BrowserContext[] = [];

/** An assignment written straight into the server's database, as a teacher's form would store it. */
async function seed(storage: Storage, feedback: FeedbackWhen, ids: string[], attempts: number): Promise<Assignment> {
	const teacher = await storage.createTeacher(`prof-${Date.now()}-${Math.random()}@univ.fr`, 'Prof', 'hash');
	const now = Date.now();
	return storage.createAssignment({
		teacherId: teacher.id,
		title: 'TD 3 : rétropropagation',
		exercises: ids.map((id) => ({ exerciseId: id, source: readFileSync(join(PROJECT_ROOT, 'exercises', `${id}.yaml`), 'utf8') })),
		opensAt: now - 3_600_000,
		closesAt: now + 2 * 86_400_000,
		attempts,
		carryForward: true,
		feedback
	});
}

async function fresh(): Promise<Page> {
	const context = await browser.newContext({ baseURL: inject('baseURL'), locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
	contexts.push(context);
	return context.newPage();
}

/** Joins as a student would: the code as written on the board (lower case here), then name and number. */
async function joinAs(page: Page, name: string, number: string): Promise<void> {
	await goto(page, '/join');
	await page.locator('#code').fill(assignment.code.toLowerCase());
	await page.locator('main button[type=submit]').click();
	await page.waitForURL(`**/join/${assignment.code}`);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await page.locator('#name').fill(name);
	await page.locator('#number').fill(number);
	await page.locator('main form button[type=submit]').click();
}

const statement = (page: Page): Promise<string> => page.locator('.statement .text').innerText();

beforeAll(async () => {
	browser = await launch();
	db = await openSqliteStorage(inject('dbPath'));
	assignment = await seed(db, 'immediate', ['backprop-221', 'conv-output-size'], 3);
});
afterAll(async () => {
	for (const context of contexts) await context.close();
	await browser.close();
	await db.close();
});

describe('students of an assignment', () => {
	let chloe: Page;
	let hugo: Page;

	it('join with the code and get their own numbers', async () => {
		chloe = await fresh();
		hugo = await fresh();
		await joinAs(chloe, 'Chloé Martin', '21901234');
		await chloe.waitForURL(`**/a/${assignment.code}`);
		await joinAs(hugo, 'Hugo Bernard', '21905678');
		await hugo.waitForURL(`**/a/${assignment.code}`);
		expect(await chloe.locator('main').innerText()).toContain('Rétropropagation sur un réseau 2-2-1');
		expect(await chloe.locator('main').innerText()).toContain('Pas commencé');
		await chloe.goto(`/a/${assignment.code}/1`);
		await hugo.goto(`/a/${assignment.code}/1`);
		expect(await statement(chloe)).not.toBe(await statement(hugo));
		// the same numbers on another device
		const again = await fresh();
		await joinAs(again, 'chloé martin', '21901234');
		await again.waitForURL(`**/a/${assignment.code}`);
		await again.goto(`/a/${assignment.code}/1`);
		expect(await statement(again)).toBe(await statement(chloe));
	});

	it('keeps what is typed (decimal commas) as a draft, after a reload and on another device', async () => {
		await chloe.locator('#question-a2 input').fill('0,5');
		await chloe.locator('#question-z1 input').nth(0).fill('0,25');
		await chloe.locator('#question-z1 input').nth(1).fill('-0,1');
		await chloe.getByText('Brouillon enregistré').waitFor();
		await chloe.reload();
		expect(await chloe.locator('#question-a2 input').inputValue()).toBe('0,5');
		expect(await chloe.locator('#question-z1 input').nth(1).inputValue()).toBe('-0,1');
		// another browser has no local copy: this is the server's draft
		const other = await fresh();
		await joinAs(other, 'Chloé Martin', '21901234');
		await other.waitForURL(`**/a/${assignment.code}`);
		expect(await other.locator('main').innerText()).toContain('Brouillon enregistré');
		await other.goto(`/a/${assignment.code}/1`);
		expect(await other.locator('#question-a2 input').inputValue()).toBe('0,5');
	});

	it('submits, and shows the acknowledgement and the feedback (policy: immediate)', async () => {
		await submitBlanks(chloe);
		await chloe.locator('#ack .received').waitFor();
		expect(await chloe.locator('#ack').innerText()).toContain('Soumission reçue : tentative 1 sur 3.');
		expect(await chloe.locator('#question-a2 .feedback').count()).toBe(1);
		await hugo.locator('#question-a2 input').fill('0,7');
		await submitBlanks(hugo);
		await hugo.locator('#ack .received').waitFor();
		expect(await hugo.locator('#ack').innerText()).toContain('tentative 1 sur 3');
		await chloe.goto(`/a/${assignment.code}`);
		expect(await chloe.locator('main').innerText()).toContain('Soumis : 1 sur 3');
	});

	it('refuses a student number already used with another name', async () => {
		const page = await fresh();
		await joinAs(page, 'Quelqu’un d’autre', '21901234');
		await page.locator('[role=alert]').waitFor();
		expect(await page.locator('[role=alert]').innerText()).toContain('déjà rejoint ce devoir sous un autre nom');
		expect(page.url()).toContain(`/join/${assignment.code}`);
		expect((await db.studentsOf(assignment.id)).map((s) => s.name).sort()).toEqual(['Chloé Martin', 'Hugo Bernard']);
	});

	it('counts a replayed submission (same idempotency key) once', async () => {
		const student = (await db.studentsOf(assignment.id)).find((s) => s.studentNumber === '21901234');
		if (!student) throw new Error('Chloé did not join');
		const before = (await db.submissionsOf(student.id)).length;
		const url = `/a/${assignment.code}/1/submit`;
		const answers = await chloe.evaluate(async (url) => {
			const body = JSON.stringify({ key: crypto.randomUUID(), fields: { 'q:a2': '0,6' } });
			const send = async () => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
			return [await send(), await send()];
		}, url);
		expect(answers[0]).toMatchObject({ ok: true, duplicate: false, used: before + 1 });
		expect(answers[1]).toMatchObject({ ok: true, duplicate: true, used: before + 1 });
		expect((await db.submissionsOf(student.id)).length).toBe(before + 1);
	});

	it('keeps the draft in the browser while offline, and a retried submission counts once', async () => {
		const student = (await db.studentsOf(assignment.id)).find((s) => s.studentNumber === '21905678');
		if (!student) throw new Error('Hugo did not join');
		const context = hugo.context();
		await hugo.goto(`/a/${assignment.code}/2`);
		await context.setOffline(true);
		await hugo.locator('form input:not([type=hidden])').first().fill('12');
		await hugo.getByText('Pas enregistré sur le serveur').waitFor();
		await submitBlanks(hugo);
		await hugo.getByText('Le serveur n’a pas répondu').waitFor();
		expect((await db.submissionsOf(student.id)).filter((s) => s.position === 1)).toHaveLength(0);
		await context.setOffline(false);
		// back online: the draft kept in this browser is sent again
		await hugo.getByText('Brouillon enregistré').waitFor();
		expect(await db.draftOf(student.id, 1)).toMatchObject({});
		await submitBlanks(hugo);
		await hugo.locator('#ack .received').waitFor();
		await submitBlanks(hugo);
		await hugo.getByText('tentative 2 sur 3').waitFor();
		expect((await db.submissionsOf(student.id)).filter((s) => s.position === 1)).toHaveLength(2);
	});

	it('says so for an unknown code, an unopened or a closed assignment, and stores no student', async () => {
		const page = await fresh();
		await page.goto('/join?code=zz-zz-zz');
		expect(await page.locator('[role=alert]').innerText()).toContain('Aucun devoir n’a le code ZZZZZZ');
		const teacher = await db.createTeacher(`prof-dates-${Date.now()}@univ.fr`, 'Prof', 'hash');
		const source = readFileSync(join(PROJECT_ROOT, 'exercises', 'conv-output-size.yaml'), 'utf8');
		const now = Date.now();
		const base = { teacherId: teacher.id, title: 'Plus tard', exercises: [{ exerciseId: 'conv-output-size', source }], attempts: 1, carryForward: true, feedback: 'never' as const };
		const later = await db.createAssignment({ ...base, opensAt: now + 86_400_000, closesAt: now + 2 * 86_400_000 });
		const past = await db.createAssignment({ ...base, opensAt: now - 2 * 86_400_000, closesAt: now - 86_400_000 });
		await page.goto(`/join/${later.code.toLowerCase()}`);
		expect(await page.locator('[role=alert]').innerText()).toContain('pas encore ouvert');
		await page.goto(`/join/${past.code}`);
		expect(await page.locator('[role=alert]').innerText()).toContain('fermé');
		// the form is not shown; a post made anyway is refused
		const refused = await page.evaluate(async (url) => (await fetch(url, { method: 'POST', body: new URLSearchParams({ name: 'X', number: '1' }), headers: { 'x-sveltekit-action': 'true' } })).text(), `/join/${later.code}`);
		expect(refused).toContain('pas encore ouvert');
		expect(await db.studentsOf(later.id)).toHaveLength(0);
		expect(await db.studentsOf(past.id)).toHaveLength(0);
	});

	it('answers 401 to an endpoint without the student’s cookie, and sends a page to the join form', async () => {
		const response = await fetch(`${inject('baseURL')}/a/${assignment.code}/1/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'abcdefgh-1', fields: {} }) });
		expect(response.status).toBe(401);
		const draft = await fetch(`${inject('baseURL')}/a/${assignment.code}/1/draft`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fields: {} }) });
		expect(draft.status).toBe(401);
		const page = await fresh();
		await page.goto(`/a/${assignment.code}/1`);
		expect(page.url()).toContain(`/join/${assignment.code}`);
	});
});
