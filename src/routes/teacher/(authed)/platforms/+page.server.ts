import { fail, redirect } from '@sveltejs/kit';
import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { checkPlatform, PLATFORM_FIELDS, type PlatformField, type PlatformProblem } from '$lib/server/lti/platforms';
import { PlatformTaken, type Platform } from '$lib/server/lti/storage';
import { registrationLink } from '$lib/server/lti/registration';
import { toolEndpoints } from '$lib/server/lti/tool';
import type { Actions, PageServerLoad } from './$types';

/** The form's texts as typed, to show them again beside their problems. */
export type PlatformValues = Record<PlatformField, string>;

/** A platform as the page shows it and fills the edit form with. */
function shown(platform: Platform, addedBy: string | null) {
	const { id, name, issuer, clientId, deploymentIds, authUrl, jwksUrl, tokenUrl } = platform;
	return { id, name, issuer, clientId, deploymentIds, authUrl, jwksUrl, tokenUrl, addedBy };
}

const queryId = (url: URL, name: string): number | null => {
	const text = url.searchParams.get(name);
	return text !== null && /^\d{1,9}$/.test(text) ? Number(text) : null;
};

/**
 * Any signed-in teacher registers platforms: in a deployment, the teachers are the people the
 * administrator trusted with accounts, and a platform added here only lets its launches in.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.teacher) redirect(303, `/teacher/login?next=${encodeURIComponent(url.pathname)}`);
	const db = await storage();
	const names = new Map<number, string>();
	const platforms: ReturnType<typeof shown>[] = [];
	for (const platform of await db.lti.platforms()) {
		const by = platform.createdBy;
		if (by !== null && !names.has(by)) names.set(by, (await db.teacherById(by))?.name ?? '');
		platforms.push(shown(platform, by === null ? null : (names.get(by) ?? null)));
	}
	const find = (name: string) => platforms.find((p) => p.id === queryId(url, name));
	const registration = await registrationLink(db.lti, url.origin, locals.teacher.id);
	return { tool: toolEndpoints(url.origin), registration, platforms, editing: find('edit') ?? null, removing: find('remove') ?? null, added: find('added')?.name ?? null, saved: find('saved')?.name ?? null };
};

export const actions: Actions = {
	/** Adds a platform, or saves one's changes when the form carries its id. */
	save: async ({ request, locals }) => {
		const form = await readForm(request);
		const values = Object.fromEntries(PLATFORM_FIELDS.map((field) => [field, String(form.get(field) ?? '').slice(0, 5000)])) as PlatformValues;
		const id = Number(form.get('id') ?? '') || null;
		const refuse = (status: number, problems: PlatformProblem[] | null, problem: 'auth' | 'taken' | 'gone' | null = null) => fail(status, { values, id, problems, problem });
		if (!locals.teacher) return refuse(401, null, 'auth');
		const checked = checkPlatform(values);
		if (!checked.ok) return refuse(400, checked.problems);
		const lti = (await storage()).lti;
		try {
			if (id === null) {
				const platform = await lti.addPlatform(checked.platform, locals.teacher.id, Date.now());
				redirect(303, `/teacher/platforms?added=${platform.id}`);
			}
			if (!(await lti.updatePlatform(id, checked.platform))) return refuse(404, null, 'gone');
		} catch (error) {
			if (error instanceof PlatformTaken) return refuse(400, null, 'taken');
			throw error;
		}
		redirect(303, `/teacher/platforms?saved=${id}`);
	},

	remove: async ({ request, locals }) => {
		if (!locals.teacher) return fail(401, { problem: 'auth' as const });
		const id = Number((await readForm(request)).get('id') ?? '');
		const lti = (await storage()).lti;
		const platform = Number.isInteger(id) ? await lti.platformById(id) : undefined;
		if (!platform || !(await lti.removePlatform(id))) return fail(404, { problem: 'gone' as const });
		return { removed: platform.name };
	}
};
