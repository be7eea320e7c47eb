/**
 * SvelteKit's check of cross-site form submissions, made here instead of by SvelteKit so that
 * the two addresses an LMS posts to (LTI's login initiation and launch) can take them: those
 * are protected by their one-use state, their nonce and the platform's signature instead.
 */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
/** Posted to by a learning platform from its own origin. */
export const PLATFORM_POSTS: readonly string[] = ['/lti/login', '/lti/launch'];

/** A form sent from another origin to an address that does not take one. */
export function forbiddenCrossSiteForm(request: Request, url: URL): boolean {
	if (!UNSAFE_METHODS.includes(request.method)) return false;
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
	if (!FORM_TYPES.includes(type)) return false;
	if (request.headers.get('origin') === url.origin) return false;
	return !PLATFORM_POSTS.includes(url.pathname);
}
