import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NestedNumbers } from '../../../src/lib/engine/tensor';
import type { Variant } from '../../../src/lib/exercises/variant';
import { createAssignment, exercisesOf, studentResult, submitAnswers, variantFor } from '../../../src/lib/server/assignments';
import { openSqliteStorage } from '../../../src/lib/server/db/sqlite';
import { librarySource } from '../../../src/lib/server/exercise-library';
import type { Assignment, FeedbackWhen, Storage, Student, Submission } from '../../../src/lib/server/storage';
import { givenByStatement, PROJECT_ROOT } from '../../helpers';

const HOUR = 3_600_000;
const OPENS = Date.UTC(2026, 0, 5, 8);
const CLOSES = OPENS + 48 * HOUR;
const DURING = OPENS + HOUR;
const AFTER = CLOSES + HOUR;
const IDS = ['backprop-221', 'conv-output-size'];

function flat(value: NestedNumbers): number[] {
	return typeof value === 'number' ? [value] : value.flatMap(flat);
}

/** Every way a page or a message could spell a number: full precision, 4 and 6 decimals, 6 significant digits, both marks. */
function spellings(value: number): string[] {
	const texts = [String(value), value.toFixed(4), value.toFixed(6), value.toPrecision(6)].filter((t) => t.replace(/^-?0?\.?0*/, '').length >= 3);
	return [...new Set(texts.flatMap((t) => [t, t.replace('.', ','), t.replace('.', '{,}')]))];
}

/** The expected values a page must not show: an answer that equals a number the statement gives (z = 1.5 when x = 1.5) is no leak. */
function secretValues(variant: Variant): number[] {
	return variant.expected.flatMap((e) => (e?.ok ? flat(e.value) : [])).filter((value) => !givenByStatement(value, variant.scenario));
}

let storage: Storage;
let dir: string;
let teacherId: number;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'stepwise-assignments-'));
	storage = await openSqliteStorage(join(dir, 'stepwise.db'));
	teacherId = (await storage.createTeacher('prof@univ.fr', 'Prof', 'hash')).id;
});
afterAll(async () => {
	await storage.close();
	rmSync(dir, { recursive: true, force: true });
});

/** Through createAssignment when the library is bundled (Vite), else straight into storage with the files' text. */
async function assignment(feedback: FeedbackWhen = 'after_close', attempts = 2): Promise<Assignment> {
	if (librarySource(IDS[0])) {
		const created = await createAssignment(storage, teacherId, { title: 'TD 3', exerciseIds: IDS, uploads: [], opensAt: OPENS, closesAt: CLOSES, attempts, carryForward: true, feedback });
		if (!created.ok) throw new Error(created.errors.join('\n'));
		return created.assignment;
	}
	const exercises = IDS.map((id) => ({ exerciseId: id, source: readFileSync(join(PROJECT_ROOT, 'exercises', `${id}.yaml`), 'utf8') }));
	return storage.createAssignment({ teacherId, title: 'TD 3', exercises, opensAt: OPENS, closesAt: CLOSES, attempts, carryForward: true, feedback });
}

async function joined(a: Assignment, number: string, name = `Student ${number}`, token = `tok-${a.id}-${number}-${Math.random()}`): Promise<Student> {
	const result = await storage.joinStudent(a.id, number, name, token);
	if (!result.ok) throw new Error(result.reason);
	return result.student;
}

const rows = async (student: Student): Promise<number> => (await storage.submissionsOf(student.id)).length;

describe('a student’s numbers', () => {
	it('are the same on a second join (another device) and differ between students', async () => {
		const a = await assignment();
		const first = await joined(a, '21901234', 'Chloé Martin', 'device-1');
		const again = await joined(a, ' 21901234 ', 'chloé  martin', 'device-2');
		expect(again.id).toBe(first.id);
		expect((await storage.studentByToken('device-2'))?.id).toBe(first.id);
		expect((await variantFor(storage, a, again, 0)).scenario).toEqual((await variantFor(storage, a, first, 0)).scenario);
		const other = await joined(a, '21905678');
		expect((await variantFor(storage, a, other, 0)).scenario).not.toEqual((await variantFor(storage, a, first, 0)).scenario);
	});

	it('refuses the same student number with another name', async () => {
		const a = await assignment();
		await joined(a, '21900001', 'Léa Petit');
		expect(await storage.joinStudent(a.id, '21900001', 'Hugo Grand', 'x')).toEqual({ ok: false, reason: 'name-mismatch' });
		expect(await storage.studentsOf(a.id)).toHaveLength(1);
	});
});

