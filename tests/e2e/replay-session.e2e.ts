import type { Browser, Page } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/lib/engine/run';
import { readScenario } from '../../src/lib/engine/scenario/parse';
import { eventAt } from '../../src/lib/engine/trace';
import { getLesson } from '../../src/lib/lessons';
import { packScenario } from '../../src/lib/replay/share';
import { DEFAULT_STATE, formatState } from '../../src/lib/replay/url-state';
import { DESIGN_EXAMPLE } from '../helpers';
import { launch, open } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser.close();
});

const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

/** The first event named `name` in a lesson's run, as the engine orders them. */
function seqOf(lessonId: string, name: string): number {
	const trace = run(readScenario(getLesson(lessonId)!.source));
	return Array.from({ length: trace.length }, (_, seq) => seq).find((seq) => eventAt(trace, seq).name === name)!;
}

describe('the arrow keys on a convolution', () => {
	it('slide the selected output cell’s window over the whole map, and step through events again once Escape unselects it', async () => {
		const at = seqOf('conv-valid', 'Z[1]');
		const { context, page } = await open(browser, `/replay?lesson=conv-valid&at=${at}&i=0.0.0.0`);
		await page.locator('.where').waitFor();
		await page.locator('h1').click();
		const cell = () => param(page, 'i');
		// conv-valid's feature map is 3 × 3: the third → ends the row, the next starts the second row
		for (const [key, expected] of [
			['ArrowRight', '0.0.0.1'],
			['ArrowRight', '0.0.0.2'],
			['ArrowRight', '0.0.1.0'],
			['ArrowDown', '0.0.2.0'],
			['ArrowLeft', '0.0.1.2'],
			['ArrowUp', '0.0.0.2']
		] as const) {
			await page.keyboard.press(key);
			await expect.poll(cell).toBe(expected);
			expect(param(page, 'at')).toBe(String(at));
		}
		// Shift still steps, the cell kept where it fits
		await page.keyboard.press('Escape');
		await expect.poll(cell).toBeNull();
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => param(page, 'at')).toBe(String(at + 1));
		expect(await page.locator('.keys').innerText()).toContain('Escape');
		await context.close();
	});
});

describe('whose scenario the replay shows', () => {
	it('forgets the lesson’s title and explanation for a scenario of one’s own, and marks a lesson changed in place', async () => {
		const { context, page } = await open(browser, '/replay?lesson=perceptron-or', { locale: 'fr-FR' });
		await page.locator('.where').waitFor();
		const lessonTitle = getLesson('perceptron-or')!.title.fr;
		expect(await page.locator('h1').innerText()).toBe(lessonTitle);
		// a convention changed: the same lesson, changed
		await page.getByText("Conventions et taux d'apprentissage").click();
		await page.getByLabel(/z ≥ θ/).check();
		await expect.poll(() => page.locator('h1').innerText()).toBe(`${lessonTitle} (modifié)`);
		expect(await page.locator('details.explanation').count()).toBe(1);
		expect(param(page, 'lesson')).toBe('perceptron-or');
		// another scenario pasted over it: one's own
		await page.getByRole('button', { name: 'Modifier le scénario' }).click();
		await page.locator('.cm-content').click();
		await page.keyboard.press('Control+A');
		await page.keyboard.press('Delete');
		await page.locator('.cm-content').fill(stringify(DESIGN_EXAMPLE));
		await page.getByRole('button', { name: 'Exécuter ce scénario' }).click();
		await expect.poll(() => page.locator('h1').innerText()).toBe('Rejouer');
		expect(await page.locator('details.explanation').count()).toBe(0);
		expect(param(page, 'lesson')).toBeNull();
		await context.close();
	});

	it('opens another lesson from the menu, fetched from the server with its explanation (the page carries only the menu)', async () => {
		const { context, page } = await open(browser, '/replay?lesson=perceptron-or', { locale: 'en-US' });
		await page.locator('.where').waitFor();
		await page.locator('.lesson-choice select').selectOption('conv-valid');
		const other = getLesson('conv-valid')!;
		await expect.poll(() => page.locator('h1').innerText()).toBe(other.title.en);
		await expect.poll(() => param(page, 'lesson')).toBe('conv-valid');
		expect(other.explanation.en).toMatch(/cross-correlation/);
		expect(await page.locator("details.explanation").innerText()).toContain("cross-correlation");
		const known = await page.request.get('/lessons/conv-valid.json');
		expect((await known.json()).source).toBe(other.source);
		expect((await page.request.get('/lessons/no-such-lesson.json')).status()).toBe(404);
		await context.close();
	});

	it('opens a file as one’s own scenario, even over a lesson', async () => {
		const { context, page } = await open(browser, '/replay?lesson=perceptron-or');
		await page.locator('.where').waitFor();
		await page.locator('input[type=file]').setInputFiles({ name: 'mine.yaml', mimeType: 'text/yaml', buffer: Buffer.from(stringify(DESIGN_EXAMPLE)) });
		await expect.poll(() => page.locator('h1').innerText()).toBe('Replay');
		await expect.poll(() => page.locator('details.explanation').count()).toBe(0);
		await context.close();
	});
});

