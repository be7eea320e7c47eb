/**
 * Forged LTI launches against the built server, on SQLite and on PostgreSQL. Each one goes
 * through a real login (the state and nonce Stepwise hands out), then posts an id_token that the
 * test platform signed and the test altered: every one is refused with its one sentence, and
 * creates nothing (no teacher, student, session, link or deep-linking request). A control launch
 * made the same way without the alteration is let in, so the table proves the checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { parseLocation } from '../../src/lib/server/db/location';
import { openDatabase } from '../../src/lib/server/db/open';
import type { Database } from '../../src/lib/server/db/schema';
import type { Assignment, Storage } from '../../src/lib/server/storage';
import { CLAIM, ROLE, startPlatform, type TestLaunch, type TestPlatform, type TestUser } from '../lti/platform';
import { startApp, type AppServer } from './app-server';
import { backends, type Backend } from './backends';

const STUDENT: TestUser = { sub: 'moodle-301', name: 'Inès Moreau', roles: [ROLE.learner], personSourcedId: '21930001' };
const TEACHER: TestUser = { sub: 'moodle-7', name: 'Prof Laurent', email: 'laurent@univ.fr', roles: [ROLE.instructor] };
const COUNTED = ['teachers', 'sessions', 'students', 'student_sessions', 'lti_accounts', 'lti_students', 'lti_links', 'assignment_teachers', 'lti_deep_links', 'assignments'] as const;

interface Context {
	app: AppServer;
	platform: TestPlatform;
	db: Storage;
	/** the same database, table by table */
	tables: Kysely<Database>;
	assignment: Assignment;
}

/** The login through Stepwise: its redirect to the platform carries the state and nonce a launch must bring back. */
async function login(ctx: Context, launch: TestLaunch): Promise<{ state: string; nonce: string }> {
	const response = await fetch(`${ctx.app.url}/lti/login`, {
		method: 'POST',
		body: new URLSearchParams(ctx.platform.loginForm(launch)),
		headers: { origin: ctx.platform.url },
		redirect: 'manual'
	});
	expect(response.status).toBe(303);
	const request = new URL(response.headers.get('location') ?? '');
	expect(request.origin + request.pathname).toBe(ctx.platform.authUrl);
	return { state: request.searchParams.get('state') ?? '', nonce: request.searchParams.get('nonce') ?? '' };
}

async function post(ctx: Context, idToken: string, state: string): Promise<{ status: number; location: string | null; refusal: string | null; text: string }> {
	const response = await fetch(`${ctx.app.url}/lti/launch`, {
		method: 'POST',
		body: new URLSearchParams({ id_token: idToken, state }),
		headers: { origin: ctx.platform.url, 'accept-language': 'en' },
		redirect: 'manual'
	});
	const text = await response.text();
	return { status: response.status, location: response.headers.get('location'), refusal: /data-refusal="([a-z_]+)"/.exec(text)?.[1] ?? null, text };
}

