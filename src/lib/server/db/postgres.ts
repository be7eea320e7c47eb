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
/**
 * How long a query waits for a connection before it fails: a free one of the pool, or a new one
 * from a server that does not answer. Under a deadline's load an instance's event loop is busy
 * grading and a wait of seconds is normal; only a server gone quiet should fail a request.
 */
const CONNECT_TIMEOUT_MS = 30_000;

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
	// A restarted server cuts every connection, and an error event nobody listens to ends the
	// process. The pool reports idle ones here, drops them and connects again on the next query.
	pool.on('error', (error) => console.warn(`stepwise: PostgreSQL closed an idle connection (${error.message}); the next query opens a new one`));
	// A connection in use has no pool listener: its query fails by itself (answered 503), and the
	// pool drops the connection when it is given back. Reported once, by the request that failed.
	pool.on('connect', (client) => client.on('error', () => {}));
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
	return new KyselyStorage(db);
}
