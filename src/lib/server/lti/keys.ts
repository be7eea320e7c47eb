/**
 * Stepwise's signing keys (RS256, as LTI 1.3 requires): made at first start, stored in the
 * database so that every instance signs with the same key, published as a JWKS that platforms
 * read, and rotated on demand. A retired key stays in the JWKS for a day, so that what it signed
 * just before the rotation still verifies.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { LtiStorage, StoredKey } from './storage';

export const ALGORITHM = 'RS256';
const PUBLISHED_AFTER_RETIREMENT_MS = 24 * 3600 * 1000;

export interface SigningKey {
	kid: string;
	privateKey: CryptoKey;
}

async function newKey(now: number): Promise<StoredKey> {
	const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { modulusLength: 2048, extractable: true });
	const kid = randomUUID();
	const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' };
	const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM };
	return { kid, publicJwk: JSON.stringify(publicJwk), privateJwk: JSON.stringify(privateJwk), createdAt: now, retiredAt: null };
}

const imported = new Map<string, Promise<CryptoKey>>();

function importPrivate(key: StoredKey): Promise<CryptoKey> {
	let found = imported.get(key.kid);
	if (!found) {
		found = importJWK(JSON.parse(key.privateJwk) as JWK, ALGORITHM) as Promise<CryptoKey>;
		imported.set(key.kid, found);
	}
	return found;
}

/** The newest key not retired, made now when there is none. */
export async function signingKey(lti: LtiStorage, now = Date.now()): Promise<SigningKey> {
	let current = (await lti.keys(now)).find((k) => k.retiredAt === null);
	if (!current) {
		current = await newKey(now);
		await lti.addKey(current);
	}
	return { kid: current.kid, privateKey: await importPrivate(current) };
}

/** The public keys a platform verifies Stepwise's signatures with. */
export async function publicJwks(lti: LtiStorage, now = Date.now()): Promise<{ keys: JWK[] }> {
	const keys = await lti.keys(now - PUBLISHED_AFTER_RETIREMENT_MS);
	return { keys: keys.map((k) => JSON.parse(k.publicJwk) as JWK) };
}

/** A new key signs from now on; the others are retired. Returns the new key's id. */
export async function rotateKeys(lti: LtiStorage, now = Date.now()): Promise<string> {
	const key = await newKey(now);
	await lti.addKey(key);
	await lti.retireKeysBut(key.kid, now);
	return key.kid;
}
