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
	lti_keys: { kid: string; public_jwk: string; private_jwk: string; created_at: number; retired_at: number | null };
	lti_platforms: { id: Generated<number>; name: string; issuer: string; client_id: string; auth_url: string; jwks_url: string; token_url: string; created_by: number | null; created_at: number };
	lti_deployments: { platform_id: number; deployment_id: string };
	lti_logins: { state_hash: string; nonce: string; platform_id: number; expires_at: number; used_at: number | null };
	lti_accounts: { platform_id: number; subject: string; teacher_id: number };
	assignment_teachers: { assignment_id: number; teacher_id: number };
	lti_assignments: {
		assignment_id: number;
		platform_id: number;
		deployment_id: string;
		context_id: string;
		context_title: string;
		line_item_url: string | null;
		memberships_url: string | null;
		created_at: number;
	};
	lti_links: { platform_id: number; resource_link_id: string; assignment_id: number };
	lti_students: { student_id: number; assignment_id: number; platform_id: number; subject: string };
	lti_deep_links: {
		token_hash: string;
		platform_id: number;
		deployment_id: string;
		context_id: string;
		context_title: string;
		teacher_id: number;
		return_url: string;
		data: string | null;
		accept_multiple: number;
		expires_at: number;
		used_at: number | null;
	};
	lti_grades: {
		student_id: number;
		assignment_id: number;
		score_given: number;
		score_maximum: number;
		activity_progress: string;
		scored_at: number;
		version: number;
		sent_version: number;
		status: string;
		tries: number;
		next_try_at: number;
		locked_until: number;
		last_error: string | null;
		sent_at: number | null;
		sent_score: number | null;
	};
}
