import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NestedNumbers } from '../../src/lib/engine/tensor';
import { answerKey } from '../../src/lib/exercises/key';
import { exercisesOf, variantFor } from '../../src/lib/server/assignments';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import type { Assignment, Storage } from '../../src/lib/server/storage';
import { givenByStatement, PROJECT_ROOT } from '../helpers';
import { goto, launch } from './browser';

const IDS = ['backprop-221', 'conv-output-size', 'mlp-forward-matrix'];
const NUMBER = '21904242';

let browser: Browser;
let context: BrowserContext;
let db: Storage;
let assignment: Assignment;

/** Everything the server sent the student, by URL: pages, page data, API answers, error pages (not the static bundles). */
const seen: { url: string; status: number; body: string }[] = [];

function flat(value: NestedNumbers | string): number[] {
	if (typeof value === 'string') return [];
	return typeof value === 'number' ? [value] : value.flatMap(flat);
}

/** Every way a page could write a number: 4 decimals (point, comma, TeX comma), 6 significant digits, full precision; too short a text would match anything. */
function spellings(value: number): string[] {
	const texts = [value.toFixed(4), value.toPrecision(6), String(value), String(Number(value.toPrecision(6)))].filter((t) => t.replace(/^-?0?\.?0*/, '').replace('.', '').length >= 3);
	return [...new Set(texts.flatMap((t) => [t, t.replace('.', ','), t.replace('.', '{,}')]))];
}

/**
 * What a response says, not how it is drawn: the text of a page, its embedded data and the
 * values and labels of its fields, without tags, styles and SVG paths (KaTeX writes `1.05em`,
 * a sketch `M224 …`: not numbers of the exercise). JSON answers are kept whole.
 */
function said(body: string, html: boolean): string {
	if (!html) return body;
	const attributes = [...body.matchAll(/\b(?:value|aria-label|title|alt|placeholder|content)="([^"]*)"/g)].map((m) => m[1]);
	const text = body
		.replace(/<style[\s\S]*?<\/style>/g, ' ')
		.replace(/<svg[\s\S]*?<\/svg>/g, ' ')
		.replace(/<[^>]*>/g, ' ');
	return `${text}\n${attributes.join('\n')}`;
}

