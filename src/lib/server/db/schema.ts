/** The tables, as Kysely sees them (snake_case, as SQL writes them). */
import type { Generated } from 'kysely';

export interface Database {
	teachers: { id: Generated<number>; email: string; name: string; password_hash: string; created_at: number };
	sessions: { token_hash: string; teacher_id: number; expires_at: number };
	invitations: { token_hash: string; email: string; invited_by: number; expires_at: number; used_at: number | null };
	assignments: {
		id: Generated<number>;
		teacher_id: number;
		title: string;
		code: string;
		seed: string;
		opens_at: number;
		closes_at: number;
		attempts: number;
		carry_forward: number;
		feedback: string;
		created_at: number;
	};
	assignment_exercises: { assignment_id: number; position: number; exercise_id: string; source: string };
	students: { id: Generated<number>; assignment_id: number; student_number: string; name: string; created_at: number };
	student_sessions: { token_hash: string; student_id: number };
	student_variants: { student_id: number; position: number; variant: string; created_at: number };
	drafts: { student_id: number; position: number; answers: string; updated_at: number };
	submissions: {
		id: Generated<number>;
		student_id: number;
		position: number;
		attempt: number;
		idempotency_key: string;
		answers: string;
		points: number;
		max: number;
		report: string;
		created_at: number;
	};
	rate_limits: { key: string; window_start: number; count: number };
}
