import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/auth';
import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { enter, type Session } from '$lib/server/lti/enter';
import { verifyLaunch } from '$lib/server/lti/launch';
import { refusalResponse } from '$lib/server/lti/refusal-page';
import { cookieName, STUDENT_COOKIE_DAYS } from '$lib/server/student';
import type { RequestHandler } from './$types';

/**
 * The session a launch opens. Over https the cookie is SameSite=None and partitioned, so that it
 * is sent inside the platform's frame too; on a plain-http address (a test on the loopback) it
 * is Lax, which a launch in a window of its own needs.
 */
function keep(cookies: Cookies, session: Session, secure: boolean): void {
	const site = secure ? ({ sameSite: 'none', secure: true, partitioned: true } as const) : ({ sameSite: 'lax', secure: false } as const);
	if (session.kind === 'teacher') cookies.set(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, ...site, expires: new Date(session.expiresAt) });
	else cookies.set(cookieName(session.code), session.token, { path: '/', httpOnly: true, ...site, maxAge: STUDENT_COOKIE_DAYS * 24 * 3600 });
}

/** The launch: the platform posts the id_token and the login's state here (form_post). */
export const POST: RequestHandler = async ({ request, url, cookies }) => {
	const form = await readForm(request);
	const idToken = form.get('id_token');
	const state = form.get('state');
	const db = await storage();
	const now = Date.now();
	const verified = await verifyLaunch(db.lti, typeof idToken === 'string' ? idToken : '', typeof state === 'string' ? state : '', now);
	if (!verified.ok) return refusalResponse(verified.refusal, 'launch');
	const entry = await enter(db, verified.launch, now);
	if (!entry.ok) return refusalResponse(entry.refusal, 'launch');
	keep(cookies, entry.session, url.protocol === 'https:');
	return new Response(null, { status: 303, headers: { location: entry.redirect, 'cache-control': 'no-store' } });
};

export const GET: RequestHandler = () => refusalResponse({ code: 'not_a_launch', detail: 'a GET of the launch address' }, 'launch');
