import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine/run';
import { epochOf, eventAt, findEvent, kindOf, nameAt, PHASES, phaseOf, scanEvents, stepOf, TraceRecorder, valueStart, VALUE_MARK_STEPS, type Trace } from '../../../src/lib/engine/trace';
import { BIT_SCENARIOS } from './trace-bits-scenarios';

/** What each event was recorded as, written out per event: what the trace stored in columns before it kept layouts. */
interface Recorded {
	step: number;
	epoch: number;
	phase: (typeof PHASES)[number];
	name: string;
	shape: number[];
	data: number[];
}

/** A recorder fed `events` by hand, and its trace. */
function recorded(events: Recorded[]): Trace {
	const recorder = new TraceRecorder(run(SMALL).setup, { steps: 1, values: 1 });
	for (const e of events) recorder.record(e.step, e.epoch, e.phase, e.name, { shape: e.shape, data: Float64Array.from(e.data) });
	return recorder.finish();
}

const SMALL = {
	model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'identity', W: [[1]], b: [0] }] },
	loss: 'half_squared_error',
	optimizer: { type: 'sgd', lr: 0.1 },
	data: { X: [[1]], Y: [[1]] },
	training: { epochs: 1, batch_size: 1 }
};

/** Every event read back through each way in, against what was recorded. */
function expectReadBack(trace: Trace, events: Recorded[]): void {
	expect(trace.length).toBe(events.length);
	events.forEach((e, seq) => {
		const event = eventAt(trace, seq);
		expect({ step: event.step, epoch: event.epoch, phase: event.phase, name: event.name, shape: event.value.shape, data: Array.from(event.value.data) }).toEqual(e);
		expect([stepOf(trace, seq), epochOf(trace, seq), phaseOf(trace, seq), nameAt(trace, seq)]).toEqual([e.step, e.epoch, e.phase, e.name]);
		expect(trace.values[valueStart(trace, seq)]).toBe(e.data[0]);
	});
	const scanned: Recorded[] = [];
	scanEvents(trace, (seq, kind, step, start) => {
		scanned.push({ step, epoch: trace.stepEpoch[step], phase: PHASES[kind.phase], name: trace.names[kind.name], shape: trace.shapes[kind.shape], data: Array.from(trace.values.subarray(start, start + kind.size)) });
		expect(kind).toEqual(kindOf(trace, seq));
	});
	expect(scanned).toEqual(events);
}

describe('a trace kept as step layouts reads back every event as it was recorded', () => {
	it('with steps of different events, a step without events and steps past a value mark', () => {
		const events: Recorded[] = [{ step: 0, epoch: 0, phase: 'init', name: 'W[1]', shape: [1, 2], data: [0.5, -0.5] }];
		for (let step = 1; step <= 3 * VALUE_MARK_STEPS + 5; step++) {
			// step 7 records nothing; every tenth step ends an epoch with an evaluation; step 100's A[1] has another shape
			if (step === 7) continue;
			const epoch = Math.ceil(step / 10);
			events.push({ step, epoch, phase: 'forward', name: 'A[1]', shape: step === 100 ? [2, 1] : [1, 2], data: [step, -step] });
			events.push({ step, epoch, phase: 'loss', name: 'loss', shape: [], data: [step / 1000] });
			if (step % 10 === 0) events.push({ step, epoch, phase: 'evaluate', name: 'epoch_loss', shape: [], data: [step / 10] });
		}
		const trace = recorded(events);
		expectReadBack(trace, events);
		expect(trace.stepStart[7]).toBe(trace.stepStart[8]);
		expect(findEvent(trace, 7, 'A[1]')).toBeUndefined();
		// a handful of layouts for 200 steps: the ordinary step, the epoch's last, step 100, the empty step, step 0
		expect(trace.layouts.length).toBeLessThanOrEqual(6);
	});

	it.each(Object.keys(BIT_SCENARIOS))('for the run %s, each event agrees with the bisection and the scan', (name) => {
		const trace = BIT_SCENARIOS[name]();
		const events: Recorded[] = [];
		for (let seq = 0; seq < trace.length; seq++) {
			const e = eventAt(trace, seq);
			events.push({ step: e.step, epoch: e.epoch, phase: e.phase, name: e.name, shape: e.value.shape, data: Array.from(e.value.data) });
		}
		expectReadBack(trace, events);
		expect(trace.layouts.length).toBeLessThan(10);
	});

	it('refuses a step recorded after a later one, which would break the layouts', () => {
		const setup = run(SMALL).setup;
		const recorder = new TraceRecorder(setup, { steps: 2, values: 4 });
		recorder.record(2, 1, 'forward', 'A[1]', { shape: [1], data: Float64Array.of(1) });
		expect(() => recorder.record(1, 1, 'forward', 'A[1]', { shape: [1], data: Float64Array.of(1) })).toThrow(/step 1 recorded after step 2/);
	});

	it('shows the run so far in the middle of a step, and keeps recording after it', () => {
		const setup = run(SMALL).setup;
		const recorder = new TraceRecorder(setup, { steps: 2, values: 4 });
		recorder.record(0, 0, 'init', 'W[1]', { shape: [1], data: Float64Array.of(1) });
		recorder.record(1, 1, 'forward', 'A[1]', { shape: [1], data: Float64Array.of(2) });
		const sofar = recorder.sofar();
		expect([sofar.length, sofar.steps, nameAt(sofar, 1), eventAt(sofar, 1).value.data[0]]).toEqual([2, 1, 'A[1]', 2]);
		recorder.record(1, 1, 'loss', 'loss', { shape: [], data: Float64Array.of(3) });
		const trace = recorder.finish();
		expect([trace.length, nameAt(trace, 2), findEvent(trace, 1, 'loss')?.value.data[0]]).toEqual([3, 'loss', 3]);
	});

	it('answers step 0 for a cursor outside the run, as an empty replay reads it', () => {
		const trace = run(SMALL);
		expect([stepOf(trace, -1), stepOf(trace, trace.length), stepOf(trace, Number.NaN)]).toEqual([0, 0, 0]);
	});
});
