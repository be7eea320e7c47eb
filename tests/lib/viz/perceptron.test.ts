import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { dataPoints, perceptronRow, perceptronRows, separatingLine } from '../../../src/lib/viz/perceptron';
import { loadFixture } from '../../helpers';

const or = run((loadFixture('perceptron-spreadsheet-or.yaml') as { scenario: unknown }).scenario);

function seqOf(trace: Trace, step: number, name: string): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.seq;
}

describe('the course-000 spreadsheet rows of the OR perceptron', () => {
	it.each([
		{ step: 1, x: [0, 0], before: [0.1, 0.1], sum: 0, output: 0, y: 0, sign: 0, after: [0.1, 0.1] },
		{ step: 2, x: [1, 0], before: [0.1, 0.1], sum: 0.1, output: 0, y: 1, sign: 1, after: [0.2, 0.2] },
		{ step: 4, x: [1, 1], before: [0.3, 0.3], sum: 0.6, output: 1, y: 1, sign: 0, after: [0.3, 0.3] },
		{ step: 10, x: [1, 0], before: [0.5, 0.5], sum: 0.5, output: 0, y: 1, sign: 1, after: [0.6, 0.6] },
		{ step: 28, x: [1, 1], before: [0.6, 0.6], sum: 1.2, output: 1, y: 1, sign: 0, after: [0.6, 0.6] }
	])('row $step: x $x, w $before, Σ $sum, ŷ $output, y $y, sign $sign, new w $after', ({ step, x, before, sum, output, y, sign, after }) => {
		const row = perceptronRow(or, step);
		expect(row.x).toEqual(x);
		row.wBefore?.forEach((w, i) => expect(w).toBeCloseTo(before[i], 9));
		expect(row.weightedSum).toBeCloseTo(sum, 9);
		expect(row.output).toBe(output);
		expect(row.expected).toBe(y);
		expect(row.correction).toBe(sign);
		expect(row.wAfter?.length).toBe(2);
		row.wAfter?.forEach((w, i) => expect(w).toBeCloseTo(after[i], 9));
		expect(row.bBefore).toBeNull();
		expect(row.bAfter).toBeNull();
	});

	it('row 0 holds the initial weights only', () => {
		const row = perceptronRow(or, 0);
		expect(row.wAfter).toEqual([0.1, 0.1]);
		expect(row.x).toBeNull();
		expect(row.sample).toBeNull();
	});

	it.each([
		{ name: 'A[0]', filled: ['x'] },
		{ name: 'Z[1]', filled: ['x', 'weightedSum'] },
		{ name: 'error', filled: ['x', 'weightedSum', 'output', 'correction'] },
		{ name: 'W[1]', filled: ['x', 'weightedSum', 'output', 'correction', 'wAfter'] }
	])('the current row fills up to the cursor at $name', ({ name, filled }) => {
		const row = perceptronRow(or, 10, seqOf(or, 10, name));
		expect(Object.keys(row.seq).sort()).toEqual([...filled].sort());
		// what comes before the step is known from its start
		expect(row.wBefore).not.toBeNull();
		expect(row.expected).toBe(1);
	});

	it.each([
		{ step: 3, max: 50, steps: [0, 1, 2, 3], hidden: 0 },
		{ step: 28, max: 50, steps: Array.from({ length: 29 }, (_, i) => i), hidden: 0 },
		{ step: 28, max: 5, steps: [24, 25, 26, 27, 28], hidden: 24 }
	])('rows at step $step (at most $max): steps $steps, $hidden left out', ({ step, max, steps, hidden }) => {
		const { rows, hidden: left } = perceptronRows(or, seqOf(or, step, 'W[1]'), max);
		expect(rows.map((r) => r.step)).toEqual(steps);
		expect(left).toBe(hidden);
	});

	it('reads the four distinct points of the OR data', () => {
		const points = dataPoints(or)
			.map((p) => [p.x1, p.x2, p.y, p.samples.length])
			.sort();
		expect(points).toEqual([
			[0, 0, 0, 7],
			[0, 1, 1, 7],
			[1, 0, 1, 7],
			[1, 1, 1, 7]
		]);
	});
});

describe('separatingLine w1·x1 + w2·x2 + b = θ in a box', () => {
	const box = { x0: -0.5, x1: 1.5, y0: -0.5, y1: 1.5 };

	it.each([
		// 0.6·x1 + 0.6·x2 = 0.5 crosses the bottom edge at x1 = 4/3 and the left edge at x2 = 4/3
		{ w: [0.6, 0.6], b: 0, theta: 0.5, segment: [[4 / 3, -0.5], [-0.5, 4 / 3]], corners: 4 },
		// x1 = 0.5, vertical
		{ w: [1, 0], b: 0, theta: 0.5, segment: [[0.5, -0.5], [0.5, 1.5]], corners: 4 },
		// with a bias: x2 = 0.5 + 0.25, horizontal
		{ w: [0, 2], b: -0.5, theta: 1, segment: [[1.5, 0.75], [-0.5, 0.75]], corners: 4 }
	])('w $w, b $b, θ $theta', ({ w, b, theta, segment, corners }) => {
		const { segment: s, fires } = separatingLine(w[0], w[1], b, theta, box);
		expect(s).not.toBeNull();
		s?.forEach((p, i) => {
			expect(p[0]).toBeCloseTo(segment[i][0], 9);
			expect(p[1]).toBeCloseTo(segment[i][1], 9);
		});
		expect(fires.length).toBeGreaterThanOrEqual(3);
		expect(fires.length).toBeLessThanOrEqual(corners + 1);
		// every corner of the firing polygon is on the firing side
		fires.forEach(([x, y]) => expect(w[0] * x + w[1] * y + b - theta).toBeGreaterThanOrEqual(-1e-12));
	});

	it.each([
		{ w: [0, 0], b: 1, theta: 0.5, fires: 4 },
		{ w: [0, 0], b: 0, theta: 0.5, fires: 0 },
		{ w: [1, 1], b: 0, theta: 10, fires: 0 }
	])('no line for w $w, b $b, θ $theta: the whole box fires or none of it', ({ w, b, theta, fires }) => {
		const result = separatingLine(w[0], w[1], b, theta, box);
		expect(result.segment).toBeNull();
		expect(result.fires.length).toBe(fires);
	});
});
