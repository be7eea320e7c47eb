import { redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { assignmentByCode, JOINS_PER_ADDRESS, normalizeCode } from '$lib/server/student';
import type { PageServerLoad } from './$types';

/**
 * The code field posts here as `?code=` (a GET form, so it works without script): a known code
 * goes on to its join page; an unknown one is said here. Lookups count in the join rate limit,
 * so codes cannot be guessed in bulk.
 */
export const load: PageServerLoad = async ({ url, getClientAddress }) => {
	const typed = url.searchParams.get('code');
	if (typed === null) return { code: '', problem: null };
	const code = normalizeCode(typed);
	if (code === '') return { code, problem: null };
	if (!(await (await storage()).hit(`join:${getClientAddress()}`, JOINS_PER_ADDRESS, 60_000, Date.now()))) return { code, problem: 'too_many' as const };
	const assignment = await assignmentByCode(code);
	if (assignment) redirect(303, `/join/${assignment.code}`);
	return { code, problem: 'unknown' as const };
};
