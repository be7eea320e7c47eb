import { fail, redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { controlMessage, readForm } from '$lib/server/forms';
import { assignmentByCode, cookieStudent, join, normalizeCode, summaryOf } from '$lib/server/student';
import { controlCharacter } from '$lib/server/text';
import type { Actions, PageServerLoad } from './$types';

/** The assignment's title and dates, and whether this browser has joined it already. */
export const load: PageServerLoad = async ({ params, cookies }) => {
	const assignment = await assignmentByCode(params.code);
	if (!assignment) return { code: normalizeCode(params.code), summary: null, joinedAs: null };
	const student = await cookieStudent(await storage(), cookies, assignment);
	return { code: assignment.code, summary: summaryOf(assignment, Date.now()), joinedAs: student?.name ?? null };
};

export const actions: Actions = {
	/** Joins with a name and a student number (no account), sets the cookie, goes to the assignment. */
	default: async ({ params, request, cookies, url, getClientAddress }) => {
		const assignment = await assignmentByCode(params.code);
		const form = await readForm(request);
		const name = form.get('name');
		const number = form.get('number');
		const typed = { name: typeof name === 'string' ? name.slice(0, 200) : '', number: typeof number === 'string' ? number.slice(0, 64) : '' };
		if (!assignment) return fail(404, { ...typed, message: null, field: null });
		for (const field of ['name', 'number'] as const) {
			const code = controlCharacter(typed[field]);
			if (code) return fail(400, { ...typed, message: controlMessage(code), field });
		}
		const joined = await join(assignment, { name, number }, cookies, url.protocol === 'https:', getClientAddress(), Date.now());
		if (!joined.ok) return fail(joined.status, { ...typed, message: joined.message, field: joined.field ?? null });
		redirect(303, `/a/${assignment.code}`);
	}
};
