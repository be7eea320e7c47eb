/**
 * Sending again after a 503 or no answer. Clients cut off together (a restart, an overloaded
 * instance) must not come back together: each waits at least what the server asked
 * (Retry-After), plus a random share of a window that doubles at each try ("full jitter"), so
 * that their retries spread out instead of arriving as one wave.
 */
export const BACKOFF = {
	/** the first window; the n-th retry's is this times 2ⁿ */
	baseMs: 500,
	/** the largest window, and the longest Retry-After obeyed */
	capMs: 30_000,
	/** tries after the first before the page says it got no answer (about a minute with the windows above) */
	retries: 6
} as const;

/** The statuses that say "later" (an overloaded or restarting instance, a proxy without one); anything else is an answer. */
const LATER = new Set([502, 503, 504]);

/** Retry-After in milliseconds: seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
	if (header === null || header.trim() === '') return null;
	const value = header.trim();
	const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
	return Number.isFinite(ms) ? Math.min(BACKOFF.capMs, Math.max(0, ms)) : null;
}

/** The pause before retry number `retry` (0 for the first): what the server asked, plus a random share of the window. */
export function retryDelay(retry: number, asked: number | null, random: () => number = Math.random): number {
	const window = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** retry);
	return (asked ?? 0) + random() * window;
}

export interface RetryOptions {
	retries?: number;
	random?: () => number;
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	/** asked before and after each pause: false gives up (a newer draft replaced this one, the browser is offline) */
	wanted?: () => boolean;
}

/**
 * The answer of `request`, sent again after a 503 (502, 504) or a network error with the pauses
 * above. The last try's answer is returned as it is, and its error thrown.
 */
export async function withRetries(request: () => Promise<Response>, options: RetryOptions = {}): Promise<Response> {
	const { retries = BACKOFF.retries, random = Math.random, sleep = (ms) => new Promise<void>((r) => setTimeout(r, ms)), now = Date.now, wanted = () => true } = options;
	for (let retry = 0; ; retry++) {
		let last: { response: Response } | { error: unknown };
		let asked: number | null = null;
		try {
			const response = await request();
			if (!LATER.has(response.status) || retry >= retries) return response;
			last = { response };
			asked = retryAfterMs(response.headers.get('retry-after'), now());
		} catch (error) {
			if (retry >= retries) throw error;
			last = { error };
		}
		// not sent again once unwanted: the last answer stands
		const giveUp = (): Response => {
			if ('response' in last) return last.response;
			throw last.error;
		};
		if (!wanted()) return giveUp();
		await sleep(retryDelay(retry, asked, random));
		if (!wanted()) return giveUp();
	}
}
