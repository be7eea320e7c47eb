import { error } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { gradebookCsv, loadGradebook, ownedAssignment } from '$lib/server/gradebook';
import type { RequestHandler } from './$types';

/** The marks for a spreadsheet; endpoints get no layout load, so the session is checked here. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.teacher) error(401, 'Sign in first');
	const db = await storage();
	const assignment = await ownedAssignment(db, locals.teacher.id, params.id);
	if (!assignment) error(404, 'Not found');
	const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'fr';
	const csv = gradebookCsv(await loadGradebook(db, assignment), lang);
	const name = `stepwise-${assignment.code}-${lang}.csv`;
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			// marks of named students: not for shared caches
			'cache-control': 'private, no-store'
		}
	});
};
