/**
 * BENCH.md's four tasks on Stepwise's engine (the backend `auto` picks, and each
 * backend beside it). `--compare` also runs TensorFlow.js (cpu, wasm) and plain float64 loops,
 * alternately with ours in one run, and prints the ratios; `--json` prints one JSON document
 * (the last line of stdout). Timing lives here and only here: tests run it `--tiny`, untimed.
 */
import { availableParallelism, cpus } from 'node:os';
import { createGpuBackend } from '../src/lib/engine/backends/gpu';
import { loopsPeer } from './peers/loops';
import { stepwisePeer } from './peers/stepwise';
import { measureMemory, measureRecording, type MemoryReport } from './memory';
import { measureThreshold, type ThresholdRow } from './threshold';
import { TASK_NAMES, taskData, type Peer, type TaskData, type TaskName, type TaskResult } from './tasks';

interface Options {
	json: boolean;
	compare: boolean;
	tiny: boolean;
	runs: number;
	tasks: TaskName[];
	memory: boolean;
	threshold: boolean;
}

function parseOptions(argv: string[]): Options {
	const options: Options = { json: false, compare: false, tiny: false, runs: 5, tasks: [...TASK_NAMES], memory: true, threshold: false };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--json') options.json = true;
		else if (flag === '--compare') options.compare = true;
		else if (flag === '--tiny') options.tiny = true;
		else if (flag === '--no-memory') options.memory = false;
		else if (flag === '--threshold') options.threshold = true;
		else if (flag === '--runs') {
			const runs = Number(argv[++i]);
			if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a whole number of at least 1, got "${argv[i]}"`);
			options.runs = runs;
		} else if (flag === '--tasks') {
			const names = (argv[++i] ?? '').split(',');
			const unknown = names.filter((n) => !(TASK_NAMES as readonly string[]).includes(n));
			if (unknown.length) throw new Error(`--tasks: unknown task ${unknown.join(', ')}; expected some of ${TASK_NAMES.join(', ')}`);
			options.tasks = names as TaskName[];
		} else throw new Error(`unknown option ${flag}; expected --json, --compare, --tiny, --runs N, --tasks LIST, --no-memory, --threshold`);
	}
	return options;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Timed {
	ms: number;
	runs: number[];
	last: TaskResult;
}

export interface BenchReport {
	machine: string;
	date: string;
	runs: number;
	tasks: Record<string, Record<string, unknown>>;
	memory?: MemoryReport;
	threshold?: ThresholdRow[];
}

/**
 * Runs every engine on every task, `runs` times after a warm-up, engines alternating within a
 * round so that a machine getting busier slows them all alike. Each round starts with the next
 * engine: an engine timed right after another pays for the other's garbage, and always after the
 * same one it paid every round (auto, after TF.js wasm and the loops, ran 1.3–1.7× slower than
 * the same code timed second).
 */
async function measure(engines: Peer[], task: TaskName, options: Options): Promise<Map<string, Timed>> {
	const data: TaskData = taskData(task, { tiny: options.tiny });
	const times = new Map<string, number[]>(engines.map((e) => [e.name, []]));
	const last = new Map<string, TaskResult>();
	for (const engine of engines) {
		await engine.prepare?.();
		await engine.run(data);
	}
	for (let round = 0; round < options.runs; round++) {
		for (const engine of [...engines.slice(round % engines.length), ...engines.slice(0, round % engines.length)]) {
			await engine.prepare?.();
			const result = await engine.run(data);
			times.get(engine.name)?.push(result.ms);
			last.set(engine.name, result);
		}
	}
	return new Map(engines.map((e) => [e.name, { ms: median(times.get(e.name) ?? []), runs: times.get(e.name) ?? [], last: last.get(e.name) as TaskResult }]));
}

export async function bench(argv: string[]): Promise<BenchReport> {
	const options = parseOptions(argv);
	const gpu = createGpuBackend();
	const auto = stepwisePeer('auto', gpu);
	const engines: Peer[] = [auto, stepwisePeer('reference', gpu), stepwisePeer('gpu', gpu)];
	if (options.compare) {
		const { tfjsPeer } = await import('./peers/tfjs');
		engines.push(tfjsPeer('cpu'), tfjsPeer('wasm'), loopsPeer);
	}
	const report: BenchReport = { machine: machineDescription(), date: new Date().toISOString().slice(0, 10), runs: options.runs, tasks: {} };
	for (const task of options.tasks) {
		const results = await measure(engines, task, options);
		const ours = results.get(auto.name) as Timed;
		const entry: Record<string, unknown> = { ms: round(ours.ms), backend: (ours.last as { backend?: string }).backend, ...checks(ours.last) };
		for (const [name, timed] of results) if (name !== auto.name) entry[`${name.replace(/^stepwise /, '')}_ms`] = round(timed.ms);
		const extra = ours.last as { events?: number; traceBytes?: number };
		if (extra.events) Object.assign(entry, { events: extra.events, trace_bytes: extra.traceBytes });
		if (options.compare) entry.ratios = ratios(ours.ms, results, auto.name);
		if (task === 'mlp') {
			const trace = auto.lastTrace();
			if (trace) entry.recording_share = round(measureRecording(trace) / ours.ms, 3);
		}
		report.tasks[task] = entry;
		if (!options.json) process.stdout.write(`${describeTask(task, entry)}\n`);
	}
	if (options.memory) {
		report.memory = measureMemory(options.tiny ? 1_000 : 100_000);
		if (!options.json) process.stdout.write(`${describeMemory(report.memory)}\n`);
	}
	if (options.threshold) {
		const sizes = options.tiny ? { dense: [8], conv2d: [6] } : { dense: [16, 64, 128, 256, 512, 1024], conv2d: [8, 16, 28, 56, 112] };
		report.threshold = measureThreshold(gpu, sizes, options.runs);
		if (!options.json) for (const row of report.threshold) process.stdout.write(`${describeThreshold(row)}\n`);
	}
	if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
	return report;
}

/** Ours ÷ theirs: below 1 is faster than them. */
function ratios(ours: number, results: Map<string, Timed>, self: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [name, timed] of results) if (name !== self && !name.startsWith('stepwise')) out[`vs_${name}`] = round(ours / timed.ms, 3);
	return out;
}

function checks(result: TaskResult): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	if (result.finalLoss !== undefined) out.final_loss = result.finalLoss;
	if (result.lossesAtStep) out.loss_at_steps_1_2 = result.lossesAtStep.slice(0, 2);
	if (result.msPerFrame !== undefined) out.ms_per_frame = round(result.msPerFrame);
	if (result.frameChecksum !== undefined) out.frame_checksum = result.frameChecksum;
	return out;
}

function round(value: number, digits = 2): number {
	return Number(value.toFixed(digits));
}

function describeTask(task: string, entry: Record<string, unknown>): string {
	const times = Object.entries(entry)
		.filter(([key]) => key.endsWith('_ms'))
		.map(([key, ms]) => `${key.replace(/_ms$/, '')} ${ms} ms`)
		.join(', ');
	const ratio = entry.ratios ? `\n  ours ÷ theirs: ${Object.entries(entry.ratios as Record<string, number>).map(([k, v]) => `${k.replace(/^vs_/, '')} ${v}`).join(', ')}` : '';
	const recording = entry.recording_share !== undefined ? `\n  recording: ${((entry.recording_share as number) * 100).toFixed(1)} % of the run` : '';
	return `${task.padEnd(8)} ${String(entry.ms).padStart(9)} ms on ${entry.backend} (auto)\n  ${times}${ratio}${recording}`;
}

function describeMemory(memory: MemoryReport): string {
	return `memory   ${memory.steps.toLocaleString('en')}-step xor-sgd trace: ${memory.bytes_per_step} bytes a step (${(memory.trace_bytes / 2 ** 20).toFixed(1)} MB); cursor jump to a step: median ${memory.jump_median_ms} ms, worst ${memory.jump_max_ms} ms`;
}

function describeThreshold(row: ThresholdRow): string {
	const faster = row.gpu_ms < row.reference_ms ? 'gpu' : 'reference';
	return `threshold ${row.kind} ${row.size}: ${row.multiply_adds_per_step.toLocaleString('en')} multiply-adds a step, reference ${row.reference_ms} ms, gpu ${row.gpu_ms} ms (${faster} faster)`;
}

function machineDescription(): string {
	return `${cpus()[0]?.model ?? process.arch}, ${availableParallelism()} cores, Node ${process.versions.node}`;
}
