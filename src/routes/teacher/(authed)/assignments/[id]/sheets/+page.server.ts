import { error, redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { storage } from '$lib/server/db';
import { ownedAssignment, printableSheets } from '$lib/server/gradebook';
import type { PageServerLoad } from './$types';

/** One printed page per student (or only `?student=`), each with their own numbers. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.teacher) redirect(303, '/teacher/login');
	const db = await storage();
	const assignment = await ownedAssignment(db, locals.teacher.id, params.id);
	if (!assignment) error(404, 'Not found');
	const only = url.searchParams.get('student');
	const students = (await db.studentsOf(assignment.id)).filter((s) => only === null || String(s.id) === only);
	if (only !== null && students.length === 0) error(404, 'Not found');
	return { sheets: printableSheets(assignment, students, getLocale(), false), withKey: false };
};
