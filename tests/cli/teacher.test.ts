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

	it.each([
		[['add', 'prof@univ.fr'], { STEPWISE_PASSWORD: 'a long password' }, 1, 'already has an account'],
		[['add', 'not-an-email'], { STEPWISE_PASSWORD: 'a long password' }, 1, 'is not an email address'],
		[['add', 'new@univ.fr'], { STEPWISE_PASSWORD: 'short' }, 1, 'at least 10 characters'],
		[['add', 'new@univ.fr'], {}, 1, 'set STEPWISE_PASSWORD'],
		[['remove', 'new@univ.fr'], {}, 2, 'expected: teacher add EMAIL']
	])('refuses %j with a clear message', (args, env, status, message) => {
		const result = teacher(args, env as Record<string, string>);
		expect(result.status).toBe(status);
		expect(result.stderr).toContain(message);
	});
});
