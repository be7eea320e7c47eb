// Screenshots of the app's pages in French and English, wide and narrow, for looking at them and
// for the README. Usage: node scripts/screenshots.mjs http://127.0.0.1:3000 [out-dir]
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const out = process.argv[3] ?? '/tmp/stepwise-screenshots';
const pages = (process.env.PAGES ?? '/,/lessons,/replay').split(',');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
for (const locale of ['fr-FR', 'en-US']) {
	for (const width of [1280, 375]) {
		const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
		const page = await context.newPage();
		for (const path of pages) {
			await page.goto(base + path);
			await page.waitForTimeout(800);
			const name = `${path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${locale.slice(0, 2)}-${width}.png`;
			await page.screenshot({ path: `${out}/${name}`, fullPage: true });
			console.log(`${out}/${name}`);
		}
		await context.close();
	}
}
await browser.close();
