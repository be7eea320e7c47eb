/** The scenario commands of `stepwise`: trace and info. Each returns its exit code. */
import { readFileSync } from 'node:fs';
import type { BackendChoice } from '../lib/engine/backends/backend';
import { AUTO_GPU_MIN_MULTIPLY_ADDS } from '../lib/engine/backends/select';
import { run } from '../lib/engine/run';
import { readScenario, readText } from '../lib/engine/scenario/parse';
import { ScenarioError } from '../lib/engine/scenario/issues';
import { estimateCost, type Scenario } from '../lib/engine/scenario/validate';
import { summarize } from '../lib/engine/summary';
import { PHASES, scanEvents, toJsonEvent, type Trace } from '../lib/engine/trace';
import type { CliOptions } from './args';
import { infoReport, traceReport } from './report';

export function readFile(file: string): string {
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
	scanEvents(
		trace,
		(seq, kind) => {
			if (!wanted || wanted.has(trace.names[kind.name]) || PHASES[kind.phase] === 'diverged') selected.push(seq);
		},
		trace.stepStart[first],
		trace.stepStart[last + 1]
	);
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

/**
 * Whether the run may take the gpu backend, by chooseBackend's rule: gpu asked for, or auto on a
 * network with enough multiply-adds a step. Below that, auto takes the float64 loops whatever
 * gpu.js finds, so gpu.js (a quarter of a second to load) is not loaded at all.
 */
function mayUseGpu(scenario: Scenario, choice: BackendChoice): boolean {
	if (choice === 'gpu') return true;
	if (choice === 'reference' || scenario.kind === 'perceptron') return false;
	const cost = estimateCost(scenario);
	return !(cost.multiplyAdds / cost.steps < AUTO_GPU_MIN_MULTIPLY_ADDS);
}

export async function infoCommand(options: CliOptions): Promise<number> {
	const text = readFile(options.file);
	// Keras code (a .py file) is read as `stepwise import` reads it
	const keras = options.file.endsWith('.py') ? (await import('../lib/keras/import')).importKeras(text).scenario : null;
	const read = <T>(summary: (data: unknown) => T): T => (keras ? summary(keras) : readText(text, summary));
	if (options.framework === 'keras') {
		process.stdout.write(`${read((await import('../lib/keras/summary')).kerasSummary)}\n`);
		return 0;
	}
	const summary = read(summarize);
	process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `${infoReport(summary)}\n`);
	return 0;
}

export async function traceCommand(options: CliOptions): Promise<number> {
	const scenario = readScenario(readFile(options.file));
	const choice = options.backend ?? scenario.backend;
	// gpu.js is loaded only for the runs that may use it
	const gpu = !mayUseGpu(scenario, choice) ? undefined : (await import('../lib/engine/backends/gpu')).createGpuBackend();
	const trace = run(scenario, { backend: choice, gpu });
	const selected = selectEvents(trace, options);
	if (options.json) writeJson(trace, selected);
	else process.stdout.write(`${traceReport(trace, selected, titleText(scenario.title))}\n`);
	if (trace.diverged) process.stderr.write(`${options.file}: ${trace.diverged.message}\n`);
	if (choice === 'gpu' && trace.setup.backend.note) process.stderr.write(`${options.file}: ${trace.setup.backend.note}\n`);
	return 0;
}
