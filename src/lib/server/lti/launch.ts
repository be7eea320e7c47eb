/**
 * The launch: the id_token a platform posts back after the login, checked as LTI 1.3 Core and the
 * IMS security framework require. The state is used once; the signature is verified against the
 * platform's JWKS (fetched, cached, and fetched again on an unknown key id); then the issuer, the
 * audience, the expiry, the nonce of that state, the deployment, the message type and the version.
 * What passes becomes a typed Launch; what does not is refused with a code and a detail.
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { hashToken } from '../auth';
import { CLAIM, LTI_VERSION, type MessageType } from './claims';
import { ALGORITHM } from './keys';
import { LOGIN_MINUTES } from './login';
import { refused, type Refusal } from './refusal';
import type { LtiStorage, Platform } from './storage';

/** Seconds of disagreement between the platform's clock and ours that a token's times forgive. */
const CLOCK_TOLERANCE_S = 60;

export interface Launch {
	platform: Platform;
	deploymentId: string;
	messageType: MessageType;
	/** the platform's user id */
	subject: string;
	name: string | null;
	email: string | null;
	/** the student number, when the platform shares it */
	personSourcedId: string | null;
	roles: string[];
	context: { id: string; title: string };
	resourceLinkId: string | null;
	custom: Record<string, string>;
	/** AGS: where the activity's scores go */
	lineItemUrl: string | null;
	/** NRPS: the course's roster */
	membershipsUrl: string | null;
	deepLinking: { returnUrl: string; data: string | null; acceptMultiple: boolean } | null;
	locale: string | null;
}

const text = z.string().trim().min(1).max(1000);
const url = z.string().url().max(2000);

const claimsSchema = z.object({
	sub: text,
	name: z.string().max(300).optional(),
	given_name: z.string().max(300).optional(),
	family_name: z.string().max(300).optional(),
	email: z.string().max(300).optional(),
	[CLAIM.messageType]: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']),
	[CLAIM.version]: z.literal(LTI_VERSION),
	[CLAIM.deploymentId]: text,
	[CLAIM.roles]: z.array(z.string().max(300)).max(100),
	[CLAIM.context]: z.object({ id: text, title: z.string().max(300).optional(), label: z.string().max(300).optional() }),
	[CLAIM.resourceLink]: z.object({ id: text }).optional(),
	[CLAIM.custom]: z.record(z.string(), z.unknown()).optional(),
	[CLAIM.lis]: z.object({ person_sourcedid: z.string().max(300).optional() }).optional(),
	[CLAIM.ags]: z.object({ lineitem: url.optional(), lineitems: url.optional() }).optional(),
	[CLAIM.nrps]: z.object({ context_memberships_url: url }).optional(),
	[CLAIM.deepLinkingSettings]: z.object({ deep_link_return_url: url, data: z.string().max(4000).optional(), accept_multiple: z.boolean().optional() }).optional(),
	'https://purl.imsglobal.org/spec/lti/claim/launch_presentation': z.object({ locale: z.string().max(35).optional() }).optional()
});

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** The platform's keys, one cache per JWKS URL: jose refetches on an unknown kid (at most every 30 s) and every 10 minutes. */
function platformKeys(jwksUrl: string): ReturnType<typeof createRemoteJWKSet> {
	let keys = keySets.get(jwksUrl);
	if (!keys) {
		keys = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 });
		keySets.set(jwksUrl, keys);
	}
	return keys;
}

/** A jose failure as a refusal: its code says which check failed. */
function verificationRefusal(error: unknown, platform: Platform): { ok: false; refusal: Refusal } {
	const detail = `${platform.name} (${platform.issuer}): ${error instanceof Error ? error.message : String(error)}`;
	if (error instanceof errors.JWTExpired) return refused('expired', detail);
	if (error instanceof errors.JWTClaimValidationFailed) {
		if (error.claim === 'iss') return refused('wrong_issuer', detail);
		if (error.claim === 'aud') return refused('wrong_audience', detail);
		return refused('invalid_token', `${detail} (claim ${error.claim})`);
	}
	if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return refused('bad_signature', detail);
	if (error instanceof errors.JOSEAlgNotAllowed) return refused('bad_signature', detail);
	if (error instanceof errors.JOSEError) return refused('invalid_token', detail);
	throw error;
}

const firstIssue = (error: z.ZodError): string => {
	const issue = error.issues[0];
	return `${issue.path.map(String).join('.') || 'the token'}: ${issue.message}`;
};

export type Verified = { ok: true; launch: Launch } | { ok: false; refusal: Refusal };

