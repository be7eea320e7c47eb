/**
 * The Storage interface over Kysely: the same queries for SQLite and PostgreSQL. Writes that
 * must be all-or-nothing (an assignment and its exercises, a submission and its attempt count)
 * run in one transaction; uniqueness (student numbers, idempotency keys, attempt numbers) is
 * enforced by the schema's constraints. On PostgreSQL several instances write at once: a
 * submission is one statement whose races the constraints settle, a join that lost a race to
 * the same student number reads the winner's row, a rate-limit hit is one upsert, and a
 * student's variant is the first one inserted (ON CONFLICT DO NOTHING, then read back).
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type {
	Assignment,
	AssignmentInput,
	FeedbackWhen,
	JoinResult,
	NewSubmission,
	Storage,
	Student,
	Submission,
	SubmitResult,
	Teacher
} from '../storage';
import type { LtiStorage } from '../lti/storage';
import { KyselyLtiStorage } from './lti-storage';
import { isUniqueViolation, studentOf } from './rows';
import type { Database } from './schema';

/** Letters and digits that cannot be misread on a board (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;
const COLLATOR = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

export function newCode(): string {
	const bytes = randomBytes(CODE_LENGTH);
	return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** The same name however it was typed: case, accents kept, spaces collapsed. */
function sameName(a: string, b: string): boolean {
	const norm = (s: string): string => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');
	return norm(a) === norm(b);
}

const teacherOf = (row: Selectable<Database['teachers']>): Teacher => ({
	id: Number(row.id),
	email: row.email,
	name: row.name,
	passwordHash: row.password_hash,
	createdAt: Number(row.created_at)
});


const submissionOf = (row: Selectable<Database['submissions']>): Submission => ({
	id: Number(row.id),
	studentId: Number(row.student_id),
	position: Number(row.position),
	attempt: Number(row.attempt),
	idempotencyKey: row.idempotency_key,
	answers: JSON.parse(row.answers) as Record<string, string>,
	points: Number(row.points),
	max: Number(row.max),
	report: row.report,
	createdAt: Number(row.created_at)
});

export class KyselyStorage implements Storage {
	readonly lti: LtiStorage;

	constructor(private readonly db: Kysely<Database>) {
		this.lti = new KyselyLtiStorage(db);
	}

	async createTeacher(email: string, name: string, passwordHash: string): Promise<Teacher> {
		const row = await this.db
			.insertInto('teachers')
			.values({ email: email.trim().toLowerCase(), name, password_hash: passwordHash, created_at: Date.now() })
			.returningAll()
			.executeTakeFirstOrThrow();
		return teacherOf(row);
	}

	async teacherByEmail(email: string): Promise<Teacher | undefined> {
		const row = await this.db.selectFrom('teachers').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
		return row && teacherOf(row);
	}

	async teacherById(id: number): Promise<Teacher | undefined> {
		const row = await this.db.selectFrom('teachers').selectAll().where('id', '=', id).executeTakeFirst();
		return row && teacherOf(row);
	}

	async createSession(tokenHash: string, teacherId: number, expiresAt: number): Promise<void> {
		await this.db.insertInto('sessions').values({ token_hash: tokenHash, teacher_id: teacherId, expires_at: expiresAt }).execute();
	}

	async sessionTeacher(tokenHash: string, now: number): Promise<Teacher | undefined> {
		const row = await this.db
			.selectFrom('sessions')
			.innerJoin('teachers', 'teachers.id', 'sessions.teacher_id')
			.selectAll('teachers')
			.where('sessions.token_hash', '=', tokenHash)
			.where('sessions.expires_at', '>', now)
			.executeTakeFirst();
		return row && teacherOf(row);
	}

	async deleteSession(tokenHash: string): Promise<void> {
		await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
	}

	async createInvitation(tokenHash: string, email: string, invitedBy: number, expiresAt: number): Promise<void> {
		await this.db.insertInto('invitations').values({ token_hash: tokenHash, email: email.trim().toLowerCase(), invited_by: invitedBy, expires_at: expiresAt, used_at: null }).execute();
	}

