import { fail, redirect } from '@sveltejs/kit';
import { hashPassword, hashToken, newToken, SESSION_COOKIE, SESSION_DAYS, verifyPassword } from '$lib/server/auth';
import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { controlCharacter } from '$lib/server/text';
import type { Actions, PageServerLoad } from './$types';

const WINDOW_MS = 15 * 60_000;
/** Tries per account: enough for typos, too few to guess a password. */
const LIMIT_PER_EMAIL = 10;
/** Tries per address: a whole campus may reach us through one. */
const LIMIT_PER_ADDRESS = 100;

/** Only a teacher page of this site, or LTI's dynamic registration with its query: never an open redirect to another one. */
function nextPage(value: string | null): string {
	if (value && /^\/lti\/register\?[\w\-.~%&=+]*$/.test(value)) return value;
	return value && /^\/teacher(\/[\w\-/.]*)?$/.test(value) && !value.includes('..') ? value : '/teacher';
}

// An unknown email is checked against this hash, so it takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.teacher) redirect(303, nextPage(url.searchParams.get('next')));
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await readForm(request);
		const email = String(form.get('email') ?? '').trim().slice(0, 254);
		const password = String(form.get('password') ?? '').slice(0, 200);
		// the email is a rate limit's key: checked before it reaches the database
		const character = controlCharacter(email);
		if (character) return fail(400, { email, problem: 'control' as const, character });
		const db = await storage();
		const now = Date.now();
		// both limits count every try: one address trying many emails, or many addresses one email
		const byAddress = await db.hit(`login:${getClientAddress()}`, LIMIT_PER_ADDRESS, WINDOW_MS, now);
		const byEmail = await db.hit(`login-email:${email.toLowerCase()}`, LIMIT_PER_EMAIL, WINDOW_MS, now);
		if (!byAddress || !byEmail) return fail(429, { email, problem: 'rate' as const });
		const teacher = email ? await db.teacherByEmail(email) : undefined;
		dummyHash ??= hashPassword(newToken());
		const right = await verifyPassword(password, teacher?.passwordHash ?? (await dummyHash));
		// one message for an unknown email and a wrong password: the form does not tell who has an account
		if (!teacher || !right) return fail(400, { email, problem: 'wrong' as const });
		const token = newToken();
		const expires = new Date(now + SESSION_DAYS * 24 * 3600_000);
		await db.createSession(hashToken(token), teacher.id, expires.getTime());
		cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires });
		redirect(303, nextPage(url.searchParams.get('next')));
	}
};