/** Checks a posted launch (its `id_token` and `state`) and uses its login. */
export async function verifyLaunch(lti: LtiStorage, idToken: string, state: string, now: number): Promise<Verified> {
	if (!idToken || !state) return refused('not_a_launch', `a launch posts id_token and state; ${idToken ? 'state' : 'id_token'} is missing`);
	if (idToken.length > 100_000 || state.length > 200) return refused('invalid_token', `an id_token of ${idToken.length} characters, a state of ${state.length}`);

	const login = await lti.useLogin(hashToken(state), now);
	if (!login.ok) {
		if (login.reason === 'replayed') return refused('replayed', 'the state was already used by an earlier launch');
		if (login.reason === 'expired') return refused('expired', `the login is more than ${LOGIN_MINUTES} minutes old`);
		return refused('expired', 'the state is not one this Stepwise issued (or the login was forgotten)');
	}
	const platform = await lti.platformById(login.login.platformId);
	if (!platform) return refused('unknown_platform', `platform ${login.login.platformId} was removed during the login`);

	let header: ReturnType<typeof decodeProtectedHeader>;
	try {
		header = decodeProtectedHeader(idToken);
	} catch (error) {
		return refused('invalid_token', `the id_token's header does not read: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (header.alg !== ALGORITHM) return refused('bad_signature', `the id_token is signed with ${JSON.stringify(header.alg)}, and LTI 1.3 requires ${ALGORITHM}`);

	let payload: JWTPayload;
	try {
		({ payload } = await jwtVerify(idToken, platformKeys(platform.jwksUrl), {
			algorithms: [ALGORITHM],
			issuer: platform.issuer,
			audience: platform.clientId,
			clockTolerance: CLOCK_TOLERANCE_S,
			requiredClaims: ['exp', 'iat', 'sub', 'nonce'],
			currentDate: new Date(now)
		}));
	} catch (error) {
		return verificationRefusal(error, platform);
	}
	// with several audiences, the authorised party must be this tool (OIDC Core 3.1.3.7)
	if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== platform.clientId) return refused('wrong_audience', `azp ${JSON.stringify(payload.azp)} is not ${platform.clientId}`);
	if (payload.nonce !== login.login.nonce) return refused('replayed', "the id_token's nonce is not the one of this login: a token of an earlier launch");

	const parsed = claimsSchema.safeParse(payload);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const path = String(issue.path[0] ?? '');
		const code = path === CLAIM.messageType || path === CLAIM.version ? 'wrong_message' : 'missing_claim';
		return refused(code, `${platform.name}: ${firstIssue(parsed.error)}`);
	}
	const claims = parsed.data;
	const deploymentId = claims[CLAIM.deploymentId];
	if (!platform.deploymentIds.includes(deploymentId)) return refused('unknown_deployment', `deployment ${JSON.stringify(deploymentId)} is not one of ${platform.name}'s (${platform.deploymentIds.join(', ')})`);
	const messageType = claims[CLAIM.messageType];
	const resourceLink = claims[CLAIM.resourceLink];
	if (messageType === 'LtiResourceLinkRequest' && !resourceLink) return refused('missing_claim', `${platform.name}: a resource link launch without its resource_link claim`);
	const settings = claims[CLAIM.deepLinkingSettings];
	if (messageType === 'LtiDeepLinkingRequest' && !settings) return refused('missing_claim', `${platform.name}: a deep-linking request without its deep_linking_settings claim`);

	const context = claims[CLAIM.context];
	const fullName = claims.name?.trim() || [claims.given_name, claims.family_name].filter(Boolean).join(' ').trim();
	const custom = Object.fromEntries(Object.entries(claims[CLAIM.custom] ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
	return {
		ok: true,
		launch: {
			platform,
			deploymentId,
			messageType,
			subject: claims.sub,
			name: fullName || null,
			email: claims.email?.trim() || null,
			personSourcedId: claims[CLAIM.lis]?.person_sourcedid?.trim() || null,
			roles: claims[CLAIM.roles],
			context: { id: context.id, title: context.title?.trim() || context.label?.trim() || context.id },
			resourceLinkId: resourceLink?.id ?? null,
			custom,
			lineItemUrl: claims[CLAIM.ags]?.lineitem ?? null,
			membershipsUrl: claims[CLAIM.nrps]?.context_memberships_url ?? null,
			deepLinking: settings ? { returnUrl: settings.deep_link_return_url, data: settings.data ?? null, acceptMultiple: settings.accept_multiple ?? false } : null,
			locale: claims['https://purl.imsglobal.org/spec/lti/claim/launch_presentation']?.locale ?? null
		}
	};
}
