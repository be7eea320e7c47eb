import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeReport, Verdict } from '../../../src/lib/exercises/grade';
import { createAssignment, exercisesOf, submitAnswers } from '../../../src/lib/server/assignments';
import { openSqliteStorage } from '../../../src/lib/server/db/sqlite';
import { MISTAKES } from '../../../src/lib/exercises/mistakes/catalogue';
import { csvField, gradebookCsv, plainTitle, loadGradebook, normaliseAnswer, ownedAssignment, studentAttempts, type Gradebook } from '../../../src/lib/server/gradebook';
import type { Assignment, Storage, Student } from '../../../src/lib/server/storage';

let storage: Storage;
let dir: string;
let assignment: Assignment;
let students: Student[];
let gradebook: Gradebook;

/** backprop-221 has z1, a1, a2 (1 point each), delta2, delta1 (2), dw1 (1), w2 (2): 10 points. */
const IDS = ['z1', 'a1', 'a2', 'delta2', 'delta1', 'dw1', 'w2'];
const MAX: Record<string, number> = { z1: 1, a1: 1, a2: 1, delta2: 2, delta1: 2, dw1: 1, w2: 2 };

/** A report as the grader writes it, with chosen verdicts and points (the rest right, full marks). */
function report(marks: Record<string, [Verdict, number, string?]>): GradeReport {
	const questions = IDS.map((id) => {
		const [verdict, points, mistake] = marks[id] ?? ['right', MAX[id]];
		return { id, verdict, points, max: MAX[id], message: [], ...(mistake ? { diagnosis: { code: mistake, entries: [[]] } } : {}) };
	});
	return { points: questions.reduce((s, q) => s + q.points, 0), max: 10, questions };
}

async function submit(student: Student, position: number, key: string, answers: Record<string, string>, graded: GradeReport, at: number): Promise<void> {
	const result = await storage.submit(
		{ studentId: student.id, position, idempotencyKey: key, answers, points: graded.points, max: graded.max, report: JSON.stringify(graded), attemptsAllowed: 5 },
		at
	);
	if (!result.ok) throw new Error('submit');
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'stepwise-gradebook-'));
	storage = await openSqliteStorage(join(dir, 'stepwise.db'));
	const teacher = await storage.createTeacher('prof@univ.fr', 'Prof', 'hash');
	const created = await createAssignment(storage, teacher.id, {
		title: 'Backprop, due Friday',
		exerciseIds: ['backprop-221', 'conv-output-size'],
		uploads: [],
		opensAt: 0,
		closesAt: 4_000_000_000_000,
		attempts: 5,
		carryForward: true,
		feedback: 'after_close'
	});
	if (!created.ok) throw new Error(created.errors.join('\n'));
	assignment = created.assignment;
	const join1 = async (number: string, name: string) => {
		const joined = await storage.joinStudent(assignment.id, number, name, `token-${number}`);
		if (!joined.ok) throw new Error('join');
		return joined.student;
	};
	// studentsOf orders by name
	students = [await join1('21900001', 'Alice Martin'), await join1('21900002', 'Dupont; "Jo"'), await join1('21900003', 'Zoé Petit'), await join1('21900004', '=1+1')];
	const [alice, jo, zoe] = students;
	// Alice: a first attempt wrong, then a last one with half a point lost on delta2
	await submit(alice, 0, 'a-1', { a2: '0.9' }, report({ a2: ['wrong', 0], delta2: ['wrong', 0] }), 1_000);
	await submit(alice, 0, 'a-2', { a2: '0,62', delta2: '0,1' }, report({ delta2: ['partial', 1.5] }), 2_000);
	// Jo: a2 wrong the same way as Zoé (spaces differ), delta2 carried forward
	await submit(jo, 0, 'j-1', { a2: ' 0,5  ', delta2: '0,2' }, report({ a2: ['wrong', 0], delta2: ['carried_forward', 2] }), 3_000);
	// Zoé: a2 wrong, delta1 missing (not a wrong answer), w2 unreadable
	await submit(zoe, 0, 'z-1', { a2: '0,5', w2: 'abc', delta1: '' }, report({ a2: ['diagnosed', 0, 'half-forgotten'], delta1: ['missing', 0], w2: ['unreadable', 0] }), 4_000);
	gradebook = await loadGradebook(storage, assignment);
});

afterAll(async () => {
	await storage.close();
	rmSync(dir, { recursive: true, force: true });
});

const rowOf = (name: string) => {
	const row = gradebook.rows.find((r) => r.student.name === name);
	if (!row) throw new Error(name);
	return row;
};

