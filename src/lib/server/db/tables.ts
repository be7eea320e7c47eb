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
	{ name: 'rate_limits', key: ['key'], serial: false },
	{ name: 'lti_keys', key: ['kid'], serial: false },
	{ name: 'lti_platforms', key: ['id'], serial: true },
	{ name: 'lti_deployments', key: ['platform_id', 'deployment_id'], serial: false },
	{ name: 'lti_logins', key: ['state_hash'], serial: false },
	{ name: 'lti_accounts', key: ['platform_id', 'subject'], serial: false },
	{ name: 'assignment_teachers', key: ['assignment_id', 'teacher_id'], serial: false },
	{ name: 'lti_assignments', key: ['assignment_id'], serial: false },
	{ name: 'lti_links', key: ['platform_id', 'resource_link_id'], serial: false },
	{ name: 'lti_students', key: ['student_id'], serial: false },
	{ name: 'lti_deep_links', key: ['token_hash'], serial: false },
	{ name: 'lti_grades', key: ['student_id'], serial: false }
];
