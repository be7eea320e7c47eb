import { batchRowsOf, eventAt, findEvent, nameAt, stepOf, type Trace } from '../engine/trace';

/**
 * The course-000 spreadsheet, one row per step: the sample, the weights before, the weighted
 * sum, the output, the expected output, the sign of the correction and the weights after.
 * Row 0 holds the initial weights. Each row reads only its own step (and the step before).
 */
export interface PerceptronRow {
	step: number;
	/** the data row this step reads, null for row 0 */
	sample: number | null;
	x: number[] | null;
	wBefore: number[] | null;
	bBefore: number | null;
	weightedSum: number | null;
	output: number | null;
	expected: number | null;
	/** sign of y − ŷ: +1 raise the weights, −1 lower them, 0 leave them */
	correction: number | null;
	wAfter: number[] | null;
	bAfter: number | null;
	/** the event behind each filled column, so a cell can be matched with the cursor */
	seq: Partial<Record<PerceptronColumn, number>>;
}

export type PerceptronColumn = 'x' | 'weightedSum' | 'output' | 'correction' | 'wAfter' | 'bAfter';

const COLUMN_OF_EVENT: Record<string, PerceptronColumn> = {
	'A[0]': 'x',
	'Z[1]': 'weightedSum',
	'A[1]': 'output',
	error: 'correction',
	'W[1]': 'wAfter',
	'b[1]': 'bAfter'
};

/** The column an event of this name fills, if any. */
export function columnOfEvent(name: string): PerceptronColumn | undefined {
	return COLUMN_OF_EVENT[name];
}

/** Row `step` as far as the cursor `upTo` has recorded it (everything, for an earlier step). */
export function perceptronRow(trace: Trace, step: number, upTo: number = trace.length - 1): PerceptronRow {
	const row: PerceptronRow = {
		step,
		sample: null,
		x: null,
		wBefore: null,
		bBefore: null,
		weightedSum: null,
		output: null,
		expected: null,
		correction: null,
		wAfter: null,
		bAfter: null,
		seq: {}
	};
	if (step < 0 || step > trace.steps) return row;
	if (step > 0) {
		const sample = batchRowsOf(trace, step)[0];
		row.sample = sample ?? null;
		const Y = trace.setup.Y;
		if (Y && sample !== undefined) row.expected = Y.data[sample];
		const W = findEvent(trace, step - 1, 'W[1]');
		if (W) row.wBefore = Array.from(W.value.data);
		const b = findEvent(trace, step - 1, 'b[1]');
		if (b) row.bBefore = b.value.data[0];
	}
	const end = Math.min(trace.stepStart[step + 1] - 1, upTo);
	for (let seq = trace.stepStart[step]; seq <= end; seq++) {
		const column = COLUMN_OF_EVENT[nameAt(trace, seq)];
		if (!column) continue;
		const values = Array.from(eventAt(trace, seq).value.data);
		row.seq[column] = seq;
		if (column === 'x') row.x = values;
		else if (column === 'wAfter') row.wAfter = values;
		else if (column === 'bAfter') row.bAfter = values[0];
		else if (column === 'weightedSum') row.weightedSum = values[0];
		else if (column === 'output') row.output = values[0];
		else row.correction = Math.sign(values[0]);
	}
	return row;
}

/** The rows up to the cursor's step, the last `max` of them; `hidden` counts the rows left out above. */
export function perceptronRows(trace: Trace, seq: number, max = 50): { rows: PerceptronRow[]; hidden: number } {
	const step = stepOf(trace, seq);
	const first = Math.max(0, step - max + 1);
	const rows: PerceptronRow[] = [];
	for (let s = first; s <= step; s++) rows.push(perceptronRow(trace, s, seq));
	return { rows, hidden: first };
}

/** A training sample as a point of the plane (2 inputs), with its target. */
export interface DataPoint {
	x1: number;
	x2: number;
	y: number;
	/** the data rows at this point with this target */
	samples: number[];
}

/**
 * The distinct (x1, x2, y) of the data, read from the first step that reads each sample: one
 * epoch covers every sample, so this reads at most as many steps as there are samples.
 */
export function dataPoints(trace: Trace): DataPoint[] {
	const Y = trace.setup.Y;
	if (!Y || trace.setup.layers[0]?.inputShape[0] !== 2) return [];
	const samples = Y.shape[0];
	const points = new Map<string, DataPoint>();
	const seen = new Set<number>();
	for (let step = 1; step <= trace.steps && seen.size < samples; step++) {
		const rows = batchRowsOf(trace, step);
		const A0 = findEvent(trace, step, 'A[0]');
		if (!A0) continue;
		rows.forEach((sample, i) => {
			if (seen.has(sample)) return;
			seen.add(sample);
			const x1 = A0.value.data[2 * i];
			const x2 = A0.value.data[2 * i + 1];
			const y = Y.data[sample];
			const key = `${x1},${x2},${y}`;
			const point = points.get(key);
			if (point) point.samples.push(sample);
			else points.set(key, { x1, x2, y, samples: [sample] });
		});
	}
	return [...points.values()];
}

export interface Box {
	x0: number;
	x1: number;
	y0: number;
	y1: number;
}

/**
 * The separating line w1·x1 + w2·x2 + b = θ inside `box`, and the part of the box where the
 * unit fires (w·x + b above θ), as a polygon. No segment when the line misses the box or w = 0.
 */
export function separatingLine(w1: number, w2: number, b: number, theta: number, box: Box): { segment: [number, number][] | null; fires: [number, number][] } {
	const f = (x: number, y: number) => w1 * x + w2 * y + b - theta;
	const corners: [number, number][] = [
		[box.x0, box.y0],
		[box.x1, box.y0],
		[box.x1, box.y1],
		[box.x0, box.y1]
	];
	const fires: [number, number][] = [];
	const crossings: [number, number][] = [];
	for (let i = 0; i < 4; i++) {
		const p = corners[i];
		const q = corners[(i + 1) % 4];
		const fp = f(...p);
		const fq = f(...q);
		if (fp >= 0) fires.push(p);
		if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
			const t = fp / (fp - fq);
			const point: [number, number] = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
			fires.push(point);
			crossings.push(point);
		} else if (fp === 0 && (w1 !== 0 || w2 !== 0)) crossings.push(p);
	}
	const segment = w1 === 0 && w2 === 0 ? null : crossings.length >= 2 ? [crossings[0], crossings[1]] : null;
	return { segment, fires };
}
