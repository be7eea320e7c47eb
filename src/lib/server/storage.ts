/**
 * Everything the server stores, behind one small interface: teachers and their sessions,
 * assignments, the students who joined them, the numbers each student was shown, drafts,
 * submissions and rate-limit counters. The
 * SQLite file (db/sqlite.ts) is the embedded default, PostgreSQL (db/postgres.ts) the database of
 * several instances; both run the Kysely queries of db/kysely-storage.ts.
 *
 * Times are milliseconds since the epoch. Tokens are stored hashed (sha-256): a copied database
 * does not hand out live sessions.
 */

import type { LtiStorage } from './lti/storage';

export type FeedbackWhen = 'immediate' | 'after_close' | 'never';

export interface Teacher {
	id: number;
	email: string;
	name: string;
	passwordHash: string;
	createdAt: number;
}

export interface AssignmentInput {
	teacherId: number;
	title: string;
	/** the exercises, in order: their id and the YAML text they were assigned with */
	exercises: { exerciseId: string; source: string }[];
	opensAt: number;
	closesAt: number;
	/** submissions allowed per exercise */
	attempts: number;
	carryForward: boolean;
	feedback: FeedbackWhen;
}

export interface Assignment extends Omit<AssignmentInput, 'exercises'> {
	id: number;
	/** the short code written on the board */
	code: string;
	/** mixed into every student's variant seed */
	seed: string;
	createdAt: number;
	exercises: { position: number; exerciseId: string; source: string }[];
}

export interface Student {
	id: number;
	assignmentId: number;
	studentNumber: string;
	name: string;
	createdAt: number;
}

export interface Submission {
	id: number;
	studentId: number;
	position: number;
	attempt: number;
	idempotencyKey: string;
	/** what the student typed, by question id */
	answers: Record<string, string>;
	points: number;
	max: number;
	/** the grading report as JSON text (kept whole, for the gradebook and the feedback) */
	report: string;
	createdAt: number;
}

export type JoinResult = { ok: true; student: Student; created: boolean } | { ok: false; reason: 'name-mismatch' };

export type SubmitResult = { ok: true; submission: Submission; duplicate: boolean } | { ok: false; reason: 'attempts' };

export interface NewSubmission {
	studentId: number;
	position: number;
	idempotencyKey: string;
	answers: Record<string, string>;
	points: number;
	max: number;
	report: string;
	/** the assignment's limit, checked in the same transaction as the insert */
	attemptsAllowed: number;
}

export interface Storage {
	createTeacher(email: string, name: string, passwordHash: string): Promise<Teacher>;
	teacherByEmail(email: string): Promise<Teacher | undefined>;
	teacherById(id: number): Promise<Teacher | undefined>;

	createSession(tokenHash: string, teacherId: number, expiresAt: number): Promise<void>;
	/** the teacher of a live session */
	sessionTeacher(tokenHash: string, now: number): Promise<Teacher | undefined>;
	deleteSession(tokenHash: string): Promise<void>;

	createInvitation(tokenHash: string, email: string, invitedBy: number, expiresAt: number): Promise<void>;
	/** marks the invitation used and returns its email; undefined when unknown, used or expired */
	useInvitation(tokenHash: string, now: number): Promise<string | undefined>;

	createAssignment(input: AssignmentInput): Promise<Assignment>;
	assignmentById(id: number): Promise<Assignment | undefined>;
	assignmentByCode(code: string): Promise<Assignment | undefined>;
	/** the teacher's assignments and those shared with them (by an LTI course's other instructors), newest first */
	assignmentsOf(teacherId: number): Promise<Assignment[]>;

	/** a student number joins once per assignment; the same number with another name is refused */
	joinStudent(assignmentId: number, studentNumber: string, name: string, tokenHash: string): Promise<JoinResult>;
	studentByToken(tokenHash: string): Promise<Student | undefined>;
	studentsOf(assignmentId: number): Promise<Student[]>;

	/** the numbers of a student's variant of the exercise at `position`, as stored when first drawn (JSON text) */
	variantOf(studentId: number, position: number): Promise<string | undefined>;
	/** stores a variant unless one is stored already, and returns the one stored: of two racing, the first */
	keepVariant(studentId: number, position: number, variant: string): Promise<string>;

	saveDraft(studentId: number, position: number, answers: Record<string, string>, now: number): Promise<void>;
	draftOf(studentId: number, position: number): Promise<Record<string, string> | undefined>;

	/** idempotent by key: a retried request returns the submission it already made */
	submit(submission: NewSubmission, now: number): Promise<SubmitResult>;
	submissionsOf(studentId: number): Promise<Submission[]>;
	submissionsOfAssignment(assignmentId: number): Promise<Submission[]>;

	/** counts one hit of `key` in its window; false when the limit is already reached */
	hit(key: string, limit: number, windowMs: number, now: number): Promise<boolean>;

	/** LTI 1.3's platforms, keys, bindings and grade queue */
	readonly lti: LtiStorage;

	close(): Promise<void>;
}
