import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Localized } from '../../../src/lib/exercises/exercise';
import { feedbackText } from '../../../src/lib/exercises/feedback-text';
import { gradeAnswers, type GradeReport } from '../../../src/lib/exercises/grade';
import { createAssignment, exercisesOf } from '../../../src/lib/server/assignments';
import { openPostgresStorage } from '../../../src/lib/server/db/postgres';
import { openSqliteStorage } from '../../../src/lib/server/db/sqlite';
import { studentAttempts } from '../../../src/lib/server/gradebook';
import { drawVariant } from '../../../src/lib/exercises/variant';
import type { Assignment, Storage, Student } from '../../../src/lib/server/storage';
import { freshDatabase } from '../../postgres';

/**
 * Reports stored by earlier versions, backprop-221 graded for student 21900001 (seed 7): before
 * messages were codes, each message a sentence in both languages; then, before the answer parser
 * gave codes, each unreadable answer's explanation in both languages.
 */
interface OldFixture {
	exercise: string;
	student: string;
	seed: string;
	answers: Record<string, string>;
	report: { points: number; max: number; questions: { id: string; verdict: string; points: number; max: number; message: Localized | { explanation: Localized }[] }[] };
}
const fixture = (name: string): OldFixture => JSON.parse(readFileSync(new URL(`../../fixtures/reports/${name}.json`, import.meta.url), 'utf8'));
/** each fixture, and what today stores for its z1: the engine's number whole (rounded only when written for a reader), or the parser's code */
const FIXTURES: [string, OldFixture, unknown][] = [
	['backprop-221-before-codes', fixture('backprop-221-before-codes'), [{ code: 'wrong' }, { code: 'expected_value', value: [[expect.closeTo(-0.5, 12), expect.closeTo(-0.15, 12)]] }]],
	['backprop-221-unreadable-sentences', fixture('backprop-221-unreadable-sentences'), [{ code: 'unreadable', reason: 'shape', why: { code: 'row_length', row: 2, entries: 2, first: 3 } }]]
];

/** What the old version said, as it stored it. */
const storedText = (message: OldFixture['report']['questions'][number]['message'], locale: 'fr' | 'en'): string =>
	Array.isArray(message) ? message.map((part) => part.explanation[locale]).join(' ') : message[locale];

interface Opened {
	/** opens the storage again, as a server started later does */
	open: () => Promise<Storage>;
	cleanup: () => Promise<void>;
}

const implementations: [string, () => Promise<Opened>][] = [
	[
		'SQLite file',
		async () => {
			const dir = mkdtempSync(join(tmpdir(), 'stepwise-reports-'));
			return { open: () => openSqliteStorage(join(dir, 'stepwise.db')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
		}
	],
	[
		'PostgreSQL',
		async () => {
			const database = await freshDatabase('reports');
			return { open: () => openPostgresStorage(database.url), cleanup: database.drop };
		}
	]
];

describe.each(implementations.flatMap(([db, make]) => FIXTURES.map(([name, old, z1Today]) => [db, name, make, old, z1Today] as const)))('reports stored by an earlier version, on %s: %s', (_db, _name, make, OLD, z1Today) => {
	let opened: Opened;
	let storage: Storage;
	let assignment: Assignment;
	let student: Student;

	beforeAll(async () => {
		opened = await make();
		const db = await opened.open();
		const teacher = await db.createTeacher('prof@univ.fr', 'Prof', 'hash');
		const created = await createAssignment(db, teacher.id, {
			title: 'TD 3',
			exerciseIds: [OLD.exercise],
			uploads: [],
			opensAt: 0,
			closesAt: 4_000_000_000_000,
			attempts: 5,
			carryForward: true,
			feedback: 'immediate'
		});
		if (!created.ok) throw new Error(created.errors.join('\n'));
		assignment = created.assignment;
		const joined = await db.joinStudent(assignment.id, OLD.student, 'Chloé Martin', 'token');
		if (!joined.ok) throw new Error('join');
		student = joined.student;
		// the first attempt as the old version stored it, the second as this one does
		const [exercise] = exercisesOf(assignment);
		const drawn = drawVariant(exercise, OLD.student, OLD.seed);
		if (!drawn.ok) throw new Error(drawn.message);
		const today: GradeReport = gradeAnswers(exercise, drawn.variant, OLD.answers, { carryForward: true });
		for (const [attempt, report] of [OLD.report, today].entries()) {
			const submitted = await db.submit(
				{ studentId: student.id, position: 0, idempotencyKey: `k${attempt}`, answers: OLD.answers, points: report.points, max: report.max, report: JSON.stringify(report), attemptsAllowed: 5 },
				1_000 + attempt
			);
			if (!submitted.ok) throw new Error('submit');
		}
		await db.close();
		storage = await opened.open();
	});

	afterAll(async () => {
		await storage?.close();
		await opened?.cleanup();
	});

	const attempts = async () => studentAttempts(exercisesOf(assignment), await storage.submissionsOf(student.id));

	it('still read, each sentence in the reader’s language', async () => {
		const [old] = await attempts();
		for (const stored of OLD.report.questions) {
			const read = old.questions.find((q) => q.id === stored.id);
			expect(read?.verdict).toBe(stored.verdict);
			expect(feedbackText(read?.message ?? [], 'fr'), stored.id).toBe(storedText(stored.message, 'fr'));
			expect(feedbackText(read?.message ?? [], 'en'), stored.id).toBe(storedText(stored.message, 'en'));
		}
	});

	it('say what today’s reports of the same answers say, in both languages', async () => {
		const [old, today] = await attempts();
		for (const locale of ['fr', 'en'] as const) {
			expect(today.questions.map((q) => feedbackText(q.message, locale))).toEqual(old.questions.map((q) => feedbackText(q.message, locale)));
		}
	});

	it('are stored today as codes with their numbers, with no sentence in either language', async () => {
		const [, today] = await storage.submissionsOf(student.id);
		const stored = JSON.parse(today.report) as GradeReport;
		const z1 = stored.questions.find((q) => q.id === 'z1');
		expect(z1?.message).toEqual(z1Today);
		for (const sentence of ['Attendu', 'Expected:', 'explanation', 'La ligne', 'Row 2']) expect(today.report).not.toContain(sentence);
	});
});
