/** Applying the versioned migrations of migrations.ts, the same for SQLite and PostgreSQL. */
import { Migrator, type Kysely } from 'kysely';
import { DatabaseError } from './errors';
import { MIGRATIONS, migrationProvider } from './migrations';
import type { Database } from './schema';

/** Applies every migration not applied yet and returns their names; throws with the failing migration's name. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
	const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
	if (error) {
		const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'a migration';
		throw new DatabaseError(`the database could not be migrated (${failed}): ${error instanceof Error ? error.message : String(error)}`);
	}
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The names of the migrations this version of Stepwise knows, in order. */
export function knownMigrations(): string[] {
	return Object.keys(MIGRATIONS).sort();
}
