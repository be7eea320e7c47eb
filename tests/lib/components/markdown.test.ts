import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderMarkdownInline } from '../../../src/lib/components/markdown';

describe('Markdown from an uploaded statement', () => {
	it.each([
		['<script>alert(1)</script>', '<script'],
		['<img src=x onerror=alert(1)>', '<img'],
		['text <b onmouseover="alert(1)">bold</b>', '<b '],
		['[click](javascript:alert(1))', 'javascript:'],
		['[click](JaVaScRiPt:alert(1))', 'href="JaVaScRiPt'],
		['[click](java\tscript:alert(1))', 'href'],
		['![x](data:text/html,<script>alert(1)</script>)', 'data:'],
		['$\\href{javascript:alert(1)}{x}$', 'href="javascript'],
		['$\\htmlClass{x}{y}$', 'class="x"']
	])('renders %s harmlessly', (text, absent) => {
		expect(renderMarkdown(text)).not.toContain(absent);
	});

	it('keeps what statements use: emphasis, tables, safe links and TeX', () => {
		const html = renderMarkdown('**gras** [cours](https://univ.fr/cours) [ici](#q1) $W^{[1]}$\n\n| a | b |\n|---|---|\n| 1 | 2 |');
		expect(html).toContain('<strong>gras</strong>');
		expect(html).toContain('<a href="https://univ.fr/cours">cours</a>');
		expect(html).toContain('<a href="#q1">ici</a>');
		expect(html).toContain('class="katex"');
		expect(html).toContain('<table>');
	});

	it('shows raw HTML as text rather than dropping it', () => {
		expect(renderMarkdown('a <b>b</b>')).toContain('&lt;b&gt;b&lt;/b&gt;');
	});

	it('renders one line without a paragraph, as safely', () => {
		expect(renderMarkdownInline('Dérivée prise en $a$')).toMatch(/^Dérivée prise en <span class="katex">/);
		expect(renderMarkdownInline('<script>alert(1)</script>')).not.toContain('<script');
	});

	it.each([
		['a display formula on its own line of a paragraph', 'Input:\n$$W = \\begin{pmatrix} 1 & 2 \\end{pmatrix}.$$\nThen compute.', 1, 0],
		['a display formula spanning lines', '$$a\n\\times b$$', 1, 0],
		['display and inline formulas together', 'Let $x = 1$ and\n$$y = 2x$$', 1, 1],
		['two display formulas', '$$a$$ and $$b$$', 2, 0],
		['an inline formula only', 'The cost $J$ and $W^{[1]}$.', 0, 2]
	])('typesets %s', (_, text, displays, inlines) => {
		const html = renderMarkdown(text);
		expect(html.match(/class="katex-display"/g)?.length ?? 0).toBe(displays);
		expect(html.match(/<span class="katex">/g)?.length ?? 0).toBe(displays + inlines);
		expect(html.replace(/<annotation[\s\S]*?<\/annotation>/g, '')).not.toContain('$');
	});
});
