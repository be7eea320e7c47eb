import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NestedNumbers } from '../../src/lib/engine/tensor';
import { answerKey } from '../../src/lib/exercises/key';
import { exercisesOf, firstDraw } from '../../src/lib/server/assignments';
import { hashPassword } from '../../src/lib/server/auth';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { goto, launch, open, submitBlanks } from './browser';

const EMAIL = 'flow@univ.fr';
const PASSWORD = 'correct horse battery';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
	const storage = await openSqliteStorage(inject('dbPath'));
	if (!(await storage.teacherByEmail(EMAIL))) await storage.createTeacher(EMAIL, 'Prof Flow', await hashPassword(PASSWORD));
	await storage.close();
});
afterAll(async () => {
	await browser.close();
});

/** The values of a key entry, flat and in row order, as the grid's inputs take them. */
function cells(value: NestedNumbers | string): number[] {
	return typeof value === 'string' ? [] : Array.isArray(value) ? value.flatMap((v) => cells(v)) : [value];
}

/** Types numbers with the decimal comma, 6 decimals, into each question's inputs. */
async function answer(page: Page, answers: Record<string, number[]>): Promise<void> {
	for (const [id, values] of Object.entries(answers)) {
		for (let k = 0; k < values.length; k++) await page.locator(`#question-${id} input`).nth(k).fill(values[k].toFixed(6).replace('.', ','));
	}
}

async function join(page: Page, code: string, name: string, number: string): Promise<void> {
	await goto(page, `/join/${code}`);
	await page.locator('#name').fill(name);
	await page.locator('#number').fill(number);
	await page.locator('main form button[type=submit]').click();
	await page.waitForURL(`**/a/${code}`);
}

describe('an assignment from the teacher’s form to the spreadsheet', () => {
	it('is created by the teacher, answered by two students with their own numbers, and exported with the right marks', async () => {
		const teacher = await open(browser, '/teacher/login', { locale: 'fr-FR' });
		await teacher.page.locator('input[name=email]').fill(EMAIL);
		await teacher.page.locator('input[name=password]').fill(PASSWORD);
		await teacher.page.locator('main form button[type=submit]').click();
		await teacher.page.waitForURL(/\/teacher$/);
		await goto(teacher.page, '/teacher/assignments/new');
		await teacher.page.locator('input[name=title]').fill('TD 3 : rétropropagation');
		await teacher.page.locator('input[name=exercise][value=backprop-221]').check();
		await teacher.page.locator('input[name=feedback][value=immediate]').check();
		await teacher.page.locator('main form button[type=submit]').click();
		await teacher.page.waitForURL(/\/teacher\/assignments\/\d+/);
		const id = Number(new URL(teacher.page.url()).pathname.split('/').pop());
		const code = (await teacher.page.locator('.code').textContent())?.trim() ?? '';

		// what each student should answer, from their own variant of the stored assignment
		const storage = await openSqliteStorage(inject('dbPath'));
		const assignment = await storage.assignmentById(id);
		await storage.close();
		if (!assignment) throw new Error('the assignment was not stored');
		const [exercise] = exercisesOf(assignment);
		const keyOf = (number: string) => Object.fromEntries(Object.entries(answerKey(exercise, firstDraw(assignment, exercise, number))).map(([q, v]) => [q, cells(v)]));
		const chloeKey = keyOf('21901234');
		const hugoKey = keyOf('21905678');
		expect(chloeKey).not.toEqual(hugoKey);

		const chloe = await open(browser, '/', { locale: 'fr-FR' });
		const hugo = await open(browser, '/', { locale: 'fr-FR' });
		await join(chloe.page, code, 'Chloé Martin', '21901234');
		await join(hugo.page, code, 'Hugo Bernard', '21905678');
		const typed: [Page, Record<string, number[]>][] = [
			[chloe.page, chloeKey],
			// Hugo: z1 right, a1 half right (1.5 of 10)
			[hugo.page, { z1: hugoKey.z1, a1: [hugoKey.a1[0], hugoKey.a1[1] + 0.2] }]
		];
		for (const [page, answers] of typed) {
			await goto(page, `/a/${code}/1`);
			await answer(page, answers);
			// Hugo leaves questions blank: the page asks first
			if (page === hugo.page) await submitBlanks(page);
			else await page.locator('form button[type=submit]').click();
			await page.locator('#ack .received').waitFor();
		}
		expect(await chloe.page.locator('#ack').innerText()).toContain('tentative 1');

		// the gradebook titles its columns by what each question asks, the id on hover
		await goto(teacher.page, `/teacher/assignments/${id}`);
		const z1 = teacher.page.locator('th.q[title=z1]');
		expect(await z1.locator('.katex').count()).toBe(1);
		expect(await z1.locator('annotation').textContent()).toBe('Z^{[1]}');

		const csv = await teacher.page.request.get(`/teacher/assignments/${id}/export.csv?lang=fr`);
		expect(csv.status()).toBe(200);
		const text = await csv.text();
		expect(text.charCodeAt(0)).toBe(0xfeff);
		const rows = text.slice(1).trim().split('\r\n').map((row) => row.split(';'));
		const [header, ...students] = rows;
		const total = header.findIndex((cell) => /^total$/i.test(cell.replace(/"/g, '')));
		expect(total).toBeGreaterThan(1);
		const byName = Object.fromEntries(students.map((row) => [row[0].replace(/"/g, ''), row]));
		expect(byName['Chloé Martin'][1]).toBe('21901234');
		expect(byName['Chloé Martin'][total]).toBe('10');
		expect(byName['Hugo Bernard'][total]).toBe('1,5');
		for (const context of [teacher.context, chloe.context, hugo.context]) await context.close();
	});
});
