/**
 * LTI Dynamic Registration 1.0, the tool's side: the platform opens Stepwise's registration URL
 * with `openid_configuration` (where its OpenID configuration is) and `registration_token`; once
 * the teacher confirms (/lti/register), Stepwise reads the configuration, posts its own client registration to the platform's
 * registration endpoint, and stores the platform the answer describes (client id, deployment id).
 *
 * Who may register: a signed-in teacher, or whoever holds a registration link that a signed-in
 * teacher took from /teacher/platforms (signed with Stepwise's key, valid a day). The link is
 * there because a platform shows the registration page in a frame, where browsers do not send
 * Stepwise's session cookie.
 */
import { jwtVerify, SignJWT, createLocalJWKSet } from 'jose';
import { z } from 'zod';
import type { Localized } from '../../exercises/exercise';
import { m } from '../../paraglide/messages';
import { SCOPE } from './claims';
import { ALGORITHM, publicJwks, signingKey } from './keys';
import { checkPlatform, urlProblem } from './platforms';
import { PlatformTaken, type LtiStorage, type Platform } from './storage';
import { toolEndpoints } from './tool';

const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const LINK_AUDIENCE = 'stepwise:lti-registration';
const LINK_HOURS = 24;
const FETCH_TIMEOUT_MS = 10_000;

export type RegistrationResult = { ok: true; platform: Platform } | { ok: false; reason: Localized };

const both = (say: (options: { locale: 'fr' | 'en' }) => string): Localized => ({ fr: say({ locale: 'fr' }), en: say({ locale: 'en' }) });

const httpUrl = z.string().refine((value) => urlProblem(value) === null);

const openidConfiguration = z.object({
	issuer: httpUrl,
	authorization_endpoint: httpUrl,
	token_endpoint: httpUrl,
	jwks_uri: httpUrl,
	registration_endpoint: httpUrl,
	[PLATFORM_CONFIGURATION]: z.object({ product_family_code: z.string().max(60).optional() }).passthrough()
});

const registrationAnswer = z.object({
	client_id: z.string().min(1),
	[TOOL_CONFIGURATION]: z.object({ deployment_id: z.union([z.string().min(1), z.number()]) }).passthrough()
});

/** The names of what a zod parse found missing or wrong, for one sentence. */
const wrongKeys = (error: z.ZodError): string => [...new Set(error.issues.map((issue) => String(issue.path[0] ?? '')))].join(', ');

/** What Stepwise asks the platform to register: the tool's addresses, its messages, the services' scopes. */
export function clientRegistration(origin: string) {
	const tool = toolEndpoints(origin);
	return {
		application_type: 'web',
		response_types: ['id_token'],
		grant_types: ['implicit', 'client_credentials'],
		initiate_login_uri: tool.loginUrl,
		redirect_uris: [tool.launchUrl],
		client_name: 'Stepwise',
		jwks_uri: tool.jwksUrl,
		token_endpoint_auth_method: 'private_key_jwt',
		scope: [SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.resultReadOnly, SCOPE.score, SCOPE.memberships].join(' '),
		[TOOL_CONFIGURATION]: {
			domain: new URL(origin).host,
			target_link_uri: tool.launchUrl,
			claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
			messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUrl, label: 'Stepwise' }, { type: 'LtiResourceLinkRequest', target_link_uri: tool.launchUrl }]
		}
	};
}

async function readJson(response: Response): Promise<unknown> {
	try {
		return await response.json();
	} catch {
		return undefined;
	}
}

