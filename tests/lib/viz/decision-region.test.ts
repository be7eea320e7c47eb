import { describe, expect, it } from 'vitest';
import { batchRowsOf, findEvent, run, type Trace } from '../../../src/lib/engine';
import {
	CLASS_COLOURS,
	GRID_SIZE,
	RegionCache,
	gridSizeFor,
	boundaryContours,
	boundaryPath,
	cellPosition,
	decisionOf,
	parametersAt,
	regionBounds,
	regionGrid,
	regionOutput,
	regionPixels,
	regionPoints,
	type RegionOutput
} from '../../../src/lib/viz/decision-region';
import { XOR, xorNetworkRun } from './xor-network';

/** A 2-2-1 sigmoid network learning XOR in shuffled mini-batches of 2. */
const xor = xorNetworkRun(3);

function dense(units: number, activation: string, extra: Record<string, unknown> = {}) {
	return { type: 'dense', units, activation, init: { weights: 'xavier', seed: units }, ...extra };
}

/** A one-step run of `layers` on 2-feature data with `Y` targets (no loss: forward only). */
function network(layers: unknown[], input: number | number[] = 2, Y: number[][] | null = [[0], [1]], loss = 'mse'): Trace {
	const X = typeof input === 'number' ? [Array(input).fill(0.5), Array(input).fill(-0.5)] : [[[[1, 0], [0, 1]]], [[[0, 1], [1, 0]]]];
	return run({ model: { input, layers }, ...(Y ? { loss, optimizer: { type: 'sgd', lr: 0.1 }, data: { X, Y } } : { data: { X } }), training: { epochs: 1 } });
}

function output(trace: Trace): RegionOutput {
	const found = regionOutput(trace.setup);
	if (!found) throw new Error('not eligible');
	return found;
}

describe('which traces get a decision region', () => {
	it.each([
		{ case: '2-2-1 sigmoid', trace: xor, expected: { kind: 'binary', activation: 'sigmoid', threshold: 0.5 } },
		{ case: '2-3-1 tanh', trace: network([dense(3, 'relu'), dense(1, 'tanh')], 2, [[-1], [1]]), expected: { kind: 'binary', activation: 'tanh', threshold: 0 } },
		{ case: '2-1 identity, forward only', trace: network([dense(1, 'identity')], 2, null), expected: { kind: 'binary', activation: 'identity', threshold: 0 } },
		{ case: '2-1 step', trace: network([dense(1, 'step')]), expected: { kind: 'binary', activation: 'step', threshold: 0.5 } },
		{
			case: '2-4-3 softmax',
			trace: network([dense(4, 'tanh'), dense(3, 'softmax')], 2, [[1, 0, 0], [0, 0, 1]], 'categorical_cross_entropy'),
			expected: { kind: 'classes', classes: 3 }
		},
		{
			case: '2-4 softmax',
			trace: network([dense(4, 'softmax')], 2, [[1, 0, 0, 0], [0, 0, 0, 1]], 'categorical_cross_entropy'),
			expected: { kind: 'classes', classes: 4 }
		}
	])('$case: $expected.kind', ({ trace, expected }) => {
		expect(regionOutput(trace.setup)).toEqual(expected);
	});

	it.each([
		{ case: 'a perceptron (it has its separating line)', trace: run({ perceptron: { w: [0.1, 0.1], b: null, threshold: 0.5, strict: true, rule: 'sign', lr: 0.1 }, data: XOR, training: { epochs: 1 } }) },
		{ case: 'three inputs', trace: network([dense(1, 'sigmoid')], 3) },
		{ case: 'one input', trace: network([dense(1, 'sigmoid')], 1) },
		{ case: 'a ReLU output', trace: network([dense(3, 'sigmoid'), dense(1, 'relu')]) },
		{ case: 'a softplus output', trace: network([dense(1, 'softplus')]) },
		{ case: 'three sigmoid outputs', trace: network([dense(3, 'sigmoid')], 2, [[1, 0, 0], [0, 1, 0]]) },
		{ case: 'a softmax over 5 classes', trace: network([dense(5, 'softmax')], 2, [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0]], 'categorical_cross_entropy') },
		{ case: 'a softmax over 1 unit', trace: network([dense(1, 'softmax')], 2, [[1], [1]], 'categorical_cross_entropy') },
		{
			case: 'an image input',
			trace: network([{ type: 'conv2d', filters: 1, kernel: 2, activation: 'identity', init: { weights: 'uniform', seed: 1 } }, { type: 'flatten' }, dense(1, 'sigmoid')], [1, 2, 2])
		}
	])('not for $case', ({ trace }) => {
		expect(regionOutput(trace.setup)).toBeNull();
	});
});

