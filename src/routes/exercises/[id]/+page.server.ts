import { fail } from '@sveltejs/kit';
import { readForm } from '$lib/server/forms';
import { answersFromForm, checkPractice, loadPractice, readN } from '$lib/server/practice';
import type { Actions, PageServerLoad } from './$types';

/** The statement with the numbers of `?n=` (practice-n) and the inputs; never the answer key. */
export const load: PageServerLoad = ({ params, url }) => loadPractice(params.id, readN(url.searchParams.get('n')));

export const actions: Actions = {
	/** Grades the form's answers on the server; the typed fields come back so the form keeps them. */
	check: async ({ params, url, request }) => {
		const read = answersFromForm(await readForm(request));
		if (!read.ok) return fail(400, { refused: read.message, fields: {} as Record<string, string> });
		const checked = await checkPractice(params.id, readN(url.searchParams.get('n')), read.answers);
		if (!checked.ok) return fail(400, { refused: checked.message, fields: read.fields });
		return { report: checked.report, fields: read.fields };
	}
};
