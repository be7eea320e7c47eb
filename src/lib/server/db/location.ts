/**
 * Where a database is. The server and the command line read it from the environment:
 * DATABASE_URL=postgres://… selects PostgreSQL; without it, the SQLite file of STEPWISE_DB
 * (default ./data/stepwise.db). `db copy` takes either kind as an argument.
 */
import { DatabaseError } from './errors';
import { DEFAULT_DB_PATH } from './sqlite';

export type DatabaseLocation = { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'sqlite'; path: string };

const EXAMPLE = 'postgres://user:password@host:5432/database';

/** The URL as given, once it is known to be a PostgreSQL URL with a host; else a DatabaseError naming `what`. */
export function checkPostgresUrl(text: string, what: string): string {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new DatabaseError(`${what} is not a URL: expected ${EXAMPLE}`);
	}
	if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new DatabaseError(`${what} must start with postgres:// (got ${url.protocol}//): expected ${EXAMPLE}`);
	// a Unix socket is given as ?host=/run/postgresql instead of a host name
	if (!url.hostname && !url.searchParams.get('host')) throw new DatabaseError(`${what} names no host: expected ${EXAMPLE}`);
	return text;
}

/** A URL, or a mistyped PostgreSQL one (postgres//…, postgres:/…): never taken for a file name. */
const LOOKS_LIKE_URL = /^([a-z][a-z0-9+.-]*:\/\/|postgres(ql)?(:|\/\/))/i;

/** A postgres:// URL, or else the path of a SQLite file. */
export function parseLocation(text: string, what: string): DatabaseLocation {
	if (LOOKS_LIKE_URL.test(text)) return { kind: 'postgres', url: checkPostgresUrl(text, what) };
	if (text.trim() === '') throw new DatabaseError(`${what} is empty: give a SQLite file or a ${EXAMPLE} URL`);
	return { kind: 'sqlite', path: text };
}

function poolSize(text: string | undefined): number | undefined {
	if (text === undefined || text.trim() === '') return undefined;
	const n = Number(text);
	if (!Number.isInteger(n) || n < 1 || n > 1000) throw new DatabaseError(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "${text}")`);
	return n;
}

/** The server's database, from DATABASE_URL (and DATABASE_POOL_SIZE) or STEPWISE_DB. */
export function configuredLocation(env: Record<string, string | undefined> = process.env): DatabaseLocation {
	const url = env.DATABASE_URL?.trim();
	if (url) return { kind: 'postgres', url: checkPostgresUrl(url, 'DATABASE_URL'), poolSize: poolSize(env.DATABASE_POOL_SIZE) };
	return { kind: 'sqlite', path: env.STEPWISE_DB || DEFAULT_DB_PATH };
}

/** For messages and logs: the file, or the URL without its password. */
export function describeLocation(location: DatabaseLocation): string {
	if (location.kind === 'sqlite') return location.path;
	const url = new URL(location.url);
	if (url.password) url.password = '***';
	return url.toString();
}
