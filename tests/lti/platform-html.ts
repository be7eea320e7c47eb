// The test platform's pages: small, plain HTML that Chromium can drive and tests can read.

export function escapeHtml(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
${body}
</body>
</html>
`;
}

/**
 * A form POSTed to another origin by a script as soon as the page loads, as an LMS does for the
 * login initiation and for the id_token; the visible button lets a test (or a person without
 * JavaScript) submit it by hand.
 */
export function autoPostPage(title: string, action: string, fields: Record<string, string>): string {
	const inputs = Object.entries(fields)
		.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
		.join('\n');
	return page(
		title,
		`<h1>${escapeHtml(title)}</h1>
<form id="lti-form" method="post" action="${escapeHtml(action)}">
${inputs}
<button type="submit">Continue</button>
</form>
<script>document.getElementById('lti-form').submit();</script>`
	);
}

/** What the platform shows after a deep-linking response: the activities it added to the course. */
export function deepLinkResultPage(titles: string[], message?: string): string {
	const heading = titles.length === 0 ? 'No activity added' : titles.length === 1 ? 'Activity added' : 'Activities added';
	const list = titles.length === 0 ? '' : `<ul>\n${titles.map((t) => `<li>${escapeHtml(t)}</li>`).join('\n')}\n</ul>`;
	const note = message ? `<p class="tool-message">${escapeHtml(message)}</p>` : '';
	return page(heading, `<h1>${escapeHtml(heading)}</h1>\n${list}\n${note}`);
}
