/**
 * Access tokens for a platform's services (grades, roster): OAuth 2 client credentials with a JWT
 * assertion signed by Stepwise's key, as the LTI Advantage security framework asks. A token is
 * kept per platform and scope set until shortly before it expires, so that a burst of scores costs
 * one token request.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ALGORITHM, signingKey } from './keys';
import type { LtiStorage, Platform } from './storage';

export type Fetch = typeof fetch;

const ASSERTION_LIFETIME_S = 5 * 60;
/** a token is asked for again this long before it expires, so that none expires on its way */
const EXPIRY_MARGIN_MS = 60_000;
/** what a platform that gives no expires_in is trusted for */
const DEFAULT_LIFETIME_S = 300;
const TOKEN_TIMEOUT_MS = 10_000;

interface CachedToken {
	token: string;
	expiresAt: number;
}

const cache = new Map<string, CachedToken>();

/** Two databases (tests) may number their platforms alike: the token URL and client id tell them apart. */
const cacheKey = (platform: Platform, scopes: readonly string[]): string => JSON.stringify([platform.tokenUrl, platform.clientId, [...scopes].sort()]);

export class ServiceError extends Error {}

/** The platform's answer in one line, short enough for the teacher's page and the log. */
export async function answerInOneLine(response: Response): Promise<string> {
	const text = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
	return `${response.status}${text ? ` ${text}` : ''}`;
}

async function requestToken(lti: LtiStorage, platform: Platform, scopes: readonly string[], fetchImpl: Fetch, now: number): Promise<CachedToken> {
	const key = await signingKey(lti, now);
	const issuedAt = Math.floor(now / 1000);
	const assertion = await new SignJWT({})
		.setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
		.setIssuer(platform.clientId)
		.setSubject(platform.clientId)
		.setAudience(platform.tokenUrl)
		.setIssuedAt(issuedAt)
		.setExpirationTime(issuedAt + ASSERTION_LIFETIME_S)
		.setJti(randomUUID())
		.sign(key.privateKey);
	let response: Response;
	try {
		response = await fetchImpl(platform.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
				client_assertion: assertion,
				scope: scopes.join(' ')
			}),
			signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS)
		});
	} catch (error) {
		throw new ServiceError(`token endpoint unreachable: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (!response.ok) throw new ServiceError(`token refused: ${await answerInOneLine(response)}`);
	const body = (await response.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
	if (typeof body?.access_token !== 'string' || body.access_token === '') throw new ServiceError('token endpoint answered without an access_token');
	const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
	return { token: body.access_token, expiresAt: now + lifetime * 1000 - EXPIRY_MARGIN_MS };
}

/** A live access token for these scopes, from the cache or asked for now. Throws ServiceError. */
export async function serviceToken(lti: LtiStorage, platform: Platform, scopes: readonly string[], fetchImpl: Fetch = fetch, now = Date.now()): Promise<string> {
	const key = cacheKey(platform, scopes);
	const cached = cache.get(key);
	if (cached && cached.expiresAt > now) return cached.token;
	const fresh = await requestToken(lti, platform, scopes, fetchImpl, now);
	cache.set(key, fresh);
	return fresh.token;
}

/** Forgets the token of these scopes (the platform refused it). */
export function dropServiceToken(platform: Platform, scopes: readonly string[]): void {
	cache.delete(cacheKey(platform, scopes));
}

/**
 * A request to one of the platform's services with a Bearer token; a 401 (the token was revoked
 * or forgotten by the platform) drops the token and tries once more with a new one. Network
 * errors and token refusals throw ServiceError; any other answer is returned.
 */
export async function serviceFetch(
	lti: LtiStorage,
	platform: Platform,
	scopes: readonly string[],
	url: string,
	init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; timeoutMs: number },
	fetchImpl: Fetch = fetch,
	now = Date.now()
): Promise<Response> {
	const attempt = async (): Promise<Response> => {
		const token = await serviceToken(lti, platform, scopes, fetchImpl, now);
		try {
			return await fetchImpl(url, {
				method: init.method,
				headers: { ...init.headers, authorization: `Bearer ${token}` },
				body: init.body,
				signal: AbortSignal.timeout(init.timeoutMs)
			});
		} catch (error) {
			throw new ServiceError(`${new URL(url).host} unreachable: ${error instanceof Error ? error.message : String(error)}`);
		}
	};
	const first = await attempt();
	if (first.status !== 401) return first;
	await first.body?.cancel();
	dropServiceToken(platform, scopes);
	return attempt();
}
