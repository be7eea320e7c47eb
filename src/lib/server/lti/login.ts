/**
 * LTI 1.3's third-party initiated login: the platform names itself and the user, Stepwise answers
 * with an OIDC authentication request to the platform's authorisation endpoint, carrying a state
 * and a nonce that the launch must bring back once, within ten minutes.
 */
import { hashToken, newToken } from '../auth';
import { refused, type Refusal } from './refusal';
import type { LtiStorage, Platform } from './storage';
import { toolEndpoints } from './tool';

export const LOGIN_MINUTES = 10;
/** Used logins are kept a day, so that a replay is told apart from a forgery. */
const LOGINS_KEPT_MS = 24 * 3600 * 1000;

export type LoginOutcome = { ok: true; redirect: string; platform: Platform } | { ok: false; refusal: Refusal };

const field = (params: URLSearchParams, name: string): string => (params.get(name) ?? '').trim();

/** The platform a login names: by issuer, and by client id when it registered several. */
export async function loginPlatform(lti: LtiStorage, issuer: string, clientId: string): Promise<{ ok: true; platform: Platform } | { ok: false; refusal: Refusal }> {
	const candidates = (await lti.platformsByIssuer(issuer)).filter((p) => clientId === '' || p.clientId === clientId);
	if (candidates.length === 0) return refused('unknown_platform', `no platform registered with issuer ${JSON.stringify(issuer)}${clientId ? ` and client id ${JSON.stringify(clientId)}` : ''}`);
	if (candidates.length > 1) return refused('ambiguous_platform', `${candidates.length} registrations of ${issuer} and the login names no client_id`);
	return { ok: true, platform: candidates[0] };
}

export async function startLogin(lti: LtiStorage, params: URLSearchParams, origin: string, now: number): Promise<LoginOutcome> {
	const issuer = field(params, 'iss');
	const loginHint = field(params, 'login_hint');
	if (!issuer || !loginHint || !field(params, 'target_link_uri')) return refused('not_a_launch', `a login initiation needs iss, login_hint and target_link_uri; got ${[...params.keys()].join(', ') || 'nothing'}`);
	const found = await loginPlatform(lti, issuer, field(params, 'client_id'));
	if (!found.ok) return found;
	const { platform } = found;
	const deployment = field(params, 'lti_deployment_id');
	if (deployment && !platform.deploymentIds.includes(deployment)) return refused('unknown_deployment', `deployment ${JSON.stringify(deployment)} is not one of ${platform.name}'s (${platform.deploymentIds.join(', ')})`);

	const state = newToken();
	const nonce = newToken();
	await lti.pruneLogins(now - LOGINS_KEPT_MS);
	await lti.createLogin({ stateHash: hashToken(state), nonce, platformId: platform.id, expiresAt: now + LOGIN_MINUTES * 60_000 });

	const request = new URL(platform.authUrl);
	const query: Record<string, string> = {
		scope: 'openid',
		response_type: 'id_token',
		response_mode: 'form_post',
		prompt: 'none',
		client_id: platform.clientId,
		redirect_uri: toolEndpoints(origin).launchUrl,
		login_hint: loginHint,
		state,
		nonce
	};
	const messageHint = field(params, 'lti_message_hint');
	if (messageHint) query.lti_message_hint = messageHint;
	for (const [name, value] of Object.entries(query)) request.searchParams.set(name, value);
	return { ok: true, redirect: request.toString(), platform };
}
