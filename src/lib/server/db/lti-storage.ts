/**
 * LtiStorage over Kysely, the same queries for SQLite and PostgreSQL. What several instances may
 * do at once is one statement that the other cannot interleave: a login or a deep-linking request
 * is used by an update that only one of them matches, a grade row is claimed by an update of its
 * lock, and an enrolment that lost a race to the same user reads the winner's row.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Student } from '../storage';
import {
	PlatformTaken,
	type ActivityProgress,
	type AssignmentBinding,
	type DeepLinkRequest,
	type GradeStatus,
	type Login,
	type LoginUse,
	type LtiStorage,
	type Platform,
	type PlatformInput,
	type QueuedGrade,
	type ScoreInput,
	type StoredKey
} from '../lti/storage';
import { isUniqueViolation, studentOf } from './rows';
import type { Database } from './schema';



const gradeOf = (row: Selectable<Database['lti_grades']>): QueuedGrade => ({
	assignmentId: Number(row.assignment_id),
	studentId: Number(row.student_id),
	scoreGiven: Number(row.score_given),
	scoreMaximum: Number(row.score_maximum),
	activityProgress: row.activity_progress as ActivityProgress,
	scoredAt: Number(row.scored_at),
	version: Number(row.version),
	sentVersion: Number(row.sent_version),
	status: row.status as GradeStatus,
	tries: Number(row.tries),
	nextTryAt: Number(row.next_try_at),
	lastError: row.last_error,
	sentAt: row.sent_at === null ? null : Number(row.sent_at),
	sentScore: row.sent_score === null ? null : Number(row.sent_score)
});

const deepLinkOf = (row: Selectable<Database['lti_deep_links']>): DeepLinkRequest => ({
	tokenHash: row.token_hash,
	platformId: Number(row.platform_id),
	deploymentId: row.deployment_id,
	contextId: row.context_id,
	contextTitle: row.context_title,
	teacherId: Number(row.teacher_id),
	returnUrl: row.return_url,
	data: row.data,
	acceptMultiple: Number(row.accept_multiple) === 1,
	expiresAt: Number(row.expires_at)
});

export class KyselyLtiStorage implements LtiStorage {
	constructor(private readonly db: Kysely<Database>) {}

	async keys(publishedSince: number): Promise<StoredKey[]> {
		const rows = await this.db
			.selectFrom('lti_keys')
			.selectAll()
			.where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', publishedSince)]))
			.orderBy('created_at', 'desc')
			.execute();
		return rows.map((r) => ({ kid: r.kid, publicJwk: r.public_jwk, privateJwk: r.private_jwk, createdAt: Number(r.created_at), retiredAt: r.retired_at === null ? null : Number(r.retired_at) }));
	}

	async addKey(key: StoredKey): Promise<void> {
		await this.db.insertInto('lti_keys').values({ kid: key.kid, public_jwk: key.publicJwk, private_jwk: key.privateJwk, created_at: key.createdAt, retired_at: key.retiredAt }).execute();
	}

	async retireKeysBut(kid: string, now: number): Promise<void> {
		await this.db.updateTable('lti_keys').set({ retired_at: now }).where('kid', '!=', kid).where('retired_at', 'is', null).execute();
	}

	private async platformOf(row: Selectable<Database['lti_platforms']>, db: Kysely<Database> | Transaction<Database> = this.db): Promise<Platform> {
		const deployments = await db.selectFrom('lti_deployments').select('deployment_id').where('platform_id', '=', row.id).orderBy('deployment_id').execute();
		return {
			id: Number(row.id),
			name: row.name,
			issuer: row.issuer,
			clientId: row.client_id,
			deploymentIds: deployments.map((d) => d.deployment_id),
			authUrl: row.auth_url,
			jwksUrl: row.jwks_url,
			tokenUrl: row.token_url,
			createdBy: row.created_by === null ? null : Number(row.created_by),
			createdAt: Number(row.created_at)
		};
	}

	private columnsOf(input: PlatformInput) {
		return { name: input.name, issuer: input.issuer, client_id: input.clientId, auth_url: input.authUrl, jwks_url: input.jwksUrl, token_url: input.tokenUrl };
	}

	async addPlatform(input: PlatformInput, createdBy: number | null, now: number): Promise<Platform> {
		try {
			return await this.db.transaction().execute(async (trx) => {
				const row = await trx
					.insertInto('lti_platforms')
					.values({ ...this.columnsOf(input), created_by: createdBy, created_at: now })
					.returningAll()
					.executeTakeFirstOrThrow();
				if (input.deploymentIds.length > 0) await trx.insertInto('lti_deployments').values(input.deploymentIds.map((d) => ({ platform_id: Number(row.id), deployment_id: d }))).execute();
				return this.platformOf(row, trx);
			});
		} catch (error) {
			if (isUniqueViolation(error)) throw new PlatformTaken(`${input.issuer} is registered already with the client id ${input.clientId}`);
			throw error;
		}
	}

	async updatePlatform(id: number, input: PlatformInput): Promise<Platform | undefined> {
		try {
			return await this.db.transaction().execute(async (trx) => {
				const row = await trx.updateTable('lti_platforms').set(this.columnsOf(input)).where('id', '=', id).returningAll().executeTakeFirst();
				if (!row) return undefined;
				await trx.deleteFrom('lti_deployments').where('platform_id', '=', id).execute();
				if (input.deploymentIds.length > 0) await trx.insertInto('lti_deployments').values(input.deploymentIds.map((d) => ({ platform_id: id, deployment_id: d }))).execute();
				return this.platformOf(row, trx);
			});
		} catch (error) {
			if (isUniqueViolation(error)) throw new PlatformTaken(`${input.issuer} is registered already with the client id ${input.clientId}`);
			throw error;
		}
	}

	async removePlatform(id: number): Promise<boolean> {
		const removed = await this.db.deleteFrom('lti_platforms').where('id', '=', id).executeTakeFirst();
		return Number(removed.numDeletedRows) > 0;
	}

	async platforms(): Promise<Platform[]> {
		const rows = await this.db.selectFrom('lti_platforms').selectAll().orderBy('id').execute();
		return Promise.all(rows.map((r) => this.platformOf(r)));
	}

	async platformById(id: number): Promise<Platform | undefined> {
		const row = await this.db.selectFrom('lti_platforms').selectAll().where('id', '=', id).executeTakeFirst();
		return row && this.platformOf(row);
	}

	async platformsByIssuer(issuer: string): Promise<Platform[]> {
		const rows = await this.db.selectFrom('lti_platforms').selectAll().where('issuer', '=', issuer).orderBy('id').execute();
		return Promise.all(rows.map((r) => this.platformOf(r)));
	}

	async createLogin(login: Login): Promise<void> {
		await this.db.insertInto('lti_logins').values({ state_hash: login.stateHash, nonce: login.nonce, platform_id: login.platformId, expires_at: login.expiresAt, used_at: null }).execute();
	}

	async useLogin(stateHash: string, now: number): Promise<LoginUse> {
		const used = await this.db
			.updateTable('lti_logins')
			.set({ used_at: now })
			.where('state_hash', '=', stateHash)
			.where('used_at', 'is', null)
			.where('expires_at', '>', now)
			.returningAll()
			.executeTakeFirst();
		if (used) return { ok: true, login: { stateHash: used.state_hash, nonce: used.nonce, platformId: Number(used.platform_id), expiresAt: Number(used.expires_at) } };
		const known = await this.db.selectFrom('lti_logins').select(['used_at', 'expires_at']).where('state_hash', '=', stateHash).executeTakeFirst();
		return { ok: false, reason: !known ? 'unknown' : known.used_at !== null ? 'replayed' : 'expired' };
	}

	async pruneLogins(before: number): Promise<void> {
		await this.db.deleteFrom('lti_logins').where('expires_at', '<', before).execute();
		await this.db.deleteFrom('lti_deep_links').where('expires_at', '<', before).execute();
	}

	async teacherOfSubject(platformId: number, subject: string): Promise<number | undefined> {
		const row = await this.db.selectFrom('lti_accounts').select('teacher_id').where('platform_id', '=', platformId).where('subject', '=', subject).executeTakeFirst();
		return row && Number(row.teacher_id);
	}

	async linkAccount(platformId: number, subject: string, teacherId: number): Promise<void> {
		await this.db
			.insertInto('lti_accounts')
			.values({ platform_id: platformId, subject, teacher_id: teacherId })
			.onConflict((oc) => oc.columns(['platform_id', 'subject']).doNothing())
			.execute();
	}

	async shareAssignment(assignmentId: number, teacherId: number): Promise<void> {
		await this.db
			.insertInto('assignment_teachers')
			.values({ assignment_id: assignmentId, teacher_id: teacherId })
			.onConflict((oc) => oc.columns(['assignment_id', 'teacher_id']).doNothing())
			.execute();
	}

	async sharedWith(assignmentId: number, teacherId: number): Promise<boolean> {
		const row = await this.db.selectFrom('assignment_teachers').select('teacher_id').where('assignment_id', '=', assignmentId).where('teacher_id', '=', teacherId).executeTakeFirst();
		return row !== undefined;
	}

	async sharedAssignmentIds(teacherId: number): Promise<number[]> {
		const rows = await this.db.selectFrom('assignment_teachers').select('assignment_id').where('teacher_id', '=', teacherId).execute();
		return rows.map((r) => Number(r.assignment_id));
	}

	async bindAssignment(b: AssignmentBinding): Promise<void> {
		await this.db
			.insertInto('lti_assignments')
			.values({
				assignment_id: b.assignmentId,
				platform_id: b.platformId,
				deployment_id: b.deploymentId,
				context_id: b.contextId,
				context_title: b.contextTitle,
				line_item_url: b.lineItemUrl,
				memberships_url: b.membershipsUrl,
				created_at: b.createdAt
			})
			.onConflict((oc) => oc.column('assignment_id').doNothing())
			.execute();
	}

	async bindingOf(assignmentId: number): Promise<AssignmentBinding | undefined> {
		const row = await this.db.selectFrom('lti_assignments').selectAll().where('assignment_id', '=', assignmentId).executeTakeFirst();
		return (
			row && {
				assignmentId: Number(row.assignment_id),
				platformId: Number(row.platform_id),
				deploymentId: row.deployment_id,
				contextId: row.context_id,
				contextTitle: row.context_title,
				lineItemUrl: row.line_item_url,
				membershipsUrl: row.memberships_url,
				createdAt: Number(row.created_at)
			}
		);
	}

	async updateServices(assignmentId: number, services: { lineItemUrl?: string; membershipsUrl?: string }): Promise<void> {
		const set = { ...(services.lineItemUrl ? { line_item_url: services.lineItemUrl } : {}), ...(services.membershipsUrl ? { memberships_url: services.membershipsUrl } : {}) };
		if (Object.keys(set).length > 0) await this.db.updateTable('lti_assignments').set(set).where('assignment_id', '=', assignmentId).execute();
	}

	async assignmentOfLink(platformId: number, resourceLinkId: string): Promise<number | undefined> {
		const row = await this.db.selectFrom('lti_links').select('assignment_id').where('platform_id', '=', platformId).where('resource_link_id', '=', resourceLinkId).executeTakeFirst();
		return row && Number(row.assignment_id);
	}

	async addLink(platformId: number, resourceLinkId: string, assignmentId: number): Promise<void> {
		await this.db
			.insertInto('lti_links')
			.values({ platform_id: platformId, resource_link_id: resourceLinkId, assignment_id: assignmentId })
			.onConflict((oc) => oc.columns(['platform_id', 'resource_link_id']).doNothing())
			.execute();
	}

	async enrolStudent(e: { assignmentId: number; platformId: number; subject: string; studentNumber: string; name: string; tokenHash: string; now: number }): Promise<Student> {
		try {
			return await this.enrolOnce(e);
		} catch (error) {
			// the same user's first launch from two tabs at once: the other one's row exists now
			if (!isUniqueViolation(error)) throw error;
			return this.enrolOnce(e);
		}
	}

	private enrolOnce(e: { assignmentId: number; platformId: number; subject: string; studentNumber: string; name: string; tokenHash: string; now: number }): Promise<Student> {
		return this.db.transaction().execute(async (trx) => {
			const known = await trx
				.selectFrom('lti_students')
				.innerJoin('students', 'students.id', 'lti_students.student_id')
				.selectAll('students')
				.where('lti_students.assignment_id', '=', e.assignmentId)
				.where('lti_students.platform_id', '=', e.platformId)
				.where('lti_students.subject', '=', e.subject)
				.executeTakeFirst();
			let row = known;
			if (!row) {
				const sameNumber = await trx.selectFrom('students').selectAll().where('assignment_id', '=', e.assignmentId).where('student_number', '=', e.studentNumber).executeTakeFirst();
				const linked = sameNumber && (await trx.selectFrom('lti_students').select('subject').where('student_id', '=', sameNumber.id).executeTakeFirst());
				// a number already held by another platform user is not taken over: the user id is the number then
				const number = sameNumber && linked ? `lti-${e.subject}`.slice(0, 64) : e.studentNumber;
				row =
					sameNumber && !linked
						? sameNumber
						: await trx.insertInto('students').values({ assignment_id: e.assignmentId, student_number: number, name: e.name, created_at: e.now }).returningAll().executeTakeFirstOrThrow();
				await trx.insertInto('lti_students').values({ student_id: Number(row.id), assignment_id: e.assignmentId, platform_id: e.platformId, subject: e.subject }).execute();
			} else if (row.name !== e.name) {
				// the platform's name is the one the teacher knows: a change there shows here
				row = await trx.updateTable('students').set({ name: e.name }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
			}
			await trx.insertInto('student_sessions').values({ token_hash: e.tokenHash, student_id: Number(row.id) }).execute();
			return studentOf(row);
		});
	}

	async subjectsOf(assignmentId: number): Promise<Map<number, string>> {
		const rows = await this.db.selectFrom('lti_students').select(['student_id', 'subject']).where('assignment_id', '=', assignmentId).execute();
		return new Map(rows.map((r) => [Number(r.student_id), r.subject]));
	}

	async createDeepLink(r: DeepLinkRequest): Promise<void> {
		await this.db
			.insertInto('lti_deep_links')
			.values({
				token_hash: r.tokenHash,
				platform_id: r.platformId,
				deployment_id: r.deploymentId,
				context_id: r.contextId,
				context_title: r.contextTitle,
				teacher_id: r.teacherId,
				return_url: r.returnUrl,
				data: r.data,
				accept_multiple: r.acceptMultiple ? 1 : 0,
				expires_at: r.expiresAt,
				used_at: null
			})
			.execute();
	}

	async deepLinkOf(tokenHash: string, now: number): Promise<DeepLinkRequest | undefined> {
		const row = await this.db.selectFrom('lti_deep_links').selectAll().where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
		return row && deepLinkOf(row);
	}

	async useDeepLink(tokenHash: string, now: number): Promise<DeepLinkRequest | undefined> {
		const row = await this.db
			.updateTable('lti_deep_links')
			.set({ used_at: now })
			.where('token_hash', '=', tokenHash)
			.where('used_at', 'is', null)
			.where('expires_at', '>', now)
			.returningAll()
			.executeTakeFirst();
		return row && deepLinkOf(row);
	}

	async queueScore(s: ScoreInput, now: number): Promise<QueuedGrade> {
		return this.db.transaction().execute(async (trx) => {
			const current = await trx.selectFrom('lti_grades').selectAll().where('student_id', '=', s.studentId).executeTakeFirst();
			if (!current) {
				const row = await trx
					.insertInto('lti_grades')
					.values({
						student_id: s.studentId,
						assignment_id: s.assignmentId,
						score_given: s.scoreGiven,
						score_maximum: s.scoreMaximum,
						activity_progress: s.activityProgress,
						scored_at: now,
						version: 1,
						sent_version: 0,
						status: 'waiting',
						tries: 0,
						next_try_at: now,
						locked_until: 0,
						last_error: null,
						sent_at: null,
						sent_score: null
					})
					.returningAll()
					.executeTakeFirstOrThrow();
				return gradeOf(row);
			}
			const same = Number(current.score_given) === s.scoreGiven && Number(current.score_maximum) === s.scoreMaximum && current.activity_progress === s.activityProgress;
			if (same) return gradeOf(current);
			const row = await trx
				.updateTable('lti_grades')
				.set({
					score_given: s.scoreGiven,
					score_maximum: s.scoreMaximum,
					activity_progress: s.activityProgress,
					scored_at: Math.max(now, Number(current.scored_at) + 1),
					version: Number(current.version) + 1,
					status: 'waiting',
					tries: 0,
					next_try_at: now,
					last_error: null
				})
				.where('student_id', '=', s.studentId)
				.returningAll()
				.executeTakeFirstOrThrow();
			return gradeOf(row);
		});
	}

	async claimDueGrades(now: number, lockMs: number, limit: number): Promise<QueuedGrade[]> {
		const due = await this.db
			.selectFrom('lti_grades')
			.select('student_id')
			.where('status', '=', 'waiting')
			.where('next_try_at', '<=', now)
			.where('locked_until', '<=', now)
			.orderBy('next_try_at')
			.limit(limit)
			.execute();
		const claimed: QueuedGrade[] = [];
		for (const { student_id } of due) {
			const row = await this.db
				.updateTable('lti_grades')
				.set({ locked_until: now + lockMs })
				.where('student_id', '=', student_id)
				.where('status', '=', 'waiting')
				.where('locked_until', '<=', now)
				.returningAll()
				.executeTakeFirst();
			if (row) claimed.push(gradeOf(row));
		}
		return claimed;
	}

	async gradeSent(studentId: number, version: number, score: number, now: number): Promise<void> {
		await this.db
			.updateTable('lti_grades')
			.set((eb) => ({
				sent_version: version,
				sent_at: now,
				sent_score: score,
				status: eb.case().when('version', '=', version).then('sent').else('waiting').end(),
				tries: 0,
				last_error: null,
				locked_until: 0
			}))
			.where('student_id', '=', studentId)
			.where('sent_version', '<', version)
			.execute();
	}

	async gradeFailed(studentId: number, version: number, error: string, nextTryAt: number | null): Promise<void> {
		await this.db
			.updateTable('lti_grades')
			.set((eb) => ({
				tries: eb(eb.ref('tries'), '+', 1),
				last_error: error.slice(0, 500),
				next_try_at: nextTryAt ?? 0,
				status: nextTryAt === null ? 'failed' : 'waiting',
				locked_until: 0
			}))
			.where('student_id', '=', studentId)
			// a newer score queued meanwhile starts its own tries
			.where('version', '=', version)
			.execute();
		await this.db.updateTable('lti_grades').set({ locked_until: 0 }).where('student_id', '=', studentId).execute();
	}

	async gradesOf(assignmentId: number): Promise<QueuedGrade[]> {
		const rows = await this.db.selectFrom('lti_grades').selectAll().where('assignment_id', '=', assignmentId).execute();
		return rows.map(gradeOf);
	}

	async resendAll(assignmentId: number, now: number): Promise<number> {
		const updated = await this.db
			.updateTable('lti_grades')
			.set((eb) => ({
				version: eb(eb.ref('version'), '+', 1),
				scored_at: sql<number>`case when ${sql.ref('scored_at')} + 1 > ${now} then ${sql.ref('scored_at')} + 1 else ${now} end`,
				status: 'waiting',
				tries: 0,
				next_try_at: now,
				last_error: null
			}))
			.where('assignment_id', '=', assignmentId)
			.executeTakeFirst();
		return Number(updated.numUpdatedRows);
	}
}
