/**
 * The student side of assignments, between the routes and assignments.ts: the session cookie
 * (one per assignment, named with its code), joining, and the data of the student's pages. The
 * student is always the one of the cookie: nothing here takes a student id from a request, and
 * nothing returned holds an expected value unless `studentResult` revealed it.
 */
import { error, json, redirect, type Cookies } from '@sveltejs/kit';
import type { AssignmentSummary, StudentExercise, StudentOverview, StudentResult, ExerciseRow } from '$lib/pages/assignment';
import type { Localized } from '$lib/exercises/exercise';
import type { GradeReport } from '$lib/exercises/grade';
import type { Variant } from '$lib/exercises/variant';
import { getLocale } from '$lib/paraglide/runtime';
import { exercisesOf, mayReveal, phaseOf, studentResult, UnusableVariant, variantFor } from './assignments';
import { hashToken, newToken, STUDENT_COOKIE } from './auth';
import { storage } from './db';
import { controlMessage } from './forms';
import { exercisePage, reportCells } from './practice';
import type { Assignment, Storage, Student, Submission } from './storage';
import { controlCharacter } from './text';

/** Long enough to come back for the results after the close date. */
export const STUDENT_COOKIE_DAYS = 180;
export const NAME_CHARS = 100;
/** Joins (and code look-ups) a minute from one address: a lecture hall of 300 behind one NAT, with typos. */
export const JOINS_PER_ADDRESS = 600;
/** Student numbers of French universities are 8 digits; other schools use letters too. */
const STUDENT_NUMBER = /^[A-Za-z0-9._-]{1,32}$/;
/** A draft is the page's fields: up to 50 questions of up to 400 cells, each bounded like an answer. */
const DRAFT_FIELDS = 2_000;
const FIELD_CHARS = 2_000;
const FIELD_NAME = /^q:([A-Za-z0-9_-]{1,64})(?::\d{1,3}:\d{1,3})?$/;

export const cookieName = (code: string): string => `${STUDENT_COOKIE}_${code}`;

/** A code as written on the board or typed: any case, spaces and dashes ignored. */
export function normalizeCode(raw: string): string {
	return raw
		.normalize('NFKC')
		.toUpperCase()
		.replace(/[\s-]+/g, '')
		.slice(0, 16);
}

const message = (fr: string, en: string): Localized => ({ fr, en });

export const UNKNOWN_CODE = message("Aucun devoir n'a ce code. Vérifiez-le au tableau.", 'No assignment has this code. Check it on the board.');
export const UNUSABLE_NUMBERS = message(
	'Vos nombres pour cet exercice ont été enregistrés par une version antérieure de Stepwise et ne se lisent plus. Prévenez votre enseignant : vos réponses sont conservées.',
	'Your numbers for this exercise were stored by an earlier version of Stepwise and can no longer be read. Tell your teacher: your answers are kept.'
);
const NOT_SIGNED_IN = message('Rejoignez d’abord ce devoir avec votre numéro d’étudiant.', 'Join this assignment with your student number first.');

export async function assignmentByCode(code: string): Promise<Assignment | undefined> {
	const normalized = normalizeCode(code);
	return /^[A-Z0-9]{4,16}$/.test(normalized) ? (await storage()).assignmentByCode(normalized) : undefined;
}

async function assignmentOr404(code: string): Promise<Assignment> {
	const assignment = await assignmentByCode(code);
	if (!assignment) error(404, UNKNOWN_CODE.en);
	return assignment;
}

/** The student of this assignment's cookie, or null (no cookie, an unknown token, or a token of another assignment). */
export async function cookieStudent(db: Storage, cookies: Cookies, assignment: Assignment): Promise<Student | null> {
	const token = cookies.get(cookieName(assignment.code));
	if (!token) return null;
	const student = await db.studentByToken(hashToken(token));
	return student && student.assignmentId === assignment.id ? student : null;
}

export interface StudentContext {
	db: Storage;
	assignment: Assignment;
	student: Student;
}

/** For pages: the assignment and the signed-in student, else a redirect to the join page. */
export async function pageStudent(code: string, cookies: Cookies): Promise<StudentContext> {
	const assignment = await assignmentOr404(code);
	const db = await storage();
	const student = await cookieStudent(db, cookies, assignment);
	if (!student) redirect(303, `/join/${assignment.code}`);
	return { db, assignment, student };
}

/** For endpoints: the same, else a JSON 401 or 404 to return as is. */
export async function apiStudent(code: string, cookies: Cookies): Promise<StudentContext | Response> {
	const assignment = await assignmentByCode(code);
	if (!assignment) return json({ ok: false, message: UNKNOWN_CODE }, { status: 404 });
	const db = await storage();
	const student = await cookieStudent(db, cookies, assignment);
	if (!student) return json({ ok: false, message: NOT_SIGNED_IN }, { status: 401 });
	return { db, assignment, student };
}

