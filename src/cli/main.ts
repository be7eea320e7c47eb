import { readFileSync } from 'node:fs';
import { run } from '../lib/engine/run';
import { readScenario, readText } from '../lib/engine/scenario/parse';
import { ScenarioError, formatIssue } from '../lib/engine/scenario/issues';
import { summarize } from '../lib/engine/summary';
import { toJsonEvent, type Trace } from '../lib/engine/trace';
import { parseArgs, USAGE, UsageError, type CliOptions } from './args';
import { DatabaseError } from '../lib/server/db/errors';
import { dbCommand } from './db';
import { checkCommand, gradeCommand, variantCommand } from './exercises';
import { infoReport, traceReport } from './report';
import { teacherCommand } from './teacher';

/** Exit codes: 0 done, 1 the scenario file is unreadable or invalid, or the database cannot be used, 2 the command line is wrong, 3 an internal error. */
const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3 } as const;

function readFile(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : 'unreadable';
		throw new ScenarioError([{ path: [], message: `cannot read ${file}: ${why}` }]);
	}
}

/** The events the options select, in order. */
function selectEvents(trace: Trace, options: CliOptions): number[] {
	const { steps, names } = options;
	const first = steps ? Math.min(steps.from, trace.steps + 1) : 0;
	const last = steps ? Math.min(steps.to, trace.steps) : trace.steps;
	const wanted = names ? new Set(names) : null;
	const selected: number[] = [];
	for (let seq = trace.stepStart[first]; seq < trace.stepStart[last + 1]; seq++) {
		if (!wanted || wanted.has(trace.names[trace.name[seq]]) || trace.phase[seq] === 5) selected.push(seq);
	}
	return selected;
}

/** Writes `{ "events": [...] }` in chunks, so a long trace never becomes one giant string. */
function writeJson(trace: Trace, selected: number[]): void {
	let chunk = '{"events":[';
	selected.forEach((seq, i) => {
		chunk += (i > 0 ? ',' : '') + JSON.stringify(toJsonEvent(trace, seq));
		if (chunk.length > 1 << 20) {
			process.stdout.write(chunk);
			chunk = '';
		}
	});
	process.stdout.write(`${chunk}]}\n`);
}

function titleText(title: unknown): string | undefined {
	if (typeof title === 'string') return title;
	if (title && typeof title === 'object') return (title as { en?: string; fr?: string }).en ?? (title as { fr?: string }).fr;
	return undefined;
}

async function main(argv: string[]): Promise<number> {
	let options: CliOptions | undefined;
	try {
		options = parseArgs(argv);
		if (options.command === 'help') {
			process.stdout.write(`${USAGE}\n`);
			return EXIT.ok;
		}
		if (options.command === 'teacher') return await teacherCommand(options);
		if (options.command === 'db') return await dbCommand(options);
		if (options.command === 'check') return checkCommand(options);
		if (options.command === 'variant') return variantCommand(options);
		if (options.command === 'grade') return gradeCommand(options);
		const text = readFile(options.file);
		if (options.command === 'info') {
			const summary = readText(text, summarize);
			process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `${infoReport(summary)}\n`);
			return EXIT.ok;
		}
		const scenario = readScenario(text);
		const choice = options.backend ?? scenario.backend;
		// gpu.js is loaded only for the runs that may use it
		const gpu = choice === 'reference' ? undefined : (await import('../lib/engine/backends/gpu')).createGpuBackend();
		const trace = run(scenario, { backend: choice, gpu });
		const selected = selectEvents(trace, options);
		if (options.json) writeJson(trace, selected);
		else process.stdout.write(`${traceReport(trace, selected, titleText(scenario.title))}\n`);
		if (trace.diverged) process.stderr.write(`${options.file}: ${trace.diverged.message}\n`);
		if (choice === 'gpu' && trace.setup.backend.note) process.stderr.write(`${options.file}: ${trace.setup.backend.note}\n`);
		return EXIT.ok;
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
