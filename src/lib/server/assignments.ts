/**
 * Assignments, between the routes and the storage: creating one from the library or from
 * uploaded files, a student's own variant of each exercise (stored when first drawn),
 * submitting (graded here, on the server), and what a student may see of the results under the
 * feedback policy. The answer key leaves this module only through `studentResult` when the
 * policy allows it.
 */
import { checkExerciseText } from '../exercises/check';
import { checkExercise, formatExerciseIssues, parseExercise, type Exercise, type Localized } from '../exercises/exercise';
import { gradeAnswers, type GradeReport } from '../exercises/grade';
import { drawVariant, type Variant } from '../exercises/variant';
import { getExercise, librarySource } from './exercise-library';
import { queueStudentScore } from './lti/grades';
import type { Assignment, AssignmentInput, FeedbackWhen, Storage, Student, Submission } from './storage';

export const LIMITS = {
	title: 200,
	exercises: 20,
	attempts: 20,
	uploadBytes: 200_000,
	answerChars: 2_000,
	answers: 50
} as const;

export const FEEDBACK_WHEN: readonly FeedbackWhen[] = ['immediate', 'after_close', 'never'];

export interface AssignmentForm {
	title: string;
	/** library ids, in order */
	exerciseIds: string[];
	/** uploaded exercise files, after the library ones */
	uploads: { name: string; text: string }[];
	opensAt: number;
	closesAt: number;
	attempts: number;
	carryForward: boolean;
	feedback: FeedbackWhen;
}

export type Created = { ok: true; assignment: Assignment } | { ok: false; errors: string[] };

/** Validates a teacher's form (uploads with the checker's own messages) and stores it; nothing is stored when anything is wrong. */
export async function createAssignment(storage: Storage, teacherId: number, form: AssignmentForm): Promise<Created> {
	const errors: string[] = [];
	const title = form.title.trim();
	if (title.length === 0 || title.length > LIMITS.title) errors.push(`title: between 1 and ${LIMITS.title} characters`);
	if (!Number.isFinite(form.opensAt) || !Number.isFinite(form.closesAt)) errors.push('dates: the opening and closing dates must be dates');
	else if (form.closesAt <= form.opensAt) errors.push('dates: the assignment must close after it opens');
	if (!Number.isInteger(form.attempts) || form.attempts < 1 || form.attempts > LIMITS.attempts) errors.push(`attempts: a whole number from 1 to ${LIMITS.attempts}`);
	if (!FEEDBACK_WHEN.includes(form.feedback)) errors.push('feedback: immediate, after_close or never');
	const exercises: AssignmentInput['exercises'] = [];
	for (const id of form.exerciseIds) {
		const source = librarySource(id);
		if (!source) errors.push(`exercises: "${id}" is not in the library`);
		else exercises.push({ exerciseId: id, source });
	}
	for (const upload of form.uploads) {
		if (upload.text.length > LIMITS.uploadBytes) {
			errors.push(`${upload.name}: larger than ${LIMITS.uploadBytes / 1000} kB`);
			continue;
		}
		const checked = checkExerciseText(upload.text, upload.name);
		if (!checked.ok || !checked.exercise) errors.push(...checked.issues.map((issue) => `${upload.name}${issue.line ? `:${issue.line}` : ''}: ${formatExerciseIssues([issue])}`));
		else exercises.push({ exerciseId: checked.exercise.id, source: upload.text });
	}
	if (exercises.length === 0 && errors.length === 0) errors.push('exercises: choose at least one exercise');
	if (exercises.length > LIMITS.exercises) errors.push(`exercises: at most ${LIMITS.exercises}`);
	if (errors.length > 0) return { ok: false, errors };
	const assignment = await storage.createAssignment({
		teacherId,
		title,
		exercises,
		opensAt: form.opensAt,
		closesAt: form.closesAt,
		attempts: form.attempts,
		carryForward: form.carryForward,
		feedback: form.feedback
	});
	return { ok: true, assignment };
}

const parsed = new Map<string, Exercise>();

/** The exercises of an assignment, parsed from the texts it was created with (cached by text). */
export function exercisesOf(assignment: Assignment): Exercise[] {
	return assignment.exercises.map(({ exerciseId, source }) => {
		const key = `${exerciseId}\u0000${source}`;
		let exercise = parsed.get(key);
		if (!exercise) {
			const result = parseExercise(source, `${exerciseId}.yaml`);
			// stored texts were checked when the assignment was created; a failure here is a bug
			if (!result.ok) throw new Error(`${exerciseId}: ${formatExerciseIssues(result.issues)}`);
			exercise = result.exercise;
			parsed.set(key, exercise);
		}
		return exercise;
	});
}

