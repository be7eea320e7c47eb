import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyStorage } from '../../src/lib/server/db/kysely-storage';
import type { DatabaseLocation } from '../../src/lib/server/db/location';
import { migrationProvider } from '../../src/lib/server/db/migrations';
import { openDatabase, openStorage } from '../../src/lib/server/db/open';
import { openPostgresStorage } from '../../src/lib/server/db/postgres';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import type { Storage } from '../../src/lib/server/storage';
import { freshDatabase, type TestDatabase } from '../postgres';
import { runCli, scratch } from './cli';

const { dir } = scratch('stepwise-db-cli-');

/** `npm run -s cli -- db …` with this database environment (and no other). */
function db(args: string[], env: Record<string, string> = {}) {
	const base = { ...process.env };
	delete base.DATABASE_URL;
	delete base.STEPWISE_DB;
	return runCli(['db', ...args], { env: { ...base, ...env } });
}

/**
 * A deployment with a row in every table: a teacher signed in, an invitation, an assignment, two
 * students (one on two devices), their numbers (unless the schema is the first one's, without
 * them), a draft, submissions, a rate limit reached.
 */
async function deployment(storage: Storage, { numbers = true } = {}): Promise<{ code: string; assignmentId: number }> {
	const teacher = await storage.createTeacher('prof@univ.fr', 'Prof Martin', 'scrypt$hash');
	await storage.createSession('session-hash', teacher.id, Date.now() + 3_600_000);
	await storage.createInvitation('invitation-hash', 'colleague@univ.fr', teacher.id, Date.now() + 3_600_000);
	const assignment = await storage.createAssignment({
		teacherId: teacher.id,
		title: 'Rétropropagation, à rendre vendredi',
		exercises: [{ exerciseId: 'backprop-221', source: 'id: backprop-221\n' }, { exerciseId: 'conv-output-size', source: 'id: conv-output-size\n' }],
		opensAt: 1_000,
		closesAt: Date.now() + 3_600_000,
		attempts: 3,
		carryForward: true,
		feedback: 'immediate'
	});
	const chloe = await storage.joinStudent(assignment.id, '21901234', 'Chloé Martin', 'chloe-phone');
	await storage.joinStudent(assignment.id, '21901234', 'Chloé Martin', 'chloe-laptop');
	const paul = await storage.joinStudent(assignment.id, '21905678', 'Paul Durand', 'paul-phone');
	if (!chloe.ok || !paul.ok) throw new Error('join');
	if (numbers) {
		await storage.keepVariant(chloe.student.id, 0, '{"attempt":0,"drawn":{"x":[0.5,-1.25]},"scenario":{"x":[0.5,-1.25]}}');
		await storage.keepVariant(paul.student.id, 1, '{"attempt":2,"drawn":{},"scenario":{"input":"28×28"}}');
	}
	await storage.saveDraft(paul.student.id, 1, { 'q:size': '8' }, 5);
	for (const [student, key, points] of [[chloe.student.id, 'k1', 2.5], [chloe.student.id, 'k2', 10 / 3], [paul.student.id, 'k3', 0]] as const)
		await storage.submit({ studentId: student, position: 0, idempotencyKey: key, answers: { z1: '0,1 ; 0,45' }, points, max: 4, report: '{"points":1}', attemptsAllowed: 3 }, 7);
	for (let i = 0; i < 3; i++) await storage.hit('login:10.0.0.1', 2, 3_600_000, Date.now());
	if (numbers) await ltiRows(storage, teacher.id, assignment.id);
	return { code: assignment.code, assignmentId: assignment.id };
}

/** The table rows `db copy` printed, by table: [rows from, rows to, checksum from, checksum to]. */
function reported(stdout: string): Map<string, string[]> {
	const rows = stdout.split('\n').filter((line) => /^[a-z_]+\s+\d+\s+\d+\s+[0-9a-f]{16}\s+[0-9a-f]{16}$/.test(line));
	return new Map(rows.map((line) => line.trim().split(/\s+/)).map(([table, ...cells]) => [table, cells]));
}

