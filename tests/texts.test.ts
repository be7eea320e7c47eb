import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { filesUnder, PROJECT_ROOT } from './helpers';

/**
 * What readers are told: every English text writes its decimals with a point, and every command
 * the pages or the docs name is one that runs.
 */
const read = (path: string): string => readFileSync(join(PROJECT_ROOT, path), 'utf8');

const filesOf = (dir: string, extension: RegExp): string[] => filesUnder(dir).filter((file) => extension.test(file));

/** A number written with a decimal comma (`0,45`, `0{,}5` in TeX); `11,009` groups thousands, as English does. */
export function decimalCommas(text: string): string[] {
	return [...text.matchAll(/\d+(?:(?:,|\{,\})\d+)+/g)].map((m) => m[0]).filter((number) => !/^[1-9]\d{0,2}(?:,\d{3})+$/.test(number));
}

/** Every English string of a parsed library file: the values under an `en` key, at any depth. */
function englishTexts(value: unknown, english = false): string[] {
	if (typeof value === 'string') return english ? [value] : [];
	if (Array.isArray(value)) return value.flatMap((item) => englishTexts(item, english));
	if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => englishTexts(item, english || key === 'en'));
	return [];
}

const englishMessageFiles = ['messages/en.json', 'messages/student/en.json', 'messages/teacher/en.json', 'messages/feedback/en.json'];
const libraryFiles = [...filesOf('exercises', /\.ya?ml$/), ...filesOf('src/lib/lessons/library', /\.ya?ml$/)];

describe('English texts', () => {
	it.each([
		['σ(0,45) works too', ['0,45']],
		['$x = 0{,}5$', ['0{,}5']],
		['0.5, 3/4 or (0, 1)', []],
		['20 → 128 → 64 → 1: 11,009 parameters', []],
		['0,125 and 1,5', ['0,125', '1,5']]
	])('find the decimal commas of %j', (text, expected) => {
		expect(decimalCommas(text)).toEqual(expected);
	});

	it('reads every English message file and library file', () => {
		expect(libraryFiles.length).toBeGreaterThan(40);
	});

	/** the answer parser's messages that show how a number may be typed, French commas included */
	const WRITING_NUMBERS = new Set(['says_unreadable_stray_comma', 'says_unreadable_thousands_grouping']);

	it.each(englishMessageFiles)('%s writes no decimal comma', (file) => {
		const messages = JSON.parse(read(file)) as Record<string, unknown>;
		const found = Object.entries(messages).flatMap(([key, text]) => (typeof text === 'string' && !WRITING_NUMBERS.has(key) ? decimalCommas(text).map((n) => `${key}: ${n}`) : []));
		expect(found).toEqual([]);
	});

	it.each(libraryFiles)('%s writes no decimal comma in English', (file) => {
		const found = englishTexts(parse(read(file))).flatMap(decimalCommas);
		expect(found).toEqual([]);
	});
});

describe('titles', () => {
	// a title is shown where TeX cannot be: a lesson's <option>, the page's <title>, a gradebook's columns
	it.each(libraryFiles)('%s titles itself in plain text, without TeX', (file) => {
		const { title } = parse(read(file)) as { title?: Record<string, string> };
		expect(Object.values(title ?? {}).filter((text) => /[$\\]/.test(text))).toEqual([]);
	});
});

/** `npm run -s cli -- check FILE`, `npx stepwise trace x.yaml`, `npm test`: the commands a text names, without `[optional parts]`. */
export function commandsIn(text: string): { script: string; args: string[] | null }[] {
	const commands: { script: string; args: string[] | null }[] = [];
	for (const m of text.matchAll(/\bnpm (?:run(?: -s)? ([\w-]+(?::[\w-]+)*)|(start|test))(?: --(?: ([^`\n#|]*))?)?/g)) {
		commands.push({ script: m[1] ?? m[2], args: m[1] === 'cli' && m[3] !== undefined ? words(m[3]) : null });
	}
	for (const m of text.matchAll(/\bnpx stepwise(?: ([^`\n#|]*))?/g)) commands.push({ script: 'bin:stepwise', args: words(m[1] ?? '') });
	return commands;
}

/** The words of a command line as a shell splits them; `[optional parts]` and a lone `…` are left out, a `…` inside a word stands for any text. */
function words(line: string): string[] {
	const result: string[] = [];
	let word: string | null = null;
	let quote: string | null = null;
	let optional = 0;
	for (const char of line) {
		if (quote) {
			if (char === quote) quote = null;
			else word += char;
		} else if (char === '[' && word === null) optional++;
		else if (char === ']' && optional > 0) optional--;
		else if (optional > 0) continue;
		else if (char === "'" || char === '"') {
			quote = char;
			word ??= '';
		} else if (/\s/.test(char)) {
			if (word !== null && word !== '…' && word !== '\\') result.push(word.replace(/…/g, 'x'));
			word = null;
		} else word = (word ?? '') + char;
	}
	if (word !== null && word !== '…' && word !== '\\') result.push(word.replace(/…/g, 'x'));
	return result;
}

describe('commands named to readers', () => {
	const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string>; bin?: Record<string, string> };
	const sources = ['README.md', ...filesOf('docs', /\.md$/), 'exercises/README.md', ...filesOf('messages', /\.json$/), ...filesOf('src', /\.svelte$/)];

	it.each([
		['`npm run cli -- exercise check`', [{ script: 'cli', args: ['exercise', 'check'] }]],
		['npm run -s cli -- variant backprop-221 --student 21901234 [--seed td3] [--lang fr]', [{ script: 'cli', args: ['variant', 'backprop-221', '--student', '21901234'] }]],
		['`npm test` then `npm run bench`', [{ script: 'test', args: null }, { script: 'bench', args: null }]],
		['npx stepwise info model.yaml', [{ script: 'bin:stepwise', args: ['info', 'model.yaml'] }]],
		[`npm run -s cli -- trace s.yaml --names 'W[1],dW[1]'`, [{ script: 'cli', args: ['trace', 's.yaml', '--names', 'W[1],dW[1]'] }]],
		['npm run -s cli -- teacher add prof@univ.fr --name "Prof Martin"', [{ script: 'cli', args: ['teacher', 'add', 'prof@univ.fr', '--name', 'Prof Martin'] }]],
		['npm run -s cli -- db copy --from a.db --to postgres://stepwise:…@db/stepwise', [{ script: 'cli', args: ['db', 'copy', '--from', 'a.db', '--to', 'postgres://stepwise:x@db/stepwise'] }]]
	])('finds the commands of %j', (text, expected) => {
		expect(commandsIn(text)).toEqual(expected);
	});

	it('rejects a command the CLI does not have', () => {
		expect(() => parseArgs(['exercise', 'check'])).toThrow();
	});

	it.each(sources)('%s names only commands that exist', (file) => {
		const wrong = commandsIn(read(file)).flatMap(({ script, args }) => {
			const known = script === 'bin:stepwise' ? packageJson.bin?.stepwise !== undefined : script in packageJson.scripts;
			if (!known) return [`${script}: no such script`];
			if (args === null) return [];
			try {
				parseArgs(args);
				return [];
			} catch (error) {
				return [`${args.join(' ')}: ${(error as Error).message}`];
			}
		});
		expect(wrong, relative(PROJECT_ROOT, join(PROJECT_ROOT, file))).toEqual([]);
	});
});
