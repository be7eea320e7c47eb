import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../../../src/lib/server/auth';
import { openSqliteStorage } from '../../../../src/lib/server/db/sqlite';
import { startLogin } from '../../../../src/lib/server/lti/login';
import type { PlatformInput } from '../../../../src/lib/server/lti/storage';
import type { Storage } from '../../../../src/lib/server/storage';

const MOODLE: PlatformInput = {
	name: 'Moodle',
	issuer: 'https://moodle.univ.fr',
	clientId: 'client-a',
	deploymentIds: ['1', '2'],
	authUrl: 'https://moodle.univ.fr/mod/lti/auth.php?from=tool',
	jwksUrl: 'https://moodle.univ.fr/mod/lti/certs.php',
	tokenUrl: 'https://moodle.univ.fr/mod/lti/token.php'
};
const ORIGIN = 'https://stepwise.univ.fr';
const params = (fields: Record<string, string>): URLSearchParams => new URLSearchParams({ iss: MOODLE.issuer, login_hint: 'user-7', target_link_uri: `${ORIGIN}/lti/launch`, ...fields });

let db: Storage;
beforeEach(async () => {
	db = await openSqliteStorage(':memory:');
	await db.lti.addPlatform(MOODLE, null, 0);
});
afterEach(async () => {
	await db.close();
});

describe('the login initiation', () => {
	it('answers with the OIDC request to the platform, whose state and nonce a launch can use once', async () => {
		const started = await startLogin(db.lti, params({ lti_message_hint: 'hint-3', client_id: 'client-a', lti_deployment_id: '2' }), ORIGIN, 1_000);
		if (!started.ok) throw new Error(started.refusal.detail);
		const request = new URL(started.redirect);
		expect(request.origin + request.pathname).toBe('https://moodle.univ.fr/mod/lti/auth.php');
		const query = Object.fromEntries(request.searchParams);
		expect(query).toMatchObject({
			from: 'tool',
			scope: 'openid',
			response_type: 'id_token',
			response_mode: 'form_post',
			prompt: 'none',
			client_id: 'client-a',
			redirect_uri: `${ORIGIN}/lti/launch`,
			login_hint: 'user-7',
			lti_message_hint: 'hint-3'
		});
		expect(query.state).toMatch(/^[\w-]{43}$/);
		expect(query.nonce).toMatch(/^[\w-]{43}$/);
		expect(query.nonce).not.toBe(query.state);
		expect(await db.lti.useLogin(hashToken(query.state), 2_000)).toMatchObject({ ok: true, login: { nonce: query.nonce } });
		expect(await db.lti.useLogin(hashToken(query.state), 3_000)).toEqual({ ok: false, reason: 'replayed' });
	});

	it('lets a login expire after ten minutes', async () => {
		const started = await startLogin(db.lti, params({}), ORIGIN, 0);
		if (!started.ok) throw new Error(started.refusal.detail);
		const state = new URL(started.redirect).searchParams.get('state') ?? '';
		expect(await db.lti.useLogin(hashToken(state), 10 * 60_000)).toEqual({ ok: false, reason: 'expired' });
	});

	it.each([
		['an unregistered issuer', { iss: 'https://moodle.other.fr' }, 'unknown_platform'],
		['a client id the issuer did not register', { client_id: 'client-z' }, 'unknown_platform'],
		['an unknown deployment', { lti_deployment_id: '9' }, 'unknown_deployment'],
		['no login hint', { login_hint: '' }, 'not_a_launch'],
		['no target link', { target_link_uri: '' }, 'not_a_launch']
	])('refuses %s', async (_, fields, code) => {
		const started = await startLogin(db.lti, params(fields), ORIGIN, 0);
		expect(started).toMatchObject({ ok: false, refusal: { code } });
	});

	it('asks which registration a login means when an issuer has two and the login names none', async () => {
		await db.lti.addPlatform({ ...MOODLE, clientId: 'client-b' }, null, 0);
		expect(await startLogin(db.lti, params({}), ORIGIN, 0)).toMatchObject({ ok: false, refusal: { code: 'ambiguous_platform' } });
		expect(await startLogin(db.lti, params({ client_id: 'client-b' }), ORIGIN, 0)).toMatchObject({ ok: true, platform: { clientId: 'client-b' } });
	});
});
