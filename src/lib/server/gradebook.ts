/**
 * The teacher's view of an assignment's results, as plain functions (no SvelteKit): the
 * gradebook (students × questions, from each student's last submission of each exercise), what
 * a lecture is prepared from (success rate and the most common wrong answers per question), a
 * student's every attempt, and the CSV a spreadsheet opens on Saturday.
 */
import { valueTex } from '../format/answer-tex';
import { MISTAKES } from '../exercises/mistakes/catalogue';
import type { SheetAsk } from '../pages/sheet';
import type { NestedNumbers } from '../engine/tensor';
import type { Exercise, Localized } from '../exercises/exercise';
import { isVerdict, roundPoints, type GradeReport, type Verdict } from '../exercises/grade';
import { withDecimalMark } from '../format/number';
import { readMessage, type FeedbackMessage } from '../exercises/feedback-message';
import { answerKey } from '../exercises/key';
import { kindOf } from '../exercises/kinds';
import { givenOf, renderStatement } from '../exercises/statement';
import { profileOf } from '../profiles';
import { exercisesOf, variantFor } from './assignments';
import type { Assignment, Storage, Student, Submission } from './storage';

export interface GradebookQuestion {
	/** the exercise's position in the assignment */
	position: number;
	id: string;
	max: number;
}

export interface GradebookExercise {
	position: number;
	exerciseId: string;
	title: Localized;
	questions: GradebookQuestion[];
	max: number;
}

export interface GradebookRow {
	student: Student;
	/** points of each question (in `Gradebook.questions` order); null where the exercise was never submitted */
	points: (number | null)[];
	total: number;
	/** submissions of any exercise */
	attempts: number;
	/** time of the latest submission, or null */
	lastAt: number | null;
	/** the named mistakes of the last submissions, as `question:code` */
	mistakes: string[];
}

export interface WrongAnswer {
	answer: string;
	count: number;
}

export interface QuestionStats {
	position: number;
	id: string;
	/** students with a last submission of this exercise */
	submitted: number;
	/** of those, the ones whose last submission is right or carried forward */
	succeeded: number;
	/** succeeded / submitted, or null when nobody submitted */
	successRate: number | null;
	/** the most common wrong answers as typed (trimmed, spaces collapsed), at most 3 */
	wrong: WrongAnswer[];
	/** how many last submissions made each named mistake, most common first */
	mistakes: { code: string; title: Localized; count: number }[];
}

export interface Gradebook {
	exercises: GradebookExercise[];
	/** every question of every exercise, flat, in order */
	questions: GradebookQuestion[];
	rows: GradebookRow[];
	stats: QuestionStats[];
	max: number;
	submissions: number;
}

const SUCCESS: readonly Verdict[] = ['right', 'carried_forward'];
/** Not an answer: nothing typed says nothing about a misconception. */
const NOT_WRONG: readonly Verdict[] = [...SUCCESS, 'missing'];
const TOP_WRONG = 3;

/**
 * The assignment when it exists and this teacher made it, or teaches its LTI course with its
 * author; undefined otherwise, so another teacher's looks like none.
 */
export async function ownedAssignment(storage: Storage, teacherId: number, id: string): Promise<Assignment | undefined> {
	if (!/^[1-9]\d{0,9}$/.test(id)) return undefined;
	const assignment = await storage.assignmentById(Number(id));
	if (!assignment) return undefined;
	return assignment.teacherId === teacherId || (await storage.lti.sharedWith(assignment.id, teacherId)) ? assignment : undefined;
}

/** What a student typed, normalised so that "0,5 " and "0,5" count as one answer. */
export function normaliseAnswer(answer: string): string {
	return answer.trim().replace(/\s+/g, ' ');
}

/**
 * A stored report, read defensively: a report that cannot be read counts as no marks rather than
 * breaking the page. Each question's message is read in either format: the codes of today, or
 * the sentence `{ fr, en }` of a report stored before them, kept as it was written.
 */
export function readReport(submission: Submission): GradeReport | null {
	try {
		const report = JSON.parse(submission.report) as GradeReport;
		if (!Array.isArray(report?.questions)) return null;
		return { ...report, questions: report.questions.map((q) => ({ ...q, message: readMessage((q as { message?: unknown }).message) })) };
	} catch {
		return null;
	}
}

