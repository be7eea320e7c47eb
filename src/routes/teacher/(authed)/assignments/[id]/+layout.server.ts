import { error, redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { ownedAssignment } from '$lib/server/gradebook';
import type { LayoutServerLoad } from './$types';

/** The assignment, when it is this teacher's: another teacher's answers 404, as one that does not exist. */
export const load: LayoutServerLoad = async ({ locals, params }) => {
	if (!locals.teacher) redirect(303, '/teacher/login');
	const assignment = await ownedAssignment(await storage(), locals.teacher.id, params.id);
	if (!assignment) error(404, 'Not found');
	return {
		assignment: { id: assignment.id, title: assignment.title, code: assignment.code, opensAt: assignment.opensAt, closesAt: assignment.closesAt, attempts: assignment.attempts, carryForward: assignment.carryForward, feedback: assignment.feedback }
	};
};
