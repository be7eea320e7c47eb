import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, open } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser.close();
});

describe('French and English', () => {
	it.each([
		{ locale: 'fr-FR', lang: 'fr', heading: 'Voir se calculer chaque nombre', cta: 'Ouvrir une leçon' },
		{ locale: 'en-US', lang: 'en', heading: 'See every number of a neural network', cta: 'Open a lesson' }
	] as const)('speaks $lang to a browser that prefers $locale', async ({ locale, lang, heading, cta }) => {
		const { context, page } = await open(browser, '/', { locale });
		expect(await page.getAttribute('html', 'lang')).toBe(lang);
		expect(await page.textContent('h1')).toContain(heading);
		expect(await page.getByRole('link', { name: cta }).count()).toBe(1);
		await context.close();
	});

	it('switches language with the button, and remembers the choice', async () => {
		const { context, page } = await open(browser, '/', { locale: 'en-US' });
		await page.getByRole('button', { name: 'Lire en français' }).click();
		await page.waitForFunction(() => document.documentElement.lang === 'fr');
		expect(await page.textContent('h1')).toContain('Voir se calculer');
		await page.goto('/lessons');
		expect(await page.textContent('h1')).toBe('Leçons');
		await context.close();
	});
});