describe('submitting', () => {
	it('stores one row for two requests with one key', async () => {
		const a = await assignment('immediate', 3);
		const s = await joined(a, '1001');
		const one = await submitAnswers(storage, a, s, 0, { a2: '0,5' }, 'key-aaaa-1', DURING);
		const two = await submitAnswers(storage, a, s, 0, { a2: '0,5' }, 'key-aaaa-1', DURING + 1000);
		expect(one.ok && two.ok).toBe(true);
		if (!one.ok || !two.ok) return;
		expect(two.duplicate).toBe(true);
		expect(two.submission.id).toBe(one.submission.id);
		expect(await rows(s)).toBe(1);
	});

	it('bounds the attempts per exercise', async () => {
		const a = await assignment('after_close', 2);
		const s = await joined(a, '1002');
		expect((await submitAnswers(storage, a, s, 0, {}, 'key-bbbb-1', DURING)).ok).toBe(true);
		expect((await submitAnswers(storage, a, s, 0, {}, 'key-bbbb-2', DURING)).ok).toBe(true);
		const third = await submitAnswers(storage, a, s, 0, {}, 'key-bbbb-3', DURING);
		expect(third).toMatchObject({ ok: false, status: 409 });
		expect(await rows(s)).toBe(2);
		// the other exercise has its own attempts
		expect((await submitAnswers(storage, a, s, 1, {}, 'key-bbbb-4', DURING)).ok).toBe(true);
	});

	it('refuses a closed or unopened assignment and stores nothing', async () => {
		const a = await assignment();
		const s = await joined(a, '1003');
		expect(await submitAnswers(storage, a, s, 0, { a2: '1' }, 'key-cccc-1', AFTER)).toMatchObject({ ok: false, status: 403 });
		expect(await submitAnswers(storage, a, s, 0, { a2: '1' }, 'key-cccc-2', OPENS - 1)).toMatchObject({ ok: false, status: 403 });
		expect(await rows(s)).toBe(0);
	});

	it('refuses answers too long, for unknown ids, or not text, and stores nothing', async () => {
		const a = await assignment();
		const s = await joined(a, '1004');
		const refused = async (input: unknown, key: string): Promise<void> => {
			const result = await submitAnswers(storage, a, s, 0, input, key, DURING);
			expect(result.ok, JSON.stringify(input).slice(0, 60)).toBe(false);
		};
		await refused({ a2: '1'.repeat(2_001) }, 'key-dddd-1');
		await refused({ nope: '1' }, 'key-dddd-2');
		await refused({ a2: 0.5 }, 'key-dddd-3');
		await refused({ a2: ['0.5'] }, 'key-dddd-4');
		await refused(['0.5'], 'key-dddd-5');
		await refused(null, 'key-dddd-6');
		await refused({ a2: '1' }, 'short');
		expect(await submitAnswers(storage, a, s, 9, { a2: '1' }, 'key-dddd-7', DURING)).toMatchObject({ ok: false, status: 404 });
		expect(await rows(s)).toBe(0);
	});
});

describe('studentResult', () => {
	/** Wrong answers to every question, so that a revealed report would give every expected value. */
	const wrong = { z1: '9\t9', a1: '9\t9', a2: '9', delta2: '9', delta1: '9\t9', dw1: '9', w2: '9' };

	it('hides every expected value before the policy allows it, and reveals them after the close date', async () => {
		const a = await assignment('after_close');
		const s = await joined(a, '21907777');
		const variant = await variantFor(storage, a, s, 0);
		const expected = variant.expected.flatMap((e) => (e?.ok ? flat(e.value) : []));
		expect(expected.length).toBeGreaterThan(5);
		const submitted = await submitAnswers(storage, a, s, 0, wrong, 'key-eeee-1', DURING);
		if (!submitted.ok) throw new Error(submitted.message.en);

		const during = await studentResult(storage, a, s, submitted.submission, DURING);
		expect(during).toEqual({ revealed: false, attempt: 1 });
		const text = JSON.stringify(during);
		for (const value of expected) for (const spelled of spellings(value)) expect(text, `${value} as ${spelled}`).not.toContain(spelled);

		const after = await studentResult(storage, a, s, submitted.submission, AFTER);
		expect(after.revealed).toBe(true);
		if (!after.revealed) return;
		expect(after.report.questions.find((q) => q.id === 'a2')?.expected).toBeCloseTo(expected[4], 10);
		expect(after.report.questions.every((q) => q.verdict !== 'right')).toBe(true);
	});

	it('never reveals under "never", and at once under "immediate"', async () => {
		const never = await assignment('never');
		const s1 = await joined(never, '2001');
		const n = await submitAnswers(storage, never, s1, 0, wrong, 'key-ffff-1', DURING);
		if (!n.ok) throw new Error(n.message.en);
		expect((await studentResult(storage, never, s1, n.submission, AFTER + 1000 * HOUR)).revealed).toBe(false);

		const now = await assignment('immediate');
		const s2 = await joined(now, '2002');
		const i = await submitAnswers(storage, now, s2, 0, wrong, 'key-ffff-2', DURING);
		if (!i.ok) throw new Error(i.message.en);
		expect((await studentResult(storage, now, s2, i.submission, DURING)).revealed).toBe(true);
	});
});

