/**
 * The way back from "Show me this step": the replay link carries the exercise page it came from
 * (`from=`), and the replay offers a link back to it. Only a path of this site's exercise pages
 * is accepted, so that a crafted link cannot send a student elsewhere (an open redirect).
 */

/** The query parameter of the replay URL that names the exercise page to return to. */
export const FROM_PARAM = 'from';

/**
 * `/exercises/ID`, `/exercises/ID?n=3`, `/a/CODE/2`, each with an optional `#question-ID`: a path
 * of letters, digits and `-_.` segments, one query of such `key=value` pairs, one fragment.
 */
const RETURN = /^\/(exercises|a)(\/[A-Za-z0-9._-]+)+(\?[A-Za-z0-9._-]+=[A-Za-z0-9._-]*(&[A-Za-z0-9._-]+=[A-Za-z0-9._-]*)*)?(#[A-Za-z0-9._:-]+)?$/;

/** The exercise page a replay link came from, or null when absent or not one of this site's exercise pages. */
export function exerciseReturn(text: string | null): string | null {
	if (text === null || text.length > 300) return null;
	// `..` segments would leave the exercise pages once the browser resolves them
	return RETURN.test(text) && !text.split(/[?#]/)[0].split('/').some((s) => s === '.' || s === '..') ? text : null;
}
