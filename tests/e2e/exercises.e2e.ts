import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExercise } from '../../src/lib/exercises/exercise';
import { drawVariant } from '../../src/lib/exercises/variant';
import { PROJECT_ROOT } from '../helpers';
import { launch, open } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser.close();
});

interface Dense {
	W: number[][];
	b: number[];
}

/** The numbers of practice-1 (what /exercises/backprop-221?n=1 shows), drawn here as the server draws them. */
function numbers(n: number) {
	const parsed = parseExercise(readFileSync(join(PROJECT_ROOT, 'exercises/backprop-221.yaml'), 'utf8'), 'backprop-221.yaml');
	if (!parsed.ok) throw new Error('backprop-221.yaml does not parse');
	const drawn = drawVariant(parsed.exercise, `practice-${n}`);
	if (!drawn.ok) throw new Error(drawn.message);
	const s = drawn.variant.scenario as { model: { layers: [Dense, Dense] }; data: { X: number[][]; Y: number[][] }; optimizer: { lr: number } };
	return { layers: s.model.layers, x: s.data.X[0], y: s.data.Y[0][0], lr: s.optimizer.lr };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** Six decimals with the decimal comma, as a French student types them. */
const comma = (v: number): string => v.toFixed(6).replace('.', ',');

/** The student's answers by hand: the forward pass right, a^{[1]}_2 off by 0.1, everything after computed from it. */
function studentAnswers() {
	const { layers: [L1, L2], x, y, lr } = numbers(1);
	const z1 = L1.W.map((row, j) => row[0] * x[0] + row[1] * x[1] + L1.b[j]);
	const a1 = z1.map(sigmoid);
	const wrongA1 = [a1[0], a1[1] + 0.1];
	const a2 = sigmoid(L2.W[0][0] * wrongA1[0] + L2.W[0][1] * wrongA1[1] + L2.b[0]);
	const delta2 = (a2 - y) * a2 * (1 - a2);
	const delta1 = wrongA1.map((a, j) => a * (1 - a) * L2.W[0][j] * delta2);
	const dw1 = delta1[0] * x[1]; // dW[1][0][1]: unit 1, input 2
	const w2 = L2.W[0][0] - lr * delta2 * wrongA1[0]; // W[2][0][0] after the update
	return { z1, a1, wrongA1, a2, delta2, delta1, dw1, w2 };
}

describe('the exercise pages', () => {
	it('lists the exercises by topic, with a link from the header', async () => {
		const { context, page } = await open(browser, '/', { locale: 'fr-FR' });
		await page.getByRole('navigation').getByRole('link', { name: 'Exercices' }).click();
		await page.waitForURL('**/exercises');
		const card = page.getByRole('link', { name: /Rétropropagation sur un réseau 2-2-1/ });
		expect(await card.innerText()).toContain('7 questions · 10 points');
		await context.close();
	});

	it('shows no expected value before checking', async () => {
		const { context, page } = await open(browser, '/exercises/backprop-221?n=1', { locale: 'fr-FR' });
		const html = await page.content();
		const { z1, a1, a2, delta2, delta1, dw1, w2 } = studentAnswers();
		const key = [...a1, a2, delta2, ...delta1, dw1, w2, ...z1.filter((v) => v.toFixed(4).replace(/0+$/, '').length > 5)];
		for (const value of key) {
			for (const text of [value.toFixed(4), value.toFixed(4).replace('.', ','), value.toFixed(4).replace('.', '{,}')]) expect(html).not.toContain(text);
		}
		await context.close();
	});

	it('marks a wrong activation partly right and the answers computed from it as carried forward, in French', async () => {
		const { context, page } = await open(browser, '/exercises/backprop-221?n=1', { locale: 'fr-FR' });
		const { z1, wrongA1, a2, delta2, delta1, dw1, w2 } = studentAnswers();
		await page.getByLabel('z^[1]_1, ligne 1, colonne 1').fill(comma(z1[0]));
		await page.getByLabel('z^[1]_2, ligne 1, colonne 2').fill(comma(z1[1]));
		await page.getByLabel('a^[1]_1, ligne 1, colonne 1').fill(comma(wrongA1[0]));
		await page.getByLabel('a^[1]_2, ligne 1, colonne 2').fill(comma(wrongA1[1]));
		await page.getByLabel('a^[2]_1', { exact: true }).fill(comma(a2));
		await page.getByLabel('δ^[2]_1', { exact: true }).fill(comma(delta2));
		await page.getByLabel('δ^[1]_1, ligne 1, colonne 1').fill(comma(delta1[0]));
		await page.getByLabel('δ^[1]_2, ligne 1, colonne 2').fill(comma(delta1[1]));
		await page.locator('#question-dw1 input').fill(comma(dw1));
		await page.getByLabel(/^w\^\[2\]_11, après la mise à jour/).fill(comma(w2));
		await page.getByRole('button', { name: 'Vérifier' }).click();

		const score = page.locator('#score .total');
		await score.waitFor();
		expect(await score.innerText()).toBe('Score : 9,5 / 10');
		// the total is announced and focused, so a keyboard user starts reading there
		await page.waitForFunction(() => document.activeElement?.id === 'score');
		const verdict = (id: string) => page.locator(`#feedback-${id} .head`).innerText();
		expect(await verdict('z1')).toMatch(/Juste\s+1 \/ 1/);
		expect(await verdict('a1')).toMatch(/En partie juste\s+0,5 \/ 1/);
		expect(await verdict('a2')).toMatch(/Erreur reportée\s+1 \/ 1/);
		expect(await verdict('delta2')).toMatch(/Erreur reportée\s+2 \/ 2/);
		expect(await verdict('delta1')).toMatch(/Erreur reportée\s+2 \/ 2/);
		expect(await verdict('dw1')).toMatch(/Erreur reportée\s+1 \/ 1/);
		expect(await verdict('w2')).toMatch(/Erreur reportée\s+2 \/ 2/);
		// the wrong cell is marked in the grid, the right one is not
		expect(await page.getByLabel(/^a\^\[1\]_2, ligne 1, colonne 2/).getAttribute('aria-invalid')).toBe('true');
		expect(await page.getByLabel(/^a\^\[1\]_1, ligne 1, colonne 1/).getAttribute('aria-invalid')).toBeNull();
		// the pointer names a^{[1]}_2, typeset by KaTeX, and leads to question 2
		const message = page.locator('#feedback-delta2 .message');
		expect(await message.innerText()).toContain('Votre');
		expect(await message.locator('.katex annotation').first().textContent()).toBe('a^{[1]}_{2}');
		const pointer = page.locator('#feedback-delta2 .pointer a');
		expect(await pointer.innerText()).toContain('question 2');
		expect(await pointer.getAttribute('href')).toBe('#question-a1');
		// the key of the partly right answer, with its formula and a link to the replay at A[1]
		expect(await page.locator('#feedback-a1 .message').innerText()).toMatch(/Attendu : \[0,\d+ ; 0,\d+\]/);
		expect(await page.locator('#feedback-a1 .formula .katex').count()).toBe(2);
		const replay = page.locator('#feedback-a1 .replay a');
		expect(await replay.innerText()).toContain('Voir cette étape');
		// on the wrong cell, lit
		expect(await replay.getAttribute('href')).toMatch(/^\/replay\?s=[\w-]+&at=\d+&i=0\.1&lit=0\.1&notation=bracket&from=%2Fexercises%2Fbackprop-221%23question-a1$/);
		// typed answers stay in place
		expect(await page.getByLabel('a^[2]_1', { exact: true }).inputValue()).toBe(comma(a2));
		// the best score is kept in the browser and shown on the library's card
		await page.goto('/exercises');
		// the card reads the stored scores once the page is hydrated: wait for it rather than race it
		await page.getByRole('link', { name: /Rétropropagation sur un réseau 2-2-1/ }).getByText('Meilleur score 9,5 / 10').waitFor();
		await context.close();
	});

	it('opens the replay at the question’s event from "Show me this step"', async () => {
		const { context, page } = await open(browser, '/exercises/backprop-221?n=1', { locale: 'en-US' });
		// a wrong answer reveals the key, and with it the way to the step
		await page.getByLabel('a^[2]_1', { exact: true }).fill('0.5');
		await page.getByRole('button', { name: 'Check' }).click();
		await page.getByRole('button', { name: 'Check anyway' }).click();
		const link = page.locator('#feedback-a2 .replay a');
		const href = await link.getAttribute('href');
		await link.click();
		await page.waitForURL('**/replay?**');
		await page.locator('.where').waitFor();
		// the position the link opened (the way back, `from`, is read once and kept by the page)
		expect(page.url()).toContain(href?.split('?')[1].replace(/&from=[^&]*$/, '') ?? '-');
		expect(await page.locator('.where').innerText()).toMatch(/Step 1/);
		await context.close();
	});

	it('gives new numbers with "New numbers", and the link keeps them', async () => {
		const { context, page } = await open(browser, '/exercises/backprop-221?n=1', { locale: 'en-US' });
		const statement = () => page.locator('.statement .text').innerText();
		const first = await statement();
		await page.getByRole('link', { name: 'New numbers' }).click();
		await page.waitForURL('**/exercises/backprop-221?n=2');
		await page.getByText('Numbers no. 2').waitFor();
		const second = await statement();
		expect(second).not.toBe(first);
		await page.reload();
		expect(await statement()).toBe(second);
		await context.close();
	});
});
