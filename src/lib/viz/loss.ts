import { scanEvents, type Trace } from '../engine/trace';

/** The cost J of every step, in step order: read once per trace, in one pass over its names. */
export interface LossSeries {
	steps: Int32Array;
	values: Float64Array;
}

/**
 * The values of the one-number event `name` (the cost J of every step by default; `epoch_loss` or
 * `val_loss` for the end of each epoch, at its last step), in step order.
 */
export function lossSeries(trace: Trace, name = 'loss'): LossSeries {
	const nameId = trace.names.indexOf(name);
	const steps: number[] = [];
	const values: number[] = [];
	if (nameId >= 0) {
		scanEvents(trace, (_seq, kind, step, start) => {
			if (kind.name !== nameId) return;
			steps.push(step);
			values.push(trace.values[start]);
		});
	}
	return { steps: Int32Array.from(steps), values: Float64Array.from(values) };
}

/**
 * At most 2·buckets points that keep the curve's envelope: the first, the lowest and the highest
 * point of each bucket of consecutive steps. A 100,000-step curve stays a light path.
 */
export function decimate(series: LossSeries, buckets = 600): [number, number][] {
	const n = series.steps.length;
	if (n <= 2 * buckets) return Array.from(series.steps, (step, i) => [step, series.values[i]]);
	const points: [number, number][] = [];
	for (let b = 0; b < buckets; b++) {
		const start = Math.floor((b * n) / buckets);
		const end = Math.floor(((b + 1) * n) / buckets);
		let lo = start;
		let hi = start;
		for (let i = start; i < end; i++) {
			if (series.values[i] < series.values[lo]) lo = i;
			if (series.values[i] > series.values[hi]) hi = i;
		}
		for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) points.push([series.steps[i], series.values[i]]);
	}
	return points;
}

/** J of step `step`, by binary search over the series (steps increase). */
export function lossAt(series: LossSeries, step: number): number | null {
	let lo = 0;
	let hi = series.steps.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (series.steps[mid] === step) return series.values[mid];
		if (series.steps[mid] < step) lo = mid + 1;
		else hi = mid - 1;
	}
	return null;
}
