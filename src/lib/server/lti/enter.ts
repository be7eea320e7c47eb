/**
 * What a verified launch opens. A resource link opens its assignment: a student lands on their
 * own numbers (a student of the assignment, known by the platform's user id, no join code), a
 * teacher of the course on the teacher's view of it. A deep-linking request opens the choice of
 * exercises. An assignment belongs to the course it was added to: a launch from another course,
 * whatever its roles, is refused and creates nothing.
 */
import { hashToken, newToken, SESSION_DAYS } from '../auth';
import type { Assignment, Storage } from '../storage';
import { isTeaching } from './claims';
import type { Launch } from './launch';
import { refused, type Refusal } from './refusal';

/** The custom parameter of a deep-linked activity that names its assignment. */
export const ASSIGNMENT_PARAMETER = 'stepwise_assignment';
export const DEEP_LINK_MINUTES = 60;
/** The student numbers a student joining with a code may type, which the platform's may take over. */
const STUDENT_NUMBER = /^[A-Za-z0-9._-]{1,32}$/;
const NAME_CHARS = 100;

export type Session = { kind: 'teacher'; token: string; expiresAt: number } | { kind: 'student'; code: string; token: string };

export type Entry = { ok: true; redirect: string; session: Session } | { ok: false; refusal: Refusal };

/** The Stepwise teacher of a platform's instructor, made at their first launch. */
async function teacherOf(db: Storage, launch: Launch): Promise<number> {
	const known = await db.lti.teacherOfSubject(launch.platform.id, launch.subject);
	if (known !== undefined) return known;
	// an address already used by a Stepwise account is not taken over on the platform's word: the account stays its owner's
	const email = launch.email && !(await db.teacherByEmail(launch.email)) ? launch.email : `${launch.subject.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)}.${launch.platform.id}@lti.invalid`;
	const name = (launch.name ?? launch.email ?? launch.subject).slice(0, NAME_CHARS);
	try {
		// no password: this teacher signs in through the platform
		const teacher = await db.createTeacher(email, name, '');
		await db.lti.linkAccount(launch.platform.id, launch.subject, teacher.id);
	} catch (error) {
		// the same first launch twice at once: the other made the account
		const other = await db.lti.teacherOfSubject(launch.platform.id, launch.subject);
		if (other === undefined) throw error;
	}
	const id = await db.lti.teacherOfSubject(launch.platform.id, launch.subject);
	if (id === undefined) throw new Error(`no teacher was linked to ${launch.subject} of platform ${launch.platform.id}`);
	return id;
}

async function teacherSession(db: Storage, teacherId: number, now: number): Promise<Session> {
	const token = newToken();
	const expiresAt = now + SESSION_DAYS * 24 * 3600 * 1000;
	await db.createSession(hashToken(token), teacherId, expiresAt);
	return { kind: 'teacher', token, expiresAt };
}

/** The assignment a resource link opens: the one it was first launched with, else the one its custom parameter names. */
async function linkedAssignment(db: Storage, launch: Launch): Promise<{ ok: true; assignment: Assignment } | { ok: false; refusal: Refusal }> {
	const resourceLinkId = launch.resourceLinkId ?? '';
	const linked = await db.lti.assignmentOfLink(launch.platform.id, resourceLinkId);
	const named = launch.custom[ASSIGNMENT_PARAMETER];
	const id = linked ?? (named && /^[1-9]\d{0,9}$/.test(named) ? Number(named) : undefined);
	if (id === undefined) return refused('not_linked', `resource link ${JSON.stringify(resourceLinkId)} of ${launch.platform.name} names no assignment (custom ${ASSIGNMENT_PARAMETER} is ${JSON.stringify(named ?? null)})`);
	const binding = await db.lti.bindingOf(id);
	const assignment = binding && (await db.assignmentById(id));
	if (!binding || !assignment) return refused('not_linked', `assignment ${id} is not bound to a course of any platform`);
	if (binding.platformId !== launch.platform.id || binding.contextId !== launch.context.id)
		return refused('other_context', `assignment ${id} belongs to course ${JSON.stringify(binding.contextId)} of platform ${binding.platformId}; the launch comes from course ${JSON.stringify(launch.context.id)} of platform ${launch.platform.id}`);
	return { ok: true, assignment };
}

/** The number a platform's student is listed under: the platform's student number when it shares one, else its user id. */
function studentNumberOf(launch: Launch): string {
	if (launch.personSourcedId && STUDENT_NUMBER.test(launch.personSourcedId)) return launch.personSourcedId;
	return `lti-${launch.subject.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 64);
}

export async function enter(db: Storage, launch: Launch, now: number): Promise<Entry> {
	const teaching = isTeaching(launch.roles);
	if (launch.messageType === 'LtiDeepLinkingRequest') {
		if (!teaching) return refused('not_instructor', `${launch.subject} of ${launch.platform.name} asked to add an activity with the roles ${launch.roles.join(', ') || 'none'}`);
		const settings = launch.deepLinking;
		if (!settings) return refused('missing_claim', 'a deep-linking request without its settings');
		const teacherId = await teacherOf(db, launch);
		const token = newToken();
		await db.lti.createDeepLink({
			tokenHash: hashToken(token),
			platformId: launch.platform.id,
			deploymentId: launch.deploymentId,
			contextId: launch.context.id,
			contextTitle: launch.context.title,
			teacherId,
			returnUrl: settings.returnUrl,
			data: settings.data,
			acceptMultiple: settings.acceptMultiple,
			expiresAt: now + DEEP_LINK_MINUTES * 60_000
		});
		return { ok: true, redirect: `/lti/deep-link/${token}`, session: await teacherSession(db, teacherId, now) };
	}

	const found = await linkedAssignment(db, launch);
	if (!found.ok) return found;
	const { assignment } = found;
	await db.lti.addLink(launch.platform.id, launch.resourceLinkId ?? '', assignment.id);
	await db.lti.updateServices(assignment.id, { lineItemUrl: launch.lineItemUrl ?? undefined, membershipsUrl: launch.membershipsUrl ?? undefined });

	if (teaching) {
		const teacherId = await teacherOf(db, launch);
		if (teacherId !== assignment.teacherId) await db.lti.shareAssignment(assignment.id, teacherId);
		return { ok: true, redirect: `/teacher/assignments/${assignment.id}`, session: await teacherSession(db, teacherId, now) };
	}
	const token = newToken();
	const name = (launch.name ?? launch.email ?? studentNumberOf(launch)).normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, NAME_CHARS);
	await db.lti.enrolStudent({ assignmentId: assignment.id, platformId: launch.platform.id, subject: launch.subject, studentNumber: studentNumberOf(launch), name, tokenHash: hashToken(token), now });
	return { ok: true, redirect: `/a/${assignment.code}`, session: { kind: 'student', code: assignment.code, token } };
}
