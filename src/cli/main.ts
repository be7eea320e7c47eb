/**
 * `stepwise`: parses the command line, then loads only the code of the command asked for (the
 * database drivers, gpu.js, mathjs… cost seconds to load, so nothing heavy is imported here).
 */
import { parseArgs, USAGE, UsageError, type CliOptions } from './args';
import { ScenarioError, formatIssue } from '../lib/engine/scenario/issues';
import { DatabaseError } from '../lib/server/db/errors';

/** Exit codes: 0 done, 1 the scenario file is unreadable or invalid, or the database cannot be used, 2 the command line is wrong, 3 an internal error. */
const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3 } as const;

/** Runs the command the options name, its code imported only now. */
async function runCommand(options: CliOptions): Promise<number> {
	switch (options.command) {
		case 'help':
			process.stdout.write(`${USAGE}\n`);
			return EXIT.ok;
		case 'teacher':
			return (await import('./teacher')).teacherCommand(options);
		case 'db':
			return (await import('./db')).dbCommand(options);
		case 'lti':
			return (await import('./lti')).ltiCommand(options);
		case 'check':
			return (await import('./exercises')).checkCommand(options);
		case 'variant':
			return (await import('./exercises')).variantCommand(options);
		case 'grade':
			return (await import('./exercises')).gradeCommand(options);
		case 'info':
			return (await import('./scenario')).infoCommand(options);
		case 'trace':
			return (await import('./scenario')).traceCommand(options);
		case 'import':
			return (await import('./keras')).importCommand(options);
		case 'export':
			return (await import('./keras')).exportCommand(options);
	}
}

async function main(argv: string[]): Promise<number> {
	let options: CliOptions | undefined;
	try {
		options = parseArgs(argv);
		return await runCommand(options);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`stepwise: ${error.message}\n\n${USAGE}\n`);
			return EXIT.usage;
		}
		if (error instanceof DatabaseError) {
			process.stderr.write(`stepwise: ${error.message}\n`);
			return EXIT.invalid;
		}
		if (error instanceof ScenarioError) {
			const file = options?.file ?? '';
			for (const issue of error.issues) {
				const where = issue.line ? `${file}:${issue.line}` : file;
				process.stderr.write(`${where}: ${issue.path.length ? formatIssue(issue) : issue.message}\n`);
			}
			return EXIT.invalid;
		}
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`stepwise: internal error: ${message}${options?.debug ? '' : ' (run again with --debug for details)'}\n`);
		if (options?.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
		return EXIT.internal;
	}
}

main(process.argv.slice(2)).then((code) => {
	process.exitCode = code;
});
