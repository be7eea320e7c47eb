/**
 * The embedded database: one SQLite file (default ./data/stepwise.db, or STEPWISE_DB), created
 * and migrated on first open. WAL lets readers go on while a submission is written; synchronous
 * FULL makes a committed submission survive a killed process and a power cut alike.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Storage } from '../storage';
import { DatabaseError } from './errors';
import { KyselyStorage } from './kysely-storage';
import { migrate } from './migrate';
import type { Database } from './schema';

export const DEFAULT_DB_PATH = './data/stepwise.db';

/** The file as Kysely sees it, not migrated; `mustExist` refuses to create a new one (a copy's source). */
export function openSqliteDatabase(path: string = DEFAULT_DB_PATH, { mustExist = false } = {}): Kysely<Database> {
	if (mustExist && !existsSync(path)) throw new DatabaseError(`there is no SQLite database at ${path}`);
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	let sqlite: SQLite.Database;
	try {
		sqlite = new SQLite(path, { fileMustExist: mustExist });
		sqlite.pragma('journal_mode = WAL');
	} catch (error) {
		throw new DatabaseError(`cannot open the SQLite database ${path}: ${error instanceof Error ? error.message : String(error)}`);
	}
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export async function openSqliteStorage(path: string = DEFAULT_DB_PATH): Promise<Storage> {
	const db = openSqliteDatabase(path);
	await migrate(db);
	return new KyselyStorage(db);
}
