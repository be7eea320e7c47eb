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

/** Every text of every picture as rendered: its font size times the SVG's scale on screen. */
async function renderedLabels(page: Page): Promise<{ size: number; text: string; picture: string }[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('.pictures svg text')].flatMap((text) => {
			const matrix = (text as SVGTextElement).getScreenCTM();
			const box = text.getBoundingClientRect();
			if (!matrix || box.width === 0 || !text.textContent?.trim()) return [];
			// the tspan that sizes a node's value, else the text itself
			const sized = text.querySelector('tspan[style*="font-size"]') ?? text;
			const size = parseFloat(getComputedStyle(sized).fontSize) * Math.hypot(matrix.a, matrix.b);
			return [{ size: Math.round(size * 100) / 100, text: text.textContent.trim().slice(0, 20), picture: text.closest('figure')?.className.split(' ')[0] ?? '' }];
		})
	);
}

/** How far the page is wider than the screen, in pixels (0 when it does not scroll sideways). */
const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The lessons whose pictures are measured, opened at an event that shows the picture (else four events on, where values are written). */
const LESSONS = [
	{ id: 'mlp-forward-students', kind: 'an MLP' },
	{ id: 'training-xor-minibatch', kind: 'the XOR network, its decision region and cost' },
	{ id: 'conv-valid', kind: 'a convolution' },
	{ id: 'cnn-bars', kind: 'a CNN with a 9×9 input' },
	{ id: 'cnn-bars', at: 8, kind: 'a flatten' },
	{ id: 'cnn-batchnorm-dropout', at: 11, kind: 'a batch normalisation' },
	{ id: 'dropout-training', at: 7, kind: 'a dropout' },
	{ id: 'perceptron-and', kind: 'a perceptron, its table and separating line' },
	{ id: 'backprop-vanishing', kind: 'a six-layer chain and its gradient norms' },
	{ id: 'learning-rate-decay', kind: 'the cost and the rate per step' },
	{ id: 'activation-sigmoid', at: 3, kind: 'an activation curve' },
	{ id: 'gradient-descent-one-weight', kind: 'the cost against a weight' }
];
const SCREENS = [
	{ locale: 'fr-FR', width: 375 },
	{ locale: 'en-US', width: 375 },
	{ locale: 'fr-FR', width: 1280 },
	{ locale: 'en-US', width: 1280 }
] as const;

describe.each(SCREENS)('pictures at $width px ($locale)', ({ locale, width }) => {
	it.each(LESSONS)('$kind ($id): every label is 11 px or more and the page is no wider than the screen', async ({ id, at }) => {
		const { context, page } = await open(browser, `/replay?lesson=${id}${at === undefined ? '' : `&at=${at}`}`, { locale, width });
		await page.locator('.where').waitFor();
		await page.locator('.pictures svg text').first().waitFor();
		await page.locator('body').focus();
		if (at === undefined) for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
		await page.waitForTimeout(300);
		const labels = await renderedLabels(page);
		expect(labels.length).toBeGreaterThan(5);
		expect(labels.filter((label) => label.size < 10.95)).toEqual([]);
		expect(await pageOverflow(page)).toBe(0);
		await context.close();
	});
});

describe('formulas on a 375 px phone', () => {
	it.each([
		{ locale: 'fr-FR', case: 'a convolution’s weighted sum of 9 products', path: '/replay?lesson=cnn-bars&at=7&i=0.0.0.0' },
		{ locale: 'en-US', case: 'a convolution’s weighted sum of 9 products', path: '/replay?lesson=cnn-bars&at=7&i=0.0.0.0' },
		{ locale: 'fr-FR', case: 'a long display formula', path: '/replay?lesson=mlp-keras-001&at=19&i=0.0' },
		{ locale: 'en-US', case: 'a long display formula', path: '/replay?lesson=mlp-keras-001&at=19&i=0.0' }
	] as const)('$case scrolls inside its own box, with a hint, never the page ($locale)', async ({ locale, path }) => {
		const { context, page } = await open(browser, path, { locale, width: 375 });
		await page.locator('[data-testid="element-formula"] .line').first().waitFor();
		await page.waitForTimeout(300);
		const boxes = await page.locator('.panel .scroll-hint').evaluateAll((all) =>
			all.map((box) => ({ right: box.getBoundingClientRect().right, scrolls: box.scrollWidth > box.clientWidth + 1, hinted: box.classList.contains('overflowing'), focusable: box.tabIndex === 0 }))
		);
		expect(boxes.length).toBeGreaterThanOrEqual(3);
		expect(boxes.some((box) => box.scrolls)).toBe(true);
		for (const box of boxes) {
			expect(box.right).toBeLessThanOrEqual(375);
			// a box that scrolls says so: shadows on its hidden side, and it takes the keyboard's focus
			expect(box.hinted).toBe(box.scrolls);
			expect(box.focusable).toBe(box.scrolls);
		}
		expect(await pageOverflow(page)).toBe(0);
		await context.close();
	});
});

describe('the step controls on a 375 px phone', () => {
	it.each(['fr-FR', 'en-US'] as const)('fit the width, with tap targets of 40 px and a timeline across it (%s)', async (locale) => {
		const { context, page } = await open(browser, '/replay?lesson=training-xor-minibatch', { locale, width: 375 });
		await page.locator('.where').waitFor();
		const controls = page.locator('.controls');
		const box = await controls.boundingBox();
		const buttons = await controls.locator('button:visible').evaluateAll((all) => all.map((b) => b.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, width: r.width, height: r.height })));
		const timeline = await controls.locator('.timeline').boundingBox();
		expect(box && timeline).toBeTruthy();
		if (!box || !timeline) return;
		expect(buttons.length).toBeGreaterThanOrEqual(7);
		for (const b of buttons) {
			expect(Math.min(b.width, b.height)).toBeGreaterThanOrEqual(40);
			expect(b.right).toBeLessThanOrEqual(box.x + box.width + 0.5);
		}
		// one row of buttons
		expect(new Set(await controls.locator('button:visible').evaluateAll((all) => all.map((b) => Math.round(b.getBoundingClientRect().top)))).size).toBe(1);
		expect(timeline.width).toBeGreaterThanOrEqual(box.width - 2);
		expect(box.height).toBeLessThanOrEqual(160);
		expect(await pageOverflow(page)).toBe(0);
		await context.close();
	});
});
