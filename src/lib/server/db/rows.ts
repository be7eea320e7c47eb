/** What both storages read from rows and errors the same way. */
import type { Selectable } from 'kysely';
import type { Student } from '../storage';
import type { Database } from './schema';

/** A unique or primary key constraint refused the write, on SQLite or on PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
	const e = error as { code?: string };
	return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

export const studentOf = (row: Selectable<Database['students']>): Student => ({
	id: Number(row.id),
	assignmentId: Number(row.assignment_id),
	studentNumber: row.student_number,
	name: row.name,
	createdAt: Number(row.created_at)
});
