import { fail } from '@sveltejs/kit';
import { createAssignment, exercisesOf } from '$lib/server/assignments';
import { assignmentForm, defaultValues, exerciseGroups, FORM_LIMITS, readValues } from '$lib/server/assignment-form';
import { hashToken } from '$lib/server/auth';
import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { gradebookExercises } from '$lib/server/gradebook';
import { contentItem, deepLinkingResponse } from '$lib/server/lti/deep-linking';
import { refusalSentence } from '$lib/server/lti/refusal-page';
import type { DeepLinkRequest } from '$lib/server/lti/storage';
import type { Assignment, Storage } from '$lib/server/storage';
import type { Actions, PageServerLoad } from './$types';

/**
 * "Select content": the teacher, sent here by a deep-linking launch, makes an assignment or picks
 * one of theirs, and the page posts the signed answer back to the platform. The address's token,
 * made by the launch and good for one answer within an hour, is what identifies the teacher: a
 * platform's frame may not send Stepwise's cookies.
 */

/** The teacher's assignments that this course may take: not yet in a course, or in this one. */
async function assignable(db: Storage, request: DeepLinkRequest): Promise<{ assignment: Assignment; inThisCourse: boolean }[]> {
	const mine = await db.assignmentsOf(request.teacherId);
	const bound = await Promise.all(mine.map(async (assignment) => ({ assignment, binding: await db.lti.bindingOf(assignment.id) })));
	return bound
		.filter(({ binding }) => !binding || (binding.platformId === request.platformId && binding.contextId === request.contextId))
		.map(({ assignment, binding }) => ({ assignment, inThisCourse: binding !== undefined }));
}

export const load: PageServerLoad = async ({ params }) => {
	const db = await storage();
	const now = Date.now();
	const request = await db.lti.deepLinkOf(hashToken(params.token), now);
	if (!request) return { expired: refusalSentence('deep_link_expired') } as const;
	const platform = await db.lti.platformById(request.platformId);
	const existing = (await assignable(db, request)).map(({ assignment, inThisCourse }) => ({ id: assignment.id, title: assignment.title, exercises: assignment.exercises.length, closesAt: assignment.closesAt, inThisCourse }));
	return {
		expired: null,
		course: request.contextTitle,
		platform: platform?.name ?? '',
		groups: exerciseGroups(),
		defaults: defaultValues(now, request.contextTitle),
		limits: FORM_LIMITS,
		existing
	};
};

export const actions: Actions = {
	default: async ({ request: http, params, url }) => {
		const db = await storage();
		const tokenHash = hashToken(params.token);
		const now = Date.now();
		const request = await db.lti.deepLinkOf(tokenHash, now);
		if (!request) return fail(401, { errors: [refusalSentence('deep_link_expired')], values: null, post: null });
		const form = await readForm(http);
		const values = readValues(form);
		let assignment: Assignment;
		if (form.get('choice') === 'existing') {
			const id = Number(form.get('assignment'));
			const found = (await assignable(db, request)).find((a) => a.assignment.id === id);
			if (!found) return fail(400, { errors: ['assignment: choose one of the list'], values, post: null });
			assignment = found.assignment;
		} else {
			const created = await createAssignment(db, request.teacherId, assignmentForm(values, []));
			if (!created.ok) return fail(400, { errors: created.errors, values, post: null });
			assignment = created.assignment;
		}
		const used = await db.lti.useDeepLink(tokenHash, now);
		const platform = used && (await db.lti.platformById(used.platformId));
		if (!used || !platform) return fail(401, { errors: [refusalSentence('deep_link_expired')], values, post: null });
		await db.lti.bindAssignment({ assignmentId: assignment.id, platformId: used.platformId, deploymentId: used.deploymentId, contextId: used.contextId, contextTitle: used.contextTitle, lineItemUrl: null, membershipsUrl: null, createdAt: now });
		const scoreMaximum = gradebookExercises(exercisesOf(assignment)).reduce((sum, e) => sum + e.max, 0);
		const jwt = await deepLinkingResponse(db.lti, used, platform, [contentItem(assignment, scoreMaximum, url.origin)], now);
		return { errors: null, values: null, post: { url: used.returnUrl, jwt, title: assignment.title, platform: platform.name } };
	}
};
