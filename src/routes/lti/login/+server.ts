import { storage } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { startLogin } from '$lib/server/lti/login';
import { refusalResponse } from '$lib/server/lti/refusal-page';
import type { RequestHandler } from './$types';

/** Third-party initiated login: the platform's GET or form POST, answered with the OIDC request to its authorisation endpoint. */
async function login(params: URLSearchParams, origin: string, status: 302 | 303): Promise<Response> {
	const started = await startLogin((await storage()).lti, params, origin, Date.now());
	if (!started.ok) return refusalResponse(started.refusal, 'login');
	return new Response(null, { status, headers: { location: started.redirect, 'cache-control': 'no-store' } });
}

export const GET: RequestHandler = ({ url }) => login(url.searchParams, url.origin, 302);

export const POST: RequestHandler = async ({ request, url }) => {
	const form = await readForm(request);
	const params = new URLSearchParams();
	for (const [name, value] of form) if (typeof value === 'string') params.set(name, value);
	return login(params, url.origin, 303);
};
