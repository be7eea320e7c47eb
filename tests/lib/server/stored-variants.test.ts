/**
 * A student's numbers are stored when first needed (variantFor in src/lib/server/assignments.ts)
 * and survive a new version of Stepwise that would draw others: here the new version is played
 * by a switch in the degeneracy rules or in the PRNG, each checked to really change a fresh draw.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { gradeAnswers } from '../../../src/lib/exercises/grade';
import { answerKey } from '../../../src/lib/exercises/key';
import { askedValues, drawVariant, type Variant } from '../../../src/lib/exercises/variant';
import { exercisesOf, firstDraw, studentResult, submitAnswers, UnusableVariant, variantFor } from '../../../src/lib/server/assignments';
import { openPostgresStorage } from '../../../src/lib/server/db/postgres';
import { openSqliteStorage } from '../../../src/lib/server/db/sqlite';
import { printableSheets } from '../../../src/lib/server/gradebook';
import { exercisePage } from '../../../src/lib/server/practice';
import type { Assignment, Storage, Student } from '../../../src/lib/server/storage';
import { exerciseData, overview, UNUSABLE_NUMBERS } from '../../../src/lib/server/student';
import { PROJECT_ROOT } from '../../helpers';
import { freshDatabase } from '../../postgres';

/** What a later version of Stepwise may change, off until a test turns it on. */
const upgrade = vi.hoisted(() => ({
	/** a new degeneracy rule: a draw whose asked values are these (as JSON) is now degenerate */
	degenerate: null as string | null,
	/** another PRNG: the same seeds give other numbers */
	prng: false
}));

vi.mock('../../../src/lib/exercises/degenerate', async (importOriginal) => {
	const real = await importOriginal<typeof import('../../../src/lib/exercises/degenerate')>();
	return {
		...real,
		findDegeneracy: (...args: Parameters<typeof real.findDegeneracy>) =>
			upgrade.degenerate !== null && JSON.stringify(args[1].map((a) => a.expected)) === upgrade.degenerate ? { code: 'zero-gradient', where: 'a rule of a later version' } : real.findDegeneracy(...args)
	};
});

vi.mock('../../../src/lib/engine/prng', async (importOriginal) => {
	const real = await importOriginal<typeof import('../../../src/lib/engine/prng')>();
	return { ...real, mulberry32: (seed: number) => real.mulberry32(upgrade.prng ? seed ^ 0x5bd1e995 : seed) };
});

const HOUR = 3_600_000;
const OPENS = Date.UTC(2026, 0, 5, 8);
const CLOSES = OPENS + 48 * HOUR;
const DURING = OPENS + HOUR;
const IDS = ['backprop-221', 'conv-output-size'];

interface Opened {
	storage: Storage;
	cleanup: () => Promise<void>;
}

