import { describe, expect, it } from 'vitest';
import { DatabaseError } from '../../../../src/lib/server/db/errors';
import { configuredLocation, describeLocation, parseLocation } from '../../../../src/lib/server/db/location';

describe('the database a deployment names', () => {
	it.each([
		[{}, { kind: 'sqlite', path: './data/stepwise.db' }],
		[{ STEPWISE_DB: '/srv/stepwise.db' }, { kind: 'sqlite', path: '/srv/stepwise.db' }],
		[{ DATABASE_URL: 'postgres://app:secret@db.univ.fr:5432/stepwise' }, { kind: 'postgres', url: 'postgres://app:secret@db.univ.fr:5432/stepwise' }],
		[{ DATABASE_URL: 'postgresql://app@db/stepwise', STEPWISE_DB: '/ignored.db', DATABASE_POOL_SIZE: '20' }, { kind: 'postgres', url: 'postgresql://app@db/stepwise', poolSize: 20 }],
		[{ DATABASE_URL: 'postgres:///stepwise?host=/run/postgresql' }, { kind: 'postgres', url: 'postgres:///stepwise?host=/run/postgresql' }],
		[{ DATABASE_URL: '  ' }, { kind: 'sqlite', path: './data/stepwise.db' }]
	])('%j is %j', (env, location) => {
		expect(configuredLocation(env)).toEqual(location);
	});

	it.each([
		[{ DATABASE_URL: 'db.univ.fr/stepwise' }, 'DATABASE_URL is not a URL: expected postgres://user:password@host:5432/database'],
		[{ DATABASE_URL: 'mysql://app@db/stepwise' }, 'DATABASE_URL must start with postgres:// (got mysql://)'],
		[{ DATABASE_URL: 'postgres:///stepwise' }, 'DATABASE_URL names no host'],
		[{ DATABASE_URL: 'postgres://db:port/stepwise' }, 'DATABASE_URL is not a URL'],
		[{ DATABASE_URL: 'postgres://db/stepwise', DATABASE_POOL_SIZE: 'ten' }, 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "ten")']
	])('refuses %j in one line: %s', (env, message) => {
		expect(() => configuredLocation(env)).toThrow(DatabaseError);
		expect(() => configuredLocation(env)).toThrow(message);
	});

	it.each([
		['./data/stepwise.db', { kind: 'sqlite', path: './data/stepwise.db' }],
		['postgres://app:secret@127.0.0.1:5433/stepwise', { kind: 'postgres', url: 'postgres://app:secret@127.0.0.1:5433/stepwise' }]
	])('takes %s as an argument of db copy', (text, location) => {
		expect(parseLocation(text, '--to')).toEqual(location);
	});

	it.each([
		['mysql://app@db/stepwise', '--to must start with postgres://'],
		['postgres//db.univ.fr/stepwise', '--to is not a URL'],
		['postgresql:/db.univ.fr/stepwise', '--to names no host']
	])('refuses %s as an argument, rather than take it for a file name', (text, message) => {
		expect(() => parseLocation(text, '--to')).toThrow(message);
	});

	it('never shows a password in messages', () => {
		expect(describeLocation({ kind: 'postgres', url: 'postgres://app:s3cret@db.univ.fr/stepwise' })).toBe('postgres://app:***@db.univ.fr/stepwise');
		expect(describeLocation({ kind: 'sqlite', path: 'data/stepwise.db' })).toBe('data/stepwise.db');
	});
});