	async useInvitation(tokenHash: string, now: number): Promise<string | undefined> {
		const used = await this.db
			.updateTable('invitations')
			.set({ used_at: now })
			.where('token_hash', '=', tokenHash)
			.where('used_at', 'is', null)
			.where('expires_at', '>', now)
			.returning('email')
			.executeTakeFirst();
		return used?.email;
	}

	async createAssignment(input: AssignmentInput): Promise<Assignment> {
		for (let attempt = 0; ; attempt++) {
			try {
				const id = await this.db.transaction().execute(async (trx) => {
					const row = await trx
						.insertInto('assignments')
						.values({
							teacher_id: input.teacherId,
							title: input.title,
							code: newCode(),
							seed: randomBytes(8).toString('hex'),
							opens_at: input.opensAt,
							closes_at: input.closesAt,
							attempts: input.attempts,
							carry_forward: input.carryForward ? 1 : 0,
							feedback: input.feedback,
							created_at: Date.now()
						})
						.returning('id')
						.executeTakeFirstOrThrow();
					await trx
						.insertInto('assignment_exercises')
						.values(input.exercises.map((e, position) => ({ assignment_id: Number(row.id), position, exercise_id: e.exerciseId, source: e.source })))
						.execute();
					return Number(row.id);
				});
				return (await this.assignmentById(id)) as Assignment;
			} catch (error) {
				// a code already in use: draw another (31⁶ codes make this rare)
				if (!isUniqueViolation(error) || attempt >= 5) throw error;
			}
		}
	}

	private async withExercises(row: Selectable<Database['assignments']> | undefined): Promise<Assignment | undefined> {
		if (!row) return undefined;
		const exercises = await this.db.selectFrom('assignment_exercises').selectAll().where('assignment_id', '=', row.id).orderBy('position').execute();
		return {
			id: Number(row.id),
			teacherId: Number(row.teacher_id),
			title: row.title,
			code: row.code,
			seed: row.seed,
			opensAt: Number(row.opens_at),
			closesAt: Number(row.closes_at),
			attempts: Number(row.attempts),
			carryForward: Number(row.carry_forward) === 1,
			feedback: row.feedback as FeedbackWhen,
			createdAt: Number(row.created_at),
			exercises: exercises.map((e) => ({ position: Number(e.position), exerciseId: e.exercise_id, source: e.source }))
		};
	}

	async assignmentById(id: number): Promise<Assignment | undefined> {
		return this.withExercises(await this.db.selectFrom('assignments').selectAll().where('id', '=', id).executeTakeFirst());
	}

	async assignmentByCode(code: string): Promise<Assignment | undefined> {
		return this.withExercises(await this.db.selectFrom('assignments').selectAll().where('code', '=', code.trim().toUpperCase()).executeTakeFirst());
	}

	async assignmentsOf(teacherId: number): Promise<Assignment[]> {
		const shared = this.db.selectFrom('assignment_teachers').select('assignment_id').where('teacher_id', '=', teacherId);
		const rows = await this.db
			.selectFrom('assignments')
			.selectAll()
			.where((eb) => eb.or([eb('teacher_id', '=', teacherId), eb('id', 'in', shared)]))
			.orderBy('created_at', 'desc')
			.execute();
		return Promise.all(rows.map(async (row) => (await this.withExercises(row)) as Assignment));
	}

	async joinStudent(assignmentId: number, studentNumber: string, name: string, tokenHash: string): Promise<JoinResult> {
		try {
			return await this.joinOnce(assignmentId, studentNumber, name, tokenHash);
		} catch (error) {
			// the same number joined at the same moment on another device: its row exists now
			if (!isUniqueViolation(error)) throw error;
			return this.joinOnce(assignmentId, studentNumber, name, tokenHash);
		}
	}

