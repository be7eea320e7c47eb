import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, open } from './browser';

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

describe('accessibility (axe, WCAG 2.1 AA, serious and critical)', () => {
	it.each([
		{ path: '/', locale: 'fr-FR', width: 1280 },
		{ path: '/lessons', locale: 'en-US', width: 375 },
		{ path: '/replay?lesson=backprop-deltas&at=12&i=0.1', locale: 'fr-FR', width: 1280 },
		{ path: '/replay?lesson=conv-padding-1&at=3&i=0.0.1.1', locale: 'en-US', width: 375 },
		{ path: '/replay?lesson=perceptron-or&at=40', locale: 'en-US', width: 1280 },
		{ path: '/replay?lesson=training-xor-minibatch&at=5000&i=0.1', locale: 'fr-FR', width: 375 },
		{ path: '/replay', locale: 'en-US', width: 375 },
		{ path: '/exercises', locale: 'fr-FR', width: 1280 },
		{ path: '/exercises', locale: 'en-US', width: 375 },
		{ path: '/exercises/backprop-221?n=1', locale: 'fr-FR', width: 1280 },
		{ path: '/exercises/backprop-221?n=1', locale: 'en-US', width: 375 }
	] as const)('$path ($locale, $width px)', async ({ path, locale, width }) => {
		const { context, page } = await open(browser, path, { locale, width });
		if (path.includes('lesson=')) await page.locator('.where').waitFor();
		else if (path.startsWith('/replay')) await page.locator('.cm-content').waitFor();
		const found = await violations(page);
		expect(found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
		await context.close();
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
		await page.locator('#score .total').waitFor();
		const found = await violations(page);
		expect(found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
		await context.close();
	});
});
