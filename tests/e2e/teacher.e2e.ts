import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../src/lib/server/auth';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { goto, launch, open } from './browser';

const PASSWORD = 'correct horse battery';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
	// teachers straight into the server's own database (WAL: the server reads them at once)
	const storage = await openSqliteStorage(inject('dbPath'));
	const hash = await hashPassword(PASSWORD);
	for (const [email, name] of [
		['first@univ.fr', 'Première Enseignante'],
		['second@univ.fr', 'Second Enseignant']
	]) {
		if (!(await storage.teacherByEmail(email))) await storage.createTeacher(email, name, hash);
	}
	await storage.close();
});
afterAll(async () => {
	await browser.close();
});

async function logIn(path: string, email: string) {
	const opened = await open(browser, path);
	const { page } = opened;
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(PASSWORD);
	await page.locator('main form button[type=submit]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/teacher/login'));
	return opened;
}

describe('teachers', () => {
	it('limits password tries per account, and says so', async () => {
		const { context, page } = await open(browser, '/teacher/login');
		const tries: number[] = [];
		for (let k = 0; k < 11; k++) {
			const response = await page.request.post('/teacher/login', {
				headers: { origin: inject('baseURL'), 'x-sveltekit-action': 'true' },
				form: { email: 'limited@univ.fr', password: `wrong password ${k}` }
			});
			tries.push(((await response.json()) as { status: number }).status);
		}
		expect(tries.slice(0, 10)).toEqual(new Array(10).fill(400));
		expect(tries[10]).toBe(429);
		await context.close();
	});

	let assignmentPath = '';

	it('refuses a wrong password with the same message as an unknown email', async () => {
		const message = async (email: string, password: string) => {
			const { context, page } = await open(browser, '/teacher/login');
			await page.locator('input[name=email]').fill(email);
			await page.locator('input[name=password]').fill(password);
			await page.locator('main form button[type=submit]').click();
			const text = await page.locator('[role=alert]').textContent();
			await context.close();
			return text;
		};
		const wrong = await message('first@univ.fr', 'not the password');
		expect(wrong).toBeTruthy();
		expect(await message('nobody@univ.fr', 'not the password')).toBe(wrong);
	});

	it('logs in, creates an assignment with backprop-221, sees its code, and logs out', async () => {
		const { context, page } = await logIn('/teacher/login', 'first@univ.fr');
		expect(new URL(page.url()).pathname).toBe('/teacher');
		const cookie = (await context.cookies()).find((c) => c.name === 'stepwise_session');
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

		await goto(page, '/teacher/assignments/new');
		await page.locator('input[name=title]').fill('Backprop, due Friday');
		await page.locator('input[name=exercise][value=backprop-221]').check();
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL(/\/teacher\/assignments\/\d+/);
		assignmentPath = new URL(page.url()).pathname;
		const code = (await page.locator('.code').textContent())?.trim() ?? '';
		expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
		expect(await page.locator('.copy input').first().inputValue()).toBe(`${inject('baseURL')}/join/${code}`);
		// the assignment lists its exercises, each linked to its public page
		const listed = page.locator('ol.exercises li a');
		expect(await listed.allTextContents()).toEqual(['Backpropagation on a 2-2-1 network']);
		expect(await listed.first().getAttribute('href')).toBe('/exercises/backprop-221');

		await page.goto('/teacher');
		await expect(page.locator('.card .code').first().textContent()).resolves.toBe(code);

		await page.locator('form[action="/teacher/logout"] button').click();
		await page.waitForURL(/\/teacher\/login/);
		expect((await context.cookies()).find((c) => c.name === 'stepwise_session')).toBeUndefined();
		await page.goto('/teacher');
		expect(new URL(page.url()).pathname).toBe('/teacher/login');
		await context.close();
	});

	it('shows the form again with its values and the errors when it is refused', async () => {
		const { context, page } = await logIn('/teacher/login?next=/teacher/assignments/new', 'first@univ.fr');
		await page.locator('input[name=title]').fill('Nothing chosen');
		await page.locator('main form button[type=submit]').click();
		await page.locator('.errors li').first().waitFor();
		expect(await page.locator('.errors').textContent()).toContain('choose at least one exercise');
		expect(await page.locator('input[name=title]').inputValue()).toBe('Nothing chosen');
		await context.close();
	});

	it('sends anonymous requests to the login page, and endpoints answer 401', async () => {
		expect(assignmentPath).not.toBe('');
		for (const path of ['/teacher', assignmentPath, '/teacher/assignments/new', '/teacher/invite', `${assignmentPath}/sheets`]) {
			const response = await fetch(`${inject('baseURL')}${path}`, { redirect: 'manual' });
			expect(response.status, path).toBe(303);
			expect(response.headers.get('location'), path).toMatch(/^\/teacher\/login/);
		}
		const csv = await fetch(`${inject('baseURL')}${assignmentPath}/export.csv?lang=fr`, { redirect: 'manual' });
		expect(csv.status).toBe(401);
		const { context, page } = await open(browser, assignmentPath);
		expect(new URL(page.url()).pathname).toBe('/teacher/login');
		await context.close();
	});

	it("gives another teacher 404 for the first teacher's assignment, its CSV and sheets", async () => {
		const { context, page } = await logIn('/teacher/login', 'second@univ.fr');
		for (const path of [assignmentPath, `${assignmentPath}/export.csv?lang=en`, `${assignmentPath}/sheets`, `${assignmentPath}/keys`]) {
			const response = await page.request.get(path, { maxRedirects: 0 });
			expect(response.status(), path).toBe(404);
			expect(await response.text()).not.toContain('Backprop, due Friday');
		}
		await context.close();
	});

	it('exports the CSV for its own teacher', async () => {
		const { context, page } = await logIn('/teacher/login', 'first@univ.fr');
		const response = await page.request.get(`${assignmentPath}/export.csv?lang=fr`);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toContain('text/csv');
		const body = await response.body();
		expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(body.toString('utf8')).toContain('Nom;Numéro étudiant;backprop-221 z1');
		await context.close();
	});

	it('refuses a cross-site form post (403), even with a live session cookie', async () => {
		const { context } = await logIn('/teacher/login', 'first@univ.fr');
		const session = (await context.cookies()).find((c) => c.name === 'stepwise_session');
		expect(session).toBeDefined();
		// what a page of another site would send: its own Origin, the teacher's cookie
		const forged = await fetch(`${inject('baseURL')}/teacher/assignments/new`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie: `stepwise_session=${session?.value}` },
			body: 'title=Evil&exercise=backprop-221&opens=2030-01-01T10:00&closes=2030-01-02T10:00&attempts=1&feedback=never'
		});
		expect(forged.status).toBe(403);
		await context.close();
	});
});