describe('gradebook', () => {
	it('has a column per question of each exercise, in order, and the maximum', () => {
		expect(gradebook.exercises.map((e) => e.exerciseId)).toEqual(['backprop-221', 'conv-output-size']);
		expect(gradebook.exercises[0].questions.map((q) => q.id)).toEqual(IDS);
		expect(gradebook.exercises[0].max).toBe(10);
		expect(gradebook.max).toBe(10 + gradebook.exercises[1].max);
		expect(gradebook.submissions).toBe(4);
	});

	it('counts the last submission of each student, null where nothing was submitted', () => {
		const [alice, jo, zoe, nobody] = ['Alice Martin', 'Dupont; "Jo"', 'Zoé Petit', '=1+1'].map((name) => rowOf(name));
		expect(alice.points.slice(0, 7)).toEqual([1, 1, 1, 1.5, 2, 1, 2]);
		expect(alice.points.slice(7).every((p) => p === null)).toBe(true);
		expect(alice.total).toBe(9.5);
		expect(alice.attempts).toBe(2);
		expect(alice.lastAt).toBe(2_000);
		expect(jo.total).toBe(9);
		expect(zoe.total).toBe(5);
		expect(nobody.points.every((p) => p === null)).toBe(true);
		expect(nobody.total).toBe(0);
		expect(nobody.lastAt).toBeNull();
	});

	it('gives the share of students right (or carried forward) among those who submitted', () => {
		const stat = (id: string) => gradebook.stats.find((s) => s.position === 0 && s.id === id);
		expect(stat('a2')).toMatchObject({ submitted: 3, succeeded: 1, successRate: 1 / 3 });
		expect(stat('delta2')).toMatchObject({ submitted: 3, succeeded: 2 });
		expect(stat('z1')?.successRate).toBe(1);
		expect(gradebook.stats.find((s) => s.position === 1)?.successRate).toBeNull();
	});

	it('lists the most common wrong answers, normalised, from last submissions only', () => {
		const stat = (id: string) => gradebook.stats.find((s) => s.position === 0 && s.id === id);
		// Alice's first "0.9" was replaced by her last submission
		expect(stat('a2')?.wrong).toEqual([{ answer: '0,5', count: 2 }]);
		expect(stat('delta2')?.wrong).toEqual([{ answer: '0,1', count: 1 }]);
		expect(stat('w2')?.wrong).toEqual([{ answer: 'abc', count: 1 }]);
		// nothing typed is not a wrong answer
		expect(stat('delta1')?.wrong).toEqual([]);
		expect(normaliseAnswer('  0,1 ;\t 0,45 ')).toBe('0,1 ; 0,45');
	});

	it('keeps the top 3 wrong answers, most common first', async () => {
		const teacher = await storage.createTeacher('top@univ.fr', 'Top', 'hash');
		const created = await createAssignment(storage, teacher.id, { title: 'T', exerciseIds: ['backprop-221'], uploads: [], opensAt: 0, closesAt: 1e13, attempts: 1, carryForward: true, feedback: 'never' });
		if (!created.ok) throw new Error('create');
		const typed = ['1', '2', '2', '3', '3', '3', '4', '4', '4', '4'];
		for (const [i, answer] of typed.entries()) {
			const joined = await storage.joinStudent(created.assignment.id, `n${i}`, `S${i}`, `top-${i}`);
			if (!joined.ok) throw new Error('join');
			await submit(joined.student, 0, `top-${i}`, { z1: answer }, report({ z1: ['wrong', 0] }), 10);
		}
		const book = await loadGradebook(storage, created.assignment);
		expect(book.stats[0].wrong).toEqual([
			{ answer: '4', count: 4 },
			{ answer: '3', count: 3 },
			{ answer: '2', count: 2 }
		]);
	});

	it('reads reports the real grader wrote', async () => {
		const joined = await storage.joinStudent(assignment.id, '21900009', 'Real Grader', 'token-real');
		if (!joined.ok) throw new Error('join');
		const submitted = await submitAnswers(storage, assignment, joined.student, 0, { z1: '1 ; 2', a2: '0,5' }, 'real-key-1', 5_000);
		if (!submitted.ok) throw new Error('submit');
		const book = await loadGradebook(storage, assignment);
		const row = book.rows.find((r) => r.student.id === joined.student.id);
		expect(row?.total).toBe(submitted.submission.points);
		const attempts = studentAttempts(exercisesOf(assignment), await storage.submissionsOf(joined.student.id));
		expect(attempts).toHaveLength(1);
		expect(attempts[0].questions.find((q) => q.id === 'a2')).toMatchObject({ answer: '0,5', max: 1 });
		expect(attempts[0].questions.find((q) => q.id === 'dw1')?.verdict).toBe('missing');
	});

	it('finds an assignment only for its own teacher', async () => {
		expect((await ownedAssignment(storage, assignment.teacherId, String(assignment.id)))?.id).toBe(assignment.id);
		expect(await ownedAssignment(storage, assignment.teacherId + 1000, String(assignment.id))).toBeUndefined();
		expect(await ownedAssignment(storage, assignment.teacherId, '1 OR 1=1')).toBeUndefined();
	});
});

