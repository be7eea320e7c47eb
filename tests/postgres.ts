/**
 * The throwaway PostgreSQL server that scripts/test.sh starts (TEST_DATABASE_URL), and a fresh
 * database on it for each suite, so that suites run side by side without seeing each other.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server's URL; without it the tests that need PostgreSQL fail, saying how to get one. */
export function testServerUrl(): string {
	const url = process.env.TEST_DATABASE_URL;
	if (!url)
		throw new Error(
			'TEST_DATABASE_URL is not set: run the tests with `npm test`, which starts a throwaway PostgreSQL, or start one with `bash scripts/postgres-test-cluster.sh start DIR` and export the URL it prints'
		);
	return url;
}

export interface TestDatabase {
	url: string;
	drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: testServerUrl() });
	await client.connect();
	try {
		return await run(client);
	} finally {
		await client.end();
	}
}

/** An empty database of its own on the test server; drop() removes it, cutting any connection left. */
export async function freshDatabase(purpose: string): Promise<TestDatabase> {
	const name = `stepwise_${purpose.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
	await admin((client) => client.query(`create database "${name}"`));
	const url = new URL(testServerUrl());
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: () => admin((client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => undefined)
	};
}
