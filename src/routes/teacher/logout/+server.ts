import { redirect } from '@sveltejs/kit';
import { hashToken, SESSION_COOKIE } from '$lib/server/auth';
import { storage } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** A POST only (a form button): a link or an image on another page cannot sign a teacher out. */
export const POST: RequestHandler = async ({ cookies, url }) => {
	const token = cookies.get(SESSION_COOKIE);
	if (token) await (await storage()).deleteSession(hashToken(token));
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
	redirect(303, '/teacher/login');
};
