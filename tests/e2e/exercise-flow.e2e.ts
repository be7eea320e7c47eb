import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NestedNumbers } from '../../src/lib/engine/tensor';
import { findEvent } from '../../src/lib/engine/trace';
import { answerKey } from '../../src/lib/exercises/key';
import { createAssignment, exercisesOf, firstDraw } from '../../src/lib/server/assignments';
import { hashPassword } from '../../src/lib/server/auth';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import type { Assignment } from '../../src/lib/server/storage';
import { goto, launch, open } from './browser';

const EMAIL = 'flow-keys@univ.fr';
const PASSWORD = 'numbers beside the key';
const STUDENTS = [
	{ name: 'Chloé Martin', number: '21904321' },
	{ name: 'Hugo Bernard', number: '21908765' }
] as const;

let browser: Browser;
let assignment: Assignment;
/** Chloé, signed in to the assignment, her one attempt used */
let chloe: Page;
let chloeContext: BrowserContext;

/** The values of a key entry, flat and in row order, as the grid's inputs take them. */
function cells(value: NestedNumbers | string): number[] {
	return typeof value === 'string' ? [] : Array.isArray(value) ? value.flatMap((v) => cells(v)) : [value];
}

const comma = (v: number): string => String(v).replace('.', ',');

beforeAll(async () => {
	browser = await launch();
	const storage = await openSqliteStorage(inject('dbPath'));
	const teacher = (await storage.teacherByEmail(EMAIL)) ?? (await storage.createTeacher(EMAIL, 'Prof Keys', await hashPassword(PASSWORD)));
	const created = await createAssignment(storage, teacher.id, {
		title: 'TD 4 : les corrigés',
		exerciseIds: ['backprop-221'],
		uploads: [],
		opensAt: Date.now() - 3_600_000,
		closesAt: Date.now() + 2 * 86_400_000,
		attempts: 1,
		carryForward: true,
		feedback: 'immediate'
	});
	if (!created.ok) throw new Error(created.errors.join('\n'));
	assignment = created.assignment;
	await storage.close();
	// both students join; Chloé submits δ[1] without σ′ (every question answered, so nothing to confirm)
	for (const student of STUDENTS) {
		const { context, page } = await open(browser, `/join/${assignment.code}`, { locale: 'fr-FR' });
		await page.locator('#name').fill(student.name);
		await page.locator('#number').fill(student.number);
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL(`**/a/${assignment.code}`);
		if (student === STUDENTS[0]) {
			const [exercise] = exercisesOf(assignment);
			const variant = firstDraw(assignment, exercise, student.number);
			const dA = findEvent(variant.trace, 1, 'dA[1]')?.value.data;
			if (!dA) throw new Error('no dA[1] in the trace');
			const answers = { ...Object.fromEntries(Object.entries(answerKey(exercise, variant)).map(([q, v]) => [q, cells(v)])), delta1: Array.from(dA) };
			await goto(page, `/a/${assignment.code}/1`);
			for (const [id, values] of Object.entries(answers)) {
				for (let k = 0; k < values.length; k++) await page.locator(`#question-${id} input`).nth(k).fill(comma(values[k]));
			}
			await page.locator('form button[type=submit]').click();
			await page.locator('#ack .received').waitFor();
			chloe = page;
			chloeContext = context;
		} else await context.close();
	}
});
afterAll(async () => {
	await chloeContext.close();
	await browser.close();
});

const cases = [
	{ locale: 'fr-FR', width: 1280 },
	{ locale: 'en-US', width: 375 },
	{ locale: 'en-US', width: 1280 },
	{ locale: 'fr-FR', width: 375 }
] as const;

const words = {
	'fr-FR': { check: 'Vérifier', yes: 'Vérifier quand même', no: 'Continuer à répondre', blank: '5 questions sont vides : vérifier quand même ?', back: 'Retour à l’exercice', show: 'Voir cette étape', wrong: '0,5' },
	'en-US': { check: 'Check', yes: 'Check anyway', no: 'Keep answering', blank: '5 questions are blank: check anyway?', back: 'Back to the exercise', show: 'Show me this step', wrong: '0.5' }
} as const;