describe('the data points, read from the first epoch', () => {
	it('finds every XOR sample with its target, whatever the shuffle', () => {
		const points = regionPoints(xor, output(xor));
		const byPosition = points.map((p) => [p.x1, p.x2, p.label, p.samples]).sort();
		expect(byPosition).toEqual([
			[0, 0, 0, [0]],
			[0, 1, 1, [1]],
			[1, 0, 1, [2]],
			[1, 1, 0, [3]]
		]);
	});

	it('labels softmax targets by their arg max, and leaves forward-only points unlabelled', () => {
		const soft = network([dense(3, 'softmax')], 2, [[0, 0, 1], [0, 1, 0]], 'categorical_cross_entropy');
		expect(regionPoints(soft, output(soft)).map((p) => p.label)).toEqual([2, 1]);
		const forward = network([dense(1, 'identity')], 2, null);
		expect(regionPoints(forward, output(forward)).map((p) => [p.x1, p.x2, p.label])).toEqual([
			[0.5, 0.5, null],
			[-0.5, -0.5, null]
		]);
	});

	it('frames them with a margin', () => {
		expect(regionBounds(regionPoints(xor, output(xor)))).toEqual({ x0: -0.25, x1: 1.25, y0: -0.25, y1: 1.25 });
		expect(regionBounds([{ x1: 2, x2: 3, label: 1, samples: [0] }])).toEqual({ x0: 1, x1: 3, y0: 2, y1: 4 });
	});
});

describe('the grid is the engine’s output for the parameters in force', () => {
	it('uses W[l], b[l] of the step before, and the initial ones at step 0', () => {
		expect(parametersAt(xor, 0)?.[1].b.data[0]).toBe(-4);
		expect(parametersAt(xor, 1)?.[1].b.data[0]).toBe(-4);
		expect(parametersAt(xor, 8)?.[0].W.data).toEqual(findEvent(xor, 7, 'W[1]')?.value.data);
	});

	it.each([1, 5, 17, 40])('cells on the samples equal the A[2] that step %i recorded', (step) => {
		// with these bounds and 41 cells the centres fall every 0.05, on 0 and 1
		const bounds = { x0: -0.5, x1: 1.5, y0: -0.5, y1: 1.5 };
		const grid = regionGrid(xor, step, bounds, [], 41);
		const A0 = findEvent(xor, step, 'A[0]');
		const A2 = findEvent(xor, step, 'A[2]');
		if (!grid || !A0 || !A2) throw new Error('missing');
		batchRowsOf(xor, step).forEach((_, i) => {
			const [x1, x2] = [A0.value.data[2 * i], A0.value.data[2 * i + 1]];
			const column = Math.round((x1 + 0.5) / 0.05);
			const row = Math.round((1.5 - x2) / 0.05);
			expect(cellPosition(bounds, 41, row, column).map((v) => v + 0)).toEqual([expect.closeTo(x1, 12), expect.closeTo(x2, 12)]);
			expect(grid.values[row * 41 + column]).toBeCloseTo(A2.value.data[i], 12);
		});
	});

	it('evaluates the data points with the same forward pass', () => {
		const points = regionPoints(xor, output(xor));
		const step = 12;
		const grid = regionGrid(xor, step, regionBounds(points), points);
		const A2 = findEvent(xor, step, 'A[2]');
		if (!grid || !A2) throw new Error('missing');
		batchRowsOf(xor, step).forEach((sample, i) => {
			const at = points.findIndex((p) => p.samples.includes(sample));
			expect(grid.atPoints[at]).toBe(A2.value.data[i]);
		});
	});
});

