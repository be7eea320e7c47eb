// The test platform checked on its own, through HTTP, against a tiny fake tool that only publishes
// a JWKS: the LTI tests of Stepwise trust this platform to refuse what a real LMS refuses.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { CLAIM, MEDIA, ROLE, SCOPE, startPlatform, type TestLaunch, type TestPlatform, type TestUser } from './platform';

const teacher: TestUser = { sub: 'u-teacher', name: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.org', roles: [ROLE.instructor] };
const student: TestUser = { sub: 'u-student', name: 'Alan Turing', roles: [ROLE.learner], personSourcedId: 'S-001' };

let tool: Server;
let toolUrl: string;
let toolKey: CryptoKey;
let strangerKey: CryptoKey;
let platform: TestPlatform;

beforeAll(async () => {
	const pair = await generateKeyPair('RS256');
	toolKey = pair.privateKey;
	strangerKey = (await generateKeyPair('RS256')).privateKey;
	const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'tool-1', alg: 'RS256', use: 'sig' }] };
	tool = createServer((req, res) => {
		if (req.url === '/lti/jwks') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(jwks));
		} else {
			res.writeHead(404);
			res.end();
		}
	});
	await new Promise<void>((resolve) => tool.listen(0, '127.0.0.1', resolve));
	toolUrl = `http://127.0.0.1:${(tool.address() as AddressInfo).port}`;
	platform = await startPlatform({ toolUrl });
});

afterAll(async () => {
	await platform.stop();
	await new Promise<void>((resolve) => tool.close(() => resolve()));
});

/** The tool's OIDC authentication request for a launch, with some parameters replaced */
function authParams(launch: TestLaunch, overrides: Record<string, string | undefined> = {}): URLSearchParams {
	const login = platform.loginForm(launch);
	const params: Record<string, string | undefined> = {
		scope: 'openid',
		response_type: 'id_token',
		response_mode: 'form_post',
		prompt: 'none',
		client_id: login.client_id,
		redirect_uri: `${toolUrl}/lti/launch`,
		login_hint: login.login_hint,
		lti_message_hint: login.lti_message_hint,
		nonce: `nonce-${randomUUID()}`,
		state: `state-${randomUUID()}`,
		...overrides
	};
	const search = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
	return search;
}

function hiddenFields(html: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2].replaceAll('&amp;', '&');
	return fields;
}

async function launch(l: TestLaunch, nonce = `nonce-${randomUUID()}`): Promise<JWTPayload> {
	const res = await fetch(`${platform.authUrl}?${authParams(l, { nonce })}`);
	expect(res.status).toBe(200);
	const fields = hiddenFields(await res.text());
	const { payload } = await jwtVerify(fields.id_token, createRemoteJWKSet(new URL(platform.jwksUrl)), { issuer: platform.issuer, audience: platform.clientId });
	return payload;
}

async function assertion(key: CryptoKey, claims: JWTPayload = {}): Promise<string> {
	return new SignJWT({ jti: randomUUID(), ...claims })
		.setProtectedHeader({ alg: 'RS256', kid: key === toolKey ? 'tool-1' : 'unknown' })
		.setIssuer(platform.clientId)
		.setSubject(platform.clientId)
		.setAudience(platform.tokenUrl)
		.setIssuedAt()
		.setExpirationTime('5m')
		.sign(key);
}

function tokenRequest(clientAssertion: string, scope: string): Promise<Response> {
	return fetch(platform.tokenUrl, {
		method: 'POST',
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
			client_assertion: clientAssertion,
			scope
		})
	});
}

async function accessToken(scope: string): Promise<string> {
	const res = await tokenRequest(await assertion(toolKey), scope);
	expect(res.status).toBe(200);
	return ((await res.json()) as { access_token: string }).access_token;
}

/** Deep-links one graded activity into the default course, as the tool would */
async function deepLink(title: string, data?: string): Promise<Response> {
	const claims = await launch({ user: teacher, messageType: 'LtiDeepLinkingRequest' });
	const settings = claims[CLAIM.deepLinkingSettings] as { deep_link_return_url: string; data: string };
	const jwt = await new SignJWT({
		nonce: randomUUID(),
		[CLAIM.messageType]: 'LtiDeepLinkingResponse',
		[CLAIM.version]: '1.3.0',
		[CLAIM.deploymentId]: platform.deploymentId,
		[CLAIM.dlData]: data ?? settings.data,
		[CLAIM.contentItems]: [{ type: 'ltiResourceLink', title, custom: { assignment: 'a-1' }, lineItem: { scoreMaximum: 20, label: title, resourceId: 'a-1', tag: 'grade' } }]
	})
		.setProtectedHeader({ alg: 'RS256', kid: 'tool-1' })
		.setIssuer(platform.clientId)
		.setAudience(platform.issuer)
		.setIssuedAt()
		.setExpirationTime('5m')
		.sign(toolKey);
	return fetch(settings.deep_link_return_url, { method: 'POST', body: new URLSearchParams({ JWT: jwt }) });
}

