import { error, redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { exercisesOf } from '$lib/server/assignments';
import { loadGradebook, ownedAssignment } from '$lib/server/gradebook';
import { wakeGradeSender } from '$lib/server/lti/grades';
import { ltiGradebook } from '$lib/server/lti/teacher-view';
import { questionLabels } from '$lib/server/practice';
import type { Actions, PageServerLoad } from './$types';

/** The gradebook: marks, not answer keys; what students typed appears only among the common wrong answers. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.teacher) redirect(303, '/teacher/login');
	const db = await storage();
	const assignment = await ownedAssignment(db, locals.teacher.id, params.id);
	if (!assignment) error(404, 'Not found');
	const [book, lti] = await Promise.all([loadGradebook(db, assignment), ltiGradebook(db, assignment)]);
	const labels = exercisesOf(assignment).map(questionLabels);
	return {
		joinUrl: `${url.origin}/join/${assignment.code}`,
		created: url.searchParams.has('created'),
		now: Date.now(),
		lti: lti ?? null,
		book: {
			exercises: book.exercises,
			questions: book.questions.map((q) => ({ ...q, label: labels[q.position]?.[q.id] ?? null })),
			stats: book.stats,
			max: book.max,
			submissions: book.submissions,
			rows: book.rows.map((r) => ({ id: r.student.id, name: r.student.name, number: r.student.studentNumber, points: r.points, total: r.total, attempts: r.attempts, lastAt: r.lastAt }))
		}
	};
};

export const actions: Actions = {
	/** Every student's latest score queued again for the platform, as a newer one. */
	resend: async ({ locals, params }) => {
		if (!locals.teacher) redirect(303, '/teacher/login');
		const db = await storage();
		const assignment = await ownedAssignment(db, locals.teacher.id, params.id);
		if (!assignment) error(404, 'Not found');
		const resent = await db.lti.resendAll(assignment.id, Date.now());
		wakeGradeSender();
		return { resent };
	}
};