	private joinOnce(assignmentId: number, studentNumber: string, name: string, tokenHash: string): Promise<JoinResult> {
		const number = studentNumber.trim();
		return this.db.transaction().execute(async (trx): Promise<JoinResult> => {
			const existing = await trx.selectFrom('students').selectAll().where('assignment_id', '=', assignmentId).where('student_number', '=', number).executeTakeFirst();
			if (existing && !sameName(existing.name, name)) return { ok: false, reason: 'name-mismatch' };
			const row =
				existing ??
				(await trx
					.insertInto('students')
					.values({ assignment_id: assignmentId, student_number: number, name: name.trim().replace(/\s+/g, ' '), created_at: Date.now() })
					.returningAll()
					.executeTakeFirstOrThrow());
			await trx.insertInto('student_sessions').values({ token_hash: tokenHash, student_id: Number(row.id) }).execute();
			return { ok: true, student: studentOf(row), created: !existing };
		});
	}

	async studentByToken(tokenHash: string): Promise<Student | undefined> {
		const row = await this.db
			.selectFrom('student_sessions')
			.innerJoin('students', 'students.id', 'student_sessions.student_id')
			.selectAll('students')
			.where('student_sessions.token_hash', '=', tokenHash)
			.executeTakeFirst();
		return row && studentOf(row);
	}

	async studentsOf(assignmentId: number): Promise<Student[]> {
		const rows = await this.db.selectFrom('students').selectAll().where('assignment_id', '=', assignmentId).execute();
		// as a class list is read: Léa before Lucas, whatever the database's collation
		return rows.map(studentOf).sort((a, b) => COLLATOR.compare(a.name, b.name) || COLLATOR.compare(a.studentNumber, b.studentNumber));
	}

	async variantOf(studentId: number, position: number): Promise<string | undefined> {
		const row = await this.db.selectFrom('student_variants').select('variant').where('student_id', '=', studentId).where('position', '=', position).executeTakeFirst();
		return row?.variant;
	}

	async keepVariant(studentId: number, position: number, variant: string): Promise<string> {
		await this.db
			.insertInto('student_variants')
			.values({ student_id: studentId, position, variant, created_at: Date.now() })
			.onConflict((oc) => oc.columns(['student_id', 'position']).doNothing())
			.execute();
		const stored = await this.variantOf(studentId, position);
		if (stored === undefined) throw new Error(`the variant of student ${studentId} at ${position} was neither stored nor found`);
		return stored;
	}

	async saveDraft(studentId: number, position: number, answers: Record<string, string>, now: number): Promise<void> {
		await this.db
			.insertInto('drafts')
			.values({ student_id: studentId, position, answers: JSON.stringify(answers), updated_at: now })
			.onConflict((oc) => oc.columns(['student_id', 'position']).doUpdateSet({ answers: JSON.stringify(answers), updated_at: now }))
			.execute();
	}

	async draftOf(studentId: number, position: number): Promise<Record<string, string> | undefined> {
		const row = await this.db.selectFrom('drafts').select('answers').where('student_id', '=', studentId).where('position', '=', position).executeTakeFirst();
		return row ? (JSON.parse(row.answers) as Record<string, string>) : undefined;
	}

	private async byKey(key: string): Promise<Submission | undefined> {
		const row = await this.db.selectFrom('submissions').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
		return row && submissionOf(row);
	}

