#!/usr/bin/env node
// `stepwise` (package.json's bin) and `npm run cli`: runs the built command line, building it
// first when build-cli/ is missing or older than its sources (a fresh clone, a pull, an edit).
import { pathToFileURL } from 'node:url';
import { buildCli, cliIsStale, CLI_MAIN } from './build-cli.mjs';

if (cliIsStale()) {
	try {
		await buildCli();
	} catch {
		// esbuild has printed what it could not build
		process.stderr.write('stepwise: the command line could not be built (see above)\n');
		process.exit(3);
	}
}
await import(pathToFileURL(CLI_MAIN).href);
