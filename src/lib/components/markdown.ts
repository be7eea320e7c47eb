/**
 * Markdown with TeX typeset by KaTeX — inline between $…$, displayed on its own line between
 * $$…$$ (which may span lines of one paragraph) — as the pages show lessons, statements, hints
 * and feedback. Statements may come from a teacher's uploaded file and reach students' pages, so
 * the text is never trusted: raw HTML is shown as text, links and images keep only http(s),
 * mailto and relative addresses, and KaTeX runs untrusted (no \href, no \html…).
 */
import katex from 'katex';
import { Marked, type TokenizerAndRendererExtension } from 'marked';

const KATEX = { throwOnError: false, trust: false } as const;

const displayMath: TokenizerAndRendererExtension = {
	name: 'displayMath',
	level: 'inline',
	start: (src) => src.indexOf('$$'),
	tokenizer(src) {
		const match = /^\$\$([\s\S]+?)\$\$/.exec(src);
		return match ? { type: 'displayMath', raw: match[0], text: match[1].trim() } : undefined;
	},
	renderer: (token) => katex.renderToString(String(token.text), { ...KATEX, displayMode: true })
};

const inlineMath: TokenizerAndRendererExtension = {
	name: 'inlineMath',
	level: 'inline',
	start: (src) => src.indexOf('$'),
	tokenizer(src) {
		const match = /^\$([^$\n]+?)\$/.exec(src);
		return match ? { type: 'inlineMath', raw: match[0], text: match[1] } : undefined;
	},
	renderer: (token) => katex.renderToString(String(token.text), KATEX)
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** An address a page may link to: no javascript:, data: or vbscript: (checked after the browser's own unescaping). */
function safeHref(href: string): string | null {
	const plain = href.replace(/[\u0000-\u0020]/g, '').toLowerCase();
	if (/^(https?:|mailto:)/.test(plain) || /^[/#?.]/.test(plain) || !/^[a-z][a-z0-9+.-]*:/.test(plain)) return href;
	return null;
}

const markdown = new Marked({
	// display first: `$$` would otherwise read as an empty inline formula
	extensions: [displayMath, inlineMath],
	renderer: {
		html: ({ text }) => escapeHtml(text),
		link({ href, title, tokens }) {
			const label = this.parser.parseInline(tokens);
			const safe = safeHref(href);
			return safe === null ? label : `<a href="${escapeHtml(safe)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${label}</a>`;
		},
		image({ href, text }) {
			const safe = safeHref(href);
			return safe === null ? escapeHtml(text) : `<img src="${escapeHtml(safe)}" alt="${escapeHtml(text)}">`;
		}
	}
});

export function renderMarkdown(text: string): string {
	return markdown.parse(text, { async: false });
}

/** One line of Markdown (a title), without the paragraph around it. */
export function renderMarkdownInline(text: string): string {
	return markdown.parseInline(text, { async: false });
}
