import { fail, redirect } from '@sveltejs/kit';
import { parseLocalDateTime, toLocalInput } from '$lib/components/teacher/dates';
import { m } from '$lib/paraglide/messages';
import { createAssignment, LIMITS } from '$lib/server/assignments';
import { storage } from '$lib/server/db';
import { listExercises } from '$lib/server/exercise-library';
import { readForm } from '$lib/server/forms';
import type { FeedbackWhen } from '$lib/server/storage';
import { controlCharacter } from '$lib/server/text';
import { TOPICS } from '$lib/topics';
import type { Actions, PageServerLoad } from './$types';

/** What the form sends back when it is refused, so nothing typed is lost (files cannot be kept by a browser). */
export interface FormValues {
	title: string;
	exerciseIds: string[];
	opens: string;
	closes: string;
	attempts: string;
	carryForward: boolean;
	feedback: string;
}

/** Whole request: every file at its limit, plus the other fields. */
const MAX_REQUEST_BYTES = LIMITS.exercises * LIMITS.uploadBytes + 64_000;

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.teacher) redirect(303, '/teacher/login');
	// only what the checkboxes show: the exercises themselves hold their answer keys
	// an exercise without vary gives everyone the course's numbers, whose key the practice pages show
	const cards = listExercises().map((e) => ({ id: e.id, title: e.title, topic: e.topic, questions: e.questions.length, points: e.questions.reduce((s, q) => s + q.points, 0), sameForAll: e.varyTargets.length === 0 }));
	const groups = TOPICS.map((t) => ({ id: t.id, title: { ...t.title }, exercises: cards.filter((c) => c.topic === t.id) })).filter((g) => g.exercises.length > 0);
	const now = Date.now();
	const defaults: FormValues = {
		title: '',
		exerciseIds: [],
		opens: toLocalInput(Math.floor(now / 3600_000) * 3600_000),
		closes: toLocalInput(Math.floor(now / 3600_000) * 3600_000 + 7 * 24 * 3600_000),
		attempts: '3',
		carryForward: true,
		feedback: 'after_close'
	};
	return { groups, defaults, limits: { uploadKb: LIMITS.uploadBytes / 1000, attempts: LIMITS.attempts, title: LIMITS.title } };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		// actions run before any load: the layout's redirect does not protect them
		if (!locals.teacher) return fail(401, { errors: ['not signed in'], values: null });
		const length = Number(request.headers.get('content-length') ?? 0);
		if (length > MAX_REQUEST_BYTES) return fail(413, { errors: [`the files are too large: ${LIMITS.uploadBytes / 1000} kB each at most`], values: null });
		const form = await readForm(request);
		const text = (name: string): string => String(form.get(name) ?? '');
		const values: FormValues = {
			title: text('title').slice(0, LIMITS.title + 50),
			exerciseIds: form.getAll('exercise').map(String).slice(0, LIMITS.exercises + 1),
			opens: text('opens'),
			closes: text('closes'),
			attempts: text('attempts'),
			carryForward: form.get('carryForward') === 'on',
			feedback: text('feedback')
		};
		const files = form.getAll('files').filter((f): f is File => f instanceof File && f.size > 0 && f.name !== '');
		// a file too large is not read at all; the rest of the form is checked once it is fixed
		const large = files.filter((f) => f.size > LIMITS.uploadBytes).map((f) => `${f.name.slice(0, 100)}: larger than ${LIMITS.uploadBytes / 1000} kB`);
		if (files.length > LIMITS.exercises) large.push(`exercises: at most ${LIMITS.exercises}`);
		if (large.length > 0) return fail(400, { errors: large, values });
		const uploads = await Promise.all(files.map(async (file) => ({ name: file.name.slice(0, 100), text: await file.text() })));
		const typed = [{ name: 'title', text: values.title }, ...uploads].map(({ name, text }) => ({ name, code: controlCharacter(text) }));
		const control = typed.flatMap(({ name, code }) => (code ? [`${name}: ${m.text_control_character({ code })}`] : []));
		if (control.length > 0) return fail(400, { errors: control, values });
		const created = await createAssignment(await storage(), locals.teacher.id, {
			title: values.title,
			exerciseIds: values.exerciseIds,
			uploads,
			opensAt: parseLocalDateTime(values.opens),
			closesAt: parseLocalDateTime(values.closes),
			attempts: /^\d{1,3}$/.test(values.attempts.trim()) ? Number(values.attempts) : NaN,
			carryForward: values.carryForward,
			// anything else is refused by createAssignment with its own message
			feedback: values.feedback as FeedbackWhen
		});
		if (!created.ok) return fail(400, { errors: created.errors, values });
		redirect(303, `/teacher/assignments/${created.assignment.id}?created=1`);
	}
};
