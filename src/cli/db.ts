/**
 * `stepwise db migrate` and `stepwise db copy --from … --to …`: the database of a deployment,
 * from the command line. migrate works on the server's database (DATABASE_URL, else
 * STEPWISE_DB); copy takes a SQLite file or a postgres:// URL at each end.
 */
import type { Kysely } from 'kysely';
import { copyDatabase, type TableCopy } from '../lib/server/db/copy';
import { DatabaseError } from '../lib/server/db/errors';
import { configuredLocation, describeLocation, parseLocation, type DatabaseLocation } from '../lib/server/db/location';
import { migrate } from '../lib/server/db/migrate';
import { openDatabase } from '../lib/server/db/open';
import type { Database } from '../lib/server/db/schema';
import type { CliOptions } from './args';

async function withDatabase<T>(location: DatabaseLocation, mustExist: boolean, run: (db: Kysely<Database>) => Promise<T>): Promise<T> {
	const db = await openDatabase(location, { mustExist });
	try {
		return await run(db);
	} finally {
		await db.destroy();
	}
}

async function migrateCommand(): Promise<number> {
	const location = configuredLocation();
	const applied = await withDatabase(location, false, migrate);
	const where = describeLocation(location);
	process.stdout.write(applied.length > 0 ? `applied ${applied.join(', ')} to ${where}\n` : `${where} is up to date\n`);
	return 0;
}

/** The table of row counts and checksums on both sides. */
export function copyReport(copied: TableCopy[]): string {
	const header = ['table', 'rows (from)', 'rows (to)', 'checksum (from)', 'checksum (to)'];
	const lines = copied.map((c) => [c.table, String(c.from.rows), String(c.to.rows), c.from.checksum, c.to.checksum]);
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const format = (cells: string[]): string => cells.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
	return [format(header), ...lines.map(format)].join('\n');
}

/** --strip-control: how many cells of each table lost control characters. */
export function strippedReport(copied: TableCopy[]): string {
	const changed = copied.filter((c) => c.stripped > 0).map((c) => `${c.stripped} cell${c.stripped === 1 ? '' : 's'} of ${c.table}`);
	return changed.length === 0
		? '--strip-control: no text held a control character'
		: `--strip-control: control characters removed from ${changed.join(', ')}; the checksums (from) are the source's once stripped`;
}

async function copyCommand(options: CliOptions): Promise<number> {
	const from = parseLocation(options.from ?? '', '--from');
	const to = parseLocation(options.to ?? '', '--to');
	if (describeLocation(from) === describeLocation(to)) throw new DatabaseError('--from and --to are the same database');
	const copied = await withDatabase(from, true, (source) =>
		withDatabase(to, false, async (target) => {
			try {
				return await copyDatabase({ db: source, postgres: from.kind === 'postgres' }, { db: target, postgres: to.kind === 'postgres' }, { stripControl: options.stripControl });
			} catch (error) {
				if (error instanceof DatabaseError) throw error;
				throw new DatabaseError(`the copy failed and nothing was written: ${error instanceof Error ? error.message : String(error)}`);
			}
		})
	);
	process.stdout.write(`${copyReport(copied)}\n`);
	if (options.stripControl) process.stdout.write(`${strippedReport(copied)}\n`);
	const rows = copied.reduce((sum, c) => sum + c.to.rows, 0);
	process.stdout.write(`copied ${rows} rows of ${copied.length} tables from ${describeLocation(from)} to ${describeLocation(to)} in one transaction; every count and checksum agrees\n`);
	return 0;
}

export function dbCommand(options: CliOptions): Promise<number> {
	return options.dbCommand === 'copy' ? copyCommand(options) : migrateCommand();
}
