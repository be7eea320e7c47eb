import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../src/lib/server/auth';
import { createAssignment } from '../../src/lib/server/assignments';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { goto, launch, open } from './browser';

/**
 * The grader's feedback is data, written in the reader's language when it is read: a student who
 * answered in French reads it in English after switching, and so does a teacher reading in English.
 */
const EMAIL = 'feedback@univ.fr';
const PASSWORD = 'correct horse battery';
const QUESTIONS = ['z1', 'a1', 'a2', 'delta2', 'delta1', 'dw1', 'w2'];

let browser: Browser;
let assignmentId: number;
let code: string;
beforeAll(async () => {
	browser = await launch();
	const storage = await openSqliteStorage(inject('dbPath'));
	const teacher = (await storage.teacherByEmail(EMAIL)) ?? (await storage.createTeacher(EMAIL, 'Prof Feedback', await hashPassword(PASSWORD)));
	const created = await createAssignment(storage, teacher.id, {
		title: 'TD feedback',
		exerciseIds: ['backprop-221'],
		uploads: [],
		opensAt: 0,
		closesAt: 4_000_000_000_000,
		attempts: 3,
		carryForward: true,
		feedback: 'immediate'
	});
	await storage.close();
	if (!created.ok) throw new Error(created.errors.join('\n'));
	assignmentId = created.assignment.id;
	code = created.assignment.code;
});
afterAll(async () => {
	await browser.close();
});

/**
 * The same wrong number in every field, with the decimal comma. On an assignment the numbers are
 * drawn at random, and 0,5 could be an answer given to 1 decimal (z = 0,55 asks for 4 decimals
 * instead of saying it is wrong): no draw of backprop-221 reaches 9,5 (|z| ≤ 2·2·1 + 0,5).
 */
async function answerEverything(page: Page, wrong = '0,5'): Promise<void> {
	const fields = page.locator('form .question input');
	for (let k = 0; k < (await fields.count()); k++) await fields.nth(k).fill(wrong);
}

/** Each question's verdict class and message, as shown. */
async function feedbackOf(page: Page): Promise<Record<string, { verdict: string; message: string }>> {
	const shown: Record<string, { verdict: string; message: string }> = {};
	for (const id of QUESTIONS) {
		const box = page.locator(`#feedback-${id} .feedback`);
		await box.waitFor();
		// a bare verdict has no message beside its heading
		const message = box.locator('.message');
		shown[id] = { verdict: (await box.getAttribute('class')) ?? '', message: (await message.count()) > 0 ? (await message.innerText()).trim() : '' };
	}
	return shown;
}

/** The numbers of a text, as numbers: 0,62 in French and 0.62 in English are the same. */
const numbersIn = (text: string, locale: 'fr' | 'en'): number[] =>
	[...text.matchAll(locale === 'fr' ? /-?\d+(?:,\d+)?/g : /-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0].replace(',', '.')));

describe('feedback in the reader’s language', () => {
	it('on the exercise page: the same answers, checked in French and in English, get the same feedback in each language', async () => {
		const said: Record<'fr' | 'en', Record<string, { verdict: string; message: string }>> = { fr: {}, en: {} };
		for (const [locale, lang, check] of [
			['fr-FR', 'fr', 'Vérifier'],
			['en-US', 'en', 'Check']
		] as const) {
			const { context, page } = await open(browser, '/exercises/backprop-221?n=1', { locale });
			await answerEverything(page);
			await page.getByRole('button', { name: check }).click();
			await page.locator('#feedback-w2 .feedback').waitFor();
			said[lang] = await feedbackOf(page);
			await context.close();
		}
		expect(said.fr.z1.message).toMatch(/^Attendu : \[-?\d+(,\d+)? ; -?\d+(,\d+)?\]\.$/);
		expect(said.en.z1.message).toMatch(/^Expected: \[-?\d+(\.\d+)?, -?\d+(\.\d+)?\]\.$/);
		for (const id of QUESTIONS) {
			expect(said.en[id].verdict, id).toBe(said.fr[id].verdict);
			// the same answers: every question says something beyond its verdict, in each language
			expect(said.en[id].message, id).not.toBe(said.fr[id].message);
		}
		expect(numbersIn(said.en.z1.message, 'en')).toEqual(numbersIn(said.fr.z1.message, 'fr'));
	});

	it('on an assignment: a student who answered in French switches to English and reads the same report in English; the teacher reads it in English', async () => {
		const student = await open(browser, `/join/${code}`, { locale: 'fr-FR' });
		await student.page.locator('#name').fill('Chloé Martin');
		await student.page.locator('#number').fill('21907777');
		await student.page.locator('main form button[type=submit]').click();
		await student.page.waitForURL(`**/a/${code}`);
		await goto(student.page, `/a/${code}/1`);
		await answerEverything(student.page, '9,5');
		await student.page.locator('form button[type=submit]').click();
		await student.page.locator('#ack .received').waitFor();
		await student.page.locator('#feedback-w2 .feedback').waitFor();
		const french = await feedbackOf(student.page);
		expect(french.z1.message).toMatch(/^Attendu : \[/);

		await student.page.getByRole('button', { name: 'Read in English' }).click();
		await student.page.waitForFunction(() => document.documentElement.lang === 'en');
		await student.page.locator('#feedback-w2 .feedback').waitFor();
		const english = await feedbackOf(student.page);
		expect(english.z1.message).toMatch(/^Expected: \[/);
		expect(numbersIn(english.z1.message, 'en')).toEqual(numbersIn(french.z1.message, 'fr'));
		for (const id of QUESTIONS) expect(english[id].verdict, id).toBe(french[id].verdict);
		await student.context.close();

		// the teacher, in English, reads the stored report of that attempt
		const teacher = await open(browser, '/teacher/login', { locale: 'en-US' });
		await teacher.page.locator('input[name=email]').fill(EMAIL);
		await teacher.page.locator('input[name=password]').fill(PASSWORD);
		await teacher.page.locator('main form button[type=submit]').click();
		await teacher.page.waitForURL((url) => !url.pathname.startsWith('/teacher/login'));
		const storage = await openSqliteStorage(inject('dbPath'));
		const chloe = (await storage.studentsOf(assignmentId)).find((s) => s.studentNumber === '21907777');
		await storage.close();
		await goto(teacher.page, `/teacher/assignments/${assignmentId}/students/${chloe?.id}`);
		// the question's row, titled by what it asks, its id on hover
		const row = teacher.page.locator('tbody tr', { has: teacher.page.locator('th[title="z1"]') });
		const told = (await row.locator('.verdict').innerText()).trim();
		expect(told).toMatch(/Wrong\s+Expected: \[/);
		expect(told).not.toMatch(/Faux|Attendu/);
		expect(numbersIn(told.slice(told.indexOf('Expected')), 'en')).toEqual(numbersIn(french.z1.message, 'fr'));
		await teacher.context.close();
	});
});
