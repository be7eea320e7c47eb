/**
 * What a long trace costs to hold and to move through, and what recording costs: the replay
 * keeps every event of a run in memory and jumps to any step of it.
 */
import { mulberry32 } from '../src/lib/engine/prng';
import { run } from '../src/lib/engine/run';
import { eventAt, PHASES, stepOf, stepValueStart, traceBytes, TraceRecorder, type StepEventKind, type Trace } from '../src/lib/engine/trace';
import { seqOfStep } from '../src/lib/replay/cursor';
import { inForce } from '../src/lib/viz/cursor';
import { scenarioOf } from './peers/stepwise';
import { taskData, type DenseTask } from './tasks';

export interface MemoryReport {
	steps: number;
	events: number;
	trace_bytes: number;
	bytes_per_step: number;
	jump_median_ms: number;
	jump_max_ms: number;
}

/** A `steps`-step xor-sgd trace on the reference, then 1,000 jumps to random steps, each reading what the replay shows there. */
export function measureMemory(steps: number): MemoryReport {
	const trace = run(scenarioOf(taskData('xor-sgd', { steps }) as DenseTask, 'reference'));
	const random = mulberry32(1);
	const jumps: number[] = [];
	let checksum = 0;
	for (let i = 0; i < 1_000; i++) {
		const start = performance.now();
		const first = seqOfStep(trace, 1 + Math.floor(random.next() * trace.steps));
		const end = trace.stepStart[stepOf(trace, first) + 1];
		for (let seq = first; seq < end; seq++) checksum += eventAt(trace, seq).value.data[0];
		checksum += inForce(trace, first, 'W[1]')?.value.data[0] ?? 0;
		jumps.push(performance.now() - start);
	}
	jumps.sort((a, b) => a - b);
	const bytes = traceBytes(trace);
	return {
		steps: trace.steps,
		events: trace.length,
		trace_bytes: bytes,
		bytes_per_step: Math.round(bytes / trace.steps),
		jump_median_ms: Number(jumps[jumps.length >> 1].toFixed(4)),
		// the checksum keeps the reads from being optimised away
		jump_max_ms: Number(jumps[jumps.length - 1].toFixed(4)) + 0 * Math.sign(checksum)
	};
}

/**
 * Milliseconds to record `trace` again into a fresh recorder (`recordingOf`): the recording's own
 * share of a run.
 */
export function measureRecording(trace: Trace): number {
	const record = recordingOf(trace);
	const start = performance.now();
	record();
	return performance.now() - start;
}

/**
 * Records `trace` again into a fresh recorder when called, each step whole as the dense stepper
 * records it (`recordStep`: the step's events named once, its values copied at once); the events
 * and values are read before, so that a call is the recorder's work alone.
 */
export function recordingOf(trace: Trace): () => Trace {
	const byLayout = trace.layouts.map(({ kinds }) =>
		Array.from(kinds, (id): StepEventKind => ({ phase: PHASES[trace.kinds[id].phase], name: trace.names[trace.kinds[id].name], shape: trace.shapes[trace.kinds[id].shape] }))
	);
	const steps = Array.from({ length: trace.steps + 1 }, (_, step) => {
		const { offsets } = trace.layouts[trace.stepLayout[step]];
		const start = stepValueStart(trace, step);
		return { events: byLayout[trace.stepLayout[step]], values: trace.values.subarray(start, start + offsets[offsets.length - 1]), epoch: trace.stepEpoch[step] };
	});
	return () => {
		// sized as the run sizes it (from estimateCost), so no growing is counted
		const recorder = new TraceRecorder(trace.setup, { steps: trace.steps, values: trace.values.length });
		steps.forEach(({ events, values, epoch }, step) => recorder.recordStep(step, epoch, events, values));
		steps.forEach((_, step) => recorder.batch(step, trace.batchRows.subarray(trace.batchStart[step], trace.batchStart[step + 1])));
		return recorder.finish();
	};
}