export function gradebookExercises(exercises: readonly Exercise[]): GradebookExercise[] {
	return exercises.map((exercise, position) => {
		const questions = exercise.questions.map((q) => ({ position, id: q.id, max: q.points }));
		return { position, exerciseId: exercise.id, title: exercise.title, questions, max: roundPoints(questions.reduce((sum, q) => sum + q.max, 0)) };
	});
}

/** Each student's last submission of each exercise, by student id then position. */
function lastSubmissions(submissions: readonly Submission[]): Map<number, Map<number, Submission>> {
	const last = new Map<number, Map<number, Submission>>();
	for (const s of submissions) {
		let byPosition = last.get(s.studentId);
		if (!byPosition) last.set(s.studentId, (byPosition = new Map()));
		const known = byPosition.get(s.position);
		if (!known || s.attempt > known.attempt) byPosition.set(s.position, s);
	}
	return last;
}

/** A mistake's name; a code this version no longer knows is shown as it was stored. */
const mistakeTitle = (code: string): Localized => MISTAKES.find((m) => m.code === code)?.title ?? { fr: code, en: code };

export function buildGradebook(exercises: readonly Exercise[], students: readonly Student[], submissions: readonly Submission[]): Gradebook {
	const columns = gradebookExercises(exercises);
	const questions = columns.flatMap((e) => e.questions);
	const last = lastSubmissions(submissions);
	const reports = new Map<Submission, GradeReport | null>();
	const reportOf = (s: Submission): GradeReport | null => {
		if (!reports.has(s)) reports.set(s, readReport(s));
		return reports.get(s) ?? null;
	};
	const studentIds = new Set(students.map((s) => s.id));

	const rows = students.map((student): GradebookRow => {
		const mine = last.get(student.id);
		const points = questions.map((q) => {
			const submission = mine?.get(q.position);
			if (!submission) return null;
			return reportOf(submission)?.questions.find((r) => r.id === q.id)?.points ?? 0;
		});
		const own = submissions.filter((s) => s.studentId === student.id);
		const mistakes = questions.flatMap((q) => {
			const submission = mine?.get(q.position);
			const code = submission && reportOf(submission)?.questions.find((r) => r.id === q.id)?.diagnosis?.code;
			return code ? [`${q.id}:${code}`] : [];
		});
		return {
			mistakes,
			student,
			points,
			total: roundPoints(points.reduce<number>((sum, p) => sum + (p ?? 0), 0)),
			attempts: own.length,
			lastAt: own.length > 0 ? Math.max(...own.map((s) => s.createdAt)) : null
		};
	});

	const stats = questions.map((q): QuestionStats => {
		let submitted = 0;
		let succeeded = 0;
		const wrong = new Map<string, number>();
		const named = new Map<string, number>();
		for (const [studentId, byPosition] of last) {
			if (!studentIds.has(studentId)) continue;
			const submission = byPosition.get(q.position);
			if (!submission) continue;
			submitted++;
			const graded = reportOf(submission)?.questions.find((r) => r.id === q.id);
			const verdict = graded?.verdict;
			if (graded?.diagnosis) named.set(graded.diagnosis.code, (named.get(graded.diagnosis.code) ?? 0) + 1);
			if (verdict && SUCCESS.includes(verdict)) succeeded++;
			else if (!verdict || !NOT_WRONG.includes(verdict)) {
				const typed = normaliseAnswer(submission.answers[q.id] ?? '');
				if (typed !== '') wrong.set(typed, (wrong.get(typed) ?? 0) + 1);
			}
		}
		const top = [...wrong]
			.map(([answer, count]) => ({ answer, count }))
			// most common first; ties in a fixed order so the page does not reshuffle on reload
			.sort((a, b) => b.count - a.count || (a.answer < b.answer ? -1 : a.answer > b.answer ? 1 : 0))
			.slice(0, TOP_WRONG);
		const mistakes = [...named]
			.map(([code, count]) => ({ code, count, title: mistakeTitle(code) }))
			.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
		return { position: q.position, id: q.id, submitted, succeeded, successRate: submitted > 0 ? succeeded / submitted : null, wrong: top, mistakes };
	});

	return {
		exercises: columns,
		questions,
		rows,
		stats,
		max: roundPoints(columns.reduce((sum, e) => sum + e.max, 0)),
		submissions: submissions.filter((s) => studentIds.has(s.studentId)).length
	};
}

