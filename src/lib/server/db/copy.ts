/**
 * `db copy`: every row of one Stepwise database into another, empty one (SQLite to PostgreSQL
 * when a deployment outgrows one file, or back). The source is read in one snapshot and the
 * target written in one transaction, which commits only when every table's row count and
 * checksum read back from the target agree with the source's: a failure leaves the target
 * as empty as it was.
 *
 * PostgreSQL cannot store the NUL character in text, which SQLite keeps: a copy to PostgreSQL
 * names every cell that holds one (table, primary key, column) and writes nothing, unless asked
 * to strip control characters (text.ts's rule), cell by cell; the checksums then compare the
 * target with the source as stripped, and the copy says how many cells of each table changed.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { TableChecksum, type Row } from './checksum';
import { stripControl } from '../text';
import { DatabaseError } from './errors';
import { knownMigrations, migrate } from './migrate';
import type { Database } from './schema';
import { TABLES, type TableInfo } from './tables';

/** Rows read and written at a time: 500 submissions are 5,000 parameters, within both databases' limits. */
const PAGE = 500;

/** The tables seen as plain rows, so that one loop copies them all. */
type Rows = Record<string, Row>;

export interface TableCount {
	rows: number;
	checksum: string;
}

export interface TableCopy {
	table: string;
	/** the source's rows, as written (without their control characters with stripControl) */
	from: TableCount;
	to: TableCount;
	/** cells whose control characters were removed */
	stripped: number;
}

export interface CopyOptions {
	/** removes control characters (other than tab and newline) from every text instead of refusing a NUL */
	stripControl?: boolean;
}

export interface CopyEnds {
	db: Kysely<Database>;
	/** PostgreSQL's auto-numbered ids need their sequences moved past the copied rows */
	postgres: boolean;
}

const asRows = <T extends Kysely<Database> | Transaction<Database>>(db: T): Kysely<Rows> => db as unknown as Kysely<Rows>;

/** Reads a table in pages in key order (keyset pagination: as fast on the last page as on the first). */
async function* pages(db: Kysely<Rows>, table: TableInfo): AsyncGenerator<Row[]> {
	let last: Row | undefined;
	for (;;) {
		const after = last;
		let query = db.selectFrom(table.name).selectAll();
		if (after) query = query.where(sql<boolean>`(${sql.join(table.key.map((k) => sql.ref(k)))}) > (${sql.join(table.key.map((k) => after[k]))})`);
		for (const k of table.key) query = query.orderBy(k);
		const rows = await query.limit(PAGE).execute();
		if (rows.length > 0) yield rows;
		if (rows.length < PAGE) return;
		last = rows[rows.length - 1];
	}
}

async function count(db: Kysely<Rows>, table: TableInfo): Promise<TableCount> {
	const checksum = new TableChecksum();
	for await (const rows of pages(db, table)) rows.forEach((row) => checksum.add(row));
	return { rows: checksum.rows, checksum: checksum.hex };
}

/** Refuses a source that is not a Stepwise database of this version, with the step that fixes it. */
async function checkSource(source: Kysely<Database>): Promise<void> {
	const tables = (await source.introspection.getTables()).map((t) => t.name).sort();
	const expected = TABLES.map((t) => t.name as string).sort();
	const missing = expected.filter((t) => !tables.includes(t));
	if (missing.length === expected.length) throw new DatabaseError('the source has no Stepwise tables: is it a Stepwise database?');
	const unknown = tables.filter((t) => !expected.includes(t));
	if (unknown.length > 0) throw new DatabaseError(`the source has tables this version of Stepwise does not know (${unknown.join(', ')}): copy with the version that made it`);
	const applied = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(source).catch(() => ({ rows: [] }))).rows.map((r) => r.name);
	const known = knownMigrations();
	if (missing.length > 0 || applied.join() !== known.join())
		throw new DatabaseError(`the source's schema is not this version's (migrations ${applied.join(', ') || 'none'}; expected ${known.join(', ')}): run \`db migrate\` on it first`);
}

