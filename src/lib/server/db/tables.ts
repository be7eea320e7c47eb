/**
 * Every table of the schema, in an order in which each one's references come before it, with
 * its primary key: what `db copy` walks. Its check refuses a database with other tables, so a
 * table added by a later migration cannot be left behind by a copy.
 */
import type { Database } from './schema';

export interface TableInfo {
	name: keyof Database;
	key: readonly string[];
	/** an auto-numbered id, whose PostgreSQL sequence must go on after the copied rows */
	serial: boolean;
}

export const TABLES: readonly TableInfo[] = [
	{ name: 'teachers', key: ['id'], serial: true },
	{ name: 'sessions', key: ['token_hash'], serial: false },
	{ name: 'invitations', key: ['token_hash'], serial: false },
	{ name: 'assignments', key: ['id'], serial: true },
	{ name: 'assignment_exercises', key: ['assignment_id', 'position'], serial: false },
	{ name: 'students', key: ['id'], serial: true },
	{ name: 'student_sessions', key: ['token_hash'], serial: false },
	{ name: 'student_variants', key: ['student_id', 'position'], serial: false },
	{ name: 'drafts', key: ['student_id', 'position'], serial: false },
	{ name: 'submissions', key: ['id'], serial: true },
	{ name: 'rate_limits', key: ['key'], serial: false }
];
