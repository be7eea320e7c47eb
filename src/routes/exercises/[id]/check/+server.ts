import { json } from '@sveltejs/kit';
import { answersFromForm, checkPractice, readCheckBody } from '$lib/server/practice';
import type { RequestHandler } from './$types';

/**
 * Checks the answers the page's script sends as JSON (the page's form action does the same
 * without script). A JSON request is not a form post, so it passes SvelteKit's origin check
 * when the app runs as `node build` without ORIGIN.
 */
export const POST: RequestHandler = async ({ params, request }) => {
	const body = readCheckBody(await request.text());
	if (!body.ok) return json(body, { status: 400 });
	const read = answersFromForm(body.fields);
	if (!read.ok) return json({ ok: false, message: read.message }, { status: 400 });
	const checked = await checkPractice(params.id, body.n, read.answers);
	return json(checked, { status: checked.ok ? 200 : 400 });
};
