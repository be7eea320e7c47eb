import { describe, expect, it } from 'vitest';
import { connectionProblem, isDatabaseUnavailable, unavailableResponse } from '../../../../src/lib/server/db/unavailable';

const withCode = (code: string, message = ''): Error => Object.assign(new Error(message), { code });

describe('a database out of reach', () => {
	it.each([
		['a refused connection', withCode('ECONNREFUSED'), true],
		['a refused connection to every address of localhost', Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''), { code: 'ECONNREFUSED' }), true],
		['a reset connection', withCode('ECONNRESET'), true],
		['an operator stopping the server', withCode('57P01', 'terminating connection due to administrator command'), true],
		['a server starting up', withCode('57P03', 'the database system is starting up'), true],
		['a connection cut under a query', new Error('Connection terminated unexpectedly'), true],
		['no free connection in time', new Error('timeout exceeded when trying to connect'), true],
		['a unique constraint', withCode('23505', 'duplicate key value violates unique constraint'), false],
		['a syntax error', withCode('42601', 'syntax error at or near "selec"'), false],
		['a bug', new TypeError("Cannot read properties of undefined (reading 'id')"), false],
		['not an error', 'ECONNREFUSED', false]
	])('%s: %s', (_, error, unavailable) => {
		expect(isDatabaseUnavailable(error)).toBe(unavailable);
	});

	it.each([
		[withCode('ECONNREFUSED'), 'connection refused (is the server running, on this host and port?)'],
		[withCode('ENOTFOUND'), 'unknown host name'],
		[withCode('28P01', 'password authentication failed for user "app"'), 'password authentication failed for user "app"'],
		[new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), 'the server asks for a password and the URL gives none']
	])('says why in one line: %s', (error, why) => {
		expect(connectionProblem(error)).toBe(why);
	});

	it('is answered 503 in plain text, to be sent again shortly, in French and English', async () => {
		const response = unavailableResponse();
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('2');
		expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(await response.text()).toMatch(/base de données[\s\S]*cannot reach its database/);
	});
});
