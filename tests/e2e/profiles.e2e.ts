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

/** The TeX of the selected element's symbolic formula (KaTeX keeps it in its MathML). */
async function symbolicTex(page: Page): Promise<string> {
	const annotation = page.locator('[data-testid="element-formula"] annotation[encoding="application/x-tex"]').first();
	await annotation.waitFor({ state: 'attached' });
	return (await annotation.textContent()) ?? '';
}

/** The graph's name of the quantity the current event writes, and its code name on hover. */
async function graphLabel(page: Page): Promise<{ text: string; code: string }> {
	const label = page.locator('figure.graph g:has(> text.event)').first();
	await label.waitFor();
	return { text: (await label.locator('text.event').textContent()) ?? '', code: (await label.locator('title').textContent()) ?? '' };
}

// backprop-deltas (course 004), event 18: W[1] after the step's gradient descent, element (2, 1)
const W1_UPDATE = '/replay?lesson=backprop-deltas&at=18&i=1.0';

describe('the replay in each course’s words', () => {
	it.each([
		{ profile: 'neutral', formula: 'w^{[1]}_{21} - \\eta \\frac{\\partial J}{\\partial w^{[1]}_{21}}', label: 'W[1]', cost: 'J', layer: '1' },
		{ profile: '000', formula: 'w^{[1]}_{21} - \\eta \\frac{\\partial E}{\\partial w^{[1]}_{21}}', label: 'W[1]', cost: 'E', layer: '1' },
		{ profile: '001', formula: 'w^{1}_{21} - \\alpha \\frac{\\partial C}{\\partial w^{1}_{21}}', label: 'w¹', cost: 'C', layer: '1' },
		{ profile: '002', formula: 'w^{[1]}_{21} - \\alpha \\frac{\\partial \\text{Loss}}{\\partial w^{[1]}_{21}}', label: 'W[1]', cost: 'Loss', layer: '1' },
		{ profile: '003', formula: 'w^{[1]}_{21} - \\alpha \\frac{\\partial J}{\\partial w^{[1]}_{21}}', label: 'W[1]', cost: 'J', layer: '1' },
		{ profile: '004', formula: 'w^{(2)}_{21} - \\eta \\frac{\\partial C}{\\partial w^{(2)}_{21}}', label: 'w⁽²⁾', cost: 'C', layer: '2' }
	])('profile $profile writes $formula and labels the weights $label, in French and English', async ({ profile, formula, label, cost, layer }) => {
		for (const [locale, costWord, layerWord] of [
			['en-US', 'cost', 'layer'],
			['fr-FR', 'coût', 'couche']
		] as const) {
			const { context, page } = await open(browser, `${W1_UPDATE}&profile=${profile}`, { locale });
			expect(await symbolicTex(page)).toContain(`\\leftarrow ${formula}`);
			expect(await graphLabel(page)).toEqual({ text: label, code: 'W[1]' });
			const titles = await page.locator('figure.graph text.title').allTextContents();
			expect(titles).toContain(`${costWord} ${cost}`);
			expect(titles).toContain(`${layerWord} ${layer}`);
			expect(await page.getByTestId('values-symbol').getAttribute('title')).toBe('W[1]');
			// the conventions panel is drawn (and its code fetched) when the reader opens it
			await page.locator('details.conventions > summary').click();
			expect(await page.getByTestId('profile-conventions').getAttribute('data-profile')).toBe(profile);
			await context.close();
		}
	});

	it.each([
		{ profile: '001', input: 'a⁰', kernel: 'w¹', output: 'z¹' },
		{ profile: '004', input: 'a⁽¹⁾', kernel: 'w⁽²⁾', output: 'z⁽²⁾' },
		{ profile: '003', input: 'A[0]', kernel: 'W[1]', output: 'Z[1]' }
	])('names the convolution’s grids as profile $profile writes them: $input ∗ $kernel → $output', async ({ profile, input, kernel, output }) => {
		// conv-valid, event 3: Z[1], the feature map
		const { context, page } = await open(browser, `/replay?lesson=conv-valid&at=3&profile=${profile}`);
		const captions = page.locator('svg g:has(> text.caption)');
		await captions.first().waitFor();
		const named = await captions.evaluateAll((groups) => groups.map((g) => [g.querySelector('title')?.textContent, g.querySelector('text')?.textContent?.split(' · ')[0]]));
		expect(named).toEqual([
			['A[0]', input],
			['W[1]', kernel],
			['Z[1]', output]
		]);
		await context.close();
	});

	it('opens course 004’s lesson in its numbering, and shows the same δ in course 003’s words when the reader switches', async () => {
		const { context, page } = await open(browser, '/replay?lesson=backprop-deltas&at=11&i=0.0', { locale: 'fr-FR' });
		expect(await symbolicTex(page)).toMatch(/^\\delta\^\{\(3\)\}_\{1\}/);
		expect(await graphLabel(page)).toEqual({ text: 'δ⁽³⁾', code: 'dZ[2]' });
		expect(new URL(page.url()).searchParams.get('profile')).toBe('004');
		expect(await page.getByTestId('lesson-words').count()).toBe(0);
		// the lesson's text uses the same numbers as the formulas
		expect((await page.locator('.explanation annotation').allTextContents()).filter((tex) => tex.includes('w^{(2)}')).length).toBeGreaterThan(0);
		await page.getByRole('combobox', { name: /^Cours/ }).selectOption('003');
		await page.waitForFunction(() => new URL(location.href).searchParams.get('profile') === '003');
		expect(await symbolicTex(page)).toMatch(/^\\delta\^\{\[2\]\}_\{1\}/);
		expect(await graphLabel(page)).toEqual({ text: 'δ[2]', code: 'dZ[2]' });
		// the lesson's own text stays in its course's words, and says so
		expect(await page.getByTestId('lesson-words').innerText()).toContain('Cours 004');
		await page.getByText("Conventions et taux d'apprentissage").click();
		const conventions = page.getByTestId('profile-conventions');
		expect(await conventions.innerText()).toContain('Cours 003');
		expect(await conventions.locator('[data-convention="reluAtZero"] annotation').allTextContents()).toEqual(['1', "h'(x) = 1", 'x \\geq 0']);
		await context.close();
	});
});
