/**
 * `npm run -s bench -- --page [--runs N] [--build DIR]...`: what a reader waits for when a page
 * opens, read from Chromium's own performance timings (not a timed test). For each page of PAGES,
 * on a warm server (one visit first), each run is a fresh browser context (an empty cache, as at a
 * first visit): the time from the navigation's start until the replay's step controls and its
 * first picture are on screen (or, for the other pages, until their main content is), and the
 * JavaScript downloaded by then and in all. With several --build folders (this checkout's `build`
 * is the default; an older commit's build for "before"), the builds are served side by side and
 * visited alternately within each round, so that a machine getting busier slows them alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface PageCase {
	name: string;
	path: string;
	/** what the reader waits for, each a CSS selector of an element that must be visible */
	ready: string[];
}

// the replay's play button stands for its controls; its picture is the first drawing in the page's main
const PAGES: PageCase[] = [
	{ name: 'replay: XOR (MLP, decision region)', path: '/replay?lesson=training-xor-minibatch', ready: ['main button[aria-label^="Play"]', 'main figure svg'] },
	{ name: 'replay: CNN (bars)', path: '/replay?lesson=cnn-bars', ready: ['main button[aria-label^="Play"]', 'main figure svg'] },
	{ name: 'exercise list', path: '/exercises', ready: ['main a[href^="/exercises/"]'] },
	{ name: 'an exercise', path: '/exercises/backprop-221', ready: ['main form button[type="submit"]'] },
	{ name: 'home', path: '/', ready: ['main h1'] }
];

interface Sample {
	/** ms from the navigation's start until every `ready` element was visible */
	readyMs: number;
	/** JavaScript bytes, as sent (compressed) and as parsed, fetched by the page by then */
	scriptBytesAtReady: number;
	scriptSizeAtReady: number;
	/** JavaScript bytes parsed by the load's end, the run worker's included */
	scriptSize: number;
}

function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
		});
	});
}

async function serve(buildDir: string, database: string): Promise<{ url: string; child: ChildProcess }> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [buildDir], {
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, STEPWISE_DB: database },
		stdio: ['ignore', 'ignore', 'pipe']
	});
	for (let tries = 0; tries < 150; tries++) {
		const up = await fetch(url).then(
			(response) => response.ok,
			() => false
		);
		if (up) return { url, child };
		await new Promise((wait) => setTimeout(wait, 100));
	}
	child.kill();
	throw new Error(`${buildDir} did not start on ${url}`);
}

async function visit(browser: Browser, url: string, page: PageCase): Promise<Sample> {
	const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
	const tab = await context.newPage();
	// the worker's script is fetched outside the page's performance timeline: counted from the responses
	const parsed: Promise<number>[] = [];
	context.on('response', (response) => {
		if (/\.m?js(\?|$)/.test(response.url())) parsed.push(response.body().then((body) => body.length, () => 0));
	});
	// the moment each awaited element first shows, stamped by the page's own clock
	// a string, not a function: tsx would wrap a function's inner names in a helper the page lacks
	await tab.addInitScript(`(() => {
		const selectors = ${JSON.stringify(page.ready)};
		const seen = new Map();
		const stamp = () => {
			for (const selector of selectors) {
				if (seen.has(selector)) continue;
				const element = document.querySelector(selector);
				if (element && element.getBoundingClientRect().width > 0) seen.set(selector, performance.now());
			}
			if (seen.size === selectors.length) window.__ready = Math.max(...seen.values());
		};
		new MutationObserver(stamp).observe(document, { childList: true, subtree: true, attributes: true });
	})()`);
	await tab.goto(url + page.path);
	await tab.waitForFunction('typeof window.__ready === "number"', undefined, { timeout: 60_000 });
	await tab.waitForLoadState('networkidle');
	const sample: Omit<Sample, 'scriptSize'> = await tab.evaluate(`(() => {
		const readyMs = window.__ready;
		const scripts = performance.getEntriesByType('resource').filter((entry) => /\\.m?js(\\?|$)/.test(entry.name));
		const bytes = (list) => list.reduce((sum, entry) => sum + (entry.encodedBodySize || entry.transferSize), 0);
		const early = scripts.filter((entry) => entry.responseEnd <= readyMs);
		return { readyMs, scriptBytesAtReady: bytes(early), scriptSizeAtReady: early.reduce((sum, entry) => sum + entry.decodedBodySize, 0) };
	})()`);
	await context.close();
	return { ...sample, scriptSize: (await Promise.all(parsed)).reduce((sum, size) => sum + size, 0) };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function parseOptions(argv: string[]): { runs: number; builds: string[] } {
	const options = { runs: 5, builds: [] as string[] };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--build') {
			if (argv[i + 1] === undefined) throw new Error('--build needs a folder (a `vite build` output)');
			options.builds.push(resolve(argv[++i]));
		} else if (argv[i] === '--runs') {
			const runs = Number(argv[++i]);
			if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a whole number of at least 1, got "${argv[i]}"`);
			options.runs = runs;
		} else throw new Error(`unknown option ${argv[i]}; expected --runs N, --build DIR`);
	}
	if (options.builds.length === 0) options.builds.push(resolve(ROOT, 'build'));
	return options;
}

const kib = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`;

export async function benchPageLoad(argv: string[]): Promise<void> {
	const options = parseOptions(argv);
	const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-page-'));
	const servers: { build: string; url: string; child: ChildProcess }[] = [];
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
	try {
		for (const [k, build] of options.builds.entries()) servers.push({ build, ...(await serve(build, join(dir, `db-${k}.sqlite`))) });
		process.stdout.write(`Chromium ${browser.version()}, ${options.runs} runs a page, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
		for (const page of PAGES) {
			const samples = servers.map(() => [] as Sample[]);
			// the server's first answers (its modules loading, its caches filling) are not what a reader meets later
			for (const server of servers) await visit(browser, server.url, page);
			for (let run = 0; run < options.runs; run++) for (const [k, server] of servers.entries()) samples[k].push(await visit(browser, server.url, page));
			process.stdout.write(`\n${page.name} (${page.path})\n`);
			for (const [k, server] of servers.entries()) {
				const list = samples[k];
				const ready = median(list.map((s) => s.readyMs));
				process.stdout.write(
					`  ${server.build}: ready in ${Math.round(ready)} ms (median; ${list.map((s) => Math.round(s.readyMs)).join(', ')}), ` +
						`JavaScript by then ${kib(median(list.map((s) => s.scriptBytesAtReady)))} sent, ${kib(median(list.map((s) => s.scriptSizeAtReady)))} parsed; ${kib(median(list.map((s) => s.scriptSize)))} parsed in all\n`
				);
			}
		}
		process.stdout.write(`\nload at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
	} finally {
		await browser.close();
		for (const server of servers) server.child.kill();
		rmSync(dir, { recursive: true, force: true });
	}
}