describe('the student pages’ data (src/lib/server/student.ts)', () => {
	/** The numbers CI once drew for backprop-221, where z¹₁ = 0.9·1.5 + 0.3·1.5 − 0.3 = 1.5 is also the input x₁ the statement gives. */
	const answerEqualsInput = {
		model: {
			input: 2,
			layers: [
				{ type: 'dense', units: 2, activation: 'sigmoid', W: [[0.9, 0.3], [0.4, -0.5]], b: [-0.3, 0.4] },
				{ type: 'dense', units: 1, activation: 'sigmoid', W: [[0.9, 0.3]], b: [0.2] }
			]
		},
		loss: 'half_squared_error',
		optimizer: { type: 'sgd', lr: 0.1 },
		data: { X: [[1.5, 1.5]], Y: [[0]] },
		training: { epochs: 1, batch_size: 1 }
	};

	it.each([
		{ numbers: 'drawn for the student', number: '21908888', pinned: null },
		{ numbers: 'where an answer equals a number the statement gives', number: '21908889', pinned: answerEqualsInput }
	])('holds no expected value of the variant before the policy allows it: numbers $numbers', async ({ number, pinned }) => {
		const { exerciseData, overview } = await import('../../../src/lib/server/student');
		const a = await assignment('after_close');
		const s = await joined(a, number);
		if (pinned) await storage.keepVariant(s.id, 0, JSON.stringify({ attempt: 0, drawn: {}, scenario: pinned }));
		const submitted = await submitAnswers(storage, a, s, 0, { a2: '0,1' }, `key-gggg-${number}`, DURING);
		expect(submitted.ok).toBe(true);
		const context = { db: storage, assignment: a, student: s };
		for (const [position, exercise] of exercisesOf(a).entries()) {
			const variant = await variantFor(storage, a, s, position);
			if (pinned && position === 0) expect(variant.scenario).toEqual(pinned);
			const expected = secretValues(variant);
			expect(expected.length, exercise.id).toBeGreaterThan(0);
			const text = JSON.stringify([await exerciseData(context, position, DURING), await overview(context, DURING)]);
			for (const value of expected) for (const spelled of spellings(value)) expect(text, `${exercise.id}: ${value} as ${spelled}`).not.toContain(spelled);
		}
		const after = await exerciseData(context, 0, AFTER);
		expect(after.last?.revealed).toBe(true);
	});

	it('links "Show me this step" only once the answers can no longer change: the last attempt used, or the assignment closed', async () => {
		const { resultFor } = await import('../../../src/lib/server/student');
		const a = await assignment('immediate', 2);
		const s = await joined(a, '21909999');
		const submit = async (attempt: number): Promise<Submission> => {
			const submitted = await submitAnswers(storage, a, s, 0, { a2: '0,1' }, `key-hhhh-${attempt}`, DURING);
			if (!submitted.ok) throw new Error(submitted.message.en);
			return submitted.submission;
		};
		const link = async (submission: Submission, now: number): Promise<string | undefined> => {
			const result = await resultFor(storage, a, s, submission, now);
			if (!result.revealed) throw new Error('not revealed');
			return result.report.questions.find((q) => q.id === 'a2')?.replay;
		};
		// and each leads back to the student's exercise page, on the question
		const replay = new RegExp(`^/replay\\?s=[\\w-]+&at=\\d+&i=0\\.0&lit=0\\.0&notation=bracket&from=${encodeURIComponent(`/a/${a.code}/1#question-a2`)}$`);
		// the first attempt's feedback, with one attempt left: the key of a2, but no replay of the whole run
		const first = await submit(1);
		expect(await link(first, DURING)).toBeUndefined();
		expect(await link(first, AFTER)).toMatch(replay);
		expect(await link(await submit(2), DURING)).toMatch(replay);
	});
});
