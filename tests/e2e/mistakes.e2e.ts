import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NestedNumbers } from '../../src/lib/engine/tensor';
import { validateScenario } from '../../src/lib/engine/scenario/validate';
import { findEvent } from '../../src/lib/engine/trace';
import { answerKey } from '../../src/lib/exercises/key';
import { formatNumber } from '../../src/lib/format/number';
import { mistakeTrace } from '../../src/lib/replay/mistakes';
import { exercisesOf, firstDraw } from '../../src/lib/server/assignments';
import { hashPassword } from '../../src/lib/server/auth';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import type { Assignment } from '../../src/lib/server/storage';
import { PROJECT_ROOT } from '../helpers';
import { goto, launch } from './browser';

const EMAIL = 'mistakes@univ.fr';
const PASSWORD = 'sigma prime matters';
const NUMBER = '21907777';

let browser: Browser;
let assignment: Assignment;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	browser = await launch();
	const storage = await openSqliteStorage(inject('dbPath'));
	const teacher = (await storage.teacherByEmail(EMAIL)) ?? (await storage.createTeacher(EMAIL, 'Prof Sigma', await hashPassword(PASSWORD)));
	const now = Date.now();
	// one attempt: once it is used the answers cannot change, and the replay may show every value
	assignment = await storage.createAssignment({
		teacherId: teacher.id,
		title: 'TD 3 : les deltas',
		exercises: [{ exerciseId: 'backprop-221', source: readFileSync(join(PROJECT_ROOT, 'exercises', 'backprop-221.yaml'), 'utf8') }],
		opensAt: now - 3_600_000,
		closesAt: now + 2 * 86_400_000,
		attempts: 1,
		carryForward: true,
		feedback: 'immediate'
	});
	await storage.close();
});
afterAll(async () => {
	for (const context of contexts) await context.close();
	await browser.close();
});

async function page(locale: 'fr-FR' | 'en-US'): Promise<Page> {
	const context = await browser.newContext({ baseURL: inject('baseURL'), locale, viewport: { width: 1280, height: 900 } });
	contexts.push(context);
	return context.newPage();
}

/** The values of a key entry, flat and in row order, as the grid's inputs take them. */
function cells(value: NestedNumbers | string): number[] {
	return typeof value === 'string' ? [] : Array.isArray(value) ? value.flatMap((v) => cells(v)) : [value];
}

const comma = (v: number): string => v.toFixed(6).replace('.', ',');

/** axe-core's serious and critical WCAG 2.1 AA violations, as accessibility.e2e.ts checks them. */
async function violations(page: Page): Promise<string[]> {
	await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
	return page.evaluate(async () => {
		type Result = { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
		const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<Result> } }).axe;
		const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
		return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
	});
}

