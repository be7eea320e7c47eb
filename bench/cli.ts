/**
 * `npm run bench [-- --json] [--compare] [--runs N] [--tasks LIST] [--tiny]`: see main.ts.
 * `npm run -s bench -- --cli [--runs N] [--no-before]`: the command line's start-up, see startup.ts.
 * `npm run -s bench -- --page [--runs N] [--build DIR]...`: what a page makes a reader wait for, see page-load.ts.
 */
import { bench } from './main';
import { benchPageLoad } from './page-load';
import { benchStartup } from './startup';

const argv = process.argv.slice(2);
const done = argv[0] === '--cli' ? Promise.resolve().then(() => benchStartup(argv.slice(1))) : argv[0] === '--page' ? benchPageLoad(argv.slice(1)) : bench(argv);
done.catch((error: unknown) => {
	process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
