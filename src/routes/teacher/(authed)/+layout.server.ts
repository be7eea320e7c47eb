import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/**
 * Every teacher page needs a signed-in teacher. Form actions and +server.ts endpoints run
 * without this load, so each of them checks `locals.teacher` itself as well.
 */
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.teacher) redirect(303, `/teacher/login?next=${encodeURIComponent(url.pathname)}`);
	return { teacher: { name: locals.teacher.name, email: locals.teacher.email } };
};
