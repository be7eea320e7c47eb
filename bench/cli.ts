/**
 * `npm run bench [-- --json] [--compare] [--runs N] [--tasks LIST] [--tiny]`: see main.ts.
 * `npm run -s bench -- --cli [--runs N] [--no-before]`: the command line's start-up, see startup.ts.
 */
import { bench } from './main';
import { benchStartup } from './startup';

const argv = process.argv.slice(2);
const done = argv[0] === '--cli' ? Promise.resolve().then(() => benchStartup(argv.slice(1))) : bench(argv);
done.catch((error: unknown) => {
	process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
