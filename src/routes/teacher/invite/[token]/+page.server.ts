import { fail, redirect } from '@sveltejs/kit';
import { hashPassword, hashToken, MIN_PASSWORD_LENGTH, newToken, passwordProblem, SESSION_COOKIE, SESSION_DAYS } from '$lib/server/auth';
import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { controlCharacter } from '$lib/server/text';
import type { Actions, PageServerLoad } from './$types';

const TOKEN = /^[\w-]{20,100}$/;

// The storage cannot look an invitation up without using it, so the page is the same for any token; the form says.
export const load: PageServerLoad = ({ params }) => ({ wellFormed: TOKEN.test(params.token), min: MIN_PASSWORD_LENGTH });

export const actions: Actions = {
	/** The colleague's account, from a live invitation; signed in at once. */
	default: async ({ params, request, cookies, url, getClientAddress }) => {
		const form = await readForm(request);
		const name = String(form.get('name') ?? '').trim().replace(/\s+/g, ' ');
		const password = String(form.get('password') ?? '');
		const confirm = String(form.get('confirm') ?? '');
		// the name as typed: folding white space would hide a vertical tab or a form feed
		const character = controlCharacter(String(form.get('name') ?? '')) ?? controlCharacter(password, 'password');
		if (character) return fail(400, { name, problem: 'control' as const, character });
		if (name.length === 0 || name.length > 100) return fail(400, { name, problem: 'name' as const });
		if (passwordProblem(password)) return fail(400, { name, problem: 'password' as const });
		if (password !== confirm) return fail(400, { name, problem: 'confirm' as const });
		const db = await storage();
		const now = Date.now();
		if (!(await db.hit(`invite-use:${getClientAddress()}`, 10, 15 * 60_000, now))) return fail(429, { name, problem: 'rate' as const });
		// checked after the form: a typo in the password does not spend the invitation
		const email = TOKEN.test(params.token) ? await db.useInvitation(hashToken(params.token), now) : undefined;
		if (!email) return fail(410, { name, problem: 'invalid' as const });
		if (await db.teacherByEmail(email)) return fail(409, { name, problem: 'exists' as const });
		const teacher = await db.createTeacher(email, name, await hashPassword(password));
		const token = newToken();
		const expires = new Date(now + SESSION_DAYS * 24 * 3600_000);
		await db.createSession(hashToken(token), teacher.id, expires.getTime());
		cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires });
		redirect(303, '/teacher');
	}
};
