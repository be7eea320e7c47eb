/**
 * Versioned migrations, in code so that they ship with the build. Each has a name that sorts in
 * order and is applied once (Kysely records them in kysely_migration). Written with Kysely's
 * schema builder, so the same migrations create the PostgreSQL schema.
 */
import { sql, SqliteAdapter, type ColumnDataType, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const isSqlite = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof SqliteAdapter;

/** An auto-numbered key: SQLite's integer primary key is the rowid; PostgreSQL needs serial. */
function idType(db: Kysely<unknown>): ColumnDataType {
	return isSqlite(db) ? 'integer' : 'serial';
}

/** A float64, as SQLite's real is; PostgreSQL's real is a float32, which would round points. */
function floatType(db: Kysely<unknown>): ColumnDataType {
	return isSqlite(db) ? 'real' : 'double precision';
}

const initial: Migration = {
	async up(db: Kysely<unknown>) {
		await db.schema
			.createTable('teachers')
			.addColumn('id', idType(db), (c) => c.primaryKey())
			.addColumn('email', 'text', (c) => c.notNull().unique())
			.addColumn('name', 'text', (c) => c.notNull())
			.addColumn('password_hash', 'text', (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema
			.createTable('sessions')
			.addColumn('token_hash', 'text', (c) => c.primaryKey())
			.addColumn('teacher_id', 'integer', (c) => c.notNull().references('teachers.id').onDelete('cascade'))
			.addColumn('expires_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema
			.createTable('invitations')
			.addColumn('token_hash', 'text', (c) => c.primaryKey())
			.addColumn('email', 'text', (c) => c.notNull())
			.addColumn('invited_by', 'integer', (c) => c.notNull().references('teachers.id'))
			.addColumn('expires_at', 'bigint', (c) => c.notNull())
			.addColumn('used_at', 'bigint')
			.execute();
		await db.schema
			.createTable('assignments')
			.addColumn('id', idType(db), (c) => c.primaryKey())
			.addColumn('teacher_id', 'integer', (c) => c.notNull().references('teachers.id'))
			.addColumn('title', 'text', (c) => c.notNull())
			.addColumn('code', 'text', (c) => c.notNull().unique())
			.addColumn('seed', 'text', (c) => c.notNull())
			.addColumn('opens_at', 'bigint', (c) => c.notNull())
			.addColumn('closes_at', 'bigint', (c) => c.notNull())
			.addColumn('attempts', 'integer', (c) => c.notNull())
			.addColumn('carry_forward', 'integer', (c) => c.notNull())
			.addColumn('feedback', 'text', (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('assignments_teacher').on('assignments').column('teacher_id').execute();
		await db.schema
			.createTable('assignment_exercises')
			.addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
			.addColumn('position', 'integer', (c) => c.notNull())
			.addColumn('exercise_id', 'text', (c) => c.notNull())
			.addColumn('source', 'text', (c) => c.notNull())
			.addPrimaryKeyConstraint('assignment_exercises_pk', ['assignment_id', 'position'])
			.execute();
		await db.schema
			.createTable('students')
			.addColumn('id', idType(db), (c) => c.primaryKey())
			.addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
			.addColumn('student_number', 'text', (c) => c.notNull())
			.addColumn('name', 'text', (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addUniqueConstraint('students_number', ['assignment_id', 'student_number'])
			.execute();
		// one session per device a student joined from: the variant is the same on each
		await db.schema
			.createTable('student_sessions')
			.addColumn('token_hash', 'text', (c) => c.primaryKey())
			.addColumn('student_id', 'integer', (c) => c.notNull().references('students.id').onDelete('cascade'))
			.execute();
		await db.schema
			.createTable('drafts')
			.addColumn('student_id', 'integer', (c) => c.notNull().references('students.id').onDelete('cascade'))
			.addColumn('position', 'integer', (c) => c.notNull())
			.addColumn('answers', 'text', (c) => c.notNull())
			.addColumn('updated_at', 'bigint', (c) => c.notNull())
			.addPrimaryKeyConstraint('drafts_pk', ['student_id', 'position'])
			.execute();
		await db.schema
			.createTable('submissions')
			.addColumn('id', idType(db), (c) => c.primaryKey())
			.addColumn('student_id', 'integer', (c) => c.notNull().references('students.id').onDelete('cascade'))
			.addColumn('position', 'integer', (c) => c.notNull())
			.addColumn('attempt', 'integer', (c) => c.notNull())
			// a retried request carries the same key: the constraint, not the application, refuses a duplicate
			.addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
			.addColumn('answers', 'text', (c) => c.notNull())
			.addColumn('points', floatType(db), (c) => c.notNull())
			.addColumn('max', floatType(db), (c) => c.notNull())
			.addColumn('report', 'text', (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addUniqueConstraint('submissions_attempt', ['student_id', 'position', 'attempt'])
			.execute();
		await db.schema
			.createTable('rate_limits')
			.addColumn('key', 'text', (c) => c.primaryKey())
			.addColumn('window_start', 'bigint', (c) => c.notNull())
			.addColumn('count', 'integer', (c) => c.notNull())
			.execute();
	},
	async down(db: Kysely<unknown>) {
		for (const table of ['rate_limits', 'submissions', 'drafts', 'student_sessions', 'students', 'assignment_exercises', 'assignments', 'invitations', 'sessions', 'teachers']) {
			await sql`drop table if exists ${sql.table(table)}`.execute(db);
		}
	}
};

/**
 * A student's numbers, stored when first drawn: a later version of Stepwise may draw others from
 * the same seed (another PRNG, new degeneracy rules, a larger mistake catalogue), and answers
 * are graded against the numbers the student was shown.
 */
const studentVariants: Migration = {
	async up(db: Kysely<unknown>) {
		await db.schema
			.createTable('student_variants')
			.addColumn('student_id', 'integer', (c) => c.notNull().references('students.id').onDelete('cascade'))
			.addColumn('position', 'integer', (c) => c.notNull())
			// JSON: the draw's attempt, the drawn values and the scenario with the student's numbers
			.addColumn('variant', 'text', (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addPrimaryKeyConstraint('student_variants_pk', ['student_id', 'position'])
			.execute();
	},
	async down(db: Kysely<unknown>) {
		await db.schema.dropTable('student_variants').ifExists().execute();
	}
};

/**
 * LTI 1.3: the platforms Stepwise is registered with, its own signing keys, the logins under way,
 * the platform's users and courses bound to Stepwise's teachers, students and assignments, the
 * deep-linking requests waiting for the teacher's choice, and the scores waiting to be sent.
 */
const lti: Migration = {
	async up(db: Kysely<unknown>) {
		await db.schema
			.createTable('lti_keys')
			.addColumn('kid', 'text', (c) => c.primaryKey())
			.addColumn('public_jwk', 'text', (c) => c.notNull())
			.addColumn('private_jwk', 'text', (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			// a retired key signs nothing and is left out of the JWKS
			.addColumn('retired_at', 'bigint')
			.execute();
		await db.schema
			.createTable('lti_platforms')
			.addColumn('id', idType(db), (c) => c.primaryKey())
			.addColumn('name', 'text', (c) => c.notNull())
			.addColumn('issuer', 'text', (c) => c.notNull())
			.addColumn('client_id', 'text', (c) => c.notNull())
			.addColumn('auth_url', 'text', (c) => c.notNull())
			.addColumn('jwks_url', 'text', (c) => c.notNull())
			.addColumn('token_url', 'text', (c) => c.notNull())
			.addColumn('created_by', 'integer', (c) => c.references('teachers.id').onDelete('set null'))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addUniqueConstraint('lti_platforms_client', ['issuer', 'client_id'])
			.execute();
		await db.schema
			.createTable('lti_deployments')
			.addColumn('platform_id', 'integer', (c) => c.notNull().references('lti_platforms.id').onDelete('cascade'))
			.addColumn('deployment_id', 'text', (c) => c.notNull())
			.addPrimaryKeyConstraint('lti_deployments_pk', ['platform_id', 'deployment_id'])
			.execute();
		// a login's state and nonce; kept once used, so that a replay is told from an unknown state
		await db.schema
			.createTable('lti_logins')
			.addColumn('state_hash', 'text', (c) => c.primaryKey())
			.addColumn('nonce', 'text', (c) => c.notNull())
			.addColumn('platform_id', 'integer', (c) => c.notNull().references('lti_platforms.id').onDelete('cascade'))
			.addColumn('expires_at', 'bigint', (c) => c.notNull())
			.addColumn('used_at', 'bigint')
			.execute();
		// an instructor of a platform is a Stepwise teacher
		await db.schema
			.createTable('lti_accounts')
			.addColumn('platform_id', 'integer', (c) => c.notNull().references('lti_platforms.id').onDelete('cascade'))
			.addColumn('subject', 'text', (c) => c.notNull())
			.addColumn('teacher_id', 'integer', (c) => c.notNull().references('teachers.id').onDelete('cascade'))
			.addPrimaryKeyConstraint('lti_accounts_pk', ['platform_id', 'subject'])
			.execute();
		// the other instructors of an assignment's course: they see it as its author does
		await db.schema
			.createTable('assignment_teachers')
			.addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
			.addColumn('teacher_id', 'integer', (c) => c.notNull().references('teachers.id').onDelete('cascade'))
			.addPrimaryKeyConstraint('assignment_teachers_pk', ['assignment_id', 'teacher_id'])
			.execute();
		await db.schema.createIndex('assignment_teachers_teacher').on('assignment_teachers').column('teacher_id').execute();
		// an assignment belongs to one course of one platform; its line item and roster come with launches
		await db.schema
			.createTable('lti_assignments')
			.addColumn('assignment_id', 'integer', (c) => c.primaryKey().references('assignments.id').onDelete('cascade'))
			.addColumn('platform_id', 'integer', (c) => c.notNull().references('lti_platforms.id').onDelete('cascade'))
			.addColumn('deployment_id', 'text', (c) => c.notNull())
			.addColumn('context_id', 'text', (c) => c.notNull())
			.addColumn('context_title', 'text', (c) => c.notNull())
			.addColumn('line_item_url', 'text')
			.addColumn('memberships_url', 'text')
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema
			.createTable('lti_links')
			.addColumn('platform_id', 'integer', (c) => c.notNull().references('lti_platforms.id').onDelete('cascade'))
			.addColumn('resource_link_id', 'text', (c) => c.notNull())
			.addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
			.addPrimaryKeyConstraint('lti_links_pk', ['platform_id', 'resource_link_id'])
			.execute();
		// a student of an assignment launched from a platform, known by the platform's user id
		await db.schema
			.createTable('lti_students')
			.addColumn('student_id', 'integer', (c) => c.primaryKey().references('students.id').onDelete('cascade'))
			.addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
			.addColumn('platform_id', 'integer', (c) => c.notNull().references('lti_platforms.id').onDelete('cascade'))
			.addColumn('subject', 'text', (c) => c.notNull())
			.addUniqueConstraint('lti_students_subject', ['assignment_id', 'platform_id', 'subject'])
			.execute();
		await db.schema
			.createTable('lti_deep_links')
			.addColumn('token_hash', 'text', (c) => c.primaryKey())
			.addColumn('platform_id', 'integer', (c) => c.notNull().references('lti_platforms.id').onDelete('cascade'))
			.addColumn('deployment_id', 'text', (c) => c.notNull())
			.addColumn('context_id', 'text', (c) => c.notNull())
			.addColumn('context_title', 'text', (c) => c.notNull())
			.addColumn('teacher_id', 'integer', (c) => c.notNull().references('teachers.id').onDelete('cascade'))
			.addColumn('return_url', 'text', (c) => c.notNull())
			.addColumn('data', 'text')
			.addColumn('accept_multiple', 'integer', (c) => c.notNull())
			.addColumn('expires_at', 'bigint', (c) => c.notNull())
			.addColumn('used_at', 'bigint')
			.execute();
		// one row a student: the latest score, its version, and the version the platform has
		await db.schema
			.createTable('lti_grades')
			.addColumn('student_id', 'integer', (c) => c.primaryKey().references('students.id').onDelete('cascade'))
			.addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
			.addColumn('score_given', floatType(db), (c) => c.notNull())
			.addColumn('score_maximum', floatType(db), (c) => c.notNull())
			.addColumn('activity_progress', 'text', (c) => c.notNull())
			.addColumn('scored_at', 'bigint', (c) => c.notNull())
			.addColumn('version', 'integer', (c) => c.notNull())
			.addColumn('sent_version', 'integer', (c) => c.notNull())
			.addColumn('status', 'text', (c) => c.notNull())
			.addColumn('tries', 'integer', (c) => c.notNull())
			.addColumn('next_try_at', 'bigint', (c) => c.notNull())
			.addColumn('locked_until', 'bigint', (c) => c.notNull())
			.addColumn('last_error', 'text')
			.addColumn('sent_at', 'bigint')
			.addColumn('sent_score', floatType(db))
			.execute();
		await db.schema.createIndex('lti_grades_assignment').on('lti_grades').column('assignment_id').execute();
		await db.schema.createIndex('lti_grades_due').on('lti_grades').columns(['status', 'next_try_at']).execute();
	},
	async down(db: Kysely<unknown>) {
		for (const table of ['lti_grades', 'lti_deep_links', 'lti_students', 'lti_links', 'lti_assignments', 'assignment_teachers', 'lti_accounts', 'lti_logins', 'lti_deployments', 'lti_platforms', 'lti_keys']) {
			await db.schema.dropTable(table).ifExists().execute();
		}
	}
};

export const MIGRATIONS: Record<string, Migration> = { '0001-initial': initial, '0002-student-variants': studentVariants, '0003-lti': lti };

export const migrationProvider: MigrationProvider = {
	getMigrations: async () => MIGRATIONS
};