/** A position of the URL (1, 2, …) as the assignment's index, or a 404. */
export function positionOf(assignment: Assignment, param: string): number {
	const n = /^[1-9]\d{0,2}$/.test(param) ? Number(param) - 1 : -1;
	if (n < 0 || n >= assignment.exercises.length) error(404, 'No such exercise in this assignment');
	return n;
}

export function summaryOf(assignment: Assignment, now: number): AssignmentSummary {
	return {
		code: assignment.code,
		title: assignment.title,
		opensAt: assignment.opensAt,
		closesAt: assignment.closesAt,
		phase: phaseOf(assignment, now),
		exercises: assignment.exercises.length,
		attempts: assignment.attempts,
		feedback: assignment.feedback
	};
}

export type JoinOutcome = { ok: true } | { ok: false; status: number; message: Localized; field?: 'name' | 'number' };

/**
 * Joins (or rejoins, from another device) with a name and a student number, and sets the
 * assignment's cookie. A closed assignment lets a student who had joined come back for the
 * results the policy shows, and no one else in; nothing is stored when the join is refused.
 */
export async function join(
	assignment: Assignment,
	input: { name: unknown; number: unknown },
	cookies: Cookies,
	secure: boolean,
	ip: string,
	now: number
): Promise<JoinOutcome> {
	const db = await storage();
	if (!(await db.hit(`join:${ip}`, JOINS_PER_ADDRESS, 60_000, now))) return { ok: false, status: 429, message: message('Trop de tentatives : attendez une minute.', 'Too many attempts: wait a minute.') };
	const name = typeof input.name === 'string' ? input.name.normalize('NFC').trim().replace(/\s+/g, ' ') : '';
	const number = typeof input.number === 'string' ? input.number.trim() : '';
	if (name.length === 0 || name.length > NAME_CHARS) return { ok: false, status: 400, field: 'name', message: message(`Écrivez votre nom (${NAME_CHARS} caractères au plus).`, `Write your name (at most ${NAME_CHARS} characters).`) };
	if (!STUDENT_NUMBER.test(number)) return { ok: false, status: 400, field: 'number', message: message("Écrivez votre numéro d'étudiant (chiffres et lettres, sans espace).", 'Write your student number (digits and letters, no spaces).') };
	const phase = phaseOf(assignment, now);
	if (phase === 'not_open') return { ok: false, status: 403, message: message("Ce devoir n'est pas encore ouvert.", 'This assignment is not open yet.') };
	if (phase === 'closed') {
		const known = (await db.studentsOf(assignment.id)).some((s) => s.studentNumber === number);
		if (!known || !mayReveal(assignment, now)) return { ok: false, status: 403, message: message('Ce devoir est fermé : on ne peut plus le rejoindre.', 'This assignment is closed: it can no longer be joined.') };
	}
	const token = newToken();
	const joined = await db.joinStudent(assignment.id, number, name, hashToken(token));
	if (!joined.ok)
		return {
			ok: false,
			status: 409,
			field: 'number',
			message: message(
				"Ce numéro d'étudiant a déjà rejoint ce devoir sous un autre nom. Vérifiez votre numéro, ou écrivez votre nom comme la première fois.",
				'This student number already joined this assignment with another name. Check your number, or write your name as you did the first time.'
			)
		};
	cookies.set(cookieName(assignment.code), token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: STUDENT_COOKIE_DAYS * 24 * 3600 });
	return { ok: true };
}

/** The name of the platform a student launched the assignment from, or null. */
async function platformOf(db: Storage, assignment: Assignment, student: Student): Promise<string | null> {
	const binding = await db.lti.bindingOf(assignment.id);
	if (!binding || !(await db.lti.subjectsOf(assignment.id)).has(student.id)) return null;
	return (await db.lti.platformById(binding.platformId))?.name ?? null;
}

/** A result of unusable stored numbers as none; any other failure as it is. */
function withoutUnusable(error: unknown): null {
	if (error instanceof UnusableVariant) return null;
	throw error;
}

/** The student's assignment: each exercise's status, and points when the policy shows them. */
export async function overview({ db, assignment, student }: StudentContext, now: number): Promise<StudentOverview> {
	const exercises = exercisesOf(assignment);
	const submissions = await db.submissionsOf(student.id);
	const rows = await Promise.all(
		exercises.map(async (exercise, i): Promise<ExerciseRow> => {
			const mine = submissions.filter((s) => s.position === i);
			const last = mine.at(-1);
			// numbers this version cannot read show no points here; the exercise's own page says why
			const result = last ? await studentResult(db, assignment, student, last, now).catch(withoutUnusable) : null;
			const draft = last ? undefined : await db.draftOf(student.id, i);
			const started = draft !== undefined && Object.values(draft).some((v) => v.trim() !== '');
			return {
				position: i + 1,
				title: exercise.title,
				max: exercise.questions.reduce((sum, q) => sum + q.points, 0),
				status: last ? 'submitted' : started ? 'draft' : 'not_started',
				used: mine.length,
				points: result?.revealed ? result.report.points : null
			};
		})
	);
	return { ...summaryOf(assignment, now), student: { name: student.name, number: student.studentNumber }, platform: await platformOf(db, assignment, student), revealed: mayReveal(assignment, now), rows };
}

