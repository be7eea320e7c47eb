/** Opens the database of a location, SQLite or PostgreSQL, as Kysely or as the Storage. */
import type { Kysely } from 'kysely';
import type { Storage } from '../storage';
import type { DatabaseLocation } from './location';
import { openPostgresDatabase, openPostgresStorage } from './postgres';
import type { Database } from './schema';
import { openSqliteDatabase, openSqliteStorage } from './sqlite';

/** Created and migrated if new. */
export function openStorage(location: DatabaseLocation): Promise<Storage> {
	return location.kind === 'postgres' ? openPostgresStorage(location.url, { poolSize: location.poolSize }) : openSqliteStorage(location.path);
}

/** Not migrated; a SQLite file must exist already when `mustExist`. */
export async function openDatabase(location: DatabaseLocation, { mustExist = false } = {}): Promise<Kysely<Database>> {
	return location.kind === 'postgres' ? openPostgresDatabase(location.url, { poolSize: location.poolSize }) : openSqliteDatabase(location.path, { mustExist });
}
