import { json } from '@sveltejs/kit';
import { phaseOf } from '$lib/server/assignments';
import { apiStudent, positionOf, readDraftFields, readJson } from '$lib/server/student';
import type { RequestHandler } from './$types';

/** A draft is a page of fields (50 questions × 400 cells at most): a few hundred kB. */
const MAX_BODY = 1_000_000;

/**
 * Saves what the student typed so far, for the signed-in student only. A JSON request (not a
 * form post); the Lax cookie does not travel with another site's POST.
 */
export const POST: RequestHandler = async ({ params, cookies, request }) => {
	const context = await apiStudent(params.code, cookies);
	if (context instanceof Response) return context;
	const { db, assignment, student } = context;
	const position = positionOf(assignment, params.position);
	const now = Date.now();
	if (phaseOf(assignment, now) !== 'open') return json({ ok: false, message: { fr: "Ce devoir n'est pas ouvert : le brouillon n'est pas enregistré.", en: 'This assignment is not open: the draft was not saved.' } }, { status: 403 });
	// a generous bound against a script gone wrong, far above typing speed
	if (!(await db.hit(`draft:${student.id}`, 240, 60_000, now))) return json({ ok: false, message: { fr: 'Trop d’enregistrements : attendez un peu.', en: 'Too many saves: wait a little.' } }, { status: 429 });
	const body = await readJson(request, MAX_BODY);
	if (!body.ok) return json(body, { status: body.status });
	const fields = readDraftFields(assignment, position, body.value.fields);
	if (!fields.ok) return json(fields, { status: fields.status });
	await db.saveDraft(student.id, position, fields.value, now);
	return json({ ok: true });
};
