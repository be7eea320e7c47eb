// What the LTI service tests share: both backends, a fake Stepwise serving its JWKS, the test platform registered.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStorage } from '../../../../src/lib/server/db/postgres';
import { openSqliteStorage } from '../../../../src/lib/server/db/sqlite';
import { publicJwks } from '../../../../src/lib/server/lti/keys';
import type { Platform } from '../../../../src/lib/server/lti/storage';
import type { Storage } from '../../../../src/lib/server/storage';
import { freshDatabase } from '../../../postgres';
import type { TestPlatform } from '../../../lti/platform';

export interface Opened {
	db: Storage;
	/** a second storage on the same database: another instance of Stepwise */
	another: () => Promise<Storage>;
	cleanup: () => Promise<void>;
}

export const backends: [string, () => Promise<Opened>][] = [
	[
		'SQLite',
		async () => {
			const dir = mkdtempSync(join(tmpdir(), 'stepwise-grades-'));
			const path = join(dir, 'stepwise.db');
			return { db: await openSqliteStorage(path), another: () => openSqliteStorage(path), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
		}
	],
	[
		'PostgreSQL',
		async () => {
			const database = await freshDatabase('lti_grades');
			return { db: await openPostgresStorage(database.url), another: () => openPostgresStorage(database.url), cleanup: database.drop };
		}
	]
];

/** A fake Stepwise that only publishes its JWKS, which the platform's token endpoint reads. */
export async function serveJwks(db: Storage): Promise<{ url: string; close: () => Promise<void> }> {
	const server: Server = createServer((req, res) => {
		if (req.url === '/lti/jwks') {
			publicJwks(db.lti).then((jwks) => {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify(jwks));
			});
		} else {
			res.writeHead(404);
			res.end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			})
	};
}

export async function registerPlatform(db: Storage, platform: TestPlatform): Promise<Platform> {
	return db.lti.addPlatform(
		{ name: 'Moodle de test', issuer: platform.issuer, clientId: platform.clientId, deploymentIds: [platform.deploymentId], authUrl: platform.authUrl, jwksUrl: platform.jwksUrl, tokenUrl: platform.tokenUrl },
		null,
		Date.now()
	);
}

