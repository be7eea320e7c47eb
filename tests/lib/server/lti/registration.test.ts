import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../../../src/lib/server/db/sqlite';
import { rotateKeys } from '../../../../src/lib/server/lti/keys';
import { linkTeacher, register, registrationLink } from '../../../../src/lib/server/lti/registration';
import type { Storage } from '../../../../src/lib/server/storage';

const ORIGIN = 'https://stepwise.univ.fr';

/** A platform's registration side, on the loopback address: its OpenID configuration and registration endpoint, as Moodle 4 answers them. */
interface FakePlatform {
	url: string;
	/** the registrations it received: their Authorization header and body */
	received: { authorization: string | undefined; body: Record<string, unknown> }[];
	/** what it answers, changed by a test */
	configuration: (base: string) => unknown;
	answer: () => { status: number; body: unknown };
}

const moodleConfiguration = (base: string) => ({
	issuer: base,
	authorization_endpoint: `${base}/mod/lti/auth.php`,
	token_endpoint: `${base}/mod/lti/token.php`,
	jwks_uri: `${base}/mod/lti/certs.php`,
	registration_endpoint: `${base}/mod/lti/openid-registration.php`,
	scopes_supported: ['openid'],
	'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle', version: '4.3', messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }] }
});
const moodleAnswer = () => ({ status: 200, body: { client_id: 'kR2xPq7Yz1AbCdE', 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '7', domain: 'stepwise.univ.fr' } } });

const platform: FakePlatform = { url: '', received: [], configuration: moodleConfiguration, answer: moodleAnswer };