/** A Moodle course bound to the assignment: a platform, a key, a login, an instructor, a link, a student launched, a deep link, a score queued. */
async function ltiRows(storage: Storage, teacherId: number, assignmentId: number): Promise<void> {
	const lti = storage.lti;
	const now = Date.now();
	const platform = await lti.addPlatform(
		{ name: 'Moodle UFR', issuer: 'https://moodle.univ.fr', clientId: 'aB3x', deploymentIds: ['1'], authUrl: 'https://moodle.univ.fr/mod/lti/auth.php', jwksUrl: 'https://moodle.univ.fr/mod/lti/certs.php', tokenUrl: 'https://moodle.univ.fr/mod/lti/token.php' },
		teacherId,
		now
	);
	await lti.addKey({ kid: 'k-1', publicJwk: '{"kty":"RSA"}', privateJwk: '{"kty":"RSA","d":"x"}', createdAt: now, retiredAt: null });
	await lti.createLogin({ stateHash: 'state-hash', nonce: 'n-1', platformId: platform.id, expiresAt: now + 600_000 });
	const colleague = await storage.createTeacher('colleague-lti@univ.fr', 'Colleague', '');
	await lti.linkAccount(platform.id, 'moodle-user-7', colleague.id);
	await lti.shareAssignment(assignmentId, colleague.id);
	await lti.bindAssignment({ assignmentId, platformId: platform.id, deploymentId: '1', contextId: 'course-42', contextTitle: 'Apprentissage profond', lineItemUrl: 'https://moodle.univ.fr/mod/lti/services.php/42/lineitems/9/lineitem', membershipsUrl: null, createdAt: now });
	await lti.addLink(platform.id, 'link-1', assignmentId);
	const lea = await lti.enrolStudent({ assignmentId, platformId: platform.id, subject: 'moodle-user-8', studentNumber: '21907777', name: 'Léa Petit', tokenHash: 'lea-moodle', now });
	await lti.createDeepLink({ tokenHash: 'deep-hash', platformId: platform.id, deploymentId: '1', contextId: 'course-42', contextTitle: 'Apprentissage profond', teacherId: colleague.id, returnUrl: 'https://moodle.univ.fr/mod/lti/contentitem_return.php', data: 'opaque', acceptMultiple: true, expiresAt: now + 600_000 });
	await lti.queueScore({ assignmentId, studentId: lea.id, scoreGiven: 2.5, scoreMaximum: 8, activityProgress: 'InProgress' }, now);
}