/**
 * A submission's result as the student sees it. "Show me this step" opens a replay that shows every
 * value of the run, other questions' too: it comes once the answers can no longer change (the
 * last attempt used, or the assignment closed).
 */
export async function resultFor(db: Storage, assignment: Assignment, student: Student, submission: Submission, now: number, known?: Variant, graded?: GradeReport): Promise<StudentResult> {
	if (!mayReveal(assignment, now)) return { attempt: submission.attempt, revealed: false };
	// the stored numbers read and run once, for the report and its cells
	const variant = known ?? (await variantFor(db, assignment, student, submission.position));
	const result = await studentResult(db, assignment, student, submission, now, variant, graded);
	if (!result.revealed) return { attempt: result.attempt, revealed: false };
	const final = submission.attempt >= assignment.attempts || phaseOf(assignment, now) === 'closed';
	const exercise = exercisesOf(assignment)[submission.position];
	return { attempt: submission.attempt, revealed: true, report: await reportCells(exercise, variant, result.report, final, `/a/${assignment.code}/${submission.position + 1}`) };
}

/** One exercise with the student's own numbers, draft and last result; the key only inside a revealed report. */
export async function exerciseData({ db, assignment, student }: StudentContext, position: number, now: number): Promise<StudentExercise> {
	const exercise = exercisesOf(assignment)[position];
	const variant = await variantFor(db, assignment, student, position).catch((failure: unknown) => {
		if (failure instanceof UnusableVariant) error(500, { message: UNUSABLE_NUMBERS.en, reader: UNUSABLE_NUMBERS[getLocale()] });
		throw failure;
	});
	const page = exercisePage(exercise, variant);
	const mine = (await db.submissionsOf(student.id)).filter((s) => s.position === position);
	const last = mine.at(-1);
	return {
		code: assignment.code,
		position: position + 1,
		count: assignment.exercises.length,
		assignmentTitle: assignment.title,
		phase: phaseOf(assignment, now),
		closesAt: assignment.closesAt,
		feedback: assignment.feedback,
		attempts: assignment.attempts,
		used: mine.length,
		student: { number: student.studentNumber },
		...page,
		draft: (await db.draftOf(student.id, position)) ?? null,
		last: last ? await resultFor(db, assignment, student, last, now, variant) : null
	};
}

export type Checked<T> = { ok: true; value: T } | { ok: false; status: number; message: Localized };

/** Reads a JSON body no longer than `limit` characters. */
export async function readJson(request: Request, limit: number): Promise<Checked<Record<string, unknown>>> {
	const text = await request.text();
	if (text.length > limit) return { ok: false, status: 413, message: message('Requête trop grande.', 'Request too large.') };
	try {
		const body: unknown = JSON.parse(text);
		if (body !== null && typeof body === 'object' && !Array.isArray(body)) return { ok: true, value: body as Record<string, unknown> };
	} catch {
		// answered below
	}
	return { ok: false, status: 400, message: message('La requête ne se lit pas.', 'The request could not be read.') };
}

/** A draft's fields: the page's field names for this exercise's questions, each bounded. */
export function readDraftFields(assignment: Assignment, position: number, input: unknown): Checked<Record<string, string>> {
	const bad = (fr: string, en: string): Checked<Record<string, string>> => ({ ok: false, status: 400, message: message(fr, en) });
	if (input === null || typeof input !== 'object' || Array.isArray(input)) return bad('Brouillon illisible.', 'Unreadable draft.');
	const entries = Object.entries(input as Record<string, unknown>);
	if (entries.length > DRAFT_FIELDS) return bad('Brouillon trop grand.', 'Draft too large.');
	const ids = new Set(exercisesOf(assignment)[position].questions.map((q) => q.id));
	const fields: Record<string, string> = {};
	for (const [name, value] of entries) {
		const id = FIELD_NAME.exec(name)?.[1];
		if (!id || !ids.has(id)) return bad('Champ inconnu dans le brouillon.', 'Unknown field in the draft.');
		if (typeof value !== 'string' || value.length > FIELD_CHARS) return bad(`Une réponse doit être du texte de ${FIELD_CHARS} caractères au plus.`, `An answer must be text of at most ${FIELD_CHARS} characters.`);
		const control = controlCharacter(value);
		if (control) return { ok: false, status: 400, message: controlMessage(control) };
		fields[name] = value;
	}
	return { ok: true, value: fields };
}
