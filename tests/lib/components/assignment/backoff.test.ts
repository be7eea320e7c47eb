import { describe, expect, it } from 'vitest';
import { BACKOFF, retryAfterMs, retryDelay, withRetries } from '../../../../src/lib/components/assignment/backoff';

const NOW = Date.UTC(2026, 11, 7, 18, 0, 0);

describe('Retry-After as the server writes it', () => {
	it.each([
		['2', 2000],
		[' 0 ', 0],
		['Mon, 07 Dec 2026 18:00:05 GMT', 5000],
		// a date already past: at once
		['Mon, 07 Dec 2026 17:59:00 GMT', 0],
		// a server asking for an hour is obeyed up to the cap
		['3600', BACKOFF.capMs],
		[null, null],
		['', null],
		['soon', null]
	])('%s → %s ms', (header, ms) => {
		expect(retryAfterMs(header, NOW)).toBe(ms);
	});
});

describe('the pause before a retry', () => {
	it('draws from a window that doubles at each retry, up to the cap', () => {
		const windows = [0, 1, 2, 3, 10].map((retry) => retryDelay(retry, null, () => 1));
		expect(windows).toEqual([500, 1000, 2000, 4000, BACKOFF.capMs]);
	});

	it('spreads clients over the whole window: a random share of it, from nothing to all of it', () => {
		expect(retryDelay(3, null, () => 0)).toBe(0);
		expect(retryDelay(3, null, () => 0.25)).toBe(1000);
	});

	it('never comes back before the Retry-After the server asked for', () => {
		expect(retryDelay(0, 2000, () => 0)).toBe(2000);
		expect(retryDelay(1, 2000, () => 0.5)).toBe(2500);
	});

	it('makes 200 clients cut off at once come back spread out, not together', () => {
		let seed = 7;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		const returns = Array.from({ length: 200 }, () => retryDelay(0, 1000, random));
		const perTenth = new Map<number, number>();
		for (const ms of returns) perTenth.set(Math.floor(ms / 100), (perTenth.get(Math.floor(ms / 100)) ?? 0) + 1);
		expect(Math.min(...returns)).toBeGreaterThanOrEqual(1000);
		expect(Math.max(...returns)).toBeLessThan(1500);
		// five tenths of a second, none holding more than a third of the class
		expect(perTenth.size).toBe(5);
		expect(Math.max(...perTenth.values())).toBeLessThan(200 / 3);
	});
});

/** Answers in order; each a status (with Retry-After 1 for 503) or 'network' for a failed fetch. */
function server(answers: (number | 'network')[]) {
	const sent: number[] = [];
	const request = async (): Promise<Response> => {
		const answer = answers[sent.length];
		sent.push(sent.length);
		if (answer === 'network') throw new TypeError('fetch failed');
		return new Response('{}', { status: answer, headers: answer === 503 ? { 'retry-after': '1' } : {} });
	};
	return { request, sent };
}

describe('sending again', () => {
	const pauses: number[] = [];
	const options = { random: () => 0.5, sleep: async (ms: number) => void pauses.push(ms), now: () => NOW };

	it('sends again after a 503 and no answer, with the pauses above, until an answer comes', async () => {
		pauses.length = 0;
		const { request, sent } = server([503, 'network', 503, 200]);
		const response = await withRetries(request, options);
		expect(response.status).toBe(200);
		expect(sent.length).toBe(4);
		expect(pauses).toEqual([1000 + 250, 500, 1000 + 1000]);
	});

	it.each([200, 400, 401, 409, 500])('takes a %s as the answer: it is not sent again', async (status) => {
		const { request, sent } = server([status, 200]);
		expect((await withRetries(request, options)).status).toBe(status);
		expect(sent.length).toBe(1);
	});

	it('gives the last answer, or throws the last error, once the retries are spent', async () => {
		expect((await withRetries(server([503, 503, 503]).request, { ...options, retries: 2 })).status).toBe(503);
		await expect(withRetries(server(['network', 'network']).request, { ...options, retries: 1 })).rejects.toThrow('fetch failed');
	});

	it('stops when the request is no longer wanted (a newer draft was sent)', async () => {
		const { request, sent } = server([503, 503, 200]);
		let wanted = true;
		// the newer draft is typed during the first pause: nothing is sent after it
		const response = await withRetries(request, { ...options, sleep: async () => void (wanted = false), wanted: () => wanted });
		expect(response.status).toBe(503);
		expect(sent.length).toBe(1);
		await expect(withRetries(server(['network', 200]).request, { ...options, wanted: () => false })).rejects.toThrow('fetch failed');
	});
});
