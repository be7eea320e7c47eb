import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { createAssignment, LIMITS } from '$lib/server/assignments';
import { assignmentForm, defaultValues, exerciseGroups, FORM_LIMITS, readValues } from '$lib/server/assignment-form';
import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { controlCharacter } from '$lib/server/text';
import type { Actions, PageServerLoad } from './$types';

/** Whole request: every file at its limit, plus the other fields. */
const MAX_REQUEST_BYTES = LIMITS.exercises * LIMITS.uploadBytes + 64_000;

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.teacher) redirect(303, '/teacher/login');
	return { groups: exerciseGroups(), defaults: defaultValues(Date.now()), limits: FORM_LIMITS };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		// actions run before any load: the layout's redirect does not protect them
		if (!locals.teacher) return fail(401, { errors: ['not signed in'], values: null });
		const length = Number(request.headers.get('content-length') ?? 0);
		if (length > MAX_REQUEST_BYTES) return fail(413, { errors: [`the files are too large: ${LIMITS.uploadBytes / 1000} kB each at most`], values: null });
		const form = await readForm(request);
		const values = readValues(form);
		const files = form.getAll('files').filter((f): f is File => f instanceof File && f.size > 0 && f.name !== '');
		// a file too large is not read at all; the rest of the form is checked once it is fixed
		const large = files.filter((f) => f.size > LIMITS.uploadBytes).map((f) => `${f.name.slice(0, 100)}: larger than ${LIMITS.uploadBytes / 1000} kB`);
		if (files.length > LIMITS.exercises) large.push(`exercises: at most ${LIMITS.exercises}`);
		if (large.length > 0) return fail(400, { errors: large, values });
		const uploads = await Promise.all(files.map(async (file) => ({ name: file.name.slice(0, 100), text: await file.text() })));
		const typed = [{ name: 'title', text: values.title }, ...uploads].map(({ name, text }) => ({ name, code: controlCharacter(text) }));
		const control = typed.flatMap(({ name, code }) => (code ? [`${name}: ${m.text_control_character({ code })}`] : []));
		if (control.length > 0) return fail(400, { errors: control, values });
		const created = await createAssignment(await storage(), locals.teacher.id, assignmentForm(values, uploads));
		if (!created.ok) return fail(400, { errors: created.errors, values });
		redirect(303, `/teacher/assignments/${created.assignment.id}?created=1`);
	}
};