/** Registers Stepwise with the platform of `configurationUrl`, and stores it as added by `teacherId`. */
export async function register(options: {
	configurationUrl: string;
	registrationToken: string | null;
	origin: string;
	lti: LtiStorage;
	teacherId: number | null;
	fetch?: typeof fetch;
	now?: number;
}): Promise<RegistrationResult> {
	const { configurationUrl, registrationToken, origin, lti, teacherId, fetch = globalThis.fetch, now = Date.now() } = options;
	const unreachable = { ok: false as const, reason: both((o) => m.lti_register_unreachable({ url: configurationUrl }, o)) };
	if (urlProblem(configurationUrl)) return unreachable;

	let body: unknown;
	try {
		const response = await fetch(configurationUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
		body = response.ok ? await readJson(response) : undefined;
	} catch {
		return unreachable;
	}
	// an error page, a login page: not a configuration at all
	if (typeof body !== 'object' || body === null) return unreachable;
	const configuration = openidConfiguration.safeParse(body);
	if (!configuration.success) return { ok: false, reason: both((o) => m.lti_register_invalid({ detail: wrongKeys(configuration.error) }, o)) };
	const platform = configuration.data;
	// the spec's rule: the configuration is the issuer's own, not a third party's describing it
	if (!configurationUrl.startsWith(platform.issuer)) return { ok: false, reason: both((o) => m.lti_register_invalid({ detail: `issuer ${platform.issuer}` }, o)) };

	let answer: unknown;
	try {
		const response = await fetch(platform.registration_endpoint, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json', ...(registrationToken ? { authorization: `Bearer ${registrationToken}` } : {}) },
			body: JSON.stringify(clientRegistration(origin)),
			signal: AbortSignal.timeout(FETCH_TIMEOUT_MS)
		});
		if (!response.ok) return { ok: false, reason: both((o) => m.lti_register_refused({ status: response.status }, o)) };
		answer = await readJson(response);
	} catch {
		return { ok: false, reason: both((o) => m.lti_register_unreachable({ url: platform.registration_endpoint }, o)) };
	}
	const registered = registrationAnswer.safeParse(answer);
	if (!registered.success) return { ok: false, reason: both((o) => m.lti_register_answer_invalid({ detail: wrongKeys(registered.error) }, o)) };

	const family = platform[PLATFORM_CONFIGURATION].product_family_code;
	const host = new URL(platform.issuer).host;
	const checked = checkPlatform({
		name: (family ? `${family.charAt(0).toUpperCase()}${family.slice(1)} (${host})` : host).slice(0, 100),
		issuer: platform.issuer,
		clientId: registered.data.client_id,
		deploymentIds: [String(registered.data[TOOL_CONFIGURATION].deployment_id)],
		authUrl: platform.authorization_endpoint,
		jwksUrl: platform.jwks_uri,
		tokenUrl: platform.token_endpoint
	});
	if (!checked.ok) return { ok: false, reason: { fr: checked.problems.map((p) => p.message.fr).join(' '), en: checked.problems.map((p) => p.message.en).join(' ') } };
	try {
		return { ok: true, platform: await lti.addPlatform(checked.platform, teacherId, now) };
	} catch (error) {
		if (error instanceof PlatformTaken) return { ok: false, reason: both((o) => m.lti_register_taken({}, o)) };
		throw error;
	}
}

/** A registration link for a platform's administrator, vouching for the teacher who took it. */
export async function registrationLink(lti: LtiStorage, origin: string, teacherId: number, now = Date.now()): Promise<string> {
	const key = await signingKey(lti, now);
	const token = await new SignJWT({})
		.setProtectedHeader({ alg: ALGORITHM, kid: key.kid })
		.setSubject(String(teacherId))
		.setAudience(LINK_AUDIENCE)
		.setIssuedAt(Math.floor(now / 1000))
		.setExpirationTime(Math.floor(now / 1000) + LINK_HOURS * 3600)
		.sign(key.privateKey);
	return `${toolEndpoints(origin).registrationUrl}?link=${token}`;
}

/** The teacher a registration link vouches for, or null when it is not Stepwise's, or expired. */
export async function linkTeacher(lti: LtiStorage, link: string, now = Date.now()): Promise<number | null> {
	try {
		const { payload } = await jwtVerify(link, createLocalJWKSet(await publicJwks(lti, now)), { audience: LINK_AUDIENCE, algorithms: [ALGORITHM], currentDate: new Date(now) });
		const id = Number(payload.sub);
		return Number.isInteger(id) && id > 0 ? id : null;
	} catch {
		return null;
	}
}
