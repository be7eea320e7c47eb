import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/lib/server/auth';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import { runCli } from './cli';

const db = join(mkdtempSync(join(tmpdir(), 'stepwise-teacher-')), 'data', 'stepwise.db');

function teacher(args: string[], env: Record<string, string>) {
	return runCli(['teacher', ...args], { input: '', env: { ...process.env, STEPWISE_DB: db, ...env } });
}

describe('stepwise teacher add', () => {
	it('creates the first teacher in a new database, with the password hashed', async () => {
		const result = teacher(['add', 'Prof@Univ.fr', '--name', 'Prof Martin'], { STEPWISE_PASSWORD: 'a long password' });
		expect(result).toMatchObject({ status: 0, stdout: `teacher prof@univ.fr added to ${db}\n` });
		const storage = await openSqliteStorage(db);
		const saved = await storage.teacherByEmail('prof@univ.fr');
		await storage.close();
		expect(saved?.name).toBe('Prof Martin');
		expect(saved?.passwordHash).not.toContain('a long password');
		expect(await verifyPassword('a long password', saved?.passwordHash ?? '')).toBe(true);
	});

	it('keeps accented names and emoji as typed', async () => {
		const result = teacher(['add', 'chloe@univ.fr', '--name', 'Chloé Lefèvre 👩‍🔬'], { STEPWISE_PASSWORD: 'mot de passe très long' });
		expect(result).toMatchObject({ status: 0, stderr: '' });
		const storage = await openSqliteStorage(db);
		const saved = await storage.teacherByEmail('chloe@univ.fr');
		await storage.close();
		expect(saved?.name).toBe('Chloé Lefèvre 👩‍🔬');
		expect(await verifyPassword('mot de passe très long', saved?.passwordHash ?? '')).toBe(true);
	});

	it.each([
		[['add', 'prof@univ.fr'], { STEPWISE_PASSWORD: 'a long password' }, 1, 'already has an account'],
		[['add', 'not-an-email'], { STEPWISE_PASSWORD: 'a long password' }, 1, 'is not an email address'],
		[['add', 'new@univ.fr'], { STEPWISE_PASSWORD: 'short' }, 1, 'at least 10 characters'],
		[['add', 'new@univ.fr'], {}, 1, 'set STEPWISE_PASSWORD'],
		[['remove', 'new@univ.fr'], {}, 2, 'expected: teacher add EMAIL'],
		// the forms' rule for typed texts (a NUL cannot travel in argv or the environment at all)
		[['add', 'pr\u0001of@univ.fr'], { STEPWISE_PASSWORD: 'a long password' }, 1, 'the email holds an invisible control character (U+0001)'],
		[['add', 'new@univ.fr', '--name', 'Prof\u001bMartin'], { STEPWISE_PASSWORD: 'a long password' }, 1, 'the name holds an invisible control character (U+001B)'],
		[['add', 'new@univ.fr', '--name', 'Prof Martin\u0085'], { STEPWISE_PASSWORD: 'a long password' }, 1, 'the name holds an invisible control character (U+0085)'],
		[['add', 'new@univ.fr'], { STEPWISE_PASSWORD: 'a long\u007fpassword' }, 1, 'the password holds an invisible control character (U+007F)'],
		// a tab or a line break could never be typed in the login form's password field
		[['add', 'new@univ.fr'], { STEPWISE_PASSWORD: 'a long\tpassword' }, 1, 'the password holds an invisible control character (U+0009)'],
		[['add', 'new@univ.fr'], { STEPWISE_PASSWORD: 'a long\npassword' }, 1, 'the password holds an invisible control character (U+000A)']
	])('refuses %j with a clear message', (args, env, status, message) => {
		const result = teacher(args, env as Record<string, string>);
		expect(result.status).toBe(status);
		expect(result.stderr).toContain(message);
	});
});