describe('a student who forgot σ′ in δ[1]', () => {
	it('is told so in French, sees the wrong entries lit in the replay beside the run without σ′, and the teacher counts the mistake', async () => {
		const [exercise] = exercisesOf(assignment);
		const variant = firstDraw(assignment, exercise, NUMBER);
		const key = Object.fromEntries(Object.entries(answerKey(exercise, variant)).map(([q, v]) => [q, cells(v)]));
		// δ[1] as written without σ′(z): the run's own ∂J/∂a[1], taken from the engine's trace
		const dA = findEvent(variant.trace, 1, 'dA[1]')?.value.data;
		if (!dA) throw new Error('no dA[1] in the trace');
		const forgot = { ...key, delta1: Array.from(dA) };
		expect(forgot.delta1).not.toEqual(key.delta1);

		const student = await page('fr-FR');
		await goto(student, `/join/${assignment.code}`);
		await student.locator('#name').fill('Inès Durand');
		await student.locator('#number').fill(NUMBER);
		await student.locator('main form button[type=submit]').click();
		await student.waitForURL(`**/a/${assignment.code}`);
		await goto(student, `/a/${assignment.code}/1`);
		for (const [id, values] of Object.entries(forgot)) {
			for (let k = 0; k < values.length; k++) await student.locator(`#question-${id} input`).nth(k).fill(comma(values[k]));
		}
		await student.locator('form button[type=submit]').click();
		await student.locator('#ack .received').waitFor();

		// the explanation, in French, and both entries of δ[1] marked in the grid, and only those
		const feedback = student.locator('#feedback-delta1');
		expect(await feedback.locator('.verdict').innerText()).toContain('Erreur identifiée');
		expect(await feedback.locator('.message').innerText()).toContain('Dérivée de l’activation oubliée');
		expect(await feedback.locator('.message').innerText()).toContain('manque dans votre calcul');
		for (const k of [0, 1]) expect(await student.locator('#question-delta1 input').nth(k).getAttribute('aria-invalid')).toBe('true');
		expect(await student.locator('#question-z1 input[aria-invalid]').count()).toBe(0);
		expect(await student.locator('#question-delta2 .feedback.right').count()).toBe(1);
		expect(await violations(student)).toEqual([]);

		// "Show me this step": δ[1] in the replay, its two entries lit on the graph and in the values
		const link = feedback.locator('.replay a');
		expect(await link.innerText()).toContain('Voir cette étape');
		const href = (await link.getAttribute('href')) ?? '';
		expect(href).toContain('lit=0.0_0.1');
		expect(href).toContain('mistake=missing-activation-derivative');
		await link.click();
		await student.waitForURL('**/replay?**');
		await student.locator('.where').waitFor();
		const rings = student.locator('figure.graph svg g.lit:has(circle)');
		await rings.first().waitFor();
		expect((await rings.evaluateAll((els) => els.map((e) => e.getAttribute('data-lit')))).sort()).toEqual(['0.0', '0.1']);
		expect(await student.locator('figure.graph .picture-legend').innerText()).toContain('les valeurs à revoir');
		expect(await student.getByTestId('values-symbol').getAttribute('title')).toBe('dZ[1]');
		const litValues = student.locator('.values button.lit');
		expect(await litValues.count()).toBe(2);
		expect(await litValues.first().getAttribute('aria-label')).toContain('à revoir');

		// the mistake is chosen in the conventions, and its run stands beside the right one: σ′ forgotten in every δ,
		// δ[1] is that run's own ∂J/∂a[1], computed from its δ[2] without σ′ (this student's δ[2] was right)
		const mistake = student.locator('.conventions input[type=checkbox]');
		await mistake.waitFor();
		expect(await mistake.isChecked()).toBe(true);
		expect(await student.locator('.conventions input[type=radio][value=missing-activation-derivative]').isChecked()).toBe(true);
		const others = student.locator('.values button .other');
		await student.locator('.values button.differs').first().waitFor();
		const carried = mistakeTrace(validateScenario(variant.scenario), 'missing-activation-derivative');
		const mistakenDA = carried && findEvent(carried, 1, 'dA[1]')?.value.data;
		if (!mistakenDA) throw new Error('no dA[1] in the run of the mistake');
		expect(Array.from(mistakenDA)).not.toEqual(Array.from(dA));
		expect(await others.allInnerTexts()).toEqual(Array.from(mistakenDA, (v) => `≠ ${formatNumber(v, 4, 'fr')}`));
		expect(await student.locator('.compare').innerText()).toContain('valeurs qui diffèrent ici : 2 sur 2');
		expect(await violations(student)).toEqual([]);

		// the entries belong to the step the link opened: they go with it, and come back with it
		await student.keyboard.press('ArrowRight');
		await student.waitForFunction(() => !location.search.includes('lit='));
		expect(await rings.count()).toBe(0);
		await student.keyboard.press('ArrowLeft');
		await rings.first().waitFor();
		expect(student.url()).toContain('lit=0.0_0.1');

		// the teacher's view of the questions counts the mistake
		const teacher = await page('fr-FR');
		await goto(teacher, '/teacher/login');
		await teacher.locator('input[name=email]').fill(EMAIL);
		await teacher.locator('input[name=password]').fill(PASSWORD);
		await teacher.locator('main form button[type=submit]').click();
		await teacher.waitForURL(/\/teacher$/);
		await goto(teacher, `/teacher/assignments/${assignment.id}`);
		const counted = teacher.locator('.mistakes');
		expect(await counted.count()).toBe(1);
		expect(await counted.innerText()).toMatch(/Erreurs identifiées :\s*1 ×\s*Dérivée de l’activation oubliée/);

		// the student's own page, opened from the gradebook, names the diagnosed verdict and its mistake
		const errors: string[] = [];
		teacher.on('pageerror', (error) => errors.push(error.message));
		await teacher.locator('table a', { hasText: 'Inès Durand' }).click();
		await teacher.waitForURL(/\/students\/\d+$/);
		await teacher.locator('h1', { hasText: 'Inès Durand' }).waitFor();
		const delta1 = teacher.locator('tr', { has: teacher.locator('th[title=delta1]') });
		expect(await delta1.locator('.verdict').innerText()).toMatch(/Erreur identifiée\s*Dérivée de l’activation oubliée/);
		expect(await teacher.locator('tr .verdict.right').count()).toBeGreaterThan(0);
		expect(errors).toEqual([]);
		expect(await violations(teacher)).toEqual([]);
	});

	it('shows a page that cannot be found in the site’s look and language, with a way back', async () => {
		for (const [locale, title, home, section] of [
			['fr-FR', 'Page introuvable', 'Accueil', 'Exercices'],
			['en-US', 'Page not found', 'Home page', 'Exercises']
		] as const) {
			const reader = await page(locale);
			const response = await reader.goto('/exercises/no-such-exercise');
			expect(response?.status()).toBe(404);
			await reader.locator('html[data-hydrated]').waitFor({ state: 'attached' });
			expect(await reader.locator('header .brand').count()).toBe(1);
			expect(await reader.locator('main.error h1').innerText()).toBe(title);
			expect(await reader.locator('main.error a', { hasText: home }).getAttribute('href')).toBe('/');
			expect(await reader.locator('main.error a', { hasText: section }).getAttribute('href')).toBe('/exercises');
			expect(await violations(reader)).toEqual([]);
		}
	});

	it('ignores entries and mistakes of a link that do not fit the run, and lights the rest', async () => {
		const replay = await page('en-US');
		await goto(replay, '/replay?lesson=backprop-deltas&at=15&lit=7.7_0.1&mistake=params-without-biases');
		await replay.locator('.where').waitFor();
		const rings = replay.locator('figure.graph svg g.lit');
		await rings.first().waitFor();
		expect(await rings.evaluateAll((els) => els.map((e) => e.getAttribute('data-lit')))).toEqual(['0.1']);
		// a mistake about counting parameters changes nothing in a run: nothing is compared, and the link forgets it
		await replay.waitForFunction(() => !location.search.includes('mistake='));
		expect(await replay.locator('.compare').count()).toBe(0);
		expect(new URL(replay.url()).searchParams.get('lit')).toBe('0.1');
		await goto(replay, '/replay?lesson=backprop-deltas&at=99999&lit=0.0_0.1&mistake=%3Cscript%3E');
		await replay.locator('.where').waitFor();
		expect(await replay.locator('svg g.lit').count()).toBe(0);
		expect(await replay.locator('.values button.lit').count()).toBe(0);
	});
});