/** The spelling as a whole number: not inside a longer one. */
function contains(text: string, spelled: string): boolean {
	const escaped = spelled.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(?<![\\d.,])${escaped}(?!\\d)`).test(text);
}

beforeAll(async () => {
	browser = await launch();
	db = await openSqliteStorage(inject('dbPath'));
	const teacher = await db.createTeacher(`leak-${Date.now()}@univ.fr`, 'Prof', 'hash');
	const now = Date.now();
	assignment = await db.createAssignment({
		teacherId: teacher.id,
		title: 'Devoir surveillé',
		exercises: IDS.map((id) => ({ exerciseId: id, source: readFileSync(join(PROJECT_ROOT, 'exercises', `${id}.yaml`), 'utf8') })),
		opensAt: now - 3_600_000,
		closesAt: now + 86_400_000,
		attempts: 2,
		carryForward: true,
		feedback: 'after_close'
	});
	context = await browser.newContext({ baseURL: inject('baseURL'), locale: 'fr-FR' });
	context.on('response', async (response) => {
		if (response.url().includes('/_app/immutable/')) return;
		try {
			const html = (response.headers()['content-type'] ?? '').includes('html');
			seen.push({ url: response.url(), status: response.status(), body: said(await response.text(), html) });
		} catch {
			// a redirect has no body
		}
	});
});
afterAll(async () => {
	await context.close();
	await browser.close();
	await db.close();
});

async function post(page: Page, url: string, body: unknown): Promise<void> {
	await page.evaluate(
		async ({ url, body }) => {
			await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
		},
		{ url, body }
	);
}

describe('an open assignment with feedback after the close date', () => {
	it('sends the student no expected value of their variant, on any page or answer', async () => {
		const page = await context.newPage();
		await goto(page, `/join/${assignment.code}`);
		await page.locator('#name').fill('Inès Garcia');
		await page.locator('#number').fill(NUMBER);
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL(`**/a/${assignment.code}`);

		const code = assignment.code;
		for (let position = 1; position <= IDS.length; position++) {
			await page.goto(`/a/${code}/${position}`);
			// wrong but readable answers, typed as a student would, then saved and submitted twice and a third time refused
			const inputs = page.locator('form input:not([type=hidden]):not([type=radio])');
			const n = await inputs.count();
			for (let i = 0; i < n; i++) await inputs.nth(i).fill(i % 2 ? '7' : '3,5');
			await page.getByText('Brouillon enregistré').waitFor();
			for (let attempt = 0; attempt < 3; attempt++) {
				await page.locator('form button[type=submit]').click({ timeout: 2_000 }).catch(() => undefined);
				await page.waitForTimeout(300);
				// a choice left blank asks first
				const confirm = page.locator('dialog.blank-confirm[open] button.primary');
				if ((await confirm.count()) > 0) {
					await confirm.click();
					await page.waitForTimeout(300);
				}
				await post(page, `/a/${code}/${position}/submit`, { key: `replay-${position}-${attempt}-xxxx`, fields: { 'q:nope': '1' } });
			}
			await page.reload();
			await page.goto(`/a/${code}/${position}/__data.json`);
			// refused requests: their error messages
			await page.goto(`/a/${code}/${position}`);
			await post(page, `/a/${code}/${position}/submit`, { key: 'k', fields: {} });
			await post(page, `/a/${code}/${position}/submit`, 'not json');
			await post(page, `/a/${code}/${position}/submit`, { key: 'long-key-xxxx', fields: { 'q:a2': '9'.repeat(3000) } });
			await post(page, `/a/${code}/${position}/draft`, { fields: { 'q:nope': '1' } });
			await post(page, `/a/${code}/${position}/draft`, { fields: { 'q:a2': 5 } });
		}
		await page.goto(`/a/${code}`);
		await page.goto(`/a/${code}/__data.json`);
		await page.goto(`/a/${code}/99`);
		await page.goto(`/a/${code}/abc`);
		await page.goto(`/join/${code}`);
		await page.goto('/join?code=ZZZZZZ');

		const student = (await db.studentsOf(assignment.id)).find((s) => s.studentNumber === NUMBER);
		if (!student) throw new Error('the student did not join');
		expect((await db.submissionsOf(student.id)).length).toBe(2 * IDS.length);
		expect(seen.some((r) => r.url.endsWith('/submit') && r.status === 200)).toBe(true);
		expect(seen.some((r) => r.url.endsWith('/__data.json'))).toBe(true);
		expect(seen.some((r) => r.status === 404)).toBe(true);

		const problems: string[] = [];
		for (const [position, exercise] of exercisesOf(assignment).entries()) {
			const variant = await variantFor(db, assignment, student, position);
			const key = answerKey(exercise, variant);
			for (const [question, value] of Object.entries(key))
				for (const number of flat(value).filter((n) => !givenByStatement(n, variant.scenario)))
					for (const spelled of spellings(number))
						for (const response of seen) if (contains(response.body, spelled)) problems.push(`${exercise.id}/${question}: ${spelled} in ${response.url} (${response.status})`);
		}
		expect(problems).toEqual([]);
		await page.close();
	});

	// The key of a variant is computed on the server from a secret seed; what must never ship is
	// the exercise files themselves (scenarios, vary rules, statements before their numbers).
	it('ships no exercise file in the JavaScript bundles', () => {
		const files = readdirSync(join(PROJECT_ROOT, 'build/client'), { recursive: true }).map(String).filter((f) => /\.(js|json)$/.test(f));
		expect(files.length).toBeGreaterThan(0);
		const bundles = files.map((f) => readFileSync(join(PROJECT_ROOT, 'build/client', f), 'utf8')).join('\n');
		for (const marker of ['{{W[1]}}', '{{A[0][0]}}', 'exclude: [0]', 'Rétropropagation sur un réseau 2-2-1']) expect(bundles).not.toContain(marker);
	});
});
