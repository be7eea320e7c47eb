import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { hashToken, SESSION_COOKIE } from '$lib/server/auth';
import { forbiddenCrossSiteForm } from '$lib/server/csrf';
import { storage } from '$lib/server/db';
import { warmExerciseLibrary } from '$lib/server/exercise-library';
import { signingKey } from '$lib/server/lti/keys';
import { warmLessons } from '$lib/lessons';
import { startGradeSender } from '$lib/server/lti/grades';
import { DatabaseError } from '$lib/server/db/errors';
import { BUSY_TEXT, connectionProblem, isDatabaseUnavailable, UNAVAILABLE_TEXT, unavailableResponse } from '$lib/server/db/unavailable';
import { loopWatch, RETRY_AFTER_S, Saturation, sheddable } from '$lib/server/saturation';
import { Turns } from '$lib/server/turns';

/** Renders each page in the reader's language and sets <html lang> to it. */
const language: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/** This instance's requests in hand (saturation.ts), and those waiting for their turn (turns.ts). */
const saturation = new Saturation();
const loopBusy = loopWatch();
const turns = new Turns();

/**
 * The database is opened, created and migrated when the server starts, before the first
 * request. Without it nothing can be served: the server says why in one line and stops.
 */
export const init: ServerInit = async () => {
	try {
		const opened = await storage();
		// Stepwise's LTI signing key is made at the first start, so that its JWKS is ready for a platform's registration
		await signingKey(opened.lti);
		// adapter-node's graceful stop (SIGTERM): PostgreSQL's idle connections would keep the process alive
		process.once('sveltekit:shutdown', () => void opened.close());
	} catch (error) {
		if (!(error instanceof DatabaseError)) throw error;
		console.error(`stepwise: ${error.message}`);
		process.exit(1);
	}
	// grades queued for LTI platforms: sent from this process, retried while a platform is down
	startGradeSender(storage);
	// the libraries are read (every exercise checked: about 3 s of one core) as soon as the server
	// listens, not at the first request that needs them: the first visitor of the exercise list waited
	// 5 to 8 s for it. A file at a time, at a turn when no request waits: the students joining or
	// submitting after a restart go first.
	const idleTurn = () => turns.idle();
	void warmLessons(idleTurn)
		.then(() => warmExerciseLibrary(idleTurn))
		.catch((error: unknown) => {
			// a broken library file: the pages that need it answer 500 with its message, the others still serve
			console.error(`stepwise: ${error instanceof Error ? error.message : String(error)}`);
		});
};

/**
 * Requests whose page or endpoint met an unreachable database: SvelteKit made a 500 of it,
 * answered as 503. Keyed by locals, the one object that the copies SvelteKit makes of a request
 * event (for tracing) share.
 */
const unreachable = new WeakSet<App.Locals>();

function logUnreachable(event: RequestEvent, error: unknown): void {
	console.warn(`stepwise: ${event.request.method} ${event.url.pathname} failed, the database did not answer: ${connectionProblem(error)}`);
}

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (!isDatabaseUnavailable(error)) {
		// as SvelteKit logs without this hook: a 404 in one line, anything else with its stack
		const where = `[${status}] ${event.request.method} ${event.url.pathname}`;
		console.error(status === 404 || !(error instanceof Error) ? where : `${where}\n${error.stack}`);
		return;
	}
	unreachable.add(event.locals);
	logUnreachable(event, error);
	return { message: UNAVAILABLE_TEXT.en };
};

/** A database that restarts or is cut off: 503 and a clear message, while the pool reconnects by itself. */
const unavailable: Handle = async ({ event, resolve }) => {
	try {
		const response = await resolve(event);
		return unreachable.has(event.locals) ? unavailableResponse() : response;
	} catch (error) {
		if (!isDatabaseUnavailable(error)) throw error;
		logUnreachable(event, error);
		return unavailableResponse();
	}
};

/** The signed-in teacher, from the session cookie. */
const teacher: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.teacher = token ? ((await (await storage()).sessionTeacher(hashToken(token), Date.now())) ?? null) : null;
	return resolve(event);
};

/** Cross-site form submissions are refused, as SvelteKit does, except where a platform launches (csrf.ts). */
const sameOrigin: Handle = ({ event, resolve }) => {
	if (!forbiddenCrossSiteForm(event.request, event.url)) return resolve(event);
	const message = `Cross-site ${event.request.method} form submissions are forbidden`;
	return event.request.headers.get('accept') === 'application/json' ? Response.json({ message }, { status: 403 }) : new Response(message, { status: 403 });
};

/**
 * A student's write that would wait more than a second is refused at once, with a Retry-After;
 * every other request waits its turn. A request a page's load makes of the server itself is
 * already in its parent's turn.
 */
const shedding: Handle = async ({ event, resolve }) => {
	if (event.isSubRequest) return resolve(event);
	if (!saturation.admit(Date.now(), loopBusy(), turns.expectedWaitMs) && sheddable(event.request.method, event.url.pathname, event.url.search)) return unavailableResponse(BUSY_TEXT, RETRY_AFTER_S);
	saturation.started();
	try {
		await turns.enter();
		return await resolve(event);
	} finally {
		saturation.finished(Date.now());
	}
};

export const handle = sequence(shedding, sameOrigin, unavailable, language, teacher);
