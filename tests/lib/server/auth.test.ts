import { describe, expect, it } from 'vitest';
import { emailProblem, hashPassword, hashToken, newToken, passwordProblem, verifyPassword } from '../../../src/lib/server/auth';

describe('passwords', () => {
	it('verifies the password it hashed, and no other', async () => {
		const stored = await hashPassword('correct horse battery');
		expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
		expect(await verifyPassword('correct horse battery', stored)).toBe(true);
		expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
		expect(await verifyPassword('correct horse battery', 'plain')).toBe(false);
	});

	it('salts each hash', async () => {
		expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
	});

	it.each([
		['short', 'the password must have at least 10 characters'],
		['x'.repeat(201), 'the password must have at most 200 characters'],
		['long enough!', null]
	])('judges the password %s', (password, problem) => {
		expect(passwordProblem(password)).toBe(problem);
	});

	it.each([
		['prof@univ.fr', null],
		['prof@univ', '"prof@univ" is not an email address'],
		['a b@univ.fr', '"a b@univ.fr" is not an email address']
	])('judges the email %s', (email, problem) => {
		expect(emailProblem(email)).toBe(problem);
	});
});

describe('tokens', () => {
	it('are random and stored as their hash', () => {
		const a = newToken();
		expect(a).toMatch(/^[\w-]{43}$/);
		expect(newToken()).not.toBe(a);
		expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
		expect(hashToken(a)).toBe(hashToken(a));
	});
});
