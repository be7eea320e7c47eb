/**
 * What LTI 1.3 stores, behind its own interface beside Storage (reached as `storage.lti`): the
 * platforms, Stepwise's signing keys, the logins under way, the bindings of a platform's users,
 * courses and links to Stepwise's teachers, students and assignments, the deep-linking requests
 * waiting for a teacher's choice, and the grade queue. Times are milliseconds since the epoch.
 */
import type { Student } from '../storage';

export interface StoredKey {
	kid: string;
	/** JSON of the JWKs */
	publicJwk: string;
	privateJwk: string;
	createdAt: number;
	retiredAt: number | null;
}

export interface PlatformInput {
	name: string;
	issuer: string;
	clientId: string;
	deploymentIds: string[];
	/** the platform's OIDC authorisation endpoint, where a login is sent */
	authUrl: string;
	jwksUrl: string;
	/** the OAuth 2 token endpoint of the services (grades, roster) */
	tokenUrl: string;
}

export interface Platform extends PlatformInput {
	id: number;
	createdBy: number | null;
	createdAt: number;
}

export interface Login {
	stateHash: string;
	nonce: string;
	platformId: number;
	expiresAt: number;
}

export type LoginUse = { ok: true; login: Login } | { ok: false; reason: 'unknown' | 'expired' | 'replayed' };

/** An assignment bound to one course (context) of one platform. */
export interface AssignmentBinding {
	assignmentId: number;
	platformId: number;
	deploymentId: string;
	contextId: string;
	contextTitle: string;
	/** where its scores go (AGS), learned from a launch */
	lineItemUrl: string | null;
	/** its course's roster (NRPS), learned from a launch */
	membershipsUrl: string | null;
	createdAt: number;
}

export interface DeepLinkRequest {
	tokenHash: string;
	platformId: number;
	deploymentId: string;
	contextId: string;
	contextTitle: string;
	teacherId: number;
	returnUrl: string;
	/** the platform's `data`, echoed in the response */
	data: string | null;
	acceptMultiple: boolean;
	expiresAt: number;
}

export type GradeStatus = 'waiting' | 'sent' | 'failed';

/** AGS's activityProgress, as Stepwise reports it. */
export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';

export interface ScoreInput {
	assignmentId: number;
	studentId: number;
	scoreGiven: number;
	scoreMaximum: number;
	activityProgress: ActivityProgress;
}

/** A student's row of the grade queue: the latest score and what the platform has of it. */
export interface QueuedGrade extends ScoreInput {
	/** the score's timestamp as sent: strictly increasing, so the platform never takes an older one for newer */
	scoredAt: number;
	version: number;
	sentVersion: number;
	status: GradeStatus;
	tries: number;
	nextTryAt: number;
	lastError: string | null;
	sentAt: number | null;
	sentScore: number | null;
}

export interface LtiStorage {
	/** the keys not retired, newest first, and those retired after `publishedSince` (still in the JWKS) */
	keys(publishedSince: number): Promise<StoredKey[]>;
	addKey(key: StoredKey): Promise<void>;
	/** retires every key but `kid` */
	retireKeysBut(kid: string, now: number): Promise<void>;

	/** throws PlatformTaken when the issuer and client id are registered already */
	addPlatform(input: PlatformInput, createdBy: number | null, now: number): Promise<Platform>;
	updatePlatform(id: number, input: PlatformInput): Promise<Platform | undefined>;
	removePlatform(id: number): Promise<boolean>;
	platforms(): Promise<Platform[]>;
	platformById(id: number): Promise<Platform | undefined>;
	platformsByIssuer(issuer: string): Promise<Platform[]>;

	createLogin(login: Login): Promise<void>;
	/** marks the login used, once: a second use, or a use after it expired, is refused and says which */
	useLogin(stateHash: string, now: number): Promise<LoginUse>;
	/** forgets the logins that expired before `before` */
	pruneLogins(before: number): Promise<void>;

	teacherOfSubject(platformId: number, subject: string): Promise<number | undefined>;
	linkAccount(platformId: number, subject: string, teacherId: number): Promise<void>;
	shareAssignment(assignmentId: number, teacherId: number): Promise<void>;
	sharedWith(assignmentId: number, teacherId: number): Promise<boolean>;
	sharedAssignmentIds(teacherId: number): Promise<number[]>;

	bindAssignment(binding: AssignmentBinding): Promise<void>;
	bindingOf(assignmentId: number): Promise<AssignmentBinding | undefined>;
	/** the services' URLs as the latest launch gave them */
	updateServices(assignmentId: number, services: { lineItemUrl?: string; membershipsUrl?: string }): Promise<void>;
	assignmentOfLink(platformId: number, resourceLinkId: string): Promise<number | undefined>;
	addLink(platformId: number, resourceLinkId: string, assignmentId: number): Promise<void>;

	/**
	 * The student of a platform's user in an assignment, created at their first launch, with a new
	 * session (`tokenHash`). A student who joined with a code under the same student number is
	 * that student: the platform vouches for the number.
	 */
	enrolStudent(enrolment: { assignmentId: number; platformId: number; subject: string; studentNumber: string; name: string; tokenHash: string; now: number }): Promise<Student>;
	/** the platform user ids of an assignment's students, by student id */
	subjectsOf(assignmentId: number): Promise<Map<number, string>>;

	createDeepLink(request: DeepLinkRequest): Promise<void>;
	/** the request while it is neither used nor expired */
	deepLinkOf(tokenHash: string, now: number): Promise<DeepLinkRequest | undefined>;
	/** marks it used, once; undefined when it was used, expired or never existed */
	useDeepLink(tokenHash: string, now: number): Promise<DeepLinkRequest | undefined>;

	/** queues a student's score; the same score and progress as the latest queues nothing */
	queueScore(score: ScoreInput, now: number): Promise<QueuedGrade>;
	/** the rows due to be sent, each locked for `lockMs` to this caller (another instance skips them) */
	claimDueGrades(now: number, lockMs: number, limit: number): Promise<QueuedGrade[]>;
	/** the version sent was received; a newer version queued meanwhile stays waiting */
	gradeSent(studentId: number, version: number, score: number, now: number): Promise<void>;
	/** the send failed: tried again at `nextTryAt`, or given up (`failed`) when it is null */
	gradeFailed(studentId: number, version: number, error: string, nextTryAt: number | null): Promise<void>;
	gradesOf(assignmentId: number): Promise<QueuedGrade[]>;
	/** queues every student's latest score again, as a new version */
	resendAll(assignmentId: number, now: number): Promise<number>;
}

export class PlatformTaken extends Error {}