describe('CSV export', () => {
	const lines = (csv: string) => csv.slice(1).split('\r\n');
	/** the CSV line of a student, in the gradebook's order (studentsOf sorts by name) */
	const lineOf = (csv: string, name: string) => lines(csv)[1 + gradebook.rows.indexOf(rowOf(name))];

	it('starts with a BOM, ends lines with CRLF, one row per student after the header', () => {
		for (const lang of ['fr', 'en'] as const) {
			const csv = gradebookCsv(gradebook, lang);
			expect(csv.charCodeAt(0)).toBe(0xfeff);
			expect(csv.endsWith('\r\n')).toBe(true);
			expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
			expect(lines(csv)).toHaveLength(1 + gradebook.rows.length + 1);
		}
	});

	it('writes French with ; and the decimal comma', () => {
		const csv = gradebookCsv(gradebook, 'fr');
		const [header] = lines(csv);
		const alice = lineOf(csv, 'Alice Martin');
		expect(header.split(';').slice(0, 3)).toEqual(['Nom', 'Numéro étudiant', 'backprop-221 z1']);
		expect(header.endsWith(';Total;Max;Erreurs identifiées;Codes des erreurs')).toBe(true);
		expect(alice).toBe(`Alice Martin;21900001;1;1;1;1,5;2;1;2${';'.repeat(gradebook.exercises[1].questions.length)};9,5;${String(gradebook.max).replace('.', ',')};;`);
	});

	it('writes English with , and the decimal point', () => {
		const csv = gradebookCsv(gradebook, 'en');
		const [header] = lines(csv);
		const alice = lineOf(csv, 'Alice Martin');
		expect(header.startsWith('Name,Student number,backprop-221 z1,')).toBe(true);
		expect(alice.startsWith('Alice Martin,21900001,1,1,1,1.5,2,1,2,')).toBe(true);
		expect(alice.endsWith(`,9.5,${gradebook.max},,`)).toBe(true);
		expect(header.endsWith(',Total,Max,Mistakes found,Mistake codes')).toBe(true);
	});

	it('counts the named mistakes per question, and writes their names in the CSV’s language, then their codes', () => {
		const a2 = gradebook.stats.find((q) => q.position === 0 && q.id === 'a2');
		expect(a2?.mistakes).toEqual([{ code: 'half-forgotten', count: 1, title: { fr: 'Le facteur ½ oublié', en: 'The factor ½ forgotten' } }]);
		expect(rowOf('Zoé Petit').mistakes).toEqual(['a2:half-forgotten']);
		expect(lineOf(gradebookCsv(gradebook, 'en'), 'Zoé Petit').endsWith(',a2: The factor ½ forgotten,a2:half-forgotten')).toBe(true);
		expect(lineOf(gradebookCsv(gradebook, 'fr'), 'Zoé Petit').endsWith(';a2 : Le facteur ½ oublié;a2:half-forgotten')).toBe(true);
	});

	it.each(MISTAKES.flatMap((mistake) => (['fr', 'en'] as const).map((lang) => [mistake.code, lang, mistake.title[lang]] as const)))('writes the name of %s (%s) without TeX', (_, __, title) => {
		expect(plainTitle(title)).not.toMatch(/[$\\]/);
	});

	it('quotes a name holding the separator or quotes, and defuses formulas', () => {
		expect(lineOf(gradebookCsv(gradebook, 'fr'), 'Dupont; "Jo"').startsWith('"Dupont; ""Jo"""' + ';21900002;')).toBe(true);
		// the English separator is not in the name, but its quotes still need quoting
		expect(lineOf(gradebookCsv(gradebook, 'en'), 'Dupont; "Jo"').startsWith('"Dupont; ""Jo""",21900002,')).toBe(true);
		expect(lineOf(gradebookCsv(gradebook, 'en'), '=1+1').startsWith("'=1+1,21900004,")).toBe(true);
		expect(csvField('a,b', ',')).toBe('"a,b"');
		expect(csvField('a,b', ';')).toBe('a,b');
		expect(csvField('two\nlines', ';')).toBe('"two\nlines"');
		expect(csvField('plain', ';')).toBe('plain');
	});
});
