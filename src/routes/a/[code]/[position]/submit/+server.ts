import { json } from '@sveltejs/kit';
import { submitAnswers } from '$lib/server/assignments';
import { answersFromForm } from '$lib/server/practice';
import { apiStudent, positionOf, readJson, resultFor } from '$lib/server/student';
import type { RequestHandler } from './$types';

const MAX_BODY = 1_000_000;

/**
 * Submits the page's fields, `{ "key": "…", "fields": { "q:z1:0:0": "0,5", … } }`, graded on the
 * server. The key makes a retry after a network error count once. The answer is the
 * acknowledgement (attempt n of N) and the report only when the policy reveals it.
 */
export const POST: RequestHandler = async ({ params, cookies, request }) => {
	const context = await apiStudent(params.code, cookies);
	if (context instanceof Response) return context;
	const { db, assignment, student } = context;
	const position = positionOf(assignment, params.position);
	const body = await readJson(request, MAX_BODY);
	if (!body.ok) return json(body, { status: body.status });
	const { key, fields } = body.value;
	const entries = fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? Object.entries(fields as Record<string, unknown>) : [];
	const read = answersFromForm(entries.filter((e): e is [string, string] => typeof e[1] === 'string'));
	if (!read.ok) return json({ ok: false, message: read.message }, { status: read.status });
	const now = Date.now();
	const submitted = await submitAnswers(db, assignment, student, position, read.answers, typeof key === 'string' ? key : '', now);
	if (!submitted.ok) return json({ ok: false, message: submitted.message }, { status: submitted.status });
	// keys are global in storage: a key of another student or exercise says nothing about it
	if (submitted.submission.studentId !== student.id || submitted.submission.position !== position)
		return json({ ok: false, message: { fr: 'Requête invalide (clé).', en: 'Invalid request (key).' } }, { status: 409 });
	const used = (await db.submissionsOf(student.id)).filter((s) => s.position === position).length;
	return json({ ok: true, duplicate: submitted.duplicate, attempts: assignment.attempts, used, result: await resultFor(db, assignment, student, submitted.submission, now, submitted.variant, submitted.report) });
};