async function checkEmpty(target: Kysely<Database>): Promise<void> {
	for (const table of TABLES) {
		const row = await asRows(target).selectFrom(table.name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		const n = Number(row.n);
		if (n > 0) throw new DatabaseError(`the target is not empty (${table.name} has ${n} row${n === 1 ? '' : 's'}): db copy only fills an empty database`);
	}
}

/** Cells named in the refusal; the others are counted. */
const NAMED_CELLS = 10;

/** A cell as a person finds it again: its table, its row's primary key and its column. */
function cellName(table: TableInfo, row: Row, column: string): string {
	return `${table.name} (${table.key.map((k) => `${k}=${JSON.stringify(row[k])}`).join(', ')}) column ${column}`;
}

/** The cells of these rows that PostgreSQL cannot store: text holding NUL. */
function nulCells(table: TableInfo, rows: Row[]): string[] {
	return rows.flatMap((row) => Object.entries(row).flatMap(([column, value]) => (typeof value === 'string' && value.includes('\0') ? [cellName(table, row, column)] : [])));
}

/** The rows without control characters in their texts, as new objects (the source's rows key the next page), and how many cells changed. */
function strippedRows(rows: Row[]): { rows: Row[]; changed: number } {
	let changed = 0;
	const stripped = rows.map((row) =>
		Object.fromEntries(
			Object.entries(row).map(([column, value]) => {
				if (typeof value !== 'string') return [column, value];
				const cell = stripControl(value);
				if (cell.removed > 0) changed++;
				return [column, cell.text];
			})
		)
	);
	return { rows: stripped, changed };
}

function nulRefusal(cells: string[]): DatabaseError {
	const named = cells.slice(0, NAMED_CELLS).join('; ');
	const more = cells.length > NAMED_CELLS ? ` and ${cells.length - NAMED_CELLS} more` : '';
	return new DatabaseError(
		`PostgreSQL cannot store the NUL character (U+0000) that ${cells.length === 1 ? 'this cell holds' : `these ${cells.length} cells hold`}: ${named}${more}; nothing was written. Correct ${cells.length === 1 ? 'it' : 'them'} in the source, or copy with --strip-control, which removes control characters from every text`
	);
}

async function moveSequences(trx: Transaction<Database>): Promise<void> {
	for (const table of TABLES.filter((t) => t.serial)) {
		await sql`select setval(pg_get_serial_sequence(${table.name}, 'id'), coalesce(max(id), 0) + 1, false) from ${sql.table(table.name)}`.execute(trx);
	}
}

/**
 * Copies every table; throws a DatabaseError, with nothing written, when the target is not empty,
 * cannot store a cell, or a count disagrees.
 */
export async function copyDatabase(from: CopyEnds, to: CopyEnds, { stripControl = false }: CopyOptions = {}): Promise<TableCopy[]> {
	await checkSource(from.db);
	await migrate(to.db);
	await checkEmpty(to.db);
	// repeatable read: on PostgreSQL the source is one snapshot however long the copy takes (SQLite's transaction is one already)
	return from.db
		.transaction()
		.setIsolationLevel('repeatable read')
		.execute((source) =>
			to.db.transaction().execute(async (target) => {
				const copied: TableCopy[] = [];
				// every cell the target cannot store is named: once one is found, the rest is only read
				const refused: string[] = [];
				for (const table of TABLES) {
					const checksum = new TableChecksum();
					let stripped = 0;
					for await (const page of pages(asRows(source), table)) {
						const written = stripControl ? strippedRows(page) : { rows: page, changed: 0 };
						stripped += written.changed;
						if (to.postgres) refused.push(...nulCells(table, written.rows));
						if (refused.length > 0) continue;
						written.rows.forEach((row) => checksum.add(row));
						await asRows(target).insertInto(table.name).values(written.rows).execute();
					}
					if (refused.length === 0) copied.push({ table: table.name, from: { rows: checksum.rows, checksum: checksum.hex }, to: await count(asRows(target), table), stripped });
				}
				if (refused.length > 0) throw nulRefusal(refused);
				if (to.postgres) await moveSequences(target);
				const disagree = copied.filter((c) => c.from.rows !== c.to.rows || c.from.checksum !== c.to.checksum);
				if (disagree.length > 0) throw new DatabaseError(`the copy does not match the source in ${disagree.map((c) => c.table).join(', ')}; nothing was written`);
				return copied;
			})
		);
}