describe('stepwise db copy', () => {
	const source = join(dir, 'stepwise.db');
	let seeded: { code: string; assignmentId: number };
	let target: TestDatabase;
	let copy: ReturnType<typeof db>;
	beforeAll(async () => {
		const storage = await openSqliteStorage(source);
		seeded = await deployment(storage);
		await storage.close();
		target = await freshDatabase('copy');
		copy = db(['copy', '--from', source, '--to', target.url]);
	});
	afterAll(async () => {
		await target?.drop();
	});

	it('moves a SQLite deployment to PostgreSQL and prints, per table, the same rows and checksum on both sides', () => {
		expect(copy.stderr).toBe('');
		expect(copy.status).toBe(0);
		const tables = reported(copy.stdout);
		expect([...tables.keys()]).toEqual(['teachers', 'sessions', 'invitations', 'assignments', 'assignment_exercises', 'students', 'student_sessions', 'student_variants', 'drafts', 'submissions', 'rate_limits', 'lti_keys', 'lti_platforms', 'lti_deployments', 'lti_logins', 'lti_accounts', 'assignment_teachers', 'lti_assignments', 'lti_links', 'lti_students', 'lti_deep_links', 'lti_grades']);
		for (const [table, [rowsFrom, rowsTo, sumFrom, sumTo]] of tables) {
			expect(rowsTo, table).toBe(rowsFrom);
			expect(sumTo, table).toBe(sumFrom);
			expect(sumFrom, table).toMatch(/^[0-9a-f]{16}$/);
		}
		expect(tables.get('student_sessions')?.[0]).toBe('4');
		expect(tables.get('student_variants')?.[0]).toBe('2');
		expect(copy.stdout).toContain('copied 32 rows of 22 tables');
		expect(copy.stdout).not.toContain(new URL(target.url).password);
	});

	it('keeps everything the app reads, and new rows take new ids', async () => {
		const [before, after] = [await openSqliteStorage(source), await openPostgresStorage(target.url)];
		try {
			for (const read of [
				(s: Storage) => s.teacherByEmail('prof@univ.fr'),
				(s: Storage) => s.sessionTeacher('session-hash', Date.now()),
				(s: Storage) => s.assignmentByCode(seeded.code),
				(s: Storage) => s.studentsOf(seeded.assignmentId),
				(s: Storage) => s.studentByToken('chloe-laptop'),
				(s: Storage) => s.submissionsOfAssignment(seeded.assignmentId),
				async (s: Storage) => s.draftOf((await s.studentByToken('paul-phone'))?.id ?? 0, 1),
				async (s: Storage) => s.variantOf((await s.studentByToken('chloe-phone'))?.id ?? 0, 0),
				async (s: Storage) => s.variantOf((await s.studentByToken('paul-phone'))?.id ?? 0, 1),
				(s: Storage) => s.lti.platforms(),
				(s: Storage) => s.lti.keys(0),
				(s: Storage) => s.lti.bindingOf(seeded.assignmentId),
				(s: Storage) => s.lti.subjectsOf(seeded.assignmentId),
				(s: Storage) => s.lti.gradesOf(seeded.assignmentId),
				(s: Storage) => s.lti.deepLinkOf('deep-hash', Date.now()),
				(s: Storage) => s.lti.assignmentOfLink(1, 'link-1'),
				(s: Storage) => s.studentByToken('lea-moodle')
			])
				expect(await read(after)).toEqual(await read(before));
			expect(await after.variantOf((await after.studentByToken('paul-phone'))?.id ?? 0, 1)).toBe('{"attempt":2,"drawn":{},"scenario":{"input":"28×28"}}');
			expect(await after.useInvitation('invitation-hash', Date.now())).toBe('colleague@univ.fr');
			// the address that had reached its limit is still refused
			expect(await after.hit('login:10.0.0.1', 2, 3_600_000, Date.now())).toBe(false);
			const newcomer = await after.createTeacher('new@univ.fr', 'New', 'h');
			expect(newcomer.id).toBeGreaterThan((await before.teacherByEmail('colleague-lti@univ.fr'))?.id ?? Infinity);
			// a login started before the copy is finished after it, once
			expect(await after.lti.useLogin('state-hash', Date.now())).toMatchObject({ ok: true, login: { nonce: 'n-1' } });
			expect(await after.lti.useLogin('state-hash', Date.now())).toEqual({ ok: false, reason: 'replayed' });
			const second = await after.lti.addPlatform({ ...(await before.lti.platforms())[0], clientId: 'other' }, null, Date.now());
			expect(second.id).toBeGreaterThan(1);
		} finally {
			await Promise.all([before.close(), after.close()]);
		}
	});

	it('gives the same checksums when copied back from PostgreSQL to a new SQLite file', async () => {
		const fresh = await freshDatabase('copy_back');
		try {
			expect(db(['copy', '--from', source, '--to', fresh.url]).status).toBe(0);
			const back = db(['copy', '--from', fresh.url, '--to', join(dir, 'back.db')]);
			expect(back.status).toBe(0);
			const there = reported(copy.stdout);
			for (const [table, cells] of reported(back.stdout)) expect(cells[3], table).toBe(there.get(table)?.[2]);
		} finally {
			await fresh.drop();
		}
	});

	it('refuses a target that is not empty, and leaves it as it was', async () => {
		const again = db(['copy', '--from', source, '--to', target.url]);
		expect(again).toMatchObject({ status: 1, stdout: '' });
		expect(again.stderr).toMatch(/^stepwise: the target is not empty \(teachers has \d rows?\): db copy only fills an empty database\n$/);
		const storage = await openPostgresStorage(target.url);
		expect(await storage.submissionsOfAssignment(seeded.assignmentId)).toHaveLength(3);
		await storage.close();
	});

	describe('a source holding texts PostgreSQL cannot store', () => {
		// PostgreSQL refuses the NUL character in text, which SQLite keeps (from before the forms refused it)
		const broken = join(dir, 'nul.db');
		let paul = 0;
		beforeAll(async () => {
			const storage = await openSqliteStorage(broken);
			await deployment(storage);
			await storage.close();
			const sqlite = new SQLite(broken);
			sqlite.prepare("update students set name = 'Pa' || char(0) || 'ul' where student_number = '21905678'").run();
			sqlite.prepare("update assignments set title = 'Rétro' || char(0) || 'propagation' || char(0)").run();
			sqlite.prepare("update rate_limits set key = 'login:10.0.0.1' || char(0)").run();
			// carried by PostgreSQL, but removed by --strip-control with the rest
			sqlite.prepare("update teachers set name = 'Prof' || char(27) || ' Martin' where email = 'prof@univ.fr'").run();
			paul = (sqlite.prepare("select id from students where student_number = '21905678'").get() as { id: number }).id;
			sqlite.close();
		});

		it('names each cell (table, primary key, column), offers --strip-control, and writes nothing', async () => {
			const fresh = await freshDatabase('copy_nul');
			try {
				const failed = db(['copy', '--from', broken, '--to', fresh.url]);
				expect(failed).toMatchObject({ status: 1, stdout: '' });
				expect(failed.stderr).toBe(
					`stepwise: PostgreSQL cannot store the NUL character (U+0000) that these 3 cells hold: assignments (id=1) column title; students (id=${paul}) column name; rate_limits (key="login:10.0.0.1\\u0000") column key; nothing was written. Correct them in the source, or copy with --strip-control, which removes control characters from every text\n`
				);
				const target = await openPostgresStorage(fresh.url);
				expect(await target.teacherByEmail('prof@univ.fr')).toBeUndefined();
				await target.close();
			} finally {
				await fresh.drop();
			}
		});

		it('with --strip-control, removes control characters, says how many cells of each table changed, and checks against the stripped source', async () => {
			const fresh = await freshDatabase('copy_strip');
			try {
				const stripped = db(['copy', '--from', broken, '--to', fresh.url, '--strip-control']);
				expect(stripped.stderr).toBe('');
				expect(stripped.status).toBe(0);
				expect(stripped.stdout).toContain(
					"--strip-control: control characters removed from 1 cell of teachers, 1 cell of assignments, 1 cell of students, 1 cell of rate_limits; the checksums (from) are the source's once stripped\n"
				);
				const tables = reported(stripped.stdout);
				for (const [table, [rowsFrom, rowsTo, sumFrom, sumTo]] of tables) expect([rowsTo, sumTo], table).toEqual([rowsFrom, sumFrom]);
				const target = await openPostgresStorage(fresh.url);
				try {
					expect((await target.teacherByEmail('prof@univ.fr'))?.name).toBe('Prof Martin');
					expect((await target.studentsOf(1)).map((s) => s.name).sort()).toEqual(['Chloé Martin', 'Léa Petit', 'Paul']);
					expect((await target.assignmentById(1))?.title).toBe('Rétropropagation');
				} finally {
					await target.close();
				}
				// the checksums it compared are those of the stripped rows: a plain copy of the result gives them again
				const back = db(['copy', '--from', fresh.url, '--to', join(dir, 'stripped-back.db')]);
				expect(back.status).toBe(0);
				for (const [table, cells] of reported(back.stdout)) expect(cells[2], table).toBe(tables.get(table)?.[2]);
			} finally {
				await fresh.drop();
			}
		});

		it('with --strip-control and a clean source, says that no text held one', () => {
			const copied = db(['copy', '--from', source, '--to', join(dir, 'clean-copy.db'), '--strip-control']);
			expect(copied.status).toBe(0);
			expect(copied.stdout).toContain('--strip-control: no text held a control character\n');
		});
	});

	it.each([
		[['--from', join(dir, 'missing.db'), '--to', 'postgres://u:p@127.0.0.1:1/x'], 1, `stepwise: there is no SQLite database at ${join(dir, 'missing.db')}\n`],
		[['--from', 'SOURCE', '--to', 'postgres//127.0.0.1/x'], 1, 'stepwise: --to is not a URL: expected postgres://user:password@host:5432/database\n'],
		[['--from', 'mysql://127.0.0.1/x', '--to', 'postgres://127.0.0.1/x'], 1, 'stepwise: --from must start with postgres:// (got mysql://): expected postgres://user:password@host:5432/database\n'],
		[['--from', 'SOURCE', '--to', 'postgres://stepwise:pw@127.0.0.1:1/x'], 1, 'stepwise: cannot use PostgreSQL at postgres://stepwise:***@127.0.0.1:1/x: connection refused (is the server running, on this host and port?)\n'],
		[['--from', 'SOURCE', '--to', 'SOURCE'], 1, 'stepwise: --from and --to are the same database\n'],
		[['--from', 'SOURCE'], 2, null]
	])('refuses %j in one line', (args, status, message) => {
		const result = db(['copy', ...args.map((a) => (a === 'SOURCE' ? source : a))]);
		expect(result.status).toBe(status);
		if (message) expect(result.stderr).toBe(message);
		else expect(result.stderr.split('\n')[0]).toMatch(/^stepwise: /);
		expect(result.stderr).not.toMatch(/^\s+at /m);
	});

	it('refuses a source that is not a Stepwise database', () => {
		const other = join(dir, 'other.db');
		new SQLite(other).exec('create table notes (id integer primary key, text text)');
		expect(db(['copy', '--from', other, '--to', join(dir, 'unused.db')])).toMatchObject({ status: 1, stderr: 'stepwise: the source has no Stepwise tables: is it a Stepwise database?\n' });
	});
});

