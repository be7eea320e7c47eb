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

export const MIGRATIONS: Record<string, Migration> = { '0001-initial': initial, '0002-student-variants': studentVariants };

export const migrationProvider: MigrationProvider = {
	getMigrations: async () => MIGRATIONS
};