/** The gradebook of an assignment, read from the storage. */
export async function loadGradebook(storage: Storage, assignment: Assignment): Promise<Gradebook> {
	const [students, submissions] = await Promise.all([storage.studentsOf(assignment.id), storage.submissionsOfAssignment(assignment.id)]);
	return buildGradebook(exercisesOf(assignment), students, submissions);
}

export interface AttemptQuestion {
	id: string;
	answer: string;
	verdict: Verdict | null;
	/** the mistake the grader named, in both languages */
	mistake: Localized | null;
	/** what the grader told the student, written in the reader's language by the page */
	message: FeedbackMessage;
	points: number;
	max: number;
}

export interface Attempt {
	position: number;
	attempt: number;
	createdAt: number;
	points: number;
	max: number;
	questions: AttemptQuestion[];
}

/** Every attempt of one student, by exercise then attempt, with what was typed and how it was marked. */
export function studentAttempts(exercises: readonly Exercise[], submissions: readonly Submission[]): Attempt[] {
	return [...submissions]
		.sort((a, b) => a.position - b.position || a.attempt - b.attempt)
		.map((s) => {
			const report = readReport(s);
			const exercise = exercises[s.position];
			const questions = (exercise?.questions ?? []).map((q): AttemptQuestion => {
				const marked = report?.questions.find((r) => r.id === q.id);
				const verdict = isVerdict(marked?.verdict) ? marked.verdict : null;
				const mistake = marked?.diagnosis ? mistakeTitle(marked.diagnosis.code) : null;
				return { id: q.id, answer: s.answers[q.id] ?? '', verdict, mistake, message: marked?.message ?? [], points: marked?.points ?? 0, max: marked?.max ?? q.points };
			});
			return { position: s.position, attempt: s.attempt, createdAt: s.createdAt, points: s.points, max: s.max, questions };
		});
}

export type CsvLang = 'fr' | 'en';

/** French spreadsheets read `;` and the decimal comma; English ones `,` and the point. */
const CSV = {
	fr: { separator: ';', name: 'Nom', number: 'Numéro étudiant', total: 'Total', max: 'Max', mistakes: 'Erreurs identifiées', codes: 'Codes des erreurs' },
	en: { separator: ',', name: 'Name', number: 'Student number', total: 'Total', max: 'Max', mistakes: 'Mistakes found', codes: 'Mistake codes' }
} as const;

/** A number as the spreadsheet of that language reads it. */
export function csvNumber(value: number, lang: CsvLang): string {
	return withDecimalMark(String(roundPoints(value)), lang);
}

/**
 * A field per RFC 4180: quoted when it holds the separator, a quote, a line break or edge
 * spaces. Text that a spreadsheet would run as a formula (students type their own names) gets a
 * leading apostrophe first, as OWASP advises against CSV injection.
 */