	private async attemptsUsed(studentId: number, position: number): Promise<number> {
		const row = await this.db
			.selectFrom('submissions')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('student_id', '=', studentId)
			.where('position', '=', position)
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	/**
	 * One statement inserts the next attempt when the limit allows it: atomic on both databases,
	 * and nothing stays open between round trips. The constraints settle every race: a key sent
	 * twice (a retry, perhaps to another instance) meets the unique key, two answers counted at
	 * the same moment meet the unique attempt number. ON CONFLICT DO NOTHING makes either "no
	 * row"; the key then tells a duplicate from a lost race, which counts again.
	 */
	async submit(s: NewSubmission, now: number): Promise<SubmitResult> {
		for (let round = 0; round < 20; round++) {
			const row = await this.db
				.insertInto('submissions')
				.columns(['student_id', 'position', 'attempt', 'idempotency_key', 'answers', 'points', 'max', 'report', 'created_at'])
				.expression((eb) =>
					eb
						.selectFrom(
							eb
								.selectFrom('submissions')
								.select((c) => c.fn.countAll<number>().as('n'))
								.where('student_id', '=', s.studentId)
								.where('position', '=', s.position)
								.as('done')
						)
						// typed parameters: PostgreSQL cannot infer them in a select list
						.select((c) => [
							c.cast<number>(c.val(s.studentId), 'integer').as('student_id'),
							c.cast<number>(c.val(s.position), 'integer').as('position'),
							c(c.ref('done.n'), '+', 1).as('attempt'),
							c.cast<string>(c.val(s.idempotencyKey), 'text').as('idempotency_key'),
							c.cast<string>(c.val(JSON.stringify(s.answers)), 'text').as('answers'),
							c.cast<number>(c.val(s.points), 'double precision').as('points'),
							c.cast<number>(c.val(s.max), 'double precision').as('max'),
							c.cast<string>(c.val(s.report), 'text').as('report'),
							c.cast<number>(c.val(now), 'bigint').as('created_at')
						])
						.where('done.n', '<', s.attemptsAllowed)
				)
				.onConflict((oc) => oc.doNothing())
				.returningAll()
				.executeTakeFirst();
			if (row) return { ok: true, submission: submissionOf(row), duplicate: false };
			// counted before the key is looked up: when the attempts are used up without this key, it can no longer be stored
			const full = (await this.attemptsUsed(s.studentId, s.position)) >= s.attemptsAllowed;
			const existing = await this.byKey(s.idempotencyKey);
			if (existing) return { ok: true, submission: existing, duplicate: true };
			if (full) return { ok: false, reason: 'attempts' };
		}
		throw new Error(`submission ${s.idempotencyKey} lost 20 races for its attempt number in a row`);
	}

	async submissionsOf(studentId: number): Promise<Submission[]> {
		const rows = await this.db.selectFrom('submissions').selectAll().where('student_id', '=', studentId).orderBy('position').orderBy('attempt').execute();
		return rows.map(submissionOf);
	}

	async submissionsOfAssignment(assignmentId: number): Promise<Submission[]> {
		const rows = await this.db
			.selectFrom('submissions')
			.innerJoin('students', 'students.id', 'submissions.student_id')
			.selectAll('submissions')
			.where('students.assignment_id', '=', assignmentId)
			.orderBy('submissions.student_id')
			.orderBy('submissions.position')
			.orderBy('submissions.attempt')
			.execute();
		return rows.map(submissionOf);
	}

	async hit(key: string, limit: number, windowMs: number, now: number): Promise<boolean> {
		// one statement, so that hits counted at once by several instances all count
		const expired = sql<boolean>`${sql.ref('rate_limits.window_start')} + ${windowMs} <= ${now}`;
		const row = await this.db
			.insertInto('rate_limits')
			.values({ key, window_start: now, count: 1 })
			.onConflict((oc) =>
				oc.column('key').doUpdateSet((eb) => ({
					window_start: eb.case().when(expired).then(now).else(eb.ref('rate_limits.window_start')).end(),
					// one past the limit marks the key refused until the window ends; refused hits add nothing
					count: eb.case().when(expired).then(1).when(eb.ref('rate_limits.count'), '>', limit).then(eb.ref('rate_limits.count')).else(eb(eb.ref('rate_limits.count'), '+', 1)).end()
				}))
			)
			.returning('count')
			.executeTakeFirstOrThrow();
		return Number(row.count) <= limit;
	}

	async close(): Promise<void> {
		await this.db.destroy();
	}
}
