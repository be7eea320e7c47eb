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

interface RegionState {
	correct: number;
	total: number;
	grid: string;
	/** each data point: its inputs, its target's class, and the class of the region's colour under it */
	points: { x1: number; x2: number; label: number; painted: number }[];
	/** the graph's sample: its inputs and ŷ, as the network picture writes them */
	graph: { x1: number; x2: number; output: number };
}

const number = (text: string) => Number(text.replace('−', '-').replace(',', '.'));

/** What the decision region and the network graph show now, read from the screen. */
async function regionState(page: Page): Promise<RegionState> {
	const caption = await page.locator('figure.region figcaption').innerText();
	const count = /(\d+) (?:of|sur) (\d+)/.exec(caption);
	const titles = await page.locator('figure.graph title').allTextContents();
	const activations = titles.map((t) => /a = (\S+)$/.exec(t)?.[1]).filter((v): v is string => v !== undefined);
	const points = await page.locator('figure.region svg.picture').evaluate(async (svg) => {
		const image = svg.querySelector('image');
		if (!image) return [];
		const href = image.getAttribute('href') ?? '';
		const bitmap = new Image();
		bitmap.src = href;
		await bitmap.decode();
		const canvas = document.createElement('canvas');
		canvas.width = bitmap.naturalWidth;
		canvas.height = bitmap.naturalHeight;
		const context = canvas.getContext('2d');
		if (!context) return [];
		context.drawImage(bitmap, 0, 0);
		const [x, y, width, height] = ['x', 'y', 'width', 'height'].map((a) => Number(image.getAttribute(a)));
		return [...svg.querySelectorAll('g[transform]')].map((g) => {
			const [, px, py] = /translate\(([-\d.]+),\s*([-\d.]+)\)/.exec(g.getAttribute('transform') ?? '') ?? [];
			const title = g.querySelector('title')?.textContent ?? '';
			const [, x1, x2] = /x = \((\S+) ; (\S+)\)/.exec(title) ?? [];
			const column = Math.min(bitmap.naturalWidth - 1, Math.floor(((Number(px) - x) / width) * bitmap.naturalWidth));
			const row = Math.min(bitmap.naturalHeight - 1, Math.floor(((Number(py) - y) / height) * bitmap.naturalHeight));
			const [r, , b] = context.getImageData(column, row, 1, 1).data;
			// class 0 is orange (red above blue), class 1 blue
			return { x1, x2, label: /y = 1/.test(title) ? 1 : 0, painted: b > r ? 1 : 0 };
		});
	});
	return {
		correct: Number(count?.[1]),
		total: Number(count?.[2]),
		grid: await page.locator('figure.region .grid').innerText(),
		points: points.map((p) => ({ ...p, x1: number(p.x1), x2: number(p.x2) })),
		// the input column's two units come first, the output unit last
		graph: { x1: number(activations[0]), x2: number(activations[1]), output: number(activations[activations.length - 1]) }
	};
}

function expectAgreement(state: RegionState): void {
	// the trained XOR (its cost under 0.02 at the end) puts every point on its side: the float64 trace's count
	expect([state.correct, state.total]).toEqual([4, 4]);
	expect(state.points).toHaveLength(4);
	for (const point of state.points) expect(point.painted).toBe(point.label);
	const shown = state.points.find((p) => p.x1 === state.graph.x1 && p.x2 === state.graph.x2);
	expect(shown).toBeDefined();
	expect(shown?.painted).toBe(state.graph.output > 0.5 ? 1 : 0);
}

describe('the decision region after jumping to the end while the run loads', () => {
	it.each([
		{ locale: 'en-US', width: 1280 },
		{ locale: 'fr-FR', width: 1280 },
		{ locale: 'en-US', width: 375 },
		{ locale: 'fr-FR', width: 375 },
		{ locale: 'en-US', width: 1280 },
		{ locale: 'fr-FR', width: 1280 }
	] as const)('agrees with the graph’s ŷ and the float64 count ($locale, $width px)', async ({ locale, width }) => {
		const { context, page } = await open(browser, '/replay?lesson=training-xor-minibatch', { locale, width });
		await page.locator('.controls').waitFor();
		await page.locator('body').focus();
		await page.keyboard.press('End');
		await expect.poll(() => page.locator('.where').innerText(), { timeout: 15_000 }).toMatch(/600 (of|sur) 600/);
		await page.locator('figure.region figcaption').getByText(/(of|sur) 4/).waitFor({ timeout: 15_000 });
		expectAgreement(await regionState(page));
		// and once gpu.js's finer grid has had time to arrive in its place
		await page.waitForTimeout(1500);
		expectAgreement(await regionState(page));
		await context.close();
	});
});
