import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../../src/lib/server/db/open';
import type { DatabaseLocation } from '../../src/lib/server/db/location';
import { freshDatabase } from '../postgres';
import { runCli, scratch } from './cli';

const { dir } = scratch('stepwise-lti-cli-');

interface Backend {
	env: Record<string, string>;
	location: DatabaseLocation;
	drop: () => Promise<void>;
}

/** An empty database of each kind: PostgreSQL only where the test server is (TEST_DATABASE_URL). */
const backends: [string, (name: string) => Promise<Backend>][] = [
	['SQLite', async (name) => ({ env: { STEPWISE_DB: join(dir, `${name}.db`) }, location: { kind: 'sqlite', path: join(dir, `${name}.db`) }, drop: async () => {} })],
	...(process.env.TEST_DATABASE_URL
		? ([
				[
					'PostgreSQL',
					async (name: string) => {
						const fresh = await freshDatabase(name);
						return { env: { DATABASE_URL: fresh.url }, location: { kind: 'postgres', url: fresh.url }, drop: fresh.drop } satisfies Backend;
					}
				]
			] as [string, (name: string) => Promise<Backend>][])
		: [])
];

function lti(args: string[], env: Record<string, string> = {}) {
	const base = { ...process.env };
	delete base.DATABASE_URL;
	delete base.STEPWISE_DB;
	return runCli(['lti', ...args], { env: { ...base, ...env } });
}

/** Moodle 4's "Tool configuration details" of a test platform, as options. */
const MOODLE = [
	'--name', 'Moodle de l’université',
	'--issuer', 'https://moodle.univ.fr',
	'--client-id', 'kR2xPq7Yz1AbCdE',
	'--deployment', '3,4',
	'--deployment', '5',
	'--auth-url', 'https://moodle.univ.fr/mod/lti/auth.php',
	'--jwks-url', 'https://moodle.univ.fr/mod/lti/certs.php',
	'--token-url', 'https://moodle.univ.fr/mod/lti/token.php'
];

describe.each(backends)('stepwise lti platform on %s', (_, open) => {
	it('adds a platform, lists it (also as JSON), refuses it twice, and removes it', async () => {
		const { env, location, drop } = await open('lti_platforms');
		try {
			const added = lti(['platform', 'add', ...MOODLE], env);
			expect(added).toMatchObject({ status: 0, stderr: '' });
			const id = Number(/^platform (\d+) \(Moodle de l’université\) added to /.exec(added.stdout)?.[1]);
			expect(id).toBeGreaterThan(0);

			const storage = await openStorage(location);
			const stored = await storage.lti.platformById(id);
			await storage.close();
			expect(stored).toMatchObject({
				name: 'Moodle de l’université',
				issuer: 'https://moodle.univ.fr',
				clientId: 'kR2xPq7Yz1AbCdE',
				deploymentIds: ['3', '4', '5'],
				authUrl: 'https://moodle.univ.fr/mod/lti/auth.php',
				jwksUrl: 'https://moodle.univ.fr/mod/lti/certs.php',
				tokenUrl: 'https://moodle.univ.fr/mod/lti/token.php',
				createdBy: null
			});

			const listed = lti(['platform', 'list'], env);
			expect(listed.status).toBe(0);
			expect(listed.stdout).toContain(`${id}  Moodle de l’université\n    issuer       https://moodle.univ.fr\n    client id    kR2xPq7Yz1AbCdE\n    deployments  3, 4, 5\n`);
			const json = lti(['platform', 'list', '--json'], env);
			expect(JSON.parse(json.stdout)).toEqual([{ ...stored }]);

			expect(lti(['platform', 'add', ...MOODLE], env)).toMatchObject({ status: 1, stderr: 'stepwise: https://moodle.univ.fr with client id kR2xPq7Yz1AbCdE is registered already (see lti platform list)\n' });

			expect(lti(['platform', 'remove', String(id)], env)).toMatchObject({ status: 0, stdout: expect.stringMatching(new RegExp(`^platform ${id} \\(Moodle de l’université\\) removed from `)) });
			expect(lti(['platform', 'remove', String(id)], env)).toMatchObject({ status: 1, stderr: expect.stringMatching(new RegExp(`^stepwise: no platform ${id} in .* \\(see lti platform list\\)\\n$`)) });
			expect(lti(['platform', 'list'], env).stdout).toMatch(/^no platform registered in /);
		} finally {
			await drop();
		}
	});

	it('rotates the signing key: the new key signs, and the old one stays published', async () => {
		const { env, location, drop } = await open('lti_keys');
		try {
			const first = lti(['keys', 'rotate'], env);
			const second = lti(['keys', 'rotate'], env);
			const kid = (result: { stdout: string }) => /^new signing key ([0-9a-f-]{36});/.exec(result.stdout)?.[1];
			expect([first.status, second.status]).toEqual([0, 0]);
			expect(kid(first)).toBeTruthy();
			expect(kid(second)).not.toBe(kid(first));
			const storage = await openStorage(location);
			const keys = await storage.lti.keys(Date.now() - 3_600_000);
			await storage.close();
			expect(keys.map((k) => [k.kid, k.retiredAt === null])).toEqual([
				[kid(second), true],
				[kid(first), false]
			]);
		} finally {
			await drop();
		}
	});
});

