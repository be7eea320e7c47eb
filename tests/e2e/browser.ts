import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** Debian's Chromium, headless, as the project's setup installs it. */
export async function launch(): Promise<Browser> {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
	});
}

/** A fresh browser context in the given language (Accept-Language), and a page in it. */
export async function open(browser: Browser, path: string, options: { locale?: 'fr-FR' | 'en-US'; width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		baseURL: inject('baseURL'),
		locale: options.locale ?? 'en-US',
		viewport: { width: options.width ?? 1280, height: 900 },
		permissions: ['clipboard-read', 'clipboard-write']
	});
	const page = await context.newPage();
	await goto(page, path);
	return { context, page };
}

/** Goes to a page and waits until it is hydrated, so that what a test types is not reset. */
export async function goto(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

/**
 * Checks or submits answers that leave questions blank, as a student who means it: the form's
 * button, then yes in the page's confirmation ("N questions are blank: submit anyway?").
 */
export async function submitBlanks(page: Page, button = 'form button[type=submit]'): Promise<void> {
	await page.locator(button).click();
	await page.locator('dialog.blank-confirm[open] button.primary').click();
}
