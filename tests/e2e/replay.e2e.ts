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

/** Replaces the editor's text, as a user selecting all and typing would. */
async function typeScenario(page: Page, text: string): Promise<void> {
	await page.locator('.cm-content').click();
	await page.keyboard.press('Control+A');
	await page.keyboard.press('Delete');
	await page.locator('.cm-content').fill(text);
}

const status = (page: Page) => page.locator('.where').innerText();

describe('the replay page', () => {
	it('shows a malformed scenario’s message at the line it names', async () => {
		const { context, page } = await open(browser, '/replay');
		await typeScenario(page, 'model:\n  input: 2\n  layers:\n    - type: dense\n      units: 2\n      W: [[1, 2, 3], [4, 5, 6]]\n      b: [0, 0]\ndata: { X: [[1, 2]] }\n');
		await page.getByRole('button', { name: 'Run this scenario' }).click();
		const alert = page.getByRole('alert');
		await alert.waitFor();
		const text = await alert.innerText();
		expect(text).toContain('line 6');
		expect(text).toContain('model.layers[0].W: expected 2×2 (units × inputs), got 2×3');
		expect(await page.locator('.cm-lint-marker-error').count()).toBe(1);
		await context.close();
	});

	it('converts pasted Keras code to the scenario’s YAML and runs it, or says at which line it cannot', async () => {
		const { context, page } = await open(browser, '/replay');
		await typeScenario(
			page,
			"model = Sequential()\nmodel.add(Dense(2, activation='sigmoid', input_dim=2))\nmodel.add(Dense(1, activation='sigmoid'))\nmodel.compile(optimizer=SGD(learning_rate=0.5), loss='mse')\nmodel.fit(np.array([[1, 0.5]]), np.array([1]), batch_size=1, shuffle=False)\n"
		);
		await page.getByRole('button', { name: 'Run this scenario' }).click();
		await page.locator('.where').waitFor();
		await expect.poll(() => page.locator('.cm-content').innerText()).toContain('# Read from Keras code');
		expect(await page.locator('.cm-content').innerText()).toContain('- { type: dense, units: 2, activation: sigmoid }');

		await typeScenario(page, 'model = Sequential([Dense(4), Dense(1)])\n');
		await page.getByRole('button', { name: 'Run this scenario' }).click();
		const alert = page.getByRole('alert');
		await alert.waitFor();
		const text = await alert.innerText();
		expect(text).toContain('line 1');
		expect(text).toContain("column 21: the model's input shape is not given");
		await context.close();
	});

	it('restores the same position from a share link', async () => {
		const { context, page } = await open(browser, '/replay');
		await page.getByRole('button', { name: 'Run this scenario' }).click();
		await page.locator('.where').waitFor();
		for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
		await page.keyboard.press('Shift+ArrowRight');
		await page.waitForFunction(() => new URL(location.href).searchParams.has('s'));
		const where = await status(page);
		const link = page.url();
		await context.close();

		const second = await open(browser, link.replace(/^https?:\/\/[^/]+/, ''));
		await second.page.locator('.where').waitFor();
		expect(await status(second.page)).toBe(where);
		expect(new URL(second.page.url()).searchParams.get('at')).toBe(new URL(link).searchParams.get('at'));
		await second.context.close();
	});

	it('colours each term of a hidden ∂C/∂a alike in the formula and in the network picture', async () => {
		const { context, page } = await open(browser, '/replay?lesson=backprop-deep-2221&at=22&i=0.0');
		await page.locator('.term-edge').first().waitFor({ state: 'attached', timeout: 10000 });
		const terms = async (selector: string): Promise<string[]> =>
			page.locator(selector).evaluateAll((marks) => marks.map((mark) => `${mark.getAttribute('data-term')} ${mark.getAttribute('stroke')}`).sort());
		// neurons 1 and 2 of layer 2 feed neuron 1 of layer 1: two terms, two colours, on their edges and their rings
		expect(await terms('.term-edge')).toEqual(['0 #117a65', '1 #6a3d9a']);
		expect(await terms('.term-ring')).toEqual(['0 #117a65', '1 #6a3d9a']);
		// KaTeX paints the same two colours in the formula
		const colours = await page.locator('.katex [style*="color"]').evaluateAll((spans) => [...new Set(spans.map((span) => getComputedStyle(span).color))]);
		expect(colours).toEqual(expect.arrayContaining(['rgb(17, 122, 101)', 'rgb(106, 61, 154)']));
		await context.close();
	});

	it('moves by event, step and to the end with the keyboard alone', async () => {
		const { context, page } = await open(browser, '/replay');
		await page.getByRole('button', { name: 'Run this scenario' }).click();
		await page.locator('.where').waitFor();
		await page.locator('body').focus();
		expect(await status(page)).toContain('Initial values');
		await page.keyboard.press('Shift+ArrowRight');
		expect(await status(page)).toContain('Step 1 of 1');
		expect(await status(page)).toContain('forward pass');
		await page.keyboard.press('End');
		expect(await status(page)).toContain('gradient descent');
		await page.keyboard.press('Home');
		expect(await status(page)).toContain('event 1 of');
		await context.close();
	});
});
