/** The two databases the app runs on, each fresh for a suite: a SQLite file, and a database on the test PostgreSQL server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStorage } from '../../src/lib/server/db/postgres';
import { openSqliteStorage } from '../../src/lib/server/db/sqlite';
import type { Storage } from '../../src/lib/server/storage';
import { freshDatabase } from '../postgres';

export interface Backend {
	/** a SQLite file or a postgres:// URL */
	database: string;
	open(): Promise<Storage>;
	cleanup(): Promise<void>;
}

export function backends(purpose: string): [string, () => Promise<Backend>][] {
	return [
		[
			'SQLite',
			async () => {
				const dir = mkdtempSync(join(tmpdir(), `stepwise-${purpose}-`));
				const database = join(dir, 'stepwise.db');
				return { database, open: () => openSqliteStorage(database), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
			}
		],
		[
			'PostgreSQL',
			async () => {
				const fresh = await freshDatabase(purpose);
				return { database: fresh.url, open: () => openPostgresStorage(fresh.url), cleanup: fresh.drop };
			}
		]
	];
}