describe('the picture of a step', () => {
	const trained = run({
		model: { input: 2, layers: [dense(4, 'tanh'), dense(1, 'sigmoid')] },
		loss: 'binary_cross_entropy',
		optimizer: { type: 'sgd', lr: 1 },
		data: XOR,
		training: { epochs: 400, batch_size: 4 }
	});
	const cache = new RegionCache(trained, output(trained));

	it('draws a boundary once both classes are on the grid, and classifies the XOR points', () => {
		const view = cache.at(trained.steps);
		if (!view) throw new Error('no view');
		expect(view.correct).toBe(4);
		const labels = new Set(Array.from({ length: GRID_SIZE * GRID_SIZE }, (_, c) => decisionOf(view.grid.values, c, output(trained)).label));
		expect(labels).toEqual(new Set([0, 1]));
		expect(boundaryPath(view.contours, GRID_SIZE, (x, y) => [x, y])).toMatch(/^M[\d.]+,[\d.]+L/);
	});

	it('draws no boundary when the whole plane is one class', () => {
		const flat = network([dense(2, 'sigmoid'), { type: 'dense', units: 1, activation: 'sigmoid', W: [[0, 0]], b: [3] }]);
		const grid = regionGrid(flat, 0, { x0: 0, x1: 1, y0: 0, y1: 1 }, [], 16);
		if (!grid) throw new Error('no grid');
		// d3-contour still closes a ring around the rim: that is not a frontier
		expect(boundaryContours(grid, output(flat))[0].coordinates.length).toBe(1);
		expect(boundaryPath(boundaryContours(grid, output(flat)), 16, (x, y) => [x, y])).toBe('');
	});

	it('places the boundary between the cells where the output crosses the threshold', () => {
		// ŷ = σ(10·x₁): the frontier x₁ = 0 lies half-way between columns 4 and 5 (centres 4.5 and 5.5), at grid x = 5
		const line = network([{ type: 'dense', units: 1, activation: 'sigmoid', W: [[10, 0]], b: [0] }]);
		const grid = regionGrid(line, 0, { x0: -1, x1: 1, y0: -1, y1: 1 }, [], 10);
		if (!grid) throw new Error('no grid');
		const xs = boundaryPath(boundaryContours(grid, output(line)), 10, (x, y) => [x, y])
			.split(/[ML]/)
			.filter(Boolean)
			.map((p) => Number(p.split(',')[0]));
		expect(xs.length).toBeGreaterThan(2);
		xs.forEach((x) => expect(x).toBeCloseTo(5, 1));
	});

	it('colours a softmax by arg max, paler where it hesitates', () => {
		const soft = network([dense(3, 'softmax')], 2, [[1, 0, 0], [0, 0, 1]], 'categorical_cross_entropy');
		const out = output(soft);
		const grid = regionGrid(soft, 0, { x0: -3, x1: 3, y0: -3, y1: 3 }, [], 24);
		if (!grid) throw new Error('no grid');
		const pixels = regionPixels(grid, out);
		const cells = Array.from({ length: 24 * 24 }, (_, c) => ({ c, ...decisionOf(grid.values, c * 3, out) }));
		expect(new Set(cells.map((c) => c.label)).size).toBeGreaterThan(1);
		expect(boundaryPath(boundaryContours(grid, out), 24, (x, y) => [x, y])).not.toBe('');
		const sure = cells.reduce((a, b) => (b.confidence > a.confidence ? b : a));
		const lightness = (c: number) => pixels[4 * c] + pixels[4 * c + 1] + pixels[4 * c + 2];
		const unsure = cells.filter((c) => c.label === sure.label).reduce((a, b) => (b.confidence < a.confidence ? b : a));
		expect(lightness(sure.c)).toBeLessThan(lightness(unsure.c));
		expect(CLASS_COLOURS.length).toBe(4);
	});

	it('runs 48 × 48 cells for small networks, fewer for a big one', () => {
		const plans = (sizes: number[]) => network(sizes.slice(1).map((u, i) => dense(u, i === sizes.length - 2 ? 'sigmoid' : 'tanh'))).setup.layers;
		expect(gridSizeFor(plans([2, 16, 16, 1]))).toBe(48);
		expect(gridSizeFor(plans([2, 64, 64, 1]))).toBe(16);
		expect(gridSizeFor(plans([2, 32, 32, 1]))).toBe(26);
	});

	it('computes a step once and keeps it', () => {
		const first = cache.at(10);
		expect(cache.at(11)).not.toBe(first);
		expect(cache.at(10)).toBe(first);
	});

	it('recomputes a step of a 2-16-16-1 network well within a frame', () => {
		const big = run({
			model: { input: 2, layers: [dense(16, 'tanh'), dense(16, 'tanh'), dense(1, 'sigmoid')] },
			loss: 'binary_cross_entropy',
			optimizer: { type: 'sgd', lr: 0.5 },
			data: XOR,
			training: { epochs: 3, batch_size: 2 }
		});
		const bigCache = new RegionCache(big, output(big));
		bigCache.at(1);
		for (let step = 2; step <= 6; step++) expect(bigCache.at(step)).toBeTruthy();
	});
});
