/**
 * "With this mistake" carried forward: after δ written without σ′, the gradients and updates the
 * replay shows beside the right run are those computed from the wrong δ, each with both numbers.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/lib/engine/run';
import { validateScenario } from '../../src/lib/engine/scenario/validate';
import { findEvent, type Trace } from '../../src/lib/engine/trace';
import { formatNumber } from '../../src/lib/format/number';
import { getLesson } from '../../src/lib/lessons';
import { nextDifference } from '../../src/lib/replay/compare';
import { mistakeTrace } from '../../src/lib/replay/mistakes';
import { goto, launch, open } from './browser';

const LESSON = 'backprop-deltas';
const MISTAKE = 'missing-activation-derivative';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser.close();
});

const lesson = getLesson(LESSON);
if (!lesson) throw new Error(`no lesson ${LESSON}`);
const scenario = validateScenario(lesson.scenario);
const right = run(scenario);
const wrong = mistakeTrace(scenario, MISTAKE);
if (!wrong) throw new Error(`${MISTAKE} does not apply to ${LESSON}`);

function event(trace: Trace, name: string) {
	const found = findEvent(trace, 1, name);
	if (!found) throw new Error(`no ${name} at step 1`);
	return found;
}

const WORDS = {
	'fr-FR': { locale: 'fr', differ: 'valeurs qui diffèrent ici : 4 sur 4', agree: 'Plus aucune différence après cet événement.' },
	'en-US': { locale: 'en', differ: 'values that differ here: 4 of 4', agree: 'No difference after this event.' }
} as const;

describe.each([
	['fr-FR', 1280],
	['en-US', 1280],
	['fr-FR', 375],
	['en-US', 375]
] as const)('the replay with σ′ forgotten (%s, %i px)', (language, width) => {
	const { locale, differ, agree } = WORDS[language];

	it('shows the hidden layer’s gradient and update computed from the wrong δ, both numbers beside each other', async () => {
		const dW = event(right, 'dW[1]');
		const { context, page } = await open(browser, `/replay?lesson=${LESSON}&at=${dW.seq}&i=1.0&mistake=${MISTAKE}`, { locale: language, width });
		try {
			await page.locator('.values button.differs').first().waitFor();
			// every entry of ∂C/∂W differs: the course's value above, the mistake's below
			for (const name of ['dW[1]', 'W[1]']) {
				const here = event(right, name);
				if (name === 'W[1]') await goto(page, `/replay?lesson=${LESSON}&at=${here.seq}&i=1.0&mistake=${MISTAKE}`);
				await page.locator('.values button.differs').first().waitFor();
				const mistaken = Array.from(event(wrong, name).value.data, (v) => `≠ ${formatNumber(v, 4, locale)}`);
				expect(await page.locator('.values button .other').allInnerTexts(), name).toEqual(mistaken);
				expect(await page.locator('.values button.differs').count(), name).toBe(4);
				const shown = await page.locator('.values button').allInnerTexts();
				here.value.data.forEach((v, k) => expect(shown[k]).toContain(formatNumber(v, 4, locale)));
				expect(await page.locator('.compare').innerText()).toContain(differ);
				// the selected entry's formula in the mistake's run, with its numbers: the engine computed it from the wrong δ
				const formula = page.getByTestId('mistake-formula');
				expect(await formula.locator('.line').count(), name).toBe(2);
				expect(await formula.innerText()).toContain(formatNumber(event(wrong, name).value.data[2], 4, locale));
			}
			expect(formatNumber(event(wrong, 'W[1]').value.data[2], 4, locale)).not.toBe(formatNumber(event(right, 'W[1]').value.data[2], 4, locale));
		} finally {
			await context.close();
		}
	});

	it('“next difference” stops at each later event, and says where the runs agree to the end', async () => {
		const delta = event(right, 'dZ[1]');
		const { context, page } = await open(browser, `/replay?lesson=${LESSON}&at=${delta.seq}&mistake=${MISTAKE}`, { locale: language, width });
		try {
			await page.locator('.compare').waitFor();
			const next = page.locator('.compare button');
			const expected = nextDifference(right, wrong, delta.seq);
			expect(expected).toBe(delta.seq + 1);
			await next.click();
			await page.waitForFunction((seq) => new URL(location.href).searchParams.get('at') === String(seq), expected);
			await goto(page, `/replay?lesson=${LESSON}&at=${right.length - 1}&mistake=${MISTAKE}`);
			await page.locator('.compare').waitFor();
			await page.locator('.compare button').click();
			expect(await page.locator('.compare .note').innerText()).toBe(agree);
		} finally {
			await context.close();
		}
	});
});