/**
 * The variant a student's first request would draw: from the assignment's seed and the student
 * number. It depends on the code (the PRNG, the degeneracy rules, the mistake catalogue), so it
 * is drawn once and stored: see `variantFor`.
 */
export function firstDraw(assignment: Assignment, exercise: Exercise, studentNumber: string): Variant {
	const drawn = drawVariant(exercise, studentNumber.trim(), assignment.seed);
	if (!drawn.ok) throw new Error(`${exercise.id}: ${drawn.message}`);
	return drawn.variant;
}

/** What is stored of a variant: the numbers, not what the engine computes from them. */
type StoredDraw = Pick<Variant, 'attempt' | 'drawn' | 'scenario'>;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A stored variant this version of Stepwise cannot run (a scenario of an older schema): never redrawn, since that would change the student's numbers. */
export class UnusableVariant extends Error {}

/** The variant of stored numbers, its trace and expected values computed by the engine of today. */
function rebuild(assignment: Assignment, exercise: Exercise, student: Student, position: number, text: string): Variant {
	let stored: unknown;
	try {
		stored = JSON.parse(text);
	} catch {
		stored = undefined;
	}
	const problem = (why: string): UnusableVariant => {
		const error = new UnusableVariant(`${exercise.id} (exercise ${position + 1} of assignment ${assignment.code}), student ${student.studentNumber}: the numbers stored when first shown no longer fit this version of Stepwise: ${why}`);
		console.error(`stepwise: ${error.message}`);
		return error;
	};
	if (!isRecord(stored) || typeof stored.attempt !== 'number' || !isRecord(stored.drawn) || !isRecord(stored.scenario)) throw problem('not a stored draw');
	const check = checkExercise(exercise, stored.scenario);
	if (!check.ok) throw problem(formatExerciseIssues(check.issues).replace(/\n/g, '; '));
	return { exerciseId: exercise.id, student: student.studentNumber.trim(), seed: assignment.seed, attempt: stored.attempt, scenario: stored.scenario, drawn: stored.drawn, trace: check.trace, expected: check.expected };
}

/**
 * Variants rebuilt from their stored numbers, by student and position: checking and running the
 * scenario again took a tenth of a submission's time. A stored variant never changes (the first
 * insert wins), and an entry serves only the same stored text, parsed exercise, assignment seed
 * and student number, so a row this instance has not seen is rebuilt. The oldest entry goes first: a class of 300 with 20
 * exercises each fits.
 */
const REBUILT_VARIANTS = 6_000;
const rebuilt = new Map<string, { exercise: Exercise; text: string; variant: Variant }>();

/**
 * A student's variant of the exercise at `position`: the numbers stored when it was first needed
 * (a page, a submission, a teacher's sheet), so that they survive an upgrade of Stepwise that
 * would draw others. The first request draws and stores; of two instances racing, the first
 * insert wins and both return it. Throws UnusableVariant when the stored scenario no longer
 * runs.
 */
export async function variantFor(storage: Storage, assignment: Assignment, student: Student, position: number): Promise<Variant> {
	const exercise = exercisesOf(assignment)[position];
	let text = await storage.variantOf(student.id, position);
	if (text === undefined) {
		const { attempt, drawn, scenario } = firstDraw(assignment, exercise, student.studentNumber);
		text = await storage.keepVariant(student.id, position, JSON.stringify({ attempt, drawn, scenario } satisfies StoredDraw));
	}
	// the id alone is not enough: two storages in one process (a copy, the tests) number their students alike
	const key = `${student.id}:${position}:${assignment.seed}:${student.studentNumber}`;
	const known = rebuilt.get(key);
	if (known && known.exercise === exercise && known.text === text) return known.variant;
	const variant = rebuild(assignment, exercise, student, position, text);
	if (rebuilt.size >= REBUILT_VARIANTS) rebuilt.delete(rebuilt.keys().next().value as string);
	rebuilt.set(key, { exercise, text, variant });
	return variant;
}

export type Phase = 'not_open' | 'open' | 'closed';

export function phaseOf(assignment: Assignment, now: number): Phase {
	if (now < assignment.opensAt) return 'not_open';
	return now < assignment.closesAt ? 'open' : 'closed';
}

/** Whether a student may see verdicts, expected values and formulas now. */
export function mayReveal(assignment: Assignment, now: number): boolean {
	return assignment.feedback === 'immediate' || (assignment.feedback === 'after_close' && phaseOf(assignment, now) === 'closed');
}

export type Refused = { ok: false; message: Localized; status: number };

const refuse = (status: number, fr: string, en: string): Refused => ({ ok: false, status, message: { fr, en } });

