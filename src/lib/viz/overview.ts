import type { LayerPlan } from '../engine/plan';
import { layerName, parseName } from '../engine/quantity';
import { findEvent, nameAt, scanEvents, stepOf, type Trace, type TraceSetup } from '../engine/trace';
import { maxAbs } from './colour';

/**
 * The whole network at a glance, as CNN Explainer's overview shows it: one column per layer
 * (the input first), each holding what that layer outputs for one sample at the cursor's step,
 * read from the recorded A[l] events. Pure, so the picture and the tests agree.
 */

/** What a column draws: feature maps (channels × height × width) or a column of units. */
export type ColumnForm = { kind: 'maps'; channels: number; height: number; width: number } | { kind: 'units'; count: number };

export interface OverviewColumn {
	/** 0 for the input, l for layer l (the engine's numbering) */
	layer: number;
	/** the layer's plan; null for the input */
	plan: LayerPlan | null;
	/** the last layer, whose output is the network's */
	output: boolean;
	form: ColumnForm;
	/** A[l] of the sample shown, in row-major order; null when the step records no A[l] */
	values: Float64Array | null;
	/** the largest |value| of the column, for a colour scale symmetric around 0 */
	limit: number;
	/** the event a click opens: A[l] of the step shown, else the layer's first event of that step */
	target: number | null;
	/** the current event belongs to this layer */
	current: boolean;
}

export interface NetworkOverview {
	/** the step whose values the columns show */
	step: number;
	/** the sample shown, 0-based within the batch */
	sample: number;
	columns: OverviewColumn[];
}

/** How a per-sample shape is drawn: three dimensions are feature maps, any other a column of units. */
export function formOf(shape: readonly number[]): ColumnForm {
	if (shape.length === 3) return { kind: 'maps', channels: shape[0], height: shape[1], width: shape[2] };
	return { kind: 'units', count: shape.reduce((n, d) => n * d, 1) };
}

/**
 * The column (0 for the input) of the layer an event belongs to: its own layer, the output layer
 * for the cost and the learning rate of an update; null for what belongs to no layer (an epoch's
 * evaluation, a divergence, a perceptron's error).
 */
export function columnOfEvent(setup: TraceSetup, name: string): number | null {
	const q = parseName(name);
	if (!q || setup.layers.length === 0) return null;
	if (q.symbol === 'loss' || q.symbol === 'lr') return setup.layers.length;
	if (q.layer === null || q.layer > setup.layers.length) return null;
	return q.layer;
}

/**
 * The step a cursor's overview shows: the cursor's own, or the first training step while the
 * cursor is on the initial values (step 0 records no forward pass).
 */
export function shownStep(trace: Trace, seq: number): number {
	const step = stepOf(trace, seq);
	return step === 0 && trace.steps >= 1 ? 1 : step;
}

/** The overview at event `seq`, for sample `sample` of the batch; null for a perceptron, which has no layers to lay out. */
export function networkOverview(trace: Trace, seq: number, sample = 0): NetworkOverview | null {
	const { setup } = trace;
	if (setup.kind !== 'network' || setup.layers.length === 0 || trace.length === 0) return null;
	const cursor = Math.min(Math.max(seq, 0), trace.length - 1);
	const step = shownStep(trace, cursor);
	const current = columnOfEvent(setup, nameAt(trace, cursor));
	const firstOf = firstEvents(trace, step);
	const shapes = [setup.layers[0].inputShape, ...setup.layers.map((plan) => plan.outputShape)];
	const columns = shapes.map((shape, layer): OverviewColumn => {
		const activation = findEvent(trace, step, layerName('A', layer));
		const size = shape.reduce((n, d) => n * d, 1);
		const rows = activation?.value.shape[0] ?? 0;
		const row = Math.min(sample, rows - 1);
		const values = activation && row >= 0 ? activation.value.data.subarray(row * size, (row + 1) * size) : null;
		return {
			layer,
			plan: layer === 0 ? null : setup.layers[layer - 1],
			output: layer === setup.layers.length,
			form: formOf(shape),
			values,
			limit: values ? maxAbs(values) : 0,
			target: activation?.seq ?? firstOf.get(layer) ?? null,
			current: current === layer
		};
	});
	return { step, sample, columns };
}

/** Each column's first event in step `step`. */
function firstEvents(trace: Trace, step: number): Map<number, number> {
	const first = new Map<number, number>();
	if (step < 0 || step > trace.steps) return first;
	scanEvents(
		trace,
		(seq, kind) => {
			const column = columnOfEvent(trace.setup, trace.names[kind.name]);
			if (column !== null && !first.has(column)) first.set(column, seq);
		},
		trace.stepStart[step],
		trace.stepStart[step + 1]
	);
	return first;
}
