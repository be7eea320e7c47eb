/**
 * The server's one storage, opened on first use: PostgreSQL when DATABASE_URL is set, else the
 * SQLite file of STEPWISE_DB (default ./data/stepwise.db); created and migrated if new.
 */
import type { Storage } from '../storage';
import { configuredLocation } from './location';
import { openStorage } from './open';

let opening: Promise<Storage> | undefined;

export function storage(): Promise<Storage> {
	opening ??= Promise.resolve().then(() => openStorage(configuredLocation()));
	return opening;
}