async function counts(ctx: Context): Promise<Record<string, number>> {
	const entries = await Promise.all(COUNTED.map(async (table) => [table, Number((await ctx.tables.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)] as const));
	return Object.fromEntries(entries);
}

const launchOf = (ctx: Context, user: TestUser = STUDENT): TestLaunch => ({ user, resourceLinkId: 'link-forged', custom: { stepwise_assignment: String(ctx.assignment.id) } });

type Forgery = {
	name: string;
	refusal: string;
	launch?: (ctx: Context) => TestLaunch;
	/** alters the claims the platform would sign */
	claims?: (claims: Record<string, unknown>, ctx: Context) => void;
	sign?: Parameters<TestPlatform['signIdToken']>[1];
};

const nowS = (): number => Math.floor(Date.now() / 1000);

const FORGERIES: Forgery[] = [
	{ name: 'a wrong signature (another key under the platform’s key id)', refusal: 'bad_signature', sign: { key: 'stranger', kid: 'platform' } },
	{ name: 'a key that is not in the platform’s JWKS', refusal: 'bad_signature', sign: { key: 'stranger' } },
	{ name: 'alg: none', refusal: 'bad_signature', sign: { alg: 'none' } },
	{ name: 'a wrong audience', refusal: 'wrong_audience', claims: (c) => void (c.aud = 'another-tool') },
	{ name: 'another issuer', refusal: 'wrong_issuer', claims: (c) => void (c.iss = 'https://moodle.example.org') },
	{ name: 'an expired token', refusal: 'expired', claims: (c) => Object.assign(c, { iat: nowS() - 7200, exp: nowS() - 3600 }) },
	{ name: 'another nonce than the login’s', refusal: 'replayed', claims: (c) => void (c.nonce = 'a-nonce-of-another-login') },
	{ name: 'an unknown deployment', refusal: 'unknown_deployment', claims: (c) => void (c[CLAIM.deploymentId] = 'deployment-unknown') },
	{ name: 'another LTI version', refusal: 'wrong_message', claims: (c) => void (c[CLAIM.version] = '1.1') },
	{ name: 'a message type Stepwise does not handle', refusal: 'wrong_message', claims: (c) => void (c[CLAIM.messageType] = 'LtiSubmissionReviewRequest') },
	{ name: 'no user id', refusal: 'invalid_token', claims: (c) => void delete c.sub },
	{
		name: 'a student claiming the instructor role of another course',
		refusal: 'other_context',
		launch: (ctx) => ({ ...launchOf(ctx, { ...STUDENT, roles: [ROLE.instructor] }), context: { id: 'course-other', title: 'Another course' } })
	},
	{ name: 'a learner asking to add an activity', refusal: 'not_instructor', launch: () => ({ user: STUDENT, messageType: 'LtiDeepLinkingRequest' }) }
];

describe.each(backends('lti_forged'))('forged launches on %s', (_, open) => {
	let backend: Backend;
	const ctx = {} as Context;
	beforeAll(async () => {
		backend = await open();
		ctx.app = await startApp(backend.database);
		ctx.platform = await startPlatform({ toolUrl: ctx.app.url });
		ctx.db = await backend.open();
		ctx.tables = await openDatabase(parseLocation(backend.database, 'the test database'));
		const registered = await ctx.db.lti.addPlatform(
			{ name: 'Moodle de test', issuer: ctx.platform.issuer, clientId: ctx.platform.clientId, deploymentIds: [ctx.platform.deploymentId], authUrl: ctx.platform.authUrl, jwksUrl: ctx.platform.jwksUrl, tokenUrl: ctx.platform.tokenUrl },
			null,
			Date.now()
		);
		const owner = await ctx.db.createTeacher('owner@univ.fr', 'Owner', '');
		ctx.assignment = await ctx.db.createAssignment({ teacherId: owner.id, title: 'TD LTI', exercises: [{ exerciseId: 'conv-output-size', source: 'id: conv-output-size\n' }], opensAt: 0, closesAt: Date.now() + 86_400_000, attempts: 3, carryForward: true, feedback: 'immediate' });
		await ctx.db.lti.bindAssignment({ assignmentId: ctx.assignment.id, platformId: registered.id, deploymentId: ctx.platform.deploymentId, contextId: ctx.platform.context.id, contextTitle: ctx.platform.context.title, lineItemUrl: null, membershipsUrl: null, createdAt: Date.now() });
	}, 60_000);
	afterAll(async () => {
		await ctx.db?.close();
		await ctx.tables?.destroy();
		await ctx.platform?.stop();
		await ctx.app?.stop();
		await backend?.cleanup();
	});

	it.each(FORGERIES)('refuses $name, says why in one sentence and creates nothing', async (forgery) => {
		const launch = forgery.launch?.(ctx) ?? launchOf(ctx);
		const { state, nonce } = await login(ctx, launch);
		const claims = ctx.platform.idTokenClaims(launch, nonce);
		forgery.claims?.(claims, ctx);
		const kid = forgery.sign?.kid === 'platform' ? ((JSON.parse(Buffer.from((await ctx.platform.signIdToken({})).split('.')[0], 'base64url').toString()) as { kid: string }).kid) : forgery.sign?.kid;
		const token = await ctx.platform.signIdToken(claims, { ...forgery.sign, kid });
		const before = await counts(ctx);
		const answer = await post(ctx, token, state);
		expect(answer.refusal, answer.text).toBe(forgery.refusal);
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.location).toBeNull();
		expect(answer.text).toMatch(/<p data-refusal="[a-z_]+">[^<]+\.<\/p>/);
		expect(await counts(ctx)).toEqual(before);
	});

	it('lets the same launch in unaltered, and refuses it when it is posted again', async () => {
		const launch = launchOf(ctx);
		const { state, nonce } = await login(ctx, launch);
		const token = await ctx.platform.signIdToken(ctx.platform.idTokenClaims(launch, nonce));
		const first = await post(ctx, token, state);
		expect(first).toMatchObject({ status: 303, location: `/a/${ctx.assignment.code}` });
		const student = (await ctx.db.studentsOf(ctx.assignment.id)).find((s) => s.name === STUDENT.name);
		expect(student?.studentNumber).toBe(STUDENT.personSourcedId);

		const before = await counts(ctx);
		// the same state again, then the same token with the state of a new login
		expect((await post(ctx, token, state)).refusal).toBe('replayed');
		const again = await login(ctx, launch);
		expect((await post(ctx, token, again.state)).refusal).toBe('replayed');
		expect(await counts(ctx)).toEqual(before);
	});

	it('refuses a login from a platform nobody registered, and a launch that brings no state', async () => {
		const form = { ...ctx.platform.loginForm(launchOf(ctx)), iss: 'https://moodle.unknown.example' };
		const response = await fetch(`${ctx.app.url}/lti/login`, { method: 'POST', body: new URLSearchParams(form), headers: { origin: ctx.platform.url }, redirect: 'manual' });
		expect(response.status).toBe(401);
		expect(await response.text()).toContain('data-refusal="unknown_platform"');
		expect((await post(ctx, 'x.y.z', '')).refusal).toBe('not_a_launch');
		expect((await post(ctx, 'x.y.z', 'a-state-nobody-issued')).refusal).toBe('expired');
	});

	it('still refuses other sites’ form posts everywhere else', async () => {
		const response = await fetch(`${ctx.app.url}/teacher/login`, { method: 'POST', body: new URLSearchParams({ email: 'a@b.fr', password: 'x' }), headers: { origin: ctx.platform.url }, redirect: 'manual' });
		expect(response.status).toBe(403);
		expect(await response.text()).toBe('Cross-site POST form submissions are forbidden');
	});
});
