import { redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import type { PageServerLoad } from './$types';

/** The teacher's own assignments, newest first, with how many students joined and submitted. */
export const load: PageServerLoad = async ({ locals }) => {
	// the layout redirects too, but this load runs beside it, so it checks on its own
	if (!locals.teacher) redirect(303, '/teacher/login');
	const db = await storage();
	const assignments = await db.assignmentsOf(locals.teacher.id);
	return {
		assignments: await Promise.all(
			assignments.map(async (a) => {
				const [students, submissions] = await Promise.all([db.studentsOf(a.id), db.submissionsOfAssignment(a.id)]);
				return { id: a.id, title: a.title, code: a.code, opensAt: a.opensAt, closesAt: a.closesAt, students: students.length, submissions: submissions.length };
			})
		),
		now: Date.now()
	};
};
