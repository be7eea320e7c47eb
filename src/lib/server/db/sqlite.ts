/**
 * The embedded database: one SQLite file (default ./data/stepwise.db, or STEPWISE_DB), created
 * and migrated on first open. WAL lets readers go on while a submission is written; synchronous
 * FULL makes a committed submission survive a killed process and a power cut alike.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { Storage } from '../storage';
import { KyselyStorage } from './kysely-storage';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export const DEFAULT_DB_PATH = './data/stepwise.db';

/** Applies every migration not applied yet; throws with the failing migration's name. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
	const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
	if (error) {
		const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'a migration';
		throw new Error(`the database could not be migrated (${failed}): ${error instanceof Error ? error.message : String(error)}`);
	}
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function openSqliteStorage(path: string = DEFAULT_DB_PATH): Promise<Storage> {
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new SQLite(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
	await migrate(db);
	return new KyselyStorage(db);
}
