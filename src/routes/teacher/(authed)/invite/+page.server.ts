import { fail, redirect } from '@sveltejs/kit';
import { emailProblem, hashToken, newToken } from '$lib/server/auth';
import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { controlCharacter } from '$lib/server/text';
import type { Actions, PageServerLoad } from './$types';

const INVITATION_DAYS = 7;

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.teacher) redirect(303, '/teacher/login');
	return { days: INVITATION_DAYS };
};

export const actions: Actions = {
	/** A link for a colleague, shown once to copy: only its hash is stored, and no email is sent. */
	default: async ({ request, locals, url }) => {
		if (!locals.teacher) return fail(401, { email: '', problem: 'auth' as const });
		const email = String((await readForm(request)).get('email') ?? '').trim().slice(0, 254);
		const character = controlCharacter(email);
		if (character) return fail(400, { email, problem: 'control' as const, character });
		if (emailProblem(email)) return fail(400, { email, problem: 'email' as const });
		const db = await storage();
		if (await db.teacherByEmail(email)) return fail(400, { email, problem: 'exists' as const });
		// a stolen session should not mint accounts by the thousand
		if (!(await db.hit(`invite:${locals.teacher.id}`, 30, 24 * 3600_000, Date.now()))) return fail(429, { email, problem: 'rate' as const });
		const token = newToken();
		await db.createInvitation(hashToken(token), email, locals.teacher.id, Date.now() + INVITATION_DAYS * 24 * 3600_000);
		return { invited: email, link: `${url.origin}/teacher/invite/${token}` };
	}
};