async function bodyOf(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

let server: Server;
let db: Storage;
let teacherId: number;

beforeAll(async () => {
	server = createServer(async (request, response) => {
		const send = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(typeof body === 'string' ? body : JSON.stringify(body));
		};
		if (request.method === 'GET' && request.url === '/mod/lti/openid-configuration.php') return send(200, platform.configuration(platform.url));
		if (request.method === 'POST' && request.url === '/mod/lti/openid-registration.php') {
			platform.received.push({ authorization: request.headers.authorization, body: JSON.parse(await bodyOf(request)) as Record<string, unknown> });
			const { status, body } = platform.answer();
			return send(status, body);
		}
		send(404, { error: 'not found' });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	platform.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	db = await openSqliteStorage(join(mkdtempSync(join(tmpdir(), 'stepwise-registration-')), 'stepwise.db'));
	teacherId = (await db.createTeacher('prof@univ.fr', 'Prof Martin', 'scrypt$hash')).id;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
	await db.close();
});

const registerHere = (configurationUrl = `${platform.url}/mod/lti/openid-configuration.php`) =>
	register({ configurationUrl, registrationToken: 'one-time-token', origin: ORIGIN, lti: db.lti, teacherId });

describe('LTI dynamic registration', () => {
	it('registers Stepwise with the platform and stores the platform its answer describes', async () => {
		platform.received.length = 0;
		const result = await registerHere();
		expect(result.ok).toBe(true);
		expect(platform.received).toHaveLength(1);
		const [{ authorization, body }] = platform.received;
		expect(authorization).toBe('Bearer one-time-token');
		expect(body).toEqual({
			application_type: 'web',
			response_types: ['id_token'],
			grant_types: ['implicit', 'client_credentials'],
			initiate_login_uri: `${ORIGIN}/lti/login`,
			redirect_uris: [`${ORIGIN}/lti/launch`],
			client_name: 'Stepwise',
			jwks_uri: `${ORIGIN}/lti/jwks`,
			token_endpoint_auth_method: 'private_key_jwt',
			scope: expect.any(String),
			'https://purl.imsglobal.org/spec/lti-tool-configuration': {
				domain: 'stepwise.univ.fr',
				target_link_uri: `${ORIGIN}/lti/launch`,
				claims: expect.arrayContaining(['iss', 'sub', 'name', 'email']),
				messages: expect.arrayContaining([{ type: 'LtiDeepLinkingRequest', target_link_uri: `${ORIGIN}/lti/launch`, label: 'Stepwise' }])
			}
		});
		expect(String(body.scope).split(' ').sort()).toEqual([
			'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
			'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
			'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
			'https://purl.imsglobal.org/spec/lti-ags/scope/score',
			'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'
		]);
		const stored = await db.lti.platformsByIssuer(platform.url);
		expect(stored).toEqual([
			expect.objectContaining({
				name: `Moodle (${new URL(platform.url).host})`,
				issuer: platform.url,
				clientId: 'kR2xPq7Yz1AbCdE',
				deploymentIds: ['7'],
				authUrl: `${platform.url}/mod/lti/auth.php`,
				jwksUrl: `${platform.url}/mod/lti/certs.php`,
				tokenUrl: `${platform.url}/mod/lti/token.php`,
				createdBy: teacherId
			})
		]);
		await db.lti.removePlatform(stored[0].id);
	});

	it.each<[string, Partial<FakePlatform> & { at?: string }, string]>([
		['a configuration nobody serves', { at: 'http://127.0.0.1:9/openid-configuration' }, 'The platform\'s configuration could not be read at http://127.0.0.1:9/openid-configuration.'],
		['a configuration URL in plain http elsewhere', { at: 'http://moodle.univ.fr/mod/lti/openid-configuration.php' }, "The platform's configuration could not be read at http://moodle.univ.fr/mod/lti/openid-configuration.php."],
		['a configuration that is not JSON', { configuration: () => '<html>Moodle</html>' }, "The platform's configuration could not be read at PLATFORM/mod/lti/openid-configuration.php."],
		['a configuration of no LTI platform', { configuration: (base) => ({ issuer: base }) }, "The platform's configuration is not an LTI platform's: authorization_endpoint, token_endpoint, jwks_uri, registration_endpoint, https://purl.imsglobal.org/spec/lti-platform-configuration."],
		['a configuration without its registration endpoint', { configuration: (base) => ({ ...moodleConfiguration(base), registration_endpoint: undefined }) }, "The platform's configuration is not an LTI platform's: registration_endpoint."],
		['a configuration of another issuer', { configuration: (base) => ({ ...moodleConfiguration(base), issuer: 'https://moodle.other.fr' }) }, "The platform's configuration is not an LTI platform's: issuer https://moodle.other.fr."],
		['a registration refused (an expired token)', { answer: () => ({ status: 401, body: { error: 'invalid_token' } }) }, 'The platform refused the registration (HTTP 401): the registration link may have expired; start again from the platform.'],
		['an answer without a deployment id', { answer: () => ({ status: 200, body: { client_id: 'abc', 'https://purl.imsglobal.org/spec/lti-tool-configuration': {} } }) }, "The platform's answer to the registration lacks https://purl.imsglobal.org/spec/lti-tool-configuration."],
		['an answer without a client id', { answer: () => ({ status: 200, body: { 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '1' } } }) }, "The platform's answer to the registration lacks client_id."]
	])('says why in one sentence, and stores nothing, for %s', async (_, { at, configuration, answer }, reason) => {
		platform.configuration = configuration ?? moodleConfiguration;
		platform.answer = answer ?? moodleAnswer;
		try {
			const result = await registerHere(at);
			const said = reason.replace('PLATFORM', platform.url);
			expect(result).toMatchObject({ ok: false, reason: { en: said } });
			if (!result.ok) expect(result.reason.fr).toMatch(/^La (configuration|réponse|plateforme) /);
			expect(await db.lti.platforms()).toEqual([]);
		} finally {
			platform.configuration = moodleConfiguration;
			platform.answer = moodleAnswer;
		}
	});
});

describe('registration links', () => {
	it('vouch for the teacher who took them for a day, across a key rotation', async () => {
		const now = Date.now();
		const link = new URL(await registrationLink(db.lti, ORIGIN, teacherId, now));
		expect(`${link.origin}${link.pathname}`).toBe(`${ORIGIN}/lti/register`);
		const token = link.searchParams.get('link') ?? '';
		expect(await linkTeacher(db.lti, token, now + 3_600_000)).toBe(teacherId);
		await rotateKeys(db.lti, now + 3_600_000);
		expect(await linkTeacher(db.lti, token, now + 2 * 3_600_000)).toBe(teacherId);
		expect(await linkTeacher(db.lti, token, now + 25 * 3_600_000)).toBeNull();
	});

	it.each([
		['a tampered link', (token: string) => `${token.slice(0, -4)}AAAA`],
		['a link that is no token', () => 'teacher-1'],
		['an empty link', () => '']
	])('refuse %s', async (_, change) => {
		const token = new URL(await registrationLink(db.lti, ORIGIN, teacherId)).searchParams.get('link') ?? '';
		expect(await linkTeacher(db.lti, change(token))).toBeNull();
	});
});
