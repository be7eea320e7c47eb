import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { UnusableVariant } from '$lib/server/assignments';
import { storage } from '$lib/server/db';
import { ownedAssignment, printableSheets } from '$lib/server/gradebook';

/** The printable sheets of every student (or only `?student=`), with or without their answer keys: for the teacher only. */
export async function loadPrintable({ locals, params, url }: Pick<RequestEvent<{ id: string }>, 'locals' | 'params' | 'url'>, withKey: boolean) {
	if (!locals.teacher) redirect(303, '/teacher/login');
	const db = await storage();
	const assignment = await ownedAssignment(db, locals.teacher.id, params.id);
	if (!assignment) error(404, 'Not found');
	const only = url.searchParams.get('student');
	const students = (await db.studentsOf(assignment.id)).filter((s) => only === null || String(s.id) === only);
	if (only !== null && students.length === 0) error(404, 'Not found');
	const sheets = await printableSheets(db, assignment, students, getLocale(), withKey).catch((failure: unknown) => {
		// the message names the student and the exercise whose stored numbers this version cannot read
		if (failure instanceof UnusableVariant) error(500, failure.message);
		throw failure;
	});
	return { sheets, withKey };
}
