/**
 * Errors that say the database server is out of reach for now (restarting, down, the network
 * cut), as opposed to a bug or a refused query. A request that meets one fails with 503 and a
 * clear message; the pool connects again by itself once the server is back.
 */

interface ErrorLike {
	code?: unknown;
	message?: unknown;
	errors?: unknown;
}

/** Socket errors of node: the server refuses, resets or does not answer. */
const SOCKET_CODES: Record<string, string> = {
	ECONNREFUSED: 'connection refused (is the server running, on this host and port?)',
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection was cut',
	ETIMEDOUT: 'no answer (timed out)',
	EHOSTUNREACH: 'the host cannot be reached',
	ENETUNREACH: 'the network cannot be reached',
	ENOTFOUND: 'unknown host name',
	EAI_AGAIN: 'the host name could not be resolved'
};

/** PostgreSQL's own codes: connection exceptions (class 08) and an operator's shutdown or restart. */
const SERVER_CODES = /^(08...|57P01|57P02|57P03)$/;

/** What pg says, without a code, when a connection ends under a query or cannot be made in time. */
const LOST = /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection ended/i;

function codeOf(error: ErrorLike): string | undefined {
	if (typeof error.code === 'string') return error.code;
	// node tries each address of a name (localhost: ::1, then 127.0.0.1) and reports them together
	if (Array.isArray(error.errors)) return error.errors.map((e: ErrorLike) => (typeof e?.code === 'string' ? e.code : undefined)).find(Boolean);
	return undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
	if (error === null || typeof error !== 'object') return false;
	const e = error as ErrorLike;
	const code = codeOf(e);
	if (code && (code in SOCKET_CODES || SERVER_CODES.test(code))) return true;
	return typeof e.message === 'string' && LOST.test(e.message);
}

/** One line saying why a connection failed, for the person who deploys. */
export function connectionProblem(error: unknown): string {
	const e = (error ?? {}) as ErrorLike;
	const code = codeOf(e);
	if (code && code in SOCKET_CODES) return SOCKET_CODES[code];
	const message = typeof e.message === 'string' && e.message ? e.message : String(error);
	// pg's words when the server asks for a password the URL does not give
	if (/client password must be a string/.test(message)) return 'the server asks for a password and the URL gives none';
	return message.split('\n')[0];
}

export const UNAVAILABLE_TEXT = {
	fr: 'Stepwise ne joint pas sa base de données pour le moment : réessayez dans un instant (une réponse envoyée à nouveau ne compte qu’une fois).',
	en: 'Stepwise cannot reach its database right now: try again in a moment (answers sent again count once).'
};

/** An instance with more requests in hand than it answers in a second (saturation.ts). */
export const BUSY_TEXT = {
	fr: 'Stepwise a trop de demandes en ce moment : réessayez dans un instant (une réponse envoyée à nouveau ne compte qu’une fois).',
	en: 'Stepwise has too many requests right now: try again in a moment (answers sent again count once).'
};

/**
 * 503 with Retry-After, in plain text: a page's script keeps a submission's key for the retry
 * when the answer is not JSON, as it does for a proxy's error page.
 */
export function unavailableResponse(text: { fr: string; en: string } = UNAVAILABLE_TEXT, retryAfterS = 2): Response {
	return new Response(`${text.fr}\n${text.en}\n`, {
		status: 503,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(retryAfterS), 'cache-control': 'no-store' }
	});
}
