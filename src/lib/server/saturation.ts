/**
 * Load shedding: an instance that already holds more requests than it answered in the last
 * second would make a new one wait more than a second, and every client that gives up and sends
 * again adds to the queue (after a restart, a whole class at once). Such an instance answers the
 * students' writes (join, submit, draft) at once with 503 and Retry-After; their pages send them
 * again after a pause with jitter (components/assignment/backoff.ts), and the work in hand is
 * answered in time.
 */

/** Requests always let in, however few were answered in the last second: a server just started has answered none. */
export const ALWAYS_ADMITTED = 16;
const WINDOW_MS = 1000;
/**
 * The requests in hand may be what the last second answered times this: half a second of work,
 * so that one let in is answered within the second even when the rate wavers.
 */
const SHARE_OF_A_SECOND = 0.5;
/** What a refused request is told: come back in a second, when the requests in hand are answered. */
export const RETRY_AFTER_S = 1;

/**
 * On SQLite a request is mostly synchronous work, answered within the turn of the event loop
 * that lets it in (turns.ts). Requests not read yet wait as long as the loop has been busy since
 * its timers last ran: past half a second, the writes read in this turn are refused too.
 */
export const BUSY_LOOP_MS = 500;

/** A write that would wait longer than this for its turn (turns.ts) is refused: with its work it would pass the second. */
export const MAX_TURN_WAIT_MS = 500;

export class Saturation {
	private inFlight = 0;
	/** when each request of the last second was answered, oldest first */
	private answered: number[] = [];

	constructor(private readonly floor = ALWAYS_ADMITTED) {}

	/**
	 * A request arrives: false when it should be refused (the count of requests in hand is not
	 * raised then). `loopBusyMs`: how long the event loop has run without its timers getting a
	 * turn; `turnWaitMs`: how long it would wait for its turn behind the requests queued (turns.ts).
	 */
	admit(now: number, loopBusyMs = 0, turnWaitMs = 0): boolean {
		while (this.answered.length > 0 && this.answered[0] <= now - WINDOW_MS) this.answered.shift();
		return loopBusyMs < BUSY_LOOP_MS && turnWaitMs < MAX_TURN_WAIT_MS && this.inFlight < Math.max(this.floor, this.answered.length * SHARE_OF_A_SECOND);
	}

	started(): void {
		this.inFlight++;
	}

	finished(now: number): void {
		this.inFlight--;
		this.answered.push(now);
	}

	get requestsInHand(): number {
		return this.inFlight;
	}
}

/** The students' writes that may be refused under load: the join form, a submission (form or JSON), a draft. */
export function sheddable(method: string, pathname: string, search: string): boolean {
	if (method !== 'POST') return false;
	return /^\/join\/[^/]+\/?$/.test(pathname) || /^\/a\/[^/]+\/\d+\/(submit|draft)\/?$/.test(pathname) || (/^\/a\/[^/]+\/\d+\/?$/.test(pathname) && search.includes('/submit'));
}

/** How long the event loop has been busy: the time since a timer that asks to run every 10 ms last ran. */
export function loopWatch(): () => number {
	let last = performance.now();
	setInterval(() => (last = performance.now()), 10).unref();
	return () => performance.now() - last;
}
