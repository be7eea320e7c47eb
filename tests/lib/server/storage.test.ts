import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../../src/lib/server/db/postgres';
import { openSqliteStorage } from '../../../src/lib/server/db/sqlite';
import type { AssignmentInput, NewSubmission, Storage } from '../../../src/lib/server/storage';
import { freshDatabase } from '../../postgres';

interface Opened {
	storage: Storage;
	reopen: () => Promise<Storage>;
	cleanup: () => Promise<void>;
}

/** Every implementation of Storage runs the same cases. */
const implementations: [string, () => Promise<Opened>][] = [
	[
		'SQLite file',
		async () => {
			const dir = mkdtempSync(join(tmpdir(), 'stepwise-db-'));
			const path = join(dir, 'nested', 'stepwise.db');
			return { storage: await openSqliteStorage(path), reopen: () => openSqliteStorage(path), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
		}
	],
	[
		'PostgreSQL',
		async () => {
			const database = await freshDatabase('storage');
			return { storage: await openPostgresStorage(database.url), reopen: () => openPostgresStorage(database.url), cleanup: database.drop };
		}
	]
];

describe.each(implementations)('storage on %s', (_, open) => {
	let storage: Storage;
	let reopen: () => Promise<Storage>;
	let cleanup: () => Promise<void>;
	beforeAll(async () => {
		({ storage, reopen, cleanup } = await open());
	});
	afterAll(async () => {
		await storage?.close();
		await cleanup?.();
	});

	const assignmentFor = (teacherId: number, attempts = 2): AssignmentInput => ({
		teacherId,
		title: 'Backprop, due Friday',
		exercises: [{ exerciseId: 'backprop-221', source: 'id: backprop-221' }, { exerciseId: 'conv-output-size', source: 'id: conv-output-size' }],
		opensAt: 1_000,
		closesAt: 2_000,
		attempts,
		carryForward: true,
		feedback: 'after_close'
	});

	it('creates teachers with unique emails, found however the email is typed', async () => {
		const alice = await storage.createTeacher('Alice@Univ.fr', 'Alice', 'hash');
		expect(await storage.teacherByEmail(' alice@univ.fr ')).toEqual(alice);
		await expect(storage.createTeacher('alice@univ.fr', 'Other', 'h')).rejects.toThrow();
		expect(await storage.teacherById(alice.id)).toEqual(alice);
	});

	it('keeps sessions until they expire or are deleted', async () => {
		const t = await storage.createTeacher('sessions@univ.fr', 'S', 'h');
		await storage.createSession('tok', t.id, 5_000);
		expect((await storage.sessionTeacher('tok', 4_999))?.id).toBe(t.id);
		expect(await storage.sessionTeacher('tok', 5_000)).toBeUndefined();
		await storage.deleteSession('tok');
		expect(await storage.sessionTeacher('tok', 0)).toBeUndefined();
	});

	it('uses an invitation once, before it expires', async () => {
		const t = await storage.createTeacher('inviter@univ.fr', 'I', 'h');
		await storage.createInvitation('inv', 'New@Univ.fr', t.id, 10_000);
		expect(await storage.useInvitation('inv', 20_000)).toBeUndefined();
		expect(await storage.useInvitation('inv', 5_000)).toBe('new@univ.fr');
		expect(await storage.useInvitation('inv', 5_000)).toBeUndefined();
	});

	it('stores an assignment with its exercises in order, a short code and a seed', async () => {
		const t = await storage.createTeacher('assign@univ.fr', 'A', 'h');
		const a = await storage.createAssignment(assignmentFor(t.id));
		expect(a.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
		expect(a.seed).toMatch(/^[0-9a-f]{16}$/);
		expect(a.exercises.map((e) => [e.position, e.exerciseId])).toEqual([[0, 'backprop-221'], [1, 'conv-output-size']]);
		expect(await storage.assignmentByCode(a.code.toLowerCase())).toEqual(a);
		const other = await storage.createTeacher('other@univ.fr', 'O', 'h');
		await storage.createAssignment(assignmentFor(other.id));
		expect((await storage.assignmentsOf(t.id)).map((x) => x.id)).toEqual([a.id]);
	});

	it('lets a student number join once, from several devices, and refuses it under another name', async () => {
		const t = await storage.createTeacher('join@univ.fr', 'J', 'h');
		const a = await storage.createAssignment(assignmentFor(t.id));
		const first = await storage.joinStudent(a.id, ' 21901234 ', 'Chloé  Martin', 'device-1');
		expect(first).toMatchObject({ ok: true, created: true, student: { studentNumber: '21901234', name: 'Chloé Martin' } });
		const second = await storage.joinStudent(a.id, '21901234', 'chloé martin', 'device-2');
		expect(second).toMatchObject({ ok: true, created: false });
		expect(await storage.joinStudent(a.id, '21901234', 'Paul Durand', 'device-3')).toEqual({ ok: false, reason: 'name-mismatch' });
		expect(await storage.studentByToken('device-3')).toBeUndefined();
		expect((await storage.studentByToken('device-1'))?.id).toBe((await storage.studentByToken('device-2'))?.id);
		expect((await storage.studentsOf(a.id)).length).toBe(1);
		await storage.joinStudent(a.id, '3', 'Lucas', 'device-4');
		await storage.joinStudent(a.id, '2', 'Léa', 'device-5');
		expect((await storage.studentsOf(a.id)).map((s) => s.name)).toEqual(['Chloé Martin', 'Léa', 'Lucas']);
	});

	it('keeps the first variant stored for a student and an exercise, however many are stored at once', async () => {
		const t = await storage.createTeacher('variants@univ.fr', 'V', 'h');
		const a = await storage.createAssignment(assignmentFor(t.id));
		const joined = await storage.joinStudent(a.id, '21904444', 'Inès', 'variants');
		if (!joined.ok) throw new Error('join');
		const id = joined.student.id;
		expect(await storage.variantOf(id, 0)).toBeUndefined();
		const kept = await Promise.all(Array.from({ length: 12 }, (_, i) => storage.keepVariant(id, 0, `{"attempt":${i}}`)));
		expect(new Set(kept).size).toBe(1);
		expect(await storage.variantOf(id, 0)).toBe(kept[0]);
		expect(await storage.keepVariant(id, 0, '{"attempt":99}')).toBe(kept[0]);
		// each exercise of the assignment has its own
		expect(await storage.keepVariant(id, 1, '{"attempt":1}')).toBe('{"attempt":1}');
	});

	it('saves a draft and replaces it', async () => {
		const t = await storage.createTeacher('draft@univ.fr', 'D', 'h');
		const a = await storage.createAssignment(assignmentFor(t.id));
		const joined = await storage.joinStudent(a.id, '1', 'D', 'draft-token');
		if (!joined.ok) throw new Error('join');
		await storage.saveDraft(joined.student.id, 0, { z1: '0,1' }, 1);
		await storage.saveDraft(joined.student.id, 0, { z1: '0,1 ; 0,45' }, 2);
		expect(await storage.draftOf(joined.student.id, 0)).toEqual({ z1: '0,1 ; 0,45' });
		expect(await storage.draftOf(joined.student.id, 1)).toBeUndefined();
	});

	it('records a submission once per idempotency key and counts attempts', async () => {
		const t = await storage.createTeacher('submit@univ.fr', 'S', 'h');
		const a = await storage.createAssignment(assignmentFor(t.id, 2));
		const joined = await storage.joinStudent(a.id, '7', 'S', 'submit-token');
		if (!joined.ok) throw new Error('join');
		const submission = (key: string): NewSubmission => ({ studentId: joined.student.id, position: 0, idempotencyKey: key, answers: { z1: '1' }, points: 3, max: 10, report: '{}', attemptsAllowed: a.attempts });
		const first = await storage.submit(submission('k1'), 10);
		const retried = await storage.submit(submission('k1'), 11);
		expect(first).toMatchObject({ ok: true, duplicate: false, submission: { attempt: 1 } });
		expect(retried).toMatchObject({ ok: true, duplicate: true });
		if (first.ok && retried.ok) expect(retried.submission).toEqual(first.submission);
		expect(await storage.submit(submission('k2'), 12)).toMatchObject({ ok: true, submission: { attempt: 2 } });
		expect(await storage.submit(submission('k3'), 13)).toEqual({ ok: false, reason: 'attempts' });
		expect((await storage.submissionsOf(joined.student.id)).map((s) => s.attempt)).toEqual([1, 2]);
		expect((await storage.submissionsOfAssignment(a.id)).length).toBe(2);
	});

	it('keeps concurrent submissions apart and none twice', async () => {
		const t = await storage.createTeacher('race@univ.fr', 'R', 'h');
		const a = await storage.createAssignment(assignmentFor(t.id, 10));
		const joined = await storage.joinStudent(a.id, '8', 'R', 'race-token');
		if (!joined.ok) throw new Error('join');
		// twelve answers for ten attempts, each sent twice, all at once
		const distinct = 'abcdefghijkl'.split('');
		const keys = [...distinct, ...distinct];
		const results = await Promise.all(
			keys.map((key) => storage.submit({ studentId: joined.student.id, position: 1, idempotencyKey: `race-${key}`, answers: {}, points: 0, max: 1, report: '{}', attemptsAllowed: 10 }, 1))
		);
		const stored = await storage.submissionsOf(joined.student.id);
		expect(stored.map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		// the two keys that came last are refused, each time they are sent; every other one is one row
		const refused = new Set(keys.filter((_, i) => !results[i].ok).map((key) => `race-${key}`));
		expect(refused.size).toBe(2);
		expect(new Set([...stored.map((s) => s.idempotencyKey), ...refused]).size).toBe(distinct.length);
		for (const result of results) if (result.ok) expect(stored.find((s) => s.idempotencyKey === result.submission.idempotencyKey)?.id).toBe(result.submission.id);
	});

	it('makes one student of a number joined from two devices at the same moment', async () => {
		const t = await storage.createTeacher('twice@univ.fr', 'T', 'h');
		const a = await storage.createAssignment(assignmentFor(t.id));
		const results = await Promise.all(['phone', 'laptop', 'tablet'].map((device) => storage.joinStudent(a.id, '42', 'Inès', `twice-${device}`)));
		expect(results.every((r) => r.ok)).toBe(true);
		expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
		expect(await storage.studentsOf(a.id)).toHaveLength(1);
	});

	it('keeps points as they were given, to the last digit', async () => {
		const t = await storage.createTeacher('points@univ.fr', 'P', 'h');
		const a = await storage.createAssignment(assignmentFor(t.id));
		const joined = await storage.joinStudent(a.id, '9', 'P', 'points-token');
		if (!joined.ok) throw new Error('join');
		const result = await storage.submit({ studentId: joined.student.id, position: 0, idempotencyKey: 'points', answers: {}, points: 2.3, max: 10 / 3, report: '{}', attemptsAllowed: 2 }, 1);
		expect(result).toMatchObject({ ok: true, submission: { points: 2.3, max: 10 / 3 } });
		expect((await storage.submissionsOf(joined.student.id)).map((s) => [s.points, s.max])).toEqual([[2.3, 10 / 3]]);
	});

	it('counts every one of many hits at once, and lets exactly the limit through', async () => {
		const hits = await Promise.all(Array.from({ length: 25 }, () => storage.hit('join:9.9.9.9', 10, 60_000, 500)));
		expect(hits.filter(Boolean)).toHaveLength(10);
		expect(await storage.hit('join:9.9.9.9', 10, 60_000, 60_499)).toBe(false);
		expect(await storage.hit('join:9.9.9.9', 10, 60_000, 60_500)).toBe(true);
	});

	it('limits hits per window', async () => {
		const hits = [];
		for (let i = 0; i < 4; i++) hits.push(await storage.hit('login:1.2.3.4', 3, 1_000, 100 + i));
		expect(hits).toEqual([true, true, true, false]);
		expect(await storage.hit('login:1.2.3.4', 3, 1_000, 1_200)).toBe(true);
		expect(await storage.hit('login:5.6.7.8', 3, 1_000, 103)).toBe(true);
	});

	it('keeps everything when the database is opened again, and migrates only once', async () => {
		const t = await storage.createTeacher('persist@univ.fr', 'P', 'h');
		const again = await reopen();
		expect(await again.teacherByEmail('persist@univ.fr')).toEqual(t);
		await again.close();
	});
});
