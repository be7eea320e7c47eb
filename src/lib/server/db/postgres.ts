/**
 * PostgreSQL, for several app instances on one server: a pg connection pool under Kysely, the
 * same queries and migrations as SQLite. Several instances may start at once: Kysely's migrator
 * takes an advisory lock, so each migration is applied once.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Storage } from '../storage';
import { DatabaseError } from './errors';
import { KyselyStorage } from './kysely-storage';
import { describeLocation } from './location';
import { migrate } from './migrate';
import type { Database } from './schema';
import { connectionProblem } from './unavailable';

export const DEFAULT_POOL_SIZE = 10;
/** How long a query waits for a connection before it fails (a server that does not answer). */
const CONNECT_TIMEOUT_MS = 5_000;

// bigint columns hold milliseconds and counts, far below 2^53: read them as numbers, as SQLite does
const parsers = new pg.TypeOverrides();
parsers.setTypeParser(pg.types.builtins.INT8, Number);

export interface PostgresOptions {
	poolSize?: number;
}

/** The database as Kysely sees it, once a first query has answered; not migrated. */
export async function openPostgresDatabase(url: string, { poolSize = DEFAULT_POOL_SIZE }: PostgresOptions = {}): Promise<Kysely<Database>> {
	const where = describeLocation({ kind: 'postgres', url });
	const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'stepwise', types: parsers });
	// A restarted server cuts the idle connections: the pool drops them and connects again on the
	// next query. Without this listener the error would end the process.
	pool.on('error', (error) => console.warn(`stepwise: PostgreSQL closed an idle connection (${error.message}); the next query opens a new one`));
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	try {
		await sql`select 1`.execute(db);
	} catch (error) {
		await db.destroy();
		throw new DatabaseError(`cannot use PostgreSQL at ${where}: ${connectionProblem(error)}`);
	}
	return db;
}

export async function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<Storage> {
	const db = await openPostgresDatabase(url, options);
	try {
		await migrate(db);
	} catch (error) {
		await db.destroy();
		throw error;
	}
	// concurrent transactions of several instances: a submission locks its student's row
	return new KyselyStorage(db, { lockRows: true });
}