describe('stepwise db migrate', () => {
	/** An empty database of each kind: its environment for the command line, where it says it is, the database itself. */
	const empty: [string, (name: string) => Promise<{ env: Record<string, string>; where: string; location: DatabaseLocation; drop: () => Promise<void> }>][] = [
		['a new SQLite file', async (name) => ({ env: { STEPWISE_DB: join(dir, `${name}.db`) }, where: join(dir, `${name}.db`), location: { kind: 'sqlite', path: join(dir, `${name}.db`) }, drop: async () => {} })],
		[
			'an empty PostgreSQL database',
			async (name) => {
				const fresh = await freshDatabase(name);
				const url = new URL(fresh.url);
				url.password = '***';
				return { env: { DATABASE_URL: fresh.url }, where: url.toString(), location: { kind: 'postgres', url: fresh.url }, drop: fresh.drop };
			}
		]
	];

	it.each(empty)('creates the schema of %s once, then says it is up to date', async (_, open) => {
		const { env, where, drop } = await open('migrate');
		try {
			expect(db(['migrate'], env)).toEqual({ status: 0, stdout: `applied 0001-initial, 0002-student-variants, 0003-lti to ${where}\n`, stderr: '' });
			expect(db(['migrate'], env)).toEqual({ status: 0, stdout: `${where} is up to date\n`, stderr: '' });
		} finally {
			await drop();
		}
	});

	it.each(empty)('brings %s made by the first version up to date, keeping its rows', async (_, open) => {
		const { env, where, location, drop } = await open('migrate_old');
		try {
			// the schema and the rows of a deployment before the students' numbers were stored
			const old = await openDatabase(location);
			const { error } = await new Migrator({ db: old, provider: migrationProvider }).migrateTo('0001-initial');
			if (error) throw error;
			const { code } = await deployment(new KyselyStorage(old), { numbers: false });
			await old.destroy();

			expect(db(['migrate'], env)).toEqual({ status: 0, stdout: `applied 0002-student-variants, 0003-lti to ${where}\n`, stderr: '' });
			const storage = await openStorage(location);
			try {
				const assignment = await storage.assignmentByCode(code);
				const [paul] = (await storage.studentsOf(assignment?.id ?? 0)).filter((s) => s.studentNumber === '21905678');
				expect(await storage.submissionsOf(paul.id)).toHaveLength(1);
				expect(await storage.variantOf(paul.id, 0)).toBeUndefined();
				expect(await storage.keepVariant(paul.id, 0, '{"attempt":0}')).toBe('{"attempt":0}');
			} finally {
				await storage.close();
			}
		} finally {
			await drop();
		}
	});
});
