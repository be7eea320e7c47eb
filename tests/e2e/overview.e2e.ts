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

const SIZES = [
	['en-US', 1280],
	['fr-FR', 1280],
	['en-US', 375],
	['fr-FR', 375]
] as const;

/** Column names as each language writes them. */
const WORDS = {
	'en-US': { pool: /^layer 2: max pooling 2×2, 2×2×2$/, conv: /^layer 1: conv 3×3, 2×4×4, 2 filters$/, output: /^layer 3 · output: dense, 2 units$/ },
	'fr-FR': { pool: /^couche 2 : max-pooling 2×2, 2×2×2$/, conv: /^couche 1 : convolution 3×3, 2×4×4, 2 filtres$/, output: /^couche 3 · sortie : dense, 2 neurones$/ }
};

async function pageScrollsSideways(page: Page): Promise<boolean> {
	return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** The smallest font size, in px, of the text in `selector`. */
async function smallestText(page: Page, selector: string): Promise<number> {
	return page.locator(selector).evaluate((root) => {
		let smallest = Infinity;
		for (const element of root.querySelectorAll('*')) {
			const own = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
			if (own && element.getClientRects().length > 0) smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
		}
		return smallest;
	});
}

/** The overview is open on a laptop and folded on a phone, where the reader unfolds it. */
async function unfoldOnPhone(page: Page, width: number): Promise<void> {
	const details = page.locator('details.overview');
	expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(width >= 832);
	if (width < 832) await details.locator('summary').click();
	await page.getByTestId('overview').waitFor();
}

describe('the whole network at a glance', () => {
	it.each(SIZES)('the CNN lesson shows one column per layer and opens the one clicked (%s, %i px)', async (locale, width) => {
		const { context, page } = await open(browser, '/replay?lesson=cnn-bars', { locale, width });
		await page.locator('details.overview').waitFor();
		await unfoldOnPhone(page, width);
		const overview = page.getByTestId('overview');
		// input, conv, pool, flatten, dense
		expect(await overview.locator('li').count()).toBe(5);
		// the replay opens on the first initial weight, W[1]: the convolution's column is current
		const current = overview.locator('[aria-current="true"]');
		expect(await current.count()).toBe(1);
		expect(await current.getAttribute('aria-label')).toMatch(WORDS[locale].conv);
		expect(await page.getByTestId('values-symbol').getAttribute('title')).toBe('W[1]');

		await overview.getByRole('button', { name: WORDS[locale].pool }).click();
		await expect.poll(() => page.getByTestId('values-symbol').getAttribute('title')).toBe('A[2]');
		expect(await overview.locator('[aria-current="true"]').getAttribute('data-layer')).toBe('2');
		expect(Number(new URL(page.url()).searchParams.get('at') ?? '0')).toBeGreaterThan(0);
		// the feature maps are drawn as heat maps: two maps of 2 × 2 cells in the pooling column
		expect(await overview.locator('[data-layer="2"] svg').count()).toBe(2);
		expect(await overview.locator('[data-layer="2"] svg rect').count()).toBe(8);

		expect(await smallestText(page, '[data-testid="overview"]')).toBeGreaterThanOrEqual(11);
		expect(await pageScrollsSideways(page)).toBe(false);

		// the last event updates the output layer: its column comes into the box, even on a phone
		await page.locator('body').press('End');
		const last = overview.locator('[aria-current="true"]');
		await expect.poll(() => last.getAttribute('data-layer')).toBe('4');
		await expect
			.poll(async () => {
				const [box, column] = await Promise.all([overview.boundingBox(), last.boundingBox()]);
				return box && column ? column.x >= box.x - 1 && column.x + column.width <= box.x + box.width + 1 : false;
			})
			.toBe(true);
		expect(await pageScrollsSideways(page)).toBe(false);
		await context.close();
	});

	it.each(SIZES)('an MLP lesson shows its dense layers as columns of cells (%s, %i px)', async (locale, width) => {
		const { context, page } = await open(browser, '/replay?lesson=backprop-332', { locale, width });
		await page.locator('details.overview').waitFor();
		await unfoldOnPhone(page, width);
		const overview = page.getByTestId('overview');
		expect(await overview.locator('li').count()).toBe(3);
		// the course numbers the input as layer 1: its output layer is layer 3
		const output = overview.locator('[data-layer="2"]');
		expect(await output.getAttribute('aria-label')).toMatch(WORDS[locale].output);
		expect(await output.locator('.unit').count()).toBe(2);
		await output.click();
		await expect.poll(() => page.getByTestId('values-symbol').getAttribute('title')).toBe('A[2]');
		expect(await pageScrollsSideways(page)).toBe(false);
		await context.close();
	});

	it('a perceptron lesson has no overview', async () => {
		const { context, page } = await open(browser, '/replay?lesson=perceptron-and');
		await page.locator('.where').waitFor();
		expect(await page.locator('details.overview').count()).toBe(0);
		await context.close();
	});
});

describe('cards with a picture', () => {
	it.each(SIZES)('every lesson and exercise card shows a picture of its scenario (%s, %i px)', async (locale, width) => {
		for (const path of ['/lessons', '/exercises']) {
			const { context, page } = await open(browser, path, { locale, width });
			const cards = page.locator('main li a');
			const count = await cards.count();
			expect(count).toBeGreaterThan(20);
			expect(await page.locator('main li a svg.card-picture').count()).toBe(count);
			expect(await smallestText(page, 'main li a svg.card-picture:has(text) >> nth=0')).toBeGreaterThanOrEqual(11);
			expect(await pageScrollsSideways(page)).toBe(false);
			await context.close();
		}
	});

	it.each(SIZES)('the home page shows three lessons with their pictures (%s, %i px)', async (locale, width) => {
		const { context, page } = await open(browser, '/', { locale, width });
		const examples = page.locator('.examples li a');
		expect(await examples.count()).toBe(3);
		expect(await page.locator('.examples svg.card-picture').count()).toBe(3);
		expect(await pageScrollsSideways(page)).toBe(false);
		await examples.last().click();
		await page.locator('details.overview').waitFor();
		expect(new URL(page.url()).searchParams.get('lesson')).toBe('cnn-bars');
		await context.close();
	});
});