const implementations: [string, () => Promise<Opened>][] = [
	[
		'SQLite file',
		async () => {
			const dir = mkdtempSync(join(tmpdir(), 'stepwise-variants-'));
			return { storage: await openSqliteStorage(join(dir, 'stepwise.db')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
		}
	],
	[
		'PostgreSQL',
		async () => {
			const database = await freshDatabase('variants');
			return { storage: await openPostgresStorage(database.url), cleanup: database.drop };
		}
	]
];

/** The upgrades a test plays, each turned on from the variant the student was shown. */
const upgrades: [string, (shown: Variant, assignment: Assignment) => void][] = [
	[
		'a new degeneracy rule rejects the draw',
		(shown, assignment) => {
			upgrade.degenerate = JSON.stringify(askedValues(exercisesOf(assignment)[0], shown.expected).map((a) => a.expected));
		}
	],
	[
		'another PRNG draws other numbers from the same seed',
		() => {
			upgrade.prng = true;
		}
	]
];

/** The key as a student types it: numbers, vectors and matrices in brackets. */
const typed = (variant: Variant, assignment: Assignment): Record<string, string> =>
	Object.fromEntries(Object.entries(answerKey(exercisesOf(assignment)[0], variant)).map(([id, value]) => [id, typeof value === 'string' ? value : JSON.stringify(value)]));

describe.each(implementations)('stored numbers on %s', (_, open) => {
	let storage: Storage;
	let cleanup: () => Promise<void>;
	let teacherId: number;
	let numbers = 21_900_000;
	beforeAll(async () => {
		({ storage, cleanup } = await open());
		teacherId = (await storage.createTeacher('prof@univ.fr', 'Prof', 'hash')).id;
	});
	afterAll(async () => {
		await storage?.close();
		await cleanup?.();
	});
	afterEach(() => {
		upgrade.degenerate = null;
		upgrade.prng = false;
		vi.restoreAllMocks();
	});

	const assignment = (): Promise<Assignment> =>
		storage.createAssignment({
			teacherId,
			title: 'TD 3',
			exercises: IDS.map((id) => ({ exerciseId: id, source: readFileSync(join(PROJECT_ROOT, 'exercises', `${id}.yaml`), 'utf8') })),
			opensAt: OPENS,
			closesAt: CLOSES,
			attempts: 3,
			carryForward: true,
			feedback: 'immediate'
		});

	async function student(a: Assignment): Promise<Student> {
		const joined = await storage.joinStudent(a.id, String(numbers++), 'Chloé Martin', `token-${numbers}`);
		if (!joined.ok) throw new Error(joined.reason);
		return joined.student;
	}

	it.each(upgrades)('keep a student’s numbers and grade when %s', async (_, turnOn) => {
		const a = await assignment();
		const [exercise] = exercisesOf(a);
		const s = await student(a);
		const context = { db: storage, assignment: a, student: s };
		// the page is the first to need the numbers: they are drawn and stored there
		await exerciseData(context, 0, DURING);
		const shown = await variantFor(storage, a, s, 0);
		const answers = typed(shown, a);
		const submitted = await submitAnswers(storage, a, s, 0, answers, `key-before-${s.id}`, DURING);
		if (!submitted.ok) throw new Error(submitted.message.en);
		expect(submitted.submission.points).toBe(submitted.submission.max);
		const page = await exerciseData(context, 0, DURING);
		const sheets = await printableSheets(storage, a, [s], 'en', true);

		turnOn(shown, a);
		const fresh = drawVariant(exercise, s.studentNumber, a.seed);
		if (!fresh.ok) throw new Error(fresh.message);
		// the upgrade really draws other numbers, which would grade the same answers otherwise
		expect(fresh.variant.scenario).not.toEqual(shown.scenario);
		expect(gradeAnswers(exercise, fresh.variant, answers).points).toBeLessThan(submitted.submission.max);

		const after = await variantFor(storage, a, s, 0);
		expect(after.scenario).toEqual(shown.scenario);
		expect({ attempt: after.attempt, drawn: after.drawn, expected: after.expected }).toEqual({ attempt: shown.attempt, drawn: shown.drawn, expected: shown.expected });
		expect(await exerciseData(context, 0, DURING)).toEqual(page);
		expect(await printableSheets(storage, a, [s], 'en', true)).toEqual(sheets);
		expect(await studentResult(storage, a, s, submitted.submission, DURING)).toMatchObject({ revealed: true, report: { points: submitted.submission.max } });
		const again = await submitAnswers(storage, a, s, 0, answers, `key-after-${s.id}`, DURING);
		expect(again).toMatchObject({ ok: true, submission: { attempt: 2, points: submitted.submission.max } });
	});

	it('stores the numbers first needed by a teacher’s sheet, and shows the student the same', async () => {
		const a = await assignment();
		const [exercise] = exercisesOf(a);
		const s = await student(a);
		expect(await storage.variantOf(s.id, 0)).toBeUndefined();
		await printableSheets(storage, a, [s], 'fr', true);
		const printed = firstDraw(a, exercise, s.studentNumber);
		expect(JSON.parse((await storage.variantOf(s.id, 0)) ?? 'null')).toEqual({ attempt: printed.attempt, drawn: printed.drawn, scenario: printed.scenario });

		upgrade.prng = true;
		expect(firstDraw(a, exercise, s.studentNumber).scenario).not.toEqual(printed.scenario);
		const page = await exerciseData({ db: storage, assignment: a, student: s }, 0, DURING);
		expect(page.statement).toEqual(exercisePage(exercise, printed).statement);
	});

	it('stores one draw when several requests need it at once', async () => {
		const a = await assignment();
		const s = await student(a);
		const variants = await Promise.all(Array.from({ length: 8 }, () => variantFor(storage, a, s, 0)));
		for (const variant of variants) expect(variant.scenario).toEqual(variants[0].scenario);
		expect(JSON.parse((await storage.variantOf(s.id, 0)) ?? 'null')).toEqual({ attempt: variants[0].attempt, drawn: variants[0].drawn, scenario: variants[0].scenario });
	});

	it.each([
		['a scenario of an older schema', '{"attempt":0,"drawn":{},"scenario":{"model":{"input":2,"layers":"dense"}}}'],
		['not a draw', '{"numbers":[1,2]}'],
		['not JSON', 'W = [[0.1]]']
	])('refuses numbers stored as %s, logged, without redrawing them or failing the other pages', async (_, text) => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		const a = await assignment();
		const s = await student(a);
		await storage.keepVariant(s.id, 0, text);
		// a submission made before the upgrade: the overview regrades it
		await storage.submit({ studentId: s.id, position: 0, idempotencyKey: `before-${s.id}`, answers: {}, points: 1, max: 10, report: '{}', attemptsAllowed: 3 }, DURING);
		const context = { db: storage, assignment: a, student: s };

		await expect(variantFor(storage, a, s, 0)).rejects.toThrow(UnusableVariant);
		expect(error).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^stepwise: backprop-221 \\(exercise 1 of assignment ${a.code}\\), student ${s.studentNumber}: the numbers stored when first shown no longer fit this version of Stepwise: `)));
		await expect(exerciseData(context, 0, DURING)).rejects.toMatchObject({ status: 500, body: { message: UNUSABLE_NUMBERS.en, reader: UNUSABLE_NUMBERS.en } });
		expect(await submitAnswers(storage, a, s, 0, {}, `key-after-${s.id}`, DURING)).toMatchObject({ ok: false, status: 500 });
		await expect(printableSheets(storage, a, [s], 'en', false)).rejects.toThrow(UnusableVariant);
		const rows = (await overview(context, DURING)).rows;
		expect(rows.map((r) => [r.status, r.used, r.points])).toEqual([
			['submitted', 1, null],
			['not_started', 0, null]
		]);
		expect((await exerciseData(context, 1, DURING)).position).toBe(2);
		expect(await storage.variantOf(s.id, 0)).toBe(text);
		expect(await storage.submissionsOf(s.id)).toHaveLength(1);
	});
});
