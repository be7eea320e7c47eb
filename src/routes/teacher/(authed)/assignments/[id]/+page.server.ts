import { error, redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { exercisesOf } from '$lib/server/assignments';
import { loadGradebook, ownedAssignment } from '$lib/server/gradebook';
import { questionLabels } from '$lib/server/practice';
import type { PageServerLoad } from './$types';

/** The gradebook: marks, not answer keys; what students typed appears only among the common wrong answers. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.teacher) redirect(303, '/teacher/login');
	const db = await storage();
	const assignment = await ownedAssignment(db, locals.teacher.id, params.id);
	if (!assignment) error(404, 'Not found');
	const book = await loadGradebook(db, assignment);
	const labels = exercisesOf(assignment).map(questionLabels);
	return {
		joinUrl: `${url.origin}/join/${assignment.code}`,
		created: url.searchParams.has('created'),
		now: Date.now(),
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