export function csvField(value: string, separator: string): string {
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return safe.includes(separator) || /["\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Question headers: `backprop-221 z1`; an exercise assigned twice is told apart by its position. */
function questionHeaders(gradebook: Gradebook): string[] {
	const seen = new Map<string, number>();
	for (const e of gradebook.exercises) seen.set(e.exerciseId, (seen.get(e.exerciseId) ?? 0) + 1);
	return gradebook.questions.map((q) => {
		const exercise = gradebook.exercises[q.position];
		const name = (seen.get(exercise.exerciseId) ?? 0) > 1 ? `${exercise.exerciseId} (${q.position + 1})` : exercise.exerciseId;
		return `${name} ${q.id}`;
	});
}

/** A mistake's title as a spreadsheet shows it: its few TeX symbols as plain characters. */
export function plainTitle(title: string): string {
	return title
		.replace(/\\hat\s*y/g, 'ŷ')
		.replace(/\^\\top/g, 'ᵀ')
		.replace(/\$/g, '');
}

/** `question:code` as a teacher reads it: the question, then the mistake's name in the CSV's language. */
function mistakeInWords(found: string, lang: CsvLang): string {
	const at = found.lastIndexOf(':');
	return `${found.slice(0, at)}${lang === 'fr' ? ' :' : ':'} ${plainTitle(mistakeTitle(found.slice(at + 1))[lang])}`;
}

/** One row per student, a header row; a BOM so Excel reads UTF-8, CRLF as RFC 4180 says. A question never submitted is an empty cell. */
export function gradebookCsv(gradebook: Gradebook, lang: CsvLang): string {
	const { separator, ...labels } = CSV[lang];
	const line = (fields: string[]): string => fields.map((f) => csvField(f, separator)).join(separator);
	const header = line([labels.name, labels.number, ...questionHeaders(gradebook), labels.total, labels.max, labels.mistakes, labels.codes]);
	const rows = gradebook.rows.map((row) =>
		line([
			row.student.name,
			row.student.studentNumber,
			...row.points.map((p) => (p === null ? '' : csvNumber(p, lang))),
			csvNumber(row.total, lang),
			csvNumber(gradebook.max, lang),
			row.mistakes.map((found) => mistakeInWords(found, lang)).join(' | '),
			row.mistakes.join(' ')
		])
	);
	return '\uFEFF' + [header, ...rows].map((l) => l + '\r\n').join('');
}

export type { SheetAsk };

export interface SheetExercise {
	title: string;
	/** Markdown with TeX, the student's own numbers written in */
	statement: string;
	/** the statement's formulas holding the student's numbers (TeX), which a key repeats */
	given: string[];
	questions: SheetAsk[];
}

export interface Sheet {
	studentId: number;
	name: string;
	number: string;
	exercises: SheetExercise[];
}

/** A key value as TeX: a number, a vector or a matrix as the statements write them. */
function keyTex(value: NestedNumbers | string | undefined, locale: 'fr' | 'en'): string | undefined {
	if (value === undefined) return undefined;
	return typeof value === 'string' ? `\\text{${value}}` : valueTex(value, locale);
}

/**
 * Printable sheets, one per student, with their own numbers; with `withKey` the expected answer
 * of each question too (the teacher's answer keys, never sent to a student's page). A student
 * whose numbers were not drawn yet gets them here, stored as if shown.
 */
export async function printableSheets(storage: Storage, assignment: Assignment, students: readonly Student[], locale: 'fr' | 'en', withKey: boolean): Promise<Sheet[]> {
	const exercises = exercisesOf(assignment);
	const sheets: Sheet[] = [];
	for (const student of students) {
		const variants = await Promise.all(exercises.map((_, position) => variantFor(storage, assignment, student, position)));
		sheets.push({
			studentId: student.id,
			name: student.name,
			number: student.studentNumber,
			exercises: exercises.map((exercise, position): SheetExercise => {
				const variant = variants[position];
				const key = withKey ? answerKey(exercise, variant) : {};
				const questions = exercise.questions.map((q): SheetAsk => {
					const answer = withKey ? keyTex(key[q.id], locale) : undefined;
					const extra = answer === undefined ? {} : { key: answer };
					const field = kindOf(q).field(q, variant.trace, exercise);
					switch (field.kind) {
						case 'value':
							return { kind: 'value', id: q.id, points: q.points, symbol: field.symbol, ...extra };
						case 'fact':
							return { kind: 'fact', id: q.id, points: q.points, fact: field.fact, ...extra };
						case 'choice':
							return { kind: 'choice', id: q.id, points: q.points, prompt: field.prompt[locale], options: field.options.map((o) => o[locale]), ...extra };
					}
				});
				const layout = profileOf(exercise.course).layout;
				return {
					title: exercise.title[locale],
					statement: renderStatement(exercise.statement[locale], variant.scenario, locale, layout),
					given: givenOf(exercise.statement[locale], variant.scenario, locale, layout),
					questions
				};
			})
		});
	}
	return sheets;
}
