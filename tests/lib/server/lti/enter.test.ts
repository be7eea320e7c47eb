import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../../../src/lib/server/auth';
import { openSqliteStorage } from '../../../../src/lib/server/db/sqlite';
import { ownedAssignment } from '../../../../src/lib/server/gradebook';
import { enter, type Entry } from '../../../../src/lib/server/lti/enter';
import type { Launch } from '../../../../src/lib/server/lti/launch';
import type { Platform } from '../../../../src/lib/server/lti/storage';
import type { Assignment, Storage } from '../../../../src/lib/server/storage';

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

let db: Storage;
let platform: Platform;
let assignment: Assignment;

beforeEach(async () => {
	db = await openSqliteStorage(':memory:');
	platform = await db.lti.addPlatform({ name: 'Moodle', issuer: 'https://moodle.univ.fr', clientId: 'c', deploymentIds: ['1'], authUrl: 'https://moodle.univ.fr/a', jwksUrl: 'https://moodle.univ.fr/j', tokenUrl: 'https://moodle.univ.fr/t' }, null, 0);
	const owner = await db.createTeacher('claire.laurent@univ.fr', 'Claire Laurent', 'scrypt$x');
	assignment = await db.createAssignment({ teacherId: owner.id, title: 'TD 5', exercises: [{ exerciseId: 'conv-output-size', source: 'id: conv-output-size\n' }], opensAt: 0, closesAt: 10, attempts: 3, carryForward: true, feedback: 'immediate' });
	await db.lti.bindAssignment({ assignmentId: assignment.id, platformId: platform.id, deploymentId: '1', contextId: 'course-1', contextTitle: 'DL', lineItemUrl: null, membershipsUrl: null, createdAt: 0 });
});
afterEach(async () => {
	await db.close();
});

function launch(overrides: Partial<Launch>): Launch {
	return {
		platform,
		deploymentId: '1',
		messageType: 'LtiResourceLinkRequest',
		subject: 'user-1',
		name: 'Inès Moreau',
		email: null,
		personSourcedId: null,
		roles: [LEARNER],
		context: { id: 'course-1', title: 'DL' },
		resourceLinkId: 'link-1',
		custom: { stepwise_assignment: String(assignment.id) },
		lineItemUrl: null,
		membershipsUrl: null,
		deepLinking: null,
		locale: null,
		...overrides
	};
}

function entered(entry: Entry): Extract<Entry, { ok: true }> {
	if (!entry.ok) throw new Error(`${entry.refusal.code}: ${entry.refusal.detail}`);
	return entry;
}

describe('a student’s launch', () => {
	it.each([
		['the platform’s student number', '21930001', '21930001'],
		['the user id when the platform shares no number', null, 'lti-user-1'],
		['the user id when the shared number is not one a student could type', '2193 0001', 'lti-user-1']
	])('lists the student under %s', async (_, sourced, number) => {
		const entry = entered(await enter(db, launch({ personSourcedId: sourced }), 0));
		expect(entry.redirect).toBe(`/a/${assignment.code}`);
		if (entry.session.kind !== 'student') throw new Error('not a student session');
		const student = await db.studentByToken(hashToken(entry.session.token));
		expect(student).toMatchObject({ assignmentId: assignment.id, studentNumber: number, name: 'Inès Moreau' });
	});

	it('is the same student at every launch, on every device, with the platform’s latest name', async () => {
		const first = entered(await enter(db, launch({}), 0));
		const second = entered(await enter(db, launch({ name: 'Inès Moreau-Petit' }), 1));
		if (first.session.kind !== 'student' || second.session.kind !== 'student') throw new Error('not student sessions');
		const a = await db.studentByToken(hashToken(first.session.token));
		const b = await db.studentByToken(hashToken(second.session.token));
		expect(b?.id).toBe(a?.id);
		expect(b?.name).toBe('Inès Moreau-Petit');
		expect(await db.studentsOf(assignment.id)).toHaveLength(1);
	});

	it('takes over the student who joined with a code under the same number, and no one else’s', async () => {
		const joined = await db.joinStudent(assignment.id, '21930001', 'Inès Moreau', 'code-device');
		if (!joined.ok) throw new Error('join');
		entered(await enter(db, launch({ personSourcedId: '21930001' }), 0));
		expect((await db.lti.subjectsOf(assignment.id)).get(joined.student.id)).toBe('user-1');
		// another platform user with the same number keeps their own row
		entered(await enter(db, launch({ subject: 'user-2', name: 'Léo Martin', personSourcedId: '21930001' }), 0));
		const students = await db.studentsOf(assignment.id);
		expect(students.map((s) => [s.name, s.studentNumber])).toEqual([
			['Inès Moreau', '21930001'],
			['Léo Martin', 'lti-user-2']
		]);
	});

	it('remembers the link and the services the platform gave', async () => {
		entered(await enter(db, launch({ lineItemUrl: 'https://moodle.univ.fr/lineitems/9', membershipsUrl: 'https://moodle.univ.fr/members' }), 0));
		expect(await db.lti.assignmentOfLink(platform.id, 'link-1')).toBe(assignment.id);
		expect(await db.lti.bindingOf(assignment.id)).toMatchObject({ lineItemUrl: 'https://moodle.univ.fr/lineitems/9', membershipsUrl: 'https://moodle.univ.fr/members' });
		// the link is known now: a launch of it without the custom parameter opens the same assignment
		expect(entered(await enter(db, launch({ custom: {} }), 1)).redirect).toBe(`/a/${assignment.code}`);
	});

	it.each([
		['from another course', { context: { id: 'course-2', title: 'Other' } }, 'other_context'],
		['from another course with an instructor’s role', { context: { id: 'course-2', title: 'Other' }, roles: [INSTRUCTOR] }, 'other_context'],
		['of a link that names no assignment', { custom: {}, resourceLinkId: 'link-9' }, 'not_linked'],
		['naming an assignment that no course took', { custom: { stepwise_assignment: '999' } }, 'not_linked'],
		['asking to add an activity', { messageType: 'LtiDeepLinkingRequest' as const, deepLinking: { returnUrl: 'https://moodle.univ.fr/r', data: null, acceptMultiple: false } }, 'not_instructor']
	])('is refused %s, and creates nothing', async (_, overrides, code) => {
		expect(await enter(db, launch(overrides), 0)).toMatchObject({ ok: false, refusal: { code } });
		expect(await db.studentsOf(assignment.id)).toEqual([]);
		expect(await db.lti.assignmentOfLink(platform.id, 'link-1')).toBeUndefined();
	});
});