describe('an exercise, its check and the way back from the replay', () => {
	it.each(cases)('asks before checking blanks, and keeps the answers and the feedback after "Show me this step" ($locale, $width px)', async ({ locale, width }) => {
		const say = words[locale];
		const { context, page } = await open(browser, '/exercises/backprop-221?n=2', { locale, width });
		const z11 = page.locator('#question-z1 input').first();
		const a2 = page.locator('#question-a2 input');
		await z11.fill('1');
		await a2.fill(say.wrong);

		// 5 of 7 questions blank: the page asks, in its language; "keep answering" changes nothing
		await page.getByRole('button', { name: say.check, exact: true }).click();
		const dialog = page.getByRole('dialog', { name: say.blank });
		await dialog.waitFor();
		await dialog.getByRole('button', { name: say.no }).click();
		await dialog.waitFor({ state: 'hidden' });
		expect(await page.locator('#score .total').count()).toBe(0);
		expect(await a2.inputValue()).toBe(say.wrong);
		// yes checks them
		await page.getByRole('button', { name: say.check, exact: true }).click();
		await dialog.getByRole('button', { name: say.yes }).click();
		const score = page.locator('#score .total');
		await score.waitFor();
		const scored = await score.innerText();
		const feedback = await page.locator('#feedback-a2 .feedback').innerText();

		/** The page as it was left: the typed answers, the score and the feedback. */
		const asLeft = async (): Promise<void> => {
			await page.locator('#feedback-a2 .feedback').waitFor();
			expect(await score.innerText()).toBe(scored);
			expect(await page.locator('#feedback-a2 .feedback').innerText()).toBe(feedback);
			expect(await a2.inputValue()).toBe(say.wrong);
			expect(await z11.inputValue()).toBe('1');
		};

		const show = page.locator('#feedback-a2 .replay a');
		expect(await show.innerText()).toContain(say.show);
		// by the link on the replay
		await show.click();
		await page.waitForURL('**/replay?**');
		await page.locator('.where').waitFor();
		const back = page.getByRole('link', { name: say.back });
		expect(await back.getAttribute('href')).toBe('/exercises/backprop-221?n=2#question-a2');
		// it stays while the student steps through the replay, in the replay's link too (a reload keeps it)
		const at = new URL(page.url()).searchParams.get('at');
		await page.keyboard.press('ArrowRight');
		await page.waitForFunction((before) => new URLSearchParams(location.search).get('at') !== before, at);
		expect(new URL(page.url()).searchParams.get('from')).toBe('/exercises/backprop-221?n=2#question-a2');
		await page.reload();
		await page.locator('.where').waitFor();
		await back.click();
		await page.waitForURL(/\/exercises\/backprop-221\?n=2#question-a2$/);
		await asLeft();
		// by the browser's Back
		await show.click();
		await page.waitForURL('**/replay?**');
		await page.locator('.where').waitFor();
		await page.goBack();
		await page.waitForURL(/\/exercises\/backprop-221\?n=2/);
		await asLeft();
		// other numbers are another exercise: they start blank
		await goto(page, '/exercises/backprop-221?n=3');
		expect(await page.locator('#question-a2 input').inputValue()).toBe('');
		await context.close();
	});

	it('leads back from the replay to an assignment’s exercise, its answers and feedback as submitted', async () => {
		await goto(chloe, `/a/${assignment.code}/1`);
		const feedback = await chloe.locator('#feedback-delta1 .feedback').innerText();
		const typed = await chloe.locator('#question-delta1 input').first().inputValue();
		await chloe.locator('#feedback-delta1 .replay a').click();
		await chloe.waitForURL('**/replay?**');
		await chloe.locator('.where').waitFor();
		const back = chloe.getByRole('link', { name: 'Retour à l’exercice' });
		expect(await back.getAttribute('href')).toBe(`/a/${assignment.code}/1#question-delta1`);
		await back.click();
		await chloe.waitForURL(new RegExp(`/a/${assignment.code}/1#question-delta1$`));
		await chloe.locator('#feedback-delta1 .feedback').waitFor();
		expect(await chloe.locator('#feedback-delta1 .feedback').innerText()).toBe(feedback);
		expect(await chloe.locator('#question-delta1 input').first().inputValue()).toBe(typed);
	});

	it('offers no way back to a page outside the exercises', async () => {
		const { context, page } = await open(browser, `/replay?lesson=perceptron-or&from=${encodeURIComponent('https://evil.example/exercises/x')}`);
		await page.locator('h1').waitFor();
		await page.locator('.where').waitFor();
		expect(await page.locator('p.back').count()).toBe(0);
		await context.close();
	});

	it.each([
		{ locale: 'fr-FR', width: 1280, yes: 'Soumettre quand même', no: 'Continuer à répondre', blank: '6 questions sont vides : soumettre quand même ?' },
		{ locale: 'en-US', width: 375, yes: 'Submit anyway', no: 'Keep answering', blank: '6 questions are blank: submit anyway?' }
	] as const)('asks before submitting blanks to an assignment, which uses no attempt until yes ($locale, $width px)', async ({ locale, width, yes, no, blank }) => {
		const { context, page } = await open(browser, `/join/${assignment.code}`, { locale, width });
		await page.locator('#name').fill(`Élève ${width}`);
		await page.locator('#number').fill(`2190${width}`);
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL(`**/a/${assignment.code}`);
		await goto(page, `/a/${assignment.code}/1`);
		await page.locator('#question-a2 input').fill('0,5');
		await page.locator('form button[type=submit]').click();
		const dialog = page.getByRole('dialog', { name: blank });
		await dialog.waitFor();
		await dialog.getByRole('button', { name: no }).click();
		await dialog.waitFor({ state: 'hidden' });
		expect(await page.locator('#ack .received').count()).toBe(0);
		const storage = await openSqliteStorage(inject('dbPath'));
		const student = (await storage.studentsOf(assignment.id)).find((s) => s.studentNumber === `2190${width}`);
		expect(student && (await storage.submissionsOf(student.id))).toEqual([]);
		await page.locator('form button[type=submit]').click();
		await dialog.getByRole('button', { name: yes }).click();
		await page.locator('#ack .received').waitFor();
		expect(student && (await storage.submissionsOf(student.id))).toHaveLength(1);
		await storage.close();
		await context.close();
	});
});

async function teacher(locale: 'fr-FR' | 'en-US', width: number): Promise<{ page: Page; close: () => Promise<void> }> {
	const { context, page } = await open(browser, '/teacher/login', { locale, width });
	await page.locator('input[name=email]').fill(EMAIL);
	await page.locator('input[name=password]').fill(PASSWORD);
	await page.locator('main form button[type=submit]').click();
	await page.waitForURL(/\/teacher$/);
	return { page, close: () => context.close() };
}

describe('the teacher’s view of each student', () => {
	it.each([
		{ locale: 'fr-FR', width: 1280, given: 'Données', point: '{,}' },
		{ locale: 'en-US', width: 375, given: 'Given', point: '.' }
	] as const)('repeats each student’s own numbers on their answer key ($locale, $width px)', async ({ locale, width, given, point }) => {
		const { page, close } = await teacher(locale, width);
		await goto(page, `/teacher/assignments/${assignment.id}/keys`);
		const [exercise] = exercisesOf(assignment);
		for (const student of STUDENTS) {
			// the numbers the statement gave this student, as drawn for them
			const drawn = firstDraw(assignment, exercise, student.number).drawn['W[1]'] as number[][];
			const tex = (v: number): string => String(v).replace('.', point);
			const sheet = page.locator('article.sheet', { has: page.locator('h2', { hasText: student.name }) });
			const block = sheet.locator('.given');
			expect(await block.innerText()).toContain(given);
			expect((await block.locator('annotation').allTextContents()).join(' ')).toContain(`W^{[1]} = \\begin{pmatrix} ${tex(drawn[0][0])} & ${tex(drawn[0][1])}`);
			// and the key beside them
			expect(await sheet.locator('li .katex').count()).toBeGreaterThan(0);
		}
		await close();
	});

	it.each([
		{ locale: 'fr-FR', width: 375, found: 'Erreurs identifiées :', name: 'Dérivée de l’activation oubliée' },
		{ locale: 'en-US', width: 1280, found: 'Mistakes found:', name: 'Activation derivative forgotten' }
	] as const)('names the mistake of an attempt on the student’s page ($locale, $width px)', async ({ locale, width, found, name }) => {
		const { page, close } = await teacher(locale, width);
		await goto(page, `/teacher/assignments/${assignment.id}`);
		await page.locator('table a', { hasText: STUDENTS[0].name }).click();
		await page.waitForURL(/\/students\/\d+$/);
		const summary = page.locator('section .found');
		expect(await summary.innerText()).toBe(`${found} ${name}`);
		// on the question's row too, by what it asks, its id on hover
		const row = page.locator('tr', { has: page.locator('th[title=delta1]') });
		expect(await row.locator('th annotation').textContent()).toMatch(/delta/);
		expect(await row.locator('.verdict').innerText()).toContain(name);
		await close();
	});
});