/** Bounds what a request may carry before anything is graded or stored. */
export function readAnswers(exercise: Exercise, input: unknown): { ok: true; answers: Record<string, string> } | Refused {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) return refuse(400, 'Réponses illisibles.', 'Unreadable answers.');
	const entries = Object.entries(input as Record<string, unknown>);
	if (entries.length > LIMITS.answers) return refuse(413, 'Trop de réponses.', 'Too many answers.');
	const ids = new Set(exercise.questions.map((q) => q.id));
	const answers: Record<string, string> = {};
	for (const [id, value] of entries) {
		if (!ids.has(id)) return refuse(400, `Pas de question « ${id.slice(0, 40)} ».`, `No question "${id.slice(0, 40)}".`);
		if (typeof value !== 'string') return refuse(400, 'Une réponse doit être du texte.', 'An answer must be text.');
		if (value.length > LIMITS.answerChars) return refuse(413, `Réponse trop longue (plus de ${LIMITS.answerChars} caractères).`, `Answer too long (more than ${LIMITS.answerChars} characters).`);
		answers[id] = value;
	}
	return { ok: true, answers };
}

/** `variant`: the numbers the submission was graded on (this student's, at this position), for the result shown next. */
/** `report`: the grading of this request's answers, a new submission's own report (none for a duplicate, whose stored answers count). */
export type Submitted = { ok: true; submission: Submission; duplicate: boolean; variant: Variant; report?: GradeReport } | Refused;

/** Grades a submission on the server and stores it; acknowledged only once committed. */
export async function submitAnswers(
	storage: Storage,
	assignment: Assignment,
	student: Student,
	position: number,
	input: unknown,
	idempotencyKey: string,
	now: number
): Promise<Submitted> {
	if (!/^[\w-]{8,100}$/.test(idempotencyKey)) return refuse(400, 'Requête invalide (clé).', 'Invalid request (key).');
	const phase = phaseOf(assignment, now);
	if (phase === 'not_open') return refuse(403, "Ce devoir n'est pas encore ouvert.", 'This assignment is not open yet.');
	if (phase === 'closed') return refuse(403, 'Ce devoir est fermé : les réponses ne sont plus acceptées.', 'This assignment is closed: answers are no longer accepted.');
	const exercise = exercisesOf(assignment)[position];
	if (!exercise) return refuse(404, 'Pas de tel exercice.', 'No such exercise.');
	const read = readAnswers(exercise, input);
	if (!read.ok) return read;
	let variant: Variant;
	try {
		variant = await variantFor(storage, assignment, student, position);
	} catch (error) {
		if (!(error instanceof UnusableVariant)) throw error;
		return refuse(500, 'Vos nombres pour cet exercice ne se lisent plus : prévenez votre enseignant.', 'Your numbers for this exercise can no longer be read: tell your teacher.');
	}
	const report = gradeAnswers(exercise, variant, read.answers, { carryForward: assignment.carryForward });
	const result = await storage.submit(
		{ studentId: student.id, position, idempotencyKey, answers: read.answers, points: report.points, max: report.max, report: JSON.stringify(report), attemptsAllowed: assignment.attempts },
		now
	);
	if (!result.ok) return refuse(409, `Plus de tentative : ${assignment.attempts} au plus.`, `No attempts left: ${assignment.attempts} at most.`);
	if (!result.duplicate) {
		// the grade for the platform is queued after the submission is stored: a queue that fails loses
		// nothing of the student's work (the next submission, or "Resend all", queues it again)
		try {
			await queueStudentScore(storage, assignment, student, now);
		} catch (error) {
			console.error(`stepwise: grades: the score of student ${student.id} was not queued: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	return { ...result, variant, report: result.duplicate ? undefined : report };
}

/**
 * What a student sees of a submission: the whole report when the policy allows it, else only
 * that it was received (no verdict, no points: they would let retries probe the key). `known`
 * is the student's variant of that exercise when the caller already has it; `graded`, the report
 * of that submission's answers graded just now (a submission's own request), not graded twice.
 */
export async function studentResult(
	storage: Storage,
	assignment: Assignment,
	student: Student,
	submission: Submission,
	now: number,
	known?: Variant,
	graded?: GradeReport
): Promise<{ revealed: true; report: GradeReport } | { revealed: false; attempt: number }> {
	if (!mayReveal(assignment, now)) return { revealed: false, attempt: submission.attempt };
	if (graded) return { revealed: true, report: graded };
	// graded again from the stored answers and numbers, so the report follows the policy of today
	const exercise = exercisesOf(assignment)[submission.position];
	const variant = known ?? (await variantFor(storage, assignment, student, submission.position));
	const report = gradeAnswers(exercise, variant, submission.answers, { carryForward: assignment.carryForward });
	return { revealed: true, report };
}