describe('an instructor’s launch', () => {
	it('opens the teacher’s view, shared with the course’s other instructors', async () => {
		const entry = entered(await enter(db, launch({ subject: 'prof-8', name: 'Marc Petit', email: 'marc.petit@univ.fr', roles: [INSTRUCTOR] }), 0));
		expect(entry.redirect).toBe(`/teacher/assignments/${assignment.id}`);
		if (entry.session.kind !== 'teacher') throw new Error('not a teacher session');
		const marc = await db.sessionTeacher(hashToken(entry.session.token), 1);
		expect(marc).toMatchObject({ email: 'marc.petit@univ.fr', name: 'Marc Petit', passwordHash: '' });
		expect(await ownedAssignment(db, marc?.id ?? 0, String(assignment.id))).toMatchObject({ id: assignment.id });
		expect((await db.assignmentsOf(marc?.id ?? 0)).map((a) => a.id)).toEqual([assignment.id]);
		// the same person again is the same teacher
		const again = entered(await enter(db, launch({ subject: 'prof-8', name: 'Marc Petit', email: 'marc.petit@univ.fr', roles: [INSTRUCTOR] }), 2));
		if (again.session.kind !== 'teacher') throw new Error('not a teacher session');
		expect((await db.sessionTeacher(hashToken(again.session.token), 3))?.id).toBe(marc?.id);
	});

	it('does not take over a Stepwise account on the platform’s word for its email', async () => {
		const entry = entered(await enter(db, launch({ subject: 'prof-9', name: 'Claire L.', email: 'claire.laurent@univ.fr', roles: [INSTRUCTOR] }), 0));
		if (entry.session.kind !== 'teacher') throw new Error('not a teacher session');
		const teacher = await db.sessionTeacher(hashToken(entry.session.token), 1);
		expect(teacher?.email).toBe('prof-9.1@lti.invalid');
		expect((await db.teacherByEmail('claire.laurent@univ.fr'))?.name).toBe('Claire Laurent');
	});

	it('opens the choice of exercises for a deep-linking request, for one hour', async () => {
		const entry = entered(
			await enter(db, launch({ messageType: 'LtiDeepLinkingRequest', resourceLinkId: null, custom: {}, roles: [INSTRUCTOR], deepLinking: { returnUrl: 'https://moodle.univ.fr/r', data: 'opaque', acceptMultiple: true } }), 0)
		);
		const token = /^\/lti\/deep-link\/([\w-]+)$/.exec(entry.redirect)?.[1] ?? '';
		expect(await db.lti.deepLinkOf(hashToken(token), 3_599_999)).toMatchObject({ returnUrl: 'https://moodle.univ.fr/r', data: 'opaque', contextId: 'course-1' });
		expect(await db.lti.deepLinkOf(hashToken(token), 3_600_000)).toBeUndefined();
	});
});