describe('test LTI platform', () => {
	it.each([
		['a wrong redirect_uri', { redirect_uri: 'http://127.0.0.1:1/elsewhere' }, /redirect_uri/],
		['a wrong client_id', { client_id: 'someone-else' }, /client_id/],
		['no nonce', { nonce: undefined }, /nonce/],
		['no state', { state: undefined }, /state/],
		['response_mode fragment', { response_mode: 'fragment' }, /response_mode/],
		['an unknown lti_message_hint', { lti_message_hint: 'forged' }, /lti_message_hint/],
		['another user’s login_hint', { login_hint: 'u-someone' }, /login_hint/]
	])('the authorisation endpoint refuses %s with 400 and one line', async (_name, overrides, why) => {
		const res = await fetch(`${platform.authUrl}?${authParams({ user: student }, overrides)}`);
		expect(res.status).toBe(400);
		const text = await res.text();
		expect(text.trim().split('\n')).toHaveLength(1);
		expect(text).toMatch(why);
	});

	it('a launch page auto-posts the login initiation to the tool', async () => {
		const html = await (await fetch(platform.launchUrl({ user: student }))).text();
		expect(html).toContain(`action="${toolUrl}/lti/login"`);
		expect(hiddenFields(html)).toMatchObject({ iss: platform.issuer, login_hint: student.sub, target_link_uri: `${toolUrl}/lti/launch`, client_id: platform.clientId, lti_deployment_id: platform.deploymentId });
	});

	it('a valid flow yields an id_token, verified against the platform JWKS, with the LTI claims', async () => {
		const claims = await launch({ user: student, custom: { x: '1' } }, 'n-1');
		expect(claims).toMatchObject({
			sub: student.sub,
			nonce: 'n-1',
			azp: platform.clientId,
			name: student.name,
			[CLAIM.messageType]: 'LtiResourceLinkRequest',
			[CLAIM.version]: '1.3.0',
			[CLAIM.deploymentId]: platform.deploymentId,
			[CLAIM.roles]: [ROLE.learner],
			[CLAIM.context]: { id: platform.context.id, title: platform.context.title },
			[CLAIM.custom]: { x: '1' },
			[CLAIM.lis]: { person_sourcedid: 'S-001' },
			[CLAIM.nrps]: { service_versions: ['2.0'] }
		});
		expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
	});

	it('signIdToken forges: a stranger key fails the JWKS, alg none is unsigned', async () => {
		const claims = platform.idTokenClaims({ user: student }, 'n');
		const jwks = createRemoteJWKSet(new URL(platform.jwksUrl));
		await expect(jwtVerify(await platform.signIdToken(claims, { key: 'stranger' }), jwks)).rejects.toThrow();
		expect((await platform.signIdToken(claims, { alg: 'none' })).endsWith('.')).toBe(true);
	});

	it('the token endpoint refuses an unknown key and a replayed jti, and grants a good assertion', async () => {
		expect((await tokenRequest(await assertion(strangerKey), SCOPE.score)).status).toBe(401);
		const good = await assertion(toolKey);
		const res = await tokenRequest(good, `${SCOPE.score} ${SCOPE.nrps} https://example.org/unknown`);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: `${SCOPE.score} ${SCOPE.nrps}` });
		expect((await tokenRequest(good, SCOPE.score)).status).toBe(400);
	});

	it('a bad deep-linking response is refused and creates nothing', async () => {
		const res = await deepLink('Forged', 'not-the-data');
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(/data/);
		expect(platform.links.some((l) => l.title === 'Forged')).toBe(false);
	});

	it('deep linking creates a graded link; scores need the scope and come in timestamp order', async () => {
		const res = await deepLink('Backpropagation');
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Activity added');
		const link = platform.links.at(-1);
		expect(link).toMatchObject({ title: 'Backpropagation', custom: { assignment: 'a-1' }, contextId: platform.context.id });
		const claims = await launch({ user: student, resourceLinkId: link?.id });
		expect(claims[CLAIM.ags]).toMatchObject({ lineitem: link?.lineItemId, lineitems: `${platform.url}/contexts/${platform.context.id}/lineitems` });
		expect(claims[CLAIM.custom]).toEqual({ assignment: 'a-1' });

		const url = `${link?.lineItemId}/scores`;
		const score = (timestamp: string, token?: string) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': MEDIA.score, ...(token ? { authorization: `Bearer ${token}` } : {}) },
				body: JSON.stringify({ userId: student.sub, scoreGiven: 15, scoreMaximum: 20, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp })
			});
		expect((await score('2026-01-01T10:00:00.000Z')).status).toBe(401);
		expect((await score('2026-01-01T10:00:00.000Z', await accessToken(SCOPE.nrps))).status).toBe(403);
		const token = await accessToken(SCOPE.score);
		expect((await score('2026-01-01T10:00:00.000Z', token)).status).toBe(204);
		expect((await score('2026-01-01T09:00:00.000Z', token)).status).toBe(409);
		expect(platform.scores.filter((s) => s.lineItemId === link?.lineItemId)).toHaveLength(1);
		expect(platform.latestScore(link?.lineItemId ?? '', student.sub)?.body.timestamp).toBe('2026-01-01T10:00:00.000Z');

		platform.setDown(true);
		expect((await score('2026-01-01T11:00:00.000Z', token)).status).toBe(503);
		platform.setDown(false);
		platform.revokeTokens();
		expect((await score('2026-01-01T11:00:00.000Z', token)).status).toBe(401);
	});

	it('NRPS paginates with a Link rel="next" header', async () => {
		platform.members.push(teacher, student, { sub: 'u-3', name: 'Grace Hopper', roles: [ROLE.learner] });
		const token = await accessToken(SCOPE.nrps);
		const get = (u: string) => fetch(u, { headers: { accept: MEDIA.membershipContainer, authorization: `Bearer ${token}` } });
		const first = await get(`${platform.url}/contexts/${platform.context.id}/memberships?limit=2`);
		expect(first.status).toBe(200);
		const body = (await first.json()) as { members: { user_id: string; status: string }[] };
		expect(body.members.map((m) => m.user_id)).toEqual(['u-teacher', 'u-student']);
		const next = /<([^>]+)>;\s*rel="next"/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
		const second = (await (await get(next)).json()) as { members: { user_id: string }[] };
		expect(second.members.map((m) => m.user_id)).toEqual(['u-3']);
		expect((await fetch(next)).status).toBe(401);
	});
});
