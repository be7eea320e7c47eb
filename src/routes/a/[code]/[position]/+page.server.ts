import { randomUUID } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import type { SubmitAnswer } from '$lib/pages/assignment';
import { submitAnswers } from '$lib/server/assignments';
import { readForm } from '$lib/server/forms';
import { answersFromForm } from '$lib/server/practice';
import { exerciseData, pageStudent, positionOf, resultFor } from '$lib/server/student';
import type { Actions, PageServerLoad } from './$types';

/**
 * One exercise with the student's own numbers, draft and last result. `formKey` is the
 * idempotency key of a submission made without script (a reload draws a new one).
 */
export const load: PageServerLoad = async ({ params, cookies }) => {
	const context = await pageStudent(params.code, cookies);
	return { exercise: await exerciseData(context, positionOf(context.assignment, params.position), Date.now()), formKey: randomUUID() };
};

export const actions: Actions = {
	/** The form posted without script: the same submission as the JSON endpoint. */
	submit: async ({ params, cookies, request }) => {
		const context = await pageStudent(params.code, cookies);
		const { db, assignment, student } = context;
		const position = positionOf(assignment, params.position);
		const form = await readForm(request);
		const key = form.get('key');
		const read = answersFromForm(form);
		if (!read.ok) return fail(read.status, { answer: { ok: false, message: read.message } satisfies SubmitAnswer });
		const now = Date.now();
		const submitted = await submitAnswers(db, assignment, student, position, read.answers, typeof key === 'string' ? key : '', now);
		if (!submitted.ok) return fail(submitted.status, { answer: { ok: false, message: submitted.message } satisfies SubmitAnswer });
		if (submitted.submission.studentId !== student.id || submitted.submission.position !== position)
			return fail(409, { answer: { ok: false, message: { fr: 'Requête invalide (clé).', en: 'Invalid request (key).' } } satisfies SubmitAnswer });
		await db.saveDraft(student.id, position, read.fields, now);
		const used = (await db.submissionsOf(student.id)).filter((s) => s.position === position).length;
		const answer: SubmitAnswer = { ok: true, duplicate: submitted.duplicate, attempts: assignment.attempts, used, result: await resultFor(db, assignment, student, submitted.submission, now, submitted.variant, submitted.report) };
		return { answer };
	}
};
