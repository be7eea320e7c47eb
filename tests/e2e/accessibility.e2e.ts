import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword, hashToken, newToken } from '../../src/lib/server/auth';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { goto, launch, open } from './browser';

// axe-core's own script, injected into the page (its Playwright wrapper needs Node 22)
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[] }[];
}

async function violations(page: Page): Promise<AxeViolation[]> {
	await page.addScriptTag({ path: AXE_SCRIPT });
	const result = await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
		return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
	});
	return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser.close();
});

async function plain(path: string, locale: 'fr-FR' | 'en-US', width: number) {
	const context = await browser.newContext({ baseURL: inject('baseURL'), locale, viewport: { width, height: 900 } });
	const page = await context.newPage();
	await page.goto(path);
	return { context, page };
}

describe('accessibility (axe, WCAG 2.1 AA, serious and critical)', () => {
	it.each([
		{ path: '/', locale: 'fr-FR', width: 1280 },
		{ path: '/lessons', locale: 'en-US', width: 375 },
		{ path: '/replay?lesson=backprop-deltas&at=12&i=0.1', locale: 'fr-FR', width: 1280 },
		{ path: '/replay?lesson=conv-padding-1&at=3&i=0.0.1.1', locale: 'en-US', width: 375 },
		{ path: '/replay?lesson=perceptron-or&at=40', locale: 'en-US', width: 1280 },
		{ path: '/replay?lesson=training-xor-minibatch&at=5000&i=0.1', locale: 'fr-FR', width: 375 },
		{ path: '/replay', locale: 'en-US', width: 375 },
		// the network's overview above the picture: open on a laptop, folded on a phone
		{ path: '/replay?lesson=cnn-bars&at=5', locale: 'fr-FR', width: 1280 },
		{ path: '/replay?lesson=cnn-bars&at=5', locale: 'en-US', width: 375 },
		{ path: '/exercises', locale: 'fr-FR', width: 1280 },
		{ path: '/exercises', locale: 'en-US', width: 375 },
		{ path: '/exercises/backprop-221?n=1', locale: 'fr-FR', width: 1280 },
		{ path: '/exercises/backprop-221?n=1', locale: 'en-US', width: 375 },
		{ path: '/teacher/login', locale: 'fr-FR', width: 1280 },
		{ path: '/teacher/login', locale: 'en-US', width: 375 }
	] as const)('$path ($locale, $width px)', async ({ path, locale, width }) => {
		const { context, page } = await open(browser, path, { locale, width });
		if (path.includes('lesson=')) await page.locator('.where').waitFor();
		else if (path.startsWith('/replay')) await page.locator('.cm-content').waitFor();
		const found = await violations(page);
		expect(found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
		await context.close();
	});

	it.each([
		['fr-FR', 1280],
		['en-US', 375]
	] as const)('a platform’s "Select content" page and a refused launch (%s, %i px)', async (locale, width) => {
		const storage = await openSqliteStorage(inject('dbPath'));
		const issuer = 'https://moodle-axe-lti.univ.fr';
		const platform =
			(await storage.lti.platformsByIssuer(issuer))[0] ??
			(await storage.lti.addPlatform({ name: 'Moodle (axe)', issuer, clientId: 'axe', deploymentIds: ['1'], authUrl: `${issuer}/auth`, jwksUrl: `${issuer}/certs`, tokenUrl: `${issuer}/token` }, null, Date.now()));
		const teacher = (await storage.teacherByEmail('axe-lti@univ.fr')) ?? (await storage.createTeacher('axe-lti@univ.fr', 'Prof LTI', ''));
		const token = newToken();
		await storage.lti.createDeepLink({ tokenHash: hashToken(token), platformId: platform.id, deploymentId: '1', contextId: 'course-axe', contextTitle: 'Apprentissage profond', teacherId: teacher.id, returnUrl: `${issuer}/return`, data: null, acceptMultiple: true, expiresAt: Date.now() + 3_600_000 });
		await storage.close();
		for (const path of [`/lti/deep-link/${token}`, '/lti/launch']) {
			// the refusal is a page of its own, without the app's scripts: nothing to wait for
			const { context, page } = path === '/lti/launch' ? await plain(path, locale, width) : await open(browser, path, { locale, width });
			const found = await violations(page);
			expect(found.map((v) => `${path} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
			await context.close();
		}
	});

	it.each([
		{ locale: 'fr-FR', width: 375 },
		{ locale: 'en-US', width: 1280 }
	] as const)('/exercises/backprop-221 after checking ($locale, $width px)', async ({ locale, width }) => {
		const { context, page } = await open(browser, '/exercises/backprop-221?n=1', { locale, width });
		// one answer of each kind of verdict: right-shaped but wrong, unreadable, missing
		await page.locator('#question-a2 input').fill('0,5');
		await page.locator('#question-delta2 input').fill('abc');
		await page.locator('#question-z1 input').first().fill('1');
		await page.locator('#question-z1 input').nth(1).fill('2');
		await page.locator('form button[type=submit]').click();
		// the other questions are left blank on purpose: the page asks, and the answer is yes
		await page.locator('dialog.blank-confirm[open] button.primary').click();
		await page.locator('#score .total').waitFor();
		const found = await violations(page);
		expect(found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
		await context.close();
	});

	it.each([
		{ locale: 'fr-FR', width: 1280 },
		{ locale: 'en-US', width: 375 }
	] as const)('/teacher dashboard, signed in ($locale, $width px)', async ({ locale, width }) => {
		// a teacher of its own, straight into the server's database, with one assignment
		const storage = await openSqliteStorage(inject('dbPath'));
		const email = `axe-${locale}@univ.fr`;
		const teacher = (await storage.teacherByEmail(email)) ?? (await storage.createTeacher(email, 'Axe', await hashPassword('correct horse battery')));
		const source = 'id: backprop-221';
		if ((await storage.assignmentsOf(teacher.id)).length === 0) await storage.createAssignment({ teacherId: teacher.id, title: 'Backprop', exercises: [{ exerciseId: 'backprop-221', source }], opensAt: 0, closesAt: 1e13, attempts: 2, carryForward: true, feedback: 'never' });
		await storage.close();
		const { context, page } = await open(browser, '/teacher/login', { locale, width });
		await page.locator('input[name=email]').fill(email);
		await page.locator('input[name=password]').fill('correct horse battery');
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL(/\/teacher$/);
		const found = await violations(page);
		expect(found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
		await context.close();
	});
});

describe('accessibility of the student pages (axe, WCAG 2.1 AA, serious and critical)', () => {
	// self-contained (imports inside) so that it does not touch the lines above
	const pages = async (locale: 'fr-FR' | 'en-US', width: number): Promise<string[]> => {
		const { readFileSync } = await import('node:fs');
		const { PROJECT_ROOT } = await import('../helpers');
		const db = await openSqliteStorage(inject('dbPath'));
		const teacher = await db.createTeacher(`a11y-student-${Date.now()}-${width}@univ.fr`, 'Prof', 'hash');
		const now = Date.now();
		const assignment = await db.createAssignment({
			teacherId: teacher.id,
			title: 'TD 3',
			exercises: ['backprop-221', 'concepts-deep-learning'].map((id) => ({ exerciseId: id, source: readFileSync(`${PROJECT_ROOT}/exercises/${id}.yaml`, 'utf8') })),
			opensAt: now - 3_600_000,
			closesAt: now + 86_400_000,
			attempts: 2,
			carryForward: true,
			feedback: 'immediate'
		});
		await db.close();
		const { context, page } = await open(browser, '/join?code=zzzzzz', { locale, width });
		const found: string[] = [];
		const check = async (): Promise<void> => {
			for (const v of await violations(page)) found.push(`${page.url()}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
		};
		await check();
		await goto(page, `/join/${assignment.code}`);
		await check();
		await page.locator('#name').fill('Chloé Martin');
		await page.locator('#number').fill(`2190${width}`);
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL(`**/a/${assignment.code}`);
		await check();
		await goto(page, `/a/${assignment.code}/1`);
		await check();
		await page.locator('#question-a2 input').fill('0,5');
		await page.locator('form button[type=submit]').click();
		// the confirmation of blank questions is part of the page a student reads
		await page.locator('dialog.blank-confirm[open]').waitFor();
		await check();
		await page.locator('dialog.blank-confirm button.primary').click();
		await page.locator('#ack .received').waitFor();
		await check();
		await page.goto(`/a/${assignment.code}/2`);
		await check();
		await context.close();
		return found;
	};

	it.each([
		{ locale: 'fr-FR', width: 1280 },
		{ locale: 'en-US', width: 375 }
	] as const)('/join, /join/CODE, /a/CODE, /a/CODE/1 and after submitting ($locale, $width px)', async ({ locale, width }) => {
		expect(await pages(locale, width)).toEqual([]);
	});
});
