import { redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { m } from '$lib/paraglide/messages';
import { linkTeacher, register } from '$lib/server/lti/registration';
import type { PageServerLoad } from './$types';

/**
 * LTI Dynamic Registration, opened by the platform (Moodle's "Add LTI Advantage") in a frame or a
 * window. Only for a signed-in teacher or the holder of a registration link from
 * /teacher/platforms; anyone else is sent to the login, which comes back here.
 */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	const db = await storage();
	const link = url.searchParams.get('link');
	const linked = link ? await linkTeacher(db.lti, link) : null;
	const teacherId = locals.teacher?.id ?? (linked !== null && (await db.teacherById(linked)) ? linked : null);
	if (teacherId === null) redirect(303, `/teacher/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const configurationUrl = url.searchParams.get('openid_configuration');
	if (!configurationUrl) return { ok: false as const, reason: { fr: m.lti_register_missing({}, { locale: 'fr' }), en: m.lti_register_missing({}, { locale: 'en' }) } };
	const result = await register({ configurationUrl, registrationToken: url.searchParams.get('registration_token'), origin: url.origin, lti: db.lti, teacherId });
	if (!result.ok) console.warn(`LTI dynamic registration from ${configurationUrl} failed: ${result.reason.en}`);
	return result.ok ? { ok: true as const, name: result.platform.name } : { ok: false as const, reason: result.reason };
};
