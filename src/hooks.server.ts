import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { hashToken, SESSION_COOKIE } from '$lib/server/auth';
import { storage } from '$lib/server/db';

/** Renders each page in the reader's language and sets <html lang> to it. */
const language: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/** The database is opened, created and migrated when the server starts, before the first request. */
export const init: ServerInit = async () => {
	await storage();
};

/** The signed-in teacher, from the session cookie. */
const teacher: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.teacher = token ? ((await (await storage()).sessionTeacher(hashToken(token), Date.now())) ?? null) : null;
	return resolve(event);
};

export const handle = sequence(language, teacher);
