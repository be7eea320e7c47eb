/**
 * The server's one storage, opened on first use: the SQLite file of STEPWISE_DB (default
 * ./data/stepwise.db), created and migrated if new.
 */
import type { Storage } from '../storage';
import { DEFAULT_DB_PATH, openSqliteStorage } from './sqlite';

let opening: Promise<Storage> | undefined;

export function storage(): Promise<Storage> {
	opening ??= openSqliteStorage(process.env.STEPWISE_DB ?? DEFAULT_DB_PATH);
	return opening;
}