describe('stepwise lti', () => {
	const env = { STEPWISE_DB: join(dir, 'refusals.db') };
	const without = (flag: string) => {
		const at = MOODLE.indexOf(flag);
		return [...MOODLE.slice(0, at), ...MOODLE.slice(at + 2)];
	};
	const replaced = (flag: string, value: string) => MOODLE.map((arg, i) => (MOODLE[i - 1] === flag ? value : arg));

	it.each([
		['no name', without('--name'), 'stepwise: Name: missing.\n'],
		['an http issuer', replaced('--issuer', 'http://moodle.univ.fr'), "stepwise: Platform ID (issuer): must start with https:// (plain http only on this machine's own address).\n"],
		['no deployment', MOODLE.filter((arg, i) => arg !== '--deployment' && MOODLE[i - 1] !== '--deployment'), 'stepwise: Deployment ID: missing.\n'],
		['a client id with a space and a bad token URL', replaced('--token-url', 'token.php').map((arg) => (arg === 'kR2xPq7Yz1AbCdE' ? 'kR2x Pq7' : arg)), 'stepwise: Client ID: holds spaces; copy it again from the platform. Access token URL: not a web address (expected https://…).\n']
	])('refuses a platform with %s in one line, naming the field', (_, args, stderr) => {
		expect(lti(['platform', 'add', ...args], env)).toEqual({ status: 1, stdout: '', stderr });
	});

	it('says the refusal in French with --lang fr', () => {
		expect(lti(['platform', 'add', ...without('--name'), '--lang', 'fr'], env).stderr).toBe('stepwise: Nom : manquant.\n');
	});

	it.each([
		[['platform', 'remove', 'moodle'], 'lti platform remove: "moodle" is not a platform id'],
		[['platform', 'remove'], "lti platform remove needs the platform's id"],
		[['platform', 'rename', '1'], 'expected: lti platform add|list|remove ID'],
		[['keys', 'rotate', 'now'], 'unexpected argument "now"'],
		[['tool-urls'], 'lti tool-urls needs --origin URL']
	])('refuses the command line %j, with the usage', (args, message) => {
		const result = lti(args, env);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain(message);
		expect(result.stderr).toContain('stepwise lti platform add --name NAME');
	});

	it('prints the addresses to give the platform, from the origin alone', () => {
		expect(lti(['tool-urls', '--origin', 'https://stepwise.univ.fr/anything'])).toEqual({
			status: 0,
			stderr: '',
			stdout: [
				'Tool URL                  https://stepwise.univ.fr/lti/launch',
				'Initiate login URL        https://stepwise.univ.fr/lti/login',
				'Redirection URI(s)        https://stepwise.univ.fr/lti/launch',
				'Public keyset URL         https://stepwise.univ.fr/lti/jwks',
				'Content Selection URL     https://stepwise.univ.fr/lti/launch',
				'Dynamic registration URL  https://stepwise.univ.fr/lti/register',
				''
			].join('\n')
		});
		expect(JSON.parse(lti(['tool-urls', '--origin', 'http://127.0.0.1:5173', '--json']).stdout)).toMatchObject({ loginUrl: 'http://127.0.0.1:5173/lti/login', registrationUrl: 'http://127.0.0.1:5173/lti/register' });
		expect(lti(['tool-urls', '--origin', 'stepwise.univ.fr'])).toMatchObject({ status: 1, stderr: 'stepwise: --origin: "stepwise.univ.fr" is not a web address such as https://stepwise.univ.fr\n' });
	});
});
