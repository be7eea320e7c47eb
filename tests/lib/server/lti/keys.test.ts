import { importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../../../src/lib/server/db/sqlite';
import { publicJwks, rotateKeys, signingKey } from '../../../../src/lib/server/lti/keys';
import type { Storage } from '../../../../src/lib/server/storage';

let db: Storage;
beforeEach(async () => {
	db = await openSqliteStorage(':memory:');
});
afterEach(async () => {
	await db.close();
});

const DAY = 24 * 3600 * 1000;

async function verifies(jwks: { keys: JWK[] }, token: string): Promise<boolean> {
	const kid = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid as string;
	const jwk = jwks.keys.find((k) => k.kid === kid);
	if (!jwk) return false;
	return jwtVerify(token, await importJWK(jwk, 'RS256')).then(
		() => true,
		() => false
	);
}

const signed = async (key: Awaited<ReturnType<typeof signingKey>>): Promise<string> => new SignJWT({ hello: 'platform' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);

describe("Stepwise's signing keys", () => {
	it('are made once, and published without their private part', async () => {
		const first = await signingKey(db.lti, 0);
		expect((await signingKey(db.lti, 1)).kid).toBe(first.kid);
		const jwks = await publicJwks(db.lti, 2);
		expect(jwks.keys).toHaveLength(1);
		expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: first.kid, alg: 'RS256', use: 'sig' });
		for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(secret);
		expect(await verifies(jwks, await signed(first))).toBe(true);
	});

	it('rotate: the new key signs, the old one still verifies for a day, then leaves the JWKS', async () => {
		const old = await signingKey(db.lti, 0);
		const before = await signed(old);
		const kid = await rotateKeys(db.lti, 1_000);
		const current = await signingKey(db.lti, 2_000);
		expect(current.kid).toBe(kid);
		expect(current.kid).not.toBe(old.kid);
		expect(await verifies(await publicJwks(db.lti, 2_000), before)).toBe(true);
		expect(await verifies(await publicJwks(db.lti, 2_000), await signed(current))).toBe(true);
		const later = await publicJwks(db.lti, 1_000 + DAY + 1);
		expect(later.keys.map((k) => k.kid)).toEqual([kid]);
		expect(await verifies(later, before)).toBe(false);
	});
});
