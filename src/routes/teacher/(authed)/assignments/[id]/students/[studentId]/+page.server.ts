import { error, redirect } from '@sveltejs/kit';
import { exercisesOf } from '$lib/server/assignments';
import { storage } from '$lib/server/db';
import { ownedAssignment, studentAttempts } from '$lib/server/gradebook';
import { questionLabels } from '$lib/server/practice';
import type { PageServerLoad } from './$types';

/** Every attempt of one student of this assignment: a student of another assignment is a 404. */
export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.teacher) redirect(303, '/teacher/login');
	const db = await storage();
	const assignment = await ownedAssignment(db, locals.teacher.id, params.id);
	if (!assignment) error(404, 'Not found');
	const student = (await db.studentsOf(assignment.id)).find((s) => String(s.id) === params.studentId);
	if (!student) error(404, 'Not found');
	const exercises = exercisesOf(assignment);
	return {
		student: { id: student.id, name: student.name, number: student.studentNumber, joinedAt: student.createdAt },
		titles: exercises.map((e) => e.title),
		// each question by what it asks, as the gradebook titles its columns
		labels: exercises.map(questionLabels),
		attempts: studentAttempts(exercises, await db.submissionsOf(student.id))
	};
};