describe('a link with a scenario (an exercise’s “Show me this step”)', () => {
	it.each(['fr-FR', 'en-US'] as const)('opens on the picture and the formula, the editor folded until asked (%s)', async (locale) => {
		const link = `/replay?${formatState({ ...DEFAULT_STATE, scenario: await packScenario(stringify(DESIGN_EXAMPLE)), seq: 14, index: [0, 1], profile: '003' })}`;
		const { context, page } = await open(browser, link, { locale });
		await page.locator('.where').waitFor();
		expect(await page.locator('figure.graph').isVisible()).toBe(true);
		expect(await page.locator('.maths > .formula .katex').count()).toBeGreaterThan(0);
		expect(await page.locator('.cm-editor').count()).toBe(0);
		const edit = page.getByRole('button', { name: locale === 'fr-FR' ? 'Modifier le scénario' : 'Edit the scenario' });
		expect(await edit.getAttribute('aria-expanded')).toBe('false');
		await edit.click();
		await page.locator('.cm-content').waitFor();
		await context.close();
	});

	it('opens the editor when the scenario has issues', async () => {
		const link = `/replay?${formatState({ ...DEFAULT_STATE, scenario: await packScenario('model: { input: 2, layers: [ { type: dense, units: -1 } ] }\n') })}`;
		const { context, page } = await open(browser, link);
		await page.locator('.cm-content').waitFor();
		expect(await page.getByRole('alert').innerText()).toContain('units');
		await context.close();
	});
});

/** Where the page's parts are, and whether the page scrolls sideways. */
async function layout(page: Page) {
	return page.evaluate(() => {
		const box = (selector: string) => {
			const r = document.querySelector(selector)?.getBoundingClientRect();
			return r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right } : null;
		};
		return {
			width: innerWidth,
			height: innerHeight,
			scrollWidth: document.scrollingElement!.scrollWidth,
			picture: box('.pictures'),
			main: box('.pictures > .main'),
			formula: box('.maths > .formula'),
			region: box('figure.region'),
			bar: box('.step-bar'),
			open: [...document.querySelectorAll('details.panel')].filter((d) => !d.classList.contains('conventions')).map((d) => (d as HTMLDetailsElement).open)
		};
	});
}

describe('the replay’s layout', () => {
	const cases = ['training-xor-minibatch', 'conv-padding-1', 'backprop-deep-2221'].flatMap((lesson) =>
		(['fr-FR', 'en-US'] as const).flatMap((locale) => [375, 1280].map((width) => ({ lesson, locale, width })))
	);
	it.each(cases)('$lesson at $width px ($locale): no sideways scroll, the step controls on screen with the picture', async ({ lesson, locale, width }) => {
		const { context, page } = await open(browser, `/replay?lesson=${lesson}&at=${seqOf(lesson, 'Z[1]')}`, { locale, width });
		const phone = width < 500;
		if (phone) await page.setViewportSize({ width, height: 740 });
		await page.locator('.where').waitFor();
		await page.locator('.pictures svg').first().waitFor();
		const first = await layout(page);
		expect(first.scrollWidth).toBeLessThanOrEqual(first.width);
		const { picture, main, formula, bar } = first;
		if (!picture || !main || !formula || !bar) throw new Error('a part of the replay is missing');
		expect(main.top).toBeLessThan(first.height);
		expect(bar.top).toBeGreaterThanOrEqual(0);
		expect(bar.bottom).toBeLessThanOrEqual(first.height + 0.5);
		// the other panels folded on a phone, open on a laptop
		expect(first.open.length).toBeGreaterThan(2);
		expect(first.open.every((open) => open === !phone)).toBe(true);
		if (phone) {
			// the formula follows the layer's picture, before the decision region and the curves
			expect(formula.top).toBeGreaterThanOrEqual(main.bottom - 1);
			if (first.region) expect(first.region.top).toBeGreaterThan(formula.top);
		} else {
			// the picture takes most of the laptop's width
			expect(picture.right - picture.left).toBeGreaterThan(first.width * 0.55);
		}
		// scrolled down to the formula, the controls stay on screen, and nothing scrolls sideways with every panel open
		await page.locator('.maths > .formula').scrollIntoViewIfNeeded();
		await page.evaluate(() => document.querySelectorAll('details.panel').forEach((d) => ((d as HTMLDetailsElement).open = true)));
		const later = await layout(page);
		expect(later.scrollWidth).toBeLessThanOrEqual(later.width);
		expect(later.bar!.bottom).toBeLessThanOrEqual(later.height + 0.5);
		expect(later.bar!.top).toBeGreaterThanOrEqual(0);
		await context.close();
	});
});
