/**
 * What a long trace costs to hold and to move through, and what recording costs: the replay
 * keeps every event of a run in memory and jumps to any step of it.
 */
import { mulberry32 } from '../src/lib/engine/prng';
import { run } from '../src/lib/engine/run';
import { eventAt, stepOf, traceBytes, TraceRecorder, type Trace } from '../src/lib/engine/trace';
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

/** Milliseconds to record `trace`'s events again into a fresh recorder: the recording's own share of a run. */
export function measureRecording(trace: Trace): number {
	// the events are read before the clock starts: what is timed is the recorder's work alone
	const events = Array.from({ length: trace.length }, (_, seq) => eventAt(trace, seq));
	const start = performance.now();
	// sized as the run sizes it (from estimateCost), so no growing is counted
	const recorder = new TraceRecorder(trace.setup, { steps: trace.steps, values: trace.values.length });
	for (const event of events) recorder.record(event.step, event.epoch, event.phase, event.name, event.value);
	recorder.finish();
	return performance.now() - start;
}
