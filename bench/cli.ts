/** `npm run bench [-- --json] [--compare] [--runs N] [--tasks LIST] [--tiny]`: see main.ts. */
import { bench } from './main';

bench(process.argv.slice(2)).catch((error: unknown) => {
	process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
