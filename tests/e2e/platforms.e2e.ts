import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../src/lib/server/auth';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { goto, launch, open } from './browser';

const PASSWORD = 'correct horse battery';
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** A platform's dynamic registration side on the loopback address, as Moodle 4 answers it. */
let platformServer: Server;
let platformUrl = '';
const registrations: { authorization: string | undefined }[] = [];

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
	const storage = await openSqliteStorage(inject('dbPath'));
	if (!(await storage.teacherByEmail('platforms@univ.fr'))) await storage.createTeacher('platforms@univ.fr', 'Chloé Admin', await hashPassword(PASSWORD));
	await storage.close();
	platformServer = createServer((request, response) => {
		response.setHeader('content-type', 'application/json');
		if (request.url === '/mod/lti/openid-configuration.php')
			return response.end(
				JSON.stringify({
					issuer: platformUrl,
					authorization_endpoint: `${platformUrl}/mod/lti/auth.php`,
					token_endpoint: `${platformUrl}/mod/lti/token.php`,
					jwks_uri: `${platformUrl}/mod/lti/certs.php`,
					registration_endpoint: `${platformUrl}/mod/lti/openid-registration.php`,
					'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle' }
				})
			);
		registrations.push({ authorization: request.headers.authorization });
		request.resume();
		response.end(JSON.stringify({ client_id: `dyn-${registrations.length}`, 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '42' } }));
	});
	await new Promise<void>((resolve) => platformServer.listen(0, '127.0.0.1', resolve));
	platformUrl = `http://127.0.0.1:${(platformServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await browser.close();
	await new Promise((resolve) => platformServer.close(resolve));
});

async function logIn(page: Page) {
	await page.locator('input[name=email]').fill('platforms@univ.fr');
	await page.locator('input[name=password]').fill(PASSWORD);
	await page.locator('main form button[type=submit]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/teacher/login'));
}

async function storedByIssuer(issuer: string) {
	const storage = await openSqliteStorage(inject('dbPath'));
	try {
		return await storage.lti.platformsByIssuer(issuer);
	} finally {
		await storage.close();
	}
}

const WORDS = {
	'en-US': { nav: 'Platforms (LTI)', edit: 'Edit', remove: 'Remove', yes: 'Yes, remove it', save: 'Save', add: 'Add the platform', http: "Platform ID (issuer): must start with https:// (plain http only on this machine's own address).", added: 'was added.', saved: 'was saved.', removed: 'was removed.' },
	'fr-FR': { nav: 'Plateformes (LTI)', edit: 'Modifier', remove: 'Retirer', yes: 'Oui, la retirer', save: 'Enregistrer', add: 'Ajouter la plateforme', http: "ID de la plateforme (issuer) : doit commencer par https:// (http seulement sur l'adresse de cette machine).", added: 'a été ajoutée.', saved: 'a été enregistrée.', removed: 'a été retirée.' }
} as const;

describe('registering platforms', () => {
	it.each(['en-US', 'fr-FR'] as const)('registers, lists, edits and removes a platform through the page (%s)', async (locale) => {
		const words = WORDS[locale];
		const base = inject('baseURL');
		const { context, page } = await open(browser, '/teacher/login?next=/teacher', { locale });
		await logIn(page);
		await page.getByRole('link', { name: words.nav }).click();
		await page.waitForURL('**/teacher/platforms');

		// the values the platform needs, from the server's origin
		const copies = await page.locator('.copies input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
		expect(copies.slice(0, 5)).toEqual([`${base}/lti/launch`, `${base}/lti/login`, `${base}/lti/launch`, `${base}/lti/jwks`, `${base}/lti/launch`]);
		expect(copies[5]).toMatch(new RegExp(`^${base}/lti/register\\?link=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));

		const issuer = `https://moodle-${locale}.univ.fr`;
		const name = `Moodle ${locale}`;
		const fill = async (values: Record<string, string>) => {
			for (const [field, value] of Object.entries(values)) await page.locator(`[name=${field}]`).fill(value);
		};
		await fill({ name, issuer: 'http://moodle.univ.fr', clientId: 'kR2xPq7Yz1AbCdE', deploymentIds: '1', authUrl: `${issuer}/mod/lti/auth.php`, jwksUrl: `${issuer}/mod/lti/certs.php`, tokenUrl: `${issuer}/mod/lti/token.php` });
		await page.getByRole('button', { name: words.add }).click();
		await expect.poll(() => page.locator('[role=alert] li').allTextContents()).toEqual([words.http]);
		await expect.poll(() => page.locator('#issuer-note').textContent()).toBe(words.http);
		expect(await page.locator('[name=issuer]').getAttribute('aria-invalid')).toBe('true');
		// what was typed stays
		expect(await page.locator('[name=clientId]').inputValue()).toBe('kR2xPq7Yz1AbCdE');

		await fill({ issuer });
		await page.getByRole('button', { name: words.add }).click();
		await page.waitForURL(/\/teacher\/platforms\?added=\d+/);
		expect(await page.locator('[role=status]').textContent()).toBe(`${name} ${words.added}`);
		const item = page.locator('li.platform', { has: page.getByRole('heading', { name }) });
		expect(await item.locator('dd').allTextContents()).toEqual([issuer, 'kR2xPq7Yz1AbCdE', '1', 'Chloé Admin']);

		await item.getByRole('link', { name: `${words.edit} ${name}` }).click();
		await page.waitForURL(/\?edit=\d+/);
		expect(await page.locator('[name=deploymentIds]').inputValue()).toBe('1');
		await fill({ deploymentIds: '1\n2, 3' });
		await page.getByRole('button', { name: words.save, exact: true }).click();
		await page.waitForURL(/\/teacher\/platforms\?saved=\d+/);
		expect(await page.locator('[role=status]').textContent()).toBe(`${name} ${words.saved}`);
		expect(await item.locator('dd.deployments').textContent()).toBe('1, 2, 3');
		expect(await storedByIssuer(issuer)).toEqual([expect.objectContaining({ name, clientId: 'kR2xPq7Yz1AbCdE', deploymentIds: ['1', '2', '3'] })]);

		await item.getByRole('link', { name: `${words.remove} ${name}` }).click();
		await page.waitForURL(/\?remove=\d+/);
		await item.getByRole('button', { name: words.yes }).click();
		await expect.poll(() => page.locator('[role=status]').textContent()).toBe(`${name} ${words.removed}`);
		expect(await page.locator('li.platform', { has: page.getByRole('heading', { name }) }).count()).toBe(0);
		expect(await storedByIssuer(issuer)).toEqual([]);
		await context.close();
	});

	it('has no serious accessibility problem on a phone, with a platform listed and a refused form', async () => {
		const storage = await openSqliteStorage(inject('dbPath'));
		const listed = `https://moodle-axe-${Date.now()}.univ.fr`;
		await storage.lti.addPlatform({ name: 'Moodle de l’université (axe)', issuer: listed, clientId: 'axe', deploymentIds: ['1', '2'], authUrl: `${listed}/auth`, jwksUrl: `${listed}/certs`, tokenUrl: `${listed}/token` }, null, Date.now());
		await storage.close();
		const { context, page } = await open(browser, '/teacher/login?next=/teacher/platforms', { width: 375, locale: 'fr-FR' });
		await logIn(page);
		await page.locator('[name=name]').fill('Moodle axe');
		await page.getByRole('button', { name: 'Ajouter la plateforme' }).click();
		await page.locator('[role=alert] li').first().waitFor();
		await page.addScriptTag({ path: AXE_SCRIPT });
		const violations = await page.evaluate(async () => {
			const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
			const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
			return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
		});
		expect(violations).toEqual([]);
		// nothing wider than the phone
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
		expect(await page.locator('li.platform', { hasText: listed }).locator('dd').last().textContent()).toBe('la ligne de commande');
		await context.close();
	});

	it('registers through dynamic registration after the login and a click, and tells the platform to close its frame', async () => {
		const configuration = `${platformUrl}/mod/lti/openid-configuration.php`;
		const path = `/lti/register?openid_configuration=${encodeURIComponent(configuration)}&registration_token=one-time`;
		const before = registrations.length;
		const { context, page } = await open(browser, path);
		// not signed in: the login first, which comes back here
		expect(new URL(page.url()).pathname).toBe('/teacher/login');
		await logIn(page);
		await page.waitForURL((url) => url.pathname === '/lti/register');
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		// nothing is registered before the teacher says so
		expect(await page.locator('main form p').textContent()).toContain(`the platform at ${new URL(platformUrl).host}?`);
		expect(registrations.length).toBe(before);
		await page.getByRole('button', { name: 'Register' }).click();
		await expect.poll(() => page.locator('[role=status]').textContent()).toBe(`Stepwise is registered with Moodle (${new URL(platformUrl).host}).`);
		expect(registrations.at(-1)).toEqual({ authorization: 'Bearer one-time' });
		expect(await storedByIssuer(platformUrl)).toEqual([expect.objectContaining({ clientId: `dyn-${registrations.length}`, deploymentIds: ['42'] })]);

		// in the platform's frame, where the session cookie may not go, the registration link vouches for the teacher
		await goto(page, '/teacher/platforms');
		const link = await page.locator('.copies input').last().inputValue();
		const framed = await browser.newContext({ baseURL: inject('baseURL') });
		const host = await framed.newPage();
		await goto(host, '/');
		const message = host.evaluate(
			(src) =>
				new Promise((resolve) => {
					window.addEventListener('message', (event) => resolve(event.data));
					const frame = document.createElement('iframe');
					frame.src = src;
					document.body.append(frame);
				}),
			`${link}&openid_configuration=${encodeURIComponent(configuration)}&registration_token=second`
		);
		const frame = host.frameLocator('iframe');
		await frame.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		await frame.getByRole('button', { name: 'Register' }).click();
		expect(await message).toEqual({ subject: 'org.imsglobal.lti.close' });
		expect(registrations.at(-1)).toEqual({ authorization: 'Bearer second' });
		expect((await storedByIssuer(platformUrl)).map((p) => p.createdBy)).toEqual([expect.any(Number), expect.any(Number)]);
		await framed.close();
		await context.close();
	});

	it('says in one sentence why an unreachable configuration fails', async () => {
		const { context, page } = await open(browser, '/teacher/login?next=/teacher', { locale: 'fr-FR' });
		await logIn(page);
		await goto(page, `/lti/register?openid_configuration=${encodeURIComponent('http://127.0.0.1:9/nothing')}`);
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await page.locator('[role=alert] p').waitFor();
		expect(await page.locator('[role=alert] p').textContent()).toBe("La configuration de la plateforme n'a pas pu être lue à http://127.0.0.1:9/nothing.");
		await context.close();
	});
});
