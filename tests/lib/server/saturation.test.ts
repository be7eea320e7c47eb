import { describe, expect, it } from 'vitest';
import { ALWAYS_ADMITTED, BUSY_LOOP_MS, MAX_TURN_WAIT_MS, Saturation, sheddable } from '../../../src/lib/server/saturation';

/** `n` requests started and still in hand. */
function holding(saturation: Saturation, n: number): void {
	for (let i = 0; i < n; i++) saturation.started();
}

/** `n` requests answered at `at`. */
function answer(saturation: Saturation, n: number, at: number): void {
	holding(saturation, n);
	for (let i = 0; i < n; i++) saturation.finished(at);
}

describe('an instance refusing what it could not answer within a second', () => {
	it(`lets ${ALWAYS_ADMITTED} requests in at a start, when it has answered none yet, and refuses the next`, () => {
		const saturation = new Saturation();
		holding(saturation, ALWAYS_ADMITTED - 1);
		expect(saturation.admit(0)).toBe(true);
		saturation.started();
		expect(saturation.admit(0)).toBe(false);
	});

	it('holds as many requests as it answers in half a second: 100 answered in the last second, 50 in hand', () => {
		const saturation = new Saturation();
		answer(saturation, 100, 10_000);
		holding(saturation, 49);
		expect(saturation.admit(10_500)).toBe(true);
		saturation.started();
		expect(saturation.admit(10_500)).toBe(false);
	});

	it('forgets answers older than a second: a rate that fell lowers what it holds', () => {
		const saturation = new Saturation();
		answer(saturation, 100, 10_000);
		holding(saturation, 30);
		expect(saturation.admit(10_999)).toBe(true);
		expect(saturation.admit(11_000)).toBe(false);
	});

	it('refuses while the event loop has been busy for half a second: the requests not read yet have waited that long', () => {
		const saturation = new Saturation();
		answer(saturation, 100, 10_000);
		expect(saturation.admit(10_100, BUSY_LOOP_MS - 1)).toBe(true);
		expect(saturation.admit(10_100, BUSY_LOOP_MS)).toBe(false);
	});

	it('refuses a write that would wait half a second for its turn behind the requests queued', () => {
		const saturation = new Saturation();
		answer(saturation, 100, 10_000);
		expect(saturation.admit(10_100, 0, MAX_TURN_WAIT_MS - 1)).toBe(true);
		expect(saturation.admit(10_100, 0, MAX_TURN_WAIT_MS)).toBe(false);
	});

	it('lets requests in again as those in hand are answered', () => {
		const saturation = new Saturation();
		holding(saturation, ALWAYS_ADMITTED);
		expect(saturation.admit(0)).toBe(false);
		saturation.finished(5);
		expect(saturation.requestsInHand).toBe(ALWAYS_ADMITTED - 1);
		expect(saturation.admit(5)).toBe(true);
	});
});

describe('the requests it may refuse: the students writes, never a page or a teacher', () => {
	it.each([
		['POST', '/join/ABC123', '', true],
		['POST', '/a/ABC123/2/submit', '', true],
		['POST', '/a/ABC123/2/draft', '', true],
		['POST', '/a/ABC123/2', '?/submit', true],
		['GET', '/join/ABC123', '', false],
		['GET', '/a/ABC123/2', '', false],
		['POST', '/teacher/login', '', false],
		['POST', '/teacher/assignments/new', '', false],
		['POST', '/lti/launch', '', false]
	])('%s %s%s → %s', (method, path, search, expected) => {
		expect(sheddable(method, path, search)).toBe(expected);
	});
});
