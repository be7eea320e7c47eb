// Builds the command line (src/cli/main.ts) into plain JavaScript in build-cli/, so that a call
// starts in a fraction of a second instead of tsx compiling the whole import graph each time.
//
// esbuild, because it bundles and splits TypeScript in about a tenth of a second (vite's
// rolldown needs a config of its own, and tsc neither bundles nor tree-shakes): each command's
// code and each lazily imported module (`await import(...)`) becomes a chunk of its own, loaded
// only when the command runs. The pure-JavaScript packages are bundled, tree-shaken where they
// allow it (mathjs: only the functions the answer evaluator builds, not the whole library); the
// native or heavy ones stay external, loaded from node_modules only by the chunks that need them.
//
// `node scripts/build-cli.mjs` builds; scripts/cli.mjs builds when cliIsStale says so.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI_DIR = join(ROOT, 'build-cli');
export const CLI_MAIN = join(CLI_DIR, 'main.js');
/** The project files the last build read. Written last, with the time the build started. */
const CLI_INPUTS = join(CLI_DIR, 'inputs.json');

/** Native, or heavy and needed by few commands: required from node_modules, never bundled. */
const EXTERNAL = ['better-sqlite3', 'pg', 'gpu.js', 'exceljs'];

/**
 * The message files (the grader's feedback is written from them), compiled by paraglide into src/lib/paraglide.
 * @param {string} dir
 * @returns {string[]}
 */
function messageFiles(dir = join(ROOT, 'messages')) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? messageFiles(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : []));
}

/** Files besides the bundle's own inputs whose change calls for a new build. */
const BUILD_INPUTS = [fileURLToPath(import.meta.url), join(ROOT, 'package.json'), join(ROOT, 'node_modules', '.package-lock.json'), join(ROOT, 'project.inlang', 'settings.json'), ...messageFiles()];

/**
 * The modification time of a file in ms, or -1 when it is gone (a source removed is seen through
 * the file that imported it, which changed too).
 * @param {string} file
 */
function mtime(file) {
	try {
		return statSync(file).mtimeMs;
	} catch {
		return -1;
	}
}

/**
 * Whether build-cli/ must be built again: no build yet, or a project file that went into it (as
 * the metafile lists them, so a file the CLI does not import never triggers a build), this script,
 * package.json or the installed packages changed since. Packages' own files are not walked:
 * node_modules/.package-lock.json changes with every install.
 */
export function cliIsStale() {
	const built = mtime(CLI_INPUTS);
	if (built < 0 || mtime(CLI_MAIN) < 0) return true;
	/** @type {string[]} */
	const inputs = JSON.parse(readFileSync(CLI_INPUTS, 'utf8'));
	return [...inputs.map((input) => join(ROOT, input)), ...BUILD_INPUTS].some((file) => mtime(file) > built);
}

/**
 * Builds build-cli/. Each file is written under a temporary name and renamed into place, the
 * entry point after its chunks and the list of inputs last, so that a CLI started during a build (two
 * test files building at once) only ever reads whole files of one build or the other.
 */
export async function buildCli() {
	const started = new Date();
	const { build } = await import('esbuild');
	// the messages compiled as the app compiles them (the grader's feedback is written from them), so a fresh clone builds the CLI too
	const { compile } = await import('@inlang/paraglide-js');
	await compile({ project: join(ROOT, 'project.inlang'), outdir: join(ROOT, 'src', 'lib', 'paraglide'), strategy: ['cookie', 'preferredLanguage', 'baseLocale'] });
	const result = await build({
		absWorkingDir: ROOT,
		entryPoints: ['src/cli/main.ts'],
		outdir: 'build-cli',
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		external: EXTERNAL,
		// some bundled packages are CommonJS (yaml) and require Node's modules: give them a require
		banner: { js: "import { createRequire as __stepwiseRequire } from 'node:module';\nconst require = __stepwiseRequire(import.meta.url);" },
		minify: true,
		legalComments: 'none',
		metafile: true,
		write: false,
		logLevel: 'warning',
		// tsconfig.json extends .svelte-kit's, which a fresh clone does not have yet: the CLI needs none of it
		tsconfigRaw: '{}'
	});
	mkdirSync(CLI_DIR, { recursive: true });
	const entry = result.outputFiles.filter((file) => file.path === CLI_MAIN);
	const chunks = result.outputFiles.filter((file) => file.path !== CLI_MAIN);
	const suffix = `.${process.pid}.tmp`;
	for (const file of [...chunks, ...entry]) {
		writeFileSync(file.path + suffix, file.contents);
		renameSync(file.path + suffix, file.path);
	}
	// paraglide's output is rewritten, unchanged, by every compile (this one, after `started`, and the
	// app's): it would make every call rebuild. Its sources, the message files, are BUILD_INPUTS.
	const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/') && !input.startsWith('src/lib/paraglide/'));
	writeFileSync(CLI_INPUTS + suffix, JSON.stringify(inputs));
	utimesSync(CLI_INPUTS + suffix, started, started);
	renameSync(CLI_INPUTS + suffix, CLI_INPUTS);
	// chunks of earlier builds (their names carry a hash of their content)
	const kept = new Set([...result.outputFiles.map((file) => basename(file.path)), basename(CLI_INPUTS)]);
	for (const name of readdirSync(CLI_DIR)) if (!kept.has(name) && !name.endsWith('.tmp')) rmSync(join(CLI_DIR, name), { force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	await buildCli();
	console.log('build-cli: built build-cli/ from src/cli/main.ts');
}
