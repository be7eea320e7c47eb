import { fail, redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';
import { linkTeacher, register } from '$lib/server/lti/registration';
import type { Actions, PageServerLoad } from './$types';

/**
 * LTI Dynamic Registration, opened by the platform (Moodle's "Add LTI Advantage") in a frame or a
 * window. Only for a signed-in teacher or the holder of a registration link from
 * /teacher/platforms; anyone else is sent to the login, which comes back here. The registration
 * itself waits for the teacher's click (a POST): a page that any site could open in a signed-in
 * teacher's browser must not register a platform by itself.
 */
async function teacherOf(teacher: App.Locals['teacher'], link: string | null): Promise<number | null> {
	if (teacher) return teacher.id;
	if (!link) return null;
	const db = await storage();
	const linked = await linkTeacher(db.lti, link);
	return linked !== null && (await db.teacherById(linked)) ? linked : null;
}

const missing = () => ({ fr: m.lti_register_missing({}, { locale: 'fr' }), en: m.lti_register_missing({}, { locale: 'en' }) });

export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	const link = url.searchParams.get('link');
	if ((await teacherOf(locals.teacher, link)) === null) redirect(303, `/teacher/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const configuration = url.searchParams.get('openid_configuration');
	if (!configuration) return { asked: null, missing: missing() };
	let host = configuration;
	try {
		host = new URL(configuration).host;
	} catch {
		// said by the registration, once asked
	}
	return { asked: { configuration, host, token: url.searchParams.get('registration_token') ?? '', link: link ?? '' }, missing: null };
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const form = await readForm(request);
		const field = (name: string): string => String(form.get(name) ?? '');
		const teacherId = await teacherOf(locals.teacher, field('link') || null);
		if (teacherId === null) return fail(401, { ok: false as const, reason: { fr: m.lti_platforms_auth({}, { locale: 'fr' }), en: m.lti_platforms_auth({}, { locale: 'en' }) } });
		const configurationUrl = field('openid_configuration');
		if (!configurationUrl) return fail(400, { ok: false as const, reason: missing() });
		const result = await register({ configurationUrl, registrationToken: field('registration_token') || null, origin: url.origin, lti: (await storage()).lti, teacherId });
		if (!result.ok) {
			console.warn(`LTI dynamic registration from ${configurationUrl} failed: ${result.reason.en}`);
			return fail(400, { ok: false as const, reason: result.reason });
		}
		return { ok: true as const, name: result.platform.name };
	}
};
