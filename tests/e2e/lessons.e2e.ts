import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, open } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser.close();
});

/** The TeX source of the selected element's substituted formula (KaTeX keeps it in its MathML). */
async function substitutedTex(page: Page): Promise<string> {
	const annotations = page.locator('[data-testid="element-formula"] annotation[encoding="application/x-tex"]');
	return (await annotations.nth(1).textContent()) ?? '';
}

describe('lessons, replayed as a student would', () => {
	it('lists the lessons by topic and opens one', async () => {
		const { context, page } = await open(browser, '/lessons', { locale: 'fr-FR' });
		expect(await page.locator('h2').count()).toBeGreaterThanOrEqual(8);
		await page.getByRole('link', { name: /Le perceptron du tableur apprend le OU|OU/ }).first().click();
		await page.locator('.where').waitFor();
		expect(new URL(page.url()).searchParams.get('lesson')).toMatch(/^perceptron-/);
		await context.close();
	});

	it("writes the maths of the cards' summaries as maths, not as TeX source", async () => {
		const { context, page } = await open(browser, '/lessons', { locale: 'en-US' });
		const summaries = page.locator('.summary');
		expect(await summaries.locator('.katex').count()).toBeGreaterThan(0);
		// the words around the rendered maths: no $ may be left in them
		const texts = await summaries.evaluateAll((spans) =>
			spans.map((span) => {
				const words = span.cloneNode(true) as HTMLElement;
				words.querySelectorAll('.katex').forEach((maths) => maths.remove());
				return words.textContent ?? '';
			})
		);
		expect(texts.filter((text) => text.includes('$'))).toEqual([]);
		await context.close();
	});

	it('the spreadsheet OR lesson stepped to row 14 shows weights 0.6 and 0.6 and the table row', async () => {
		const { context, page } = await open(browser, '/replay?lesson=perceptron-or');
		await page.locator('.where').waitFor();
		await page.locator('body').focus();
		for (let i = 0; i < 14; i++) await page.keyboard.press('Shift+ArrowRight');
		await page.getByRole('button', { name: 'Last event (End)' }).waitFor();
		for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Next phase' }).click();
		expect(await page.locator('.where').innerText()).toContain('Step 14 of 28');
		expect(await page.locator('.where').innerText()).toContain('gradient descent');
		const values = page.getByRole('table', { name: 'W[1]' });
		expect(await values.locator('button').allInnerTexts()).toEqual(['0.6', '0.6']);
		const row = page.locator('tr[aria-current="step"]');
		expect(await row.locator('th').innerText()).toBe('14');
		expect((await row.innerText()).match(/0\.6/g)?.length).toBeGreaterThanOrEqual(2);
		await context.close();
	});

	it('the convolution lesson at output cell (2,2) highlights its 3×3 window and sums nine products to 20', async () => {
		const { context, page } = await open(browser, '/replay?lesson=conv-valid');
		await page.locator('.where').waitFor();
		await page.locator('body').focus();
		await page.keyboard.press('Shift+ArrowRight');
		await page.keyboard.press('ArrowRight');
		expect(await page.getByTestId('values-symbol').getAttribute('title')).toBe('Z[1]');
		await page.getByRole('button', { name: '1, 1, 3, 3: 20' }).click();
		const tex = await substitutedTex(page);
		expect(tex.match(/\\cdot/g)).toHaveLength(9);
		expect(tex.trim()).toMatch(/= 20$/);
		expect(await page.locator('svg rect.window').count()).toBe(1);
		expect(await page.locator('svg .outline-read').count()).toBeGreaterThanOrEqual(9);
		expect(new URL(page.url()).searchParams.get('i')).toBe('0.0.2.2');
		await context.close();
	});
});

describe('changing the scenario from the page', () => {
	it('changes an initial weight typed with a decimal comma and replays with it', async () => {
		const { context, page } = await open(browser, '/replay?lesson=perceptron-or', { locale: 'fr-FR' });
		await page.locator('.where').waitFor();
		await page.getByRole('table', { name: 'W[1]' }).getByRole('button').first().click();
		const field = page.getByLabel('Changer cette valeur');
		await field.fill('0,2');
		await page.getByRole('button', { name: 'Relancer' }).click();
		await page.waitForFunction(() => new URL(location.href).searchParams.has('s'));
		await page.getByRole('table', { name: 'W[1]' }).getByRole('button').first().waitFor();
		expect(await page.getByRole('table', { name: 'W[1]' }).getByRole('button').allInnerTexts()).toEqual(['0,2', '0,1']);
		expect(new URL(page.url()).searchParams.get('lesson')).toBe('perceptron-or');
		await context.close();
	});

	it('switches the threshold to z ≥ θ and step 10 fires', async () => {
		const { context, page } = await open(browser, '/replay?lesson=perceptron-or');
		await page.locator('.where').waitFor();
		await page.getByText('Conventions and learning rate').click();
		await page.getByLabel(/z ≥ θ/).check();
		// the changed scenario is in the link and its run has finished
		await page.waitForFunction(() => new URL(location.href).searchParams.has('s') && !document.querySelector('.running'));
		// leave the radio group, whose arrow keys belong to it, before moving through the run
		await page.locator('h1').click();
		for (let i = 0; i < 10; i++) await page.keyboard.press('Shift+ArrowRight');
		await page.getByRole('button', { name: 'Next event (→)' }).click();
		await page.getByRole('button', { name: 'Next event (→)' }).click();
		expect(await page.getByTestId('values-symbol').getAttribute('title')).toBe('A[1]');
		expect(await page.getByRole('table', { name: 'A[1]' }).getByRole('button').allInnerTexts()).toEqual(['1']);
		// the YAML follows the change
		await page.getByRole('button', { name: 'Edit the scenario' }).click();
		await page.locator('.cm-content').waitFor();
		expect(await page.locator('.cm-content').innerText()).toMatch(/strict: false/);
		await context.close();
	});
});
