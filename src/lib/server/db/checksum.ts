/**
 * A table's checksum that does not depend on the order rows are read in (SQLite and PostgreSQL
 * sort text keys by different collations): the sha-256 of each row, as canonical JSON of its
 * columns by name, added up modulo 2^64. A changed, missing or extra row changes it.
 */
import { createHash } from 'node:crypto';

const MOD = 1n << 64n;

export type Row = Record<string, unknown>;

export class TableChecksum {
	#sum = 0n;
	#rows = 0;

	add(row: Row): void {
		const canonical = JSON.stringify(Object.keys(row).sort().map((column) => [column, row[column] ?? null]));
		const digest = createHash('sha256').update(canonical).digest();
		this.#sum = (this.#sum + digest.readBigUInt64BE(0)) % MOD;
		this.#rows++;
	}

	get rows(): number {
		return this.#rows;
	}

	get hex(): string {
		return this.#sum.toString(16).padStart(16, '0');
	}
}
