import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, PROJECT_ROOT } from './helpers';

/**
 * The arrows between the parts of src/lib, as DESIGN.md draws them: the engine is pure (it runs in
 * Node, the browser and a Web Worker), server code stays on the server, and the components sit on
 * top (the server and the engine read nothing of them).
 */
interface Rule {
	/** the files the rule is about, by the start of their path */
	files: string;
	/** what they may not import: a folder of src, or a package */
	forbidden: (target: string) => boolean;
	why: string;
}

const outsideEngine = (target: string): boolean =>
	target.startsWith('src/') ? !target.startsWith('src/lib/engine/') : !['zod', 'yaml', 'gpu.js'].includes(target);
const under = (folder: string) => (target: string) => target.startsWith(folder);

const RULES: Rule[] = [
	{ files: 'src/lib/engine/', forbidden: outsideEngine, why: 'the engine is pure TypeScript: zod, yaml and gpu.js, no DOM, Svelte or app code' },
	{ files: 'src/lib/components/', forbidden: under('src/lib/server/'), why: 'server-only code never reaches the browser' },
	{ files: 'src/lib/server/', forbidden: under('src/lib/components/'), why: 'the server builds page data (src/lib/pages), not components' },
	{ files: 'src/lib/pages/', forbidden: under('src/lib/components/'), why: 'page data types are what components read' },
	{ files: 'src/lib/exercises/', forbidden: under('src/lib/components/'), why: 'the grader knows no page' },
	{ files: 'src/lib/formulas/', forbidden: under('src/lib/components/'), why: 'formulas read events, not components' }
];

/** Where an import specifier leads from `file`: a path under src (with its extension dropped) or a package name. */
function importTarget(file: string, specifier: string): string {
	if (specifier.startsWith('$lib/')) return normalize(join('src/lib', specifier.slice(5)));
	if (specifier.startsWith('.')) return normalize(join(dirname(file), specifier));
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The specifiers a TypeScript or Svelte file imports, statically or dynamically, types included. */
function importsOf(text: string): string[] {
	return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((match) => match[1]);
}

describe('the layers of src/lib', () => {
	it.each([
		{ file: 'src/lib/engine/run.ts', specifier: '../format/number', target: 'src/lib/format/number' },
		{ file: 'src/lib/components/x/A.svelte', specifier: '$lib/server/db/sqlite', target: 'src/lib/server/db/sqlite' },
		{ file: 'src/lib/engine/run.ts', specifier: 'svelte/store', target: 'svelte' },
		{ file: 'src/lib/engine/run.ts', specifier: '@sveltejs/kit', target: '@sveltejs/kit' }
	])('reads $specifier in $file as $target', ({ file, specifier, target }) => {
		expect(importTarget(file, specifier)).toBe(target);
	});

	it('finds static, dynamic, type-only and side-effect imports', () => {
		const text = "import a from 'a';\nimport type { B } from './b';\nimport 'c.css';\nconst d = await import('$lib/d');\nexport { e } from '../e';";
		expect(importsOf(text)).toEqual(['a', './b', 'c.css', '$lib/d', '../e']);
	});

	it.each([
		{ file: 'src/lib/engine/run.ts', text: "import { m } from '$lib/paraglide/messages';", breaks: true },
		{ file: 'src/lib/engine/run.ts', text: "import { z } from 'zod';", breaks: false },
		{ file: 'src/lib/components/x/A.svelte', text: "import { db } from '$lib/server/db';", breaks: true },
		{ file: 'src/lib/server/x.ts', text: "import type { T } from '$lib/pages/teacher';", breaks: false }
	])('a rule catches $text in $file: $breaks', ({ file, text, breaks }) => {
		const broken = RULES.filter((rule) => file.startsWith(rule.files)).some((rule) => importsOf(text).some((s) => rule.forbidden(importTarget(file, s))));
		expect(broken).toBe(breaks);
	});

	it('holds for every file of src', () => {
		const files = filesUnder('src').filter((file) => /\.(ts|svelte)$/.test(file));
		expect(files.length).toBeGreaterThan(300);
		const broken = files.flatMap((file) => {
			const rules = RULES.filter((rule) => file.startsWith(rule.files));
			if (rules.length === 0) return [];
			const targets = importsOf(readFileSync(join(PROJECT_ROOT, file), 'utf8')).map((specifier) => ({ specifier, target: importTarget(file, specifier) }));
			return rules.flatMap((rule) => targets.filter(({ target }) => rule.forbidden(target)).map(({ specifier }) => `${file} imports ${specifier}: ${rule.why}`));
		});
		expect(broken).toEqual([]);
	});
});
