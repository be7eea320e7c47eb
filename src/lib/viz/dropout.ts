import type { Trace } from '../engine/trace';
import { eventAt, findEvent } from '../engine/trace';
import { layerOfEvent, sampleOf } from './quantity';

/** One unit of a dropout layer for one sample: its input, its output, and whether the mask kept it (null at evaluation). */
export interface DropoutCell {
	input: number;
	output: number;
	kept: boolean | null;
}

export interface DropoutFrame {
	layer: number;
	rate: number;
	sample: number;
	cells: DropoutCell[];
	dropped: number;
}

/** The units of the dropout layer of event `seq`, for the selected sample (the first of the batch by default); null for another layer. */
export function dropoutFrame(trace: Trace, seq: number, index: readonly number[] | null): DropoutFrame | null {
	const event = eventAt(trace, seq);
	const plan = layerOfEvent(trace.setup, event.name);
	if (!plan || plan.type !== 'dropout') return null;
	const l = plan.index;
	const input = findEvent(trace, event.step, `A[${l - 1}]`)?.value;
	const output = findEvent(trace, event.step, `A[${l}]`)?.value;
	if (!input || !output) return null;
	const mask = findEvent(trace, event.step, `M[${l}]`)?.value ?? null;
	const sample = sampleOf(event.name, index);
	const width = input.data.length / input.shape[0];
	const cells: DropoutCell[] = Array.from({ length: width }, (_, k) => {
		const at = sample * width + k;
		return { input: input.data[at], output: output.data[at], kept: mask ? mask.data[at] === 1 : null };
	});
	return { layer: l, rate: plan.rate, sample, cells, dropped: cells.filter((c) => c.kept === false).length };
}
