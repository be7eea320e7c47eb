/**
 * The lessons written for the course items that had no lesson (docs/courses.md): the numbers, shapes and
 * parameter counts their texts quote, and what each asks the reader to watch, from the engine's runs.
 */
import { describe, expect, it } from 'vitest';
import { findEvent, outputShape, paramCount, run, summarize, toNested, type NestedNumbers, type Trace } from '../../../src/lib/engine';
import { getLesson, type Lesson } from '../../../src/lib/lessons';
import { expectClose, values } from '../../helpers';

function lesson(id: string): Lesson {
	const found = getLesson(id);
	if (!found) throw new Error(`no lesson ${id}`);
	return found;
}

const traces = new Map<string, Trace>();
function traceOf(id: string): Trace {
	const trace = traces.get(id) ?? run(lesson(id).scenario);
	traces.set(id, trace);
	return trace;
}

function value(trace: Trace, step: number, name: string): NestedNumbers {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return toNested(event.value.shape, event.value.data);
}

/** The lesson's scenario with some top-level keys replaced. */
function variant(id: string, changes: Record<string, unknown>): Record<string, unknown> {
	return { ...(lesson(id).scenario as Record<string, unknown>), ...changes };
}

/** A forward-only scenario: the lesson's model with the weights its trace ends with. */
function modelOnly(scenario: unknown, trace: Trace): Record<string, unknown> {
	const model = (scenario as { model: { input: unknown; layers: Record<string, unknown>[] } }).model;
	const layers = model.layers.map(({ init: _init, ...layer }, i) => ({ ...layer, W: value(trace, trace.steps, `W[${i + 1}]`), b: value(trace, trace.steps, `b[${i + 1}]`) }));
	return { model: { ...model, layers } };
}

/** [lesson, step, quantity, expected value, absolute tolerance] */
type Expectation = [string, number, string, NestedNumbers, number];

const PUBLISHED: Expectation[] = [
	// 000, XOR rows 26-32 (the readable ones): 0,6 -> 0,5, 0,5, -> 0,4, -> 0,3, 0,3, -> 0,2, -> 0,3
	...[0.5, 0.5, 0.4, 0.3, 0.3, 0.2, 0.3].map((w, i): Expectation => ['perceptron-xor-late-rows', i + 1, 'W[1]', [[w, w]], 1e-9]),
	['perceptron-xor-late-rows', 1, 'Z[1]', [[1.2]], 1e-9],
	['perceptron-xor-late-rows', 7, 'Z[1]', [[0.2]], 1e-9],
	// 000's two remedies for XOR: both weights above 0,5 at step 25, then (1, 1) at 1,07; epochs 3 and 4 end alike
	['perceptron-xor-suggestions', 10, 'W[1]', [[0.45, 0.52]], 1e-9],
	['perceptron-xor-suggestions', 25, 'W[1]', [[0.55, 0.52]], 1e-9],
	['perceptron-xor-suggestions', 28, 'Z[1]', [[1.07]], 1e-9],
	['perceptron-xor-suggestions', 28, 'W[1]', [[0.45, 0.42]], 1e-9],
	...[32, 48, 64].map((step): Expectation => ['perceptron-xor-suggestions', step, 'W[1]', [[0.35, 0.52]], 1e-9]),
	// 004's 1-D convolutional network: y = g(z), and the shared weights' gradient summed over positions 1, 3 and 4
	['conv-1d-network', 1, 'Z[1]', [[[[1, -3, 1, 2, -5]]]], 0],
	['conv-1d-network', 1, 'A[1]', [[[[1, 0, 1, 2, 0]]]], 0],
	['conv-1d-network', 1, 'loss', 2, 1e-12],
	['conv-1d-network', 1, 'dW[1]', [[[[0 + 3 + 2, 1 + 2 + 2, 3 + 2 + 4]]]], 1e-12],
	['conv-1d-network', 1, 'W[1]', [[[[0.5, -2.5, 0.1]]]], 1e-12],
	['conv-1d-network', 1, 'b[1]', [0], 0],
	// 002's four patients, one at a time: patient 1 moves nothing, patients 2 and 3 take 0,1·x off the weights
	['neuron-blood-count-table', 1, 'Z[1]', [[19.1]], 1e-12],
	['neuron-blood-count-table', 1, 'W[1]', [[2, 3, -4]], 1e-7],
	['neuron-blood-count-table', 2, 'Z[1]', [[20]], 1e-7],
	['neuron-blood-count-table', 2, 'loss', 20, 1e-7],
	['neuron-blood-count-table', 2, 'W[1]', [[2 - 0.42, 3 - 0.62, -4 - 0.2]], 1e-7],
	['neuron-blood-count-table', 2, 'b[1]', [0.9], 1e-7],
	['neuron-blood-count-table', 3, 'Z[1]', [[0.9 + 1.58 * 4.6 + 2.38 * 7.5 - 4.2 * 2]], 1e-6],
	['neuron-blood-count-table', 3, 'W[1]', [[1.58 - 0.46, 2.38 - 0.75, -4.2 - 0.2]], 1e-6],
	['neuron-blood-count-table', 4, 'Z[1]', [[0.8 + 1.12 * 1.9 + 1.63 * 4.4 - 4.4 * 2]], 1e-6],
	['neuron-blood-count-table', 4, 'A[1]', [[0.7858]], 5e-5],
	...[0.808, 0.267, 0.195, 0.503].map((a, i): Expectation => ['neuron-blood-count-table', 197 + i, 'A[1]', [[a]], 5e-4]),
	// 001's regression head learning y = x²: the MSE it quotes, and the MAE metric after the last step
	['mlp-regression-001', 1, 'loss', 17.3, 0.05],
	['mlp-regression-001', 50, 'loss', 0.44, 0.005],
	['mlp-regression-001', 100, 'loss', 0.069, 5e-4],
	['mlp-regression-001', 500, 'loss', 0.02, 5e-4],
	['mlp-regression-001', 500, 'mae', 0.132, 5e-4],
	// 003's θ notation: the explanation's pre-activations and outputs of the 2-hidden-layer network
	['mlp-theta-notation-003', 1, 'Z[1]', [[-0.5, 1.5, 0.5]], 1e-12],
	['mlp-theta-notation-003', 1, 'A[1]', [[0, 1.5, 0.5]], 1e-12],
	['mlp-theta-notation-003', 1, 'Z[2]', [[0.25, 1.5]], 1e-12],
	['mlp-theta-notation-003', 1, 'Z[3]', [[-0.5]], 1e-12],
	['mlp-theta-notation-003', 1, 'A[3]', [[0.3775]], 5e-5],
	// 002's threshold neuron on AND: one correction, then z = θ = 1 exactly at step 8, which ≥ counts as 1
	['threshold-neuron-002', 4, 'W[1]', [[0.5, 0.5]], 0],
	['threshold-neuron-002', 8, 'Z[1]', [[1]], 0],
	['threshold-neuron-002', 8, 'A[1]', [[1]], 0],
	['threshold-neuron-002', 12, 'W[1]', [[0.5, 0.5]], 0],
	// 001's Keras model on the lesson's example: the explanation's ŷ and C = (ŷ − y)²
	['mlp-keras-001', 1, 'A[3]', [[0.1076]], 5e-5],
	['mlp-keras-001', 1, 'loss', 0.7963, 5e-5],
	// 004's 10 × 10 diagonal, filtered by the 3 × 3 diagonal, then by a 2 × 4 block of ones
	['conv-output-size', 1, 'A[1]', [[[0, 1, 2, 3, 4, 5, 6, 7].map((i) => [0, 1, 2, 3, 4, 5, 6, 7].map((j) => (i === j ? 3 : 0)))]], 0],
	[
		'conv-output-size',
		1,
		'A[2]',
		[[[0, 1, 2, 3, 4, 5, 6].map((i) => [0, 1, 2, 3, 4].map((j) => 3 * Number(j <= i && i <= j + 3) + 3 * Number(j <= i + 1 && i + 1 <= j + 3)))]],
		0
	]
];

/** [lesson, output shape of each layer (per sample), parameters in all]: the shapes and counts the texts give. */
const ARCHITECTURES: [string, number[][], number][] = [
	['mlp-keras-001', [[128], [64], [1]], 2688 + 8256 + 65],
	['mlp-params-24x24', [[576], [288], [144], [1]], 207937],
	['mlp-deep-dimensions', [[4], [3], [2], [1]], 38],
	['cnn-regression-9x9x3', [[8, 7, 7], [16, 3, 3], [144], [16], [4], [1]], 224 + 1168 + 2320 + 68 + 5],
	['conv-output-size', [[1, 8, 8], [1, 7, 5]], 10 + 9],
	['autoencoder-4-2-4', [[2], [4]], 4 * 2 + 2 + (2 * 4 + 4)],
	['mlp-binary-classification-001', [[16], [4], [1]], 121],
	['mlp-regression-001', [[16], [4], [1]], 105],
	['mlp-diabetes-002', [[20], [20], [1]], 180 + 420 + 21],
	['mlp-shuffled-pixels-004', [[3], [1]], 9 * 3 + 3 + (3 + 1)]
];

describe('the numbers, shapes and counts the texts of the gap lessons quote', () => {
	it.each(PUBLISHED.map((row) => [`${row[0]} step ${row[1]} ${row[2]}`, row] as const))('%s', (_label, [id, step, name, expected, tolerance]) => {
		expectClose(value(traceOf(id), step, name), expected, tolerance, `${id} ${name}`);
	});

	it.each(ARCHITECTURES)('%s: the output shapes and the parameter count of its text', (id, shapes, params) => {
		const model = (lesson(id).scenario as { model: unknown }).model;
		expect(shapes.map((_shape, i) => outputShape(model, i + 1))).toEqual(shapes);
		expect(paramCount(model)).toBe(params);
		expect(params).toBe(summarize(lesson(id).scenario).params);
	});

	it('mlp-keras-001: about half the ReLUs are zero, 58 of 128 and 31 of 64, as the text says', () => {
		const zeros = (name: string) => values(traceOf('mlp-keras-001'), 1, name).filter((v) => v === 0).length;
		expect([zeros('A[1]'), zeros('A[2]')]).toEqual([58, 31]);
	});

	it('mlp-deep-dimensions: every activation holds the ten students, whatever the layer', () => {
		const trace = traceOf('mlp-deep-dimensions');
		for (const [layer, units] of [[0, 2], [1, 4], [2, 3], [3, 2], [4, 1]]) {
			expect(findEvent(trace, 1, `A[${layer}]`)?.value.shape).toEqual([10, units]);
		}
	});
});

describe('what each gap lesson asks the reader to watch', () => {
	it('perceptron-xor-suggestions: epochs 3 and 4 go through the same weights, a cycle', () => {
		const trace = traceOf('perceptron-xor-suggestions');
		for (let step = 33; step <= 48; step++) expect(value(trace, step + 16, 'W[1]')).toEqual(value(trace, step, 'W[1]'));
	});

	it('neuron-blood-count-table: the 50th pass is the first with all four alerts on the right side of 0.5', () => {
		const trace = traceOf('neuron-blood-count-table');
		const right = (epoch: number) =>
			[1, 0, 0, 1].every((y, i) => values(trace, 4 * (epoch - 1) + i + 1, 'A[1]')[0] > 0.5 === (y === 1));
		expect(Array.from({ length: 50 }, (_, k) => right(k + 1)).indexOf(true)).toBe(49);
	});

	it('autoencoder-4-2-4: the target is the input, and the bottleneck learns a 2-bit code that rebuilds it', () => {
		const l = lesson('autoencoder-4-2-4');
		const { data } = l.scenario as { data: { X: number[][]; Y: number[][] } };
		expect(data.Y).toEqual(data.X);
		const trace = traceOf('autoencoder-4-2-4');
		expect(values(trace, 1, 'loss')[0]).toBeCloseTo(0.717, 3);
		expect(values(trace, 300, 'loss')[0]).toBeCloseTo(0.0145, 4);
		const codes = value(trace, 300, 'A[1]') as number[][];
		expectClose(codes.map((code) => code.map(Math.round)), [[1, 0], [0, 1], [1, 1], [0, 0]], 0, 'the codes');
		for (const v of codes.flat()) expect(Math.min(v, 1 - v)).toBeLessThan(0.02);
		const rebuilt = value(trace, 300, 'A[2]') as number[][];
		rebuilt.forEach((row, i) => row.forEach((v, j) => expect(i === j ? v > 0.95 : v < 0.04).toBe(true)));
	});

	it('mlp-binary-classification-001: 11 of 14 trees right at first, all 14 from step 77, and the same ReLUs dead throughout', () => {
		const trace = traceOf('mlp-binary-classification-001');
		const accuracy = (step: number) => values(trace, step, 'accuracy')[0];
		expect(accuracy(1)).toBeCloseTo(11 / 14, 12);
		expect(accuracy(76)).toBeLessThan(1);
		for (const step of [77, 100, 200, 300]) expect(accuracy(step)).toBe(1);
		expect(values(trace, 1, 'loss')[0]).toBeCloseTo(0.483, 3);
		expect(values(trace, 300, 'loss')[0]).toBeCloseTo(0.0009, 4);
		const dead = (step: number, name: string) => {
			const a = value(trace, step, name) as number[][];
			return a[0].map((_, j) => a.every((row) => row[j] === 0));
		};
		for (const name of ['A[1]', 'A[2]']) expect(dead(300, name)).toEqual(dead(1, name));
		expect([dead(1, 'A[1]').filter(Boolean).length, dead(1, 'A[2]').filter(Boolean).length]).toEqual([4, 1]);
	});

	it('mlp-binary-classification-001: no straight line separates its sick trees, as the text says', () => {
		// whatever the direction w, some healthy tree projects at least as far as some sick one
		const { data } = lesson('mlp-binary-classification-001').scenario as { data: { X: number[][]; Y: number[][] } };
		for (let k = 0; k < 3600; k++) {
			const w = [Math.cos((k * Math.PI) / 1800), Math.sin((k * Math.PI) / 1800)];
			const projections = (y: number) => data.X.filter((_, i) => data.Y[i][0] === y).map((x) => w[0] * x[0] + w[1] * x[1]);
			expect(Math.max(...projections(0))).toBeGreaterThanOrEqual(Math.min(...projections(1)));
		}
	});

	it('mlp-regression-001: the MAE metric is the mean |ŷ − y| with the weights the last step leaves', () => {
		const l = lesson('mlp-regression-001');
		const trace = traceOf('mlp-regression-001');
		const { data } = l.scenario as { data: { X: number[][]; Y: number[][] } };
		const after = run({ ...modelOnly(l.scenario, trace), data: { X: data.X } });
		const yHat = (value(after, 1, 'A[3]') as number[][]).map((row) => row[0]);
		expectClose(values(trace, 500, 'mae')[0], yHat.reduce((sum, y, i) => sum + Math.abs(y - data.Y[i][0]), 0) / yHat.length, 1e-12, 'mae');
	});

	it('mlp-diabetes-002: its rows are the course’s five rows scaled column by column; raw, they saturate the sigmoid', () => {
		// the five rows the course prints (PatientID left out)
		const raw = [
			[0, 171, 80, 34, 23, 43.509726, 1.213191, 21],
			[8, 92, 93, 47, 36, 21.240576, 0.158365, 23],
			[7, 115, 47, 52, 35, 41.511523, 0.079019, 23],
			[9, 103, 78, 25, 304, 29.582192, 1.28287, 43],
			[1, 85, 59, 27, 35, 42.604536, 0.549542, 22]
		];
		const scaled = raw.map((row) =>
			row.map((x, j) => {
				const column = raw.map((r) => r[j]);
				const mean = column.reduce((a, b) => a + b, 0) / column.length;
				const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
				return (x - mean) / sd;
			})
		);
		const { data } = lesson('mlp-diabetes-002').scenario as { data: { X: number[][] } };
		expectClose(data.X, scaled, 0.005 + 1e-12, 'scaled rows');
		const predictions = values(traceOf('mlp-diabetes-002'), 1, 'A[3]');
		expect(Math.min(...predictions)).toBeCloseTo(0.07, 2);
		expect(Math.max(...predictions)).toBeCloseTo(0.29, 2);
		const rawTrace = run(variant('mlp-diabetes-002', { data: { X: raw } }));
		expect(Math.min(...values(rawTrace, 1, 'Z[3]'))).toBeCloseTo(-195, 0);
		expect(Math.min(...values(rawTrace, 1, 'A[3]'))).toBeLessThan(1e-84);
	});

	it('playground-tanh-003: the loss per epoch the text quotes, and all 16 points right from epoch 113 on', () => {
		const trace = traceOf('playground-tanh-003');
		const atEpochEnd = (epoch: number, name: string) => values(trace, 16 * epoch, name)[0];
		expect(atEpochEnd(1, 'epoch_loss')).toBeCloseTo(0.702, 3);
		expect(atEpochEnd(1, 'accuracy')).toBe(0.5);
		expect(atEpochEnd(100, 'epoch_loss')).toBeCloseTo(0.401, 3);
		expect(atEpochEnd(200, 'epoch_loss')).toBeCloseTo(0.09, 3);
		const perfect = Array.from({ length: 200 }, (_, k) => atEpochEnd(k + 1, 'accuracy') === 1);
		expect(perfect.indexOf(true)).toBe(112);
		expect(perfect.slice(112).every(Boolean)).toBe(true);
	});

	it('mlp-theta-notation-003: θ = [W | b] applied to x with a 1 appended gives W x + b at every layer', () => {
		const l = lesson('mlp-theta-notation-003');
		const trace = traceOf('mlp-theta-notation-003');
		const { model } = l.scenario as { model: { layers: { W: number[][]; b: number[] }[] } };
		let h = [1, 2];
		model.layers.forEach(({ W, b }, i) => {
			const theta = W.map((row, j) => [...row, b[j]]);
			const hHat = [...h, 1];
			const pre = theta.map((row) => row.reduce((sum, t, k) => sum + t * hHat[k], 0));
			expectClose(value(trace, 1, `Z[${i + 1}]`), [pre], 1e-12, `θ(${i + 1}) ĥ`);
			h = (value(trace, 1, `A[${i + 1}]`) as number[][])[0];
		});
		expect(model.layers.reduce((sum, { W }) => sum + W.length * (W[0].length + 1), 0)).toBe(20);
	});

	it('threshold-neuron-002: with a strict threshold the same step 8 gives 0 and one more correction, to 0.75', () => {
		const scenario = lesson('threshold-neuron-002').scenario as { perceptron: Record<string, unknown> };
		const strict = run(variant('threshold-neuron-002', { perceptron: { ...scenario.perceptron, strict: true } }));
		expect(value(strict, 8, 'A[1]')).toEqual([[0]]);
		expect(value(strict, 8, 'W[1]')).toEqual([[0.75, 0.75]]);
	});

	describe('mlp-shuffled-pixels-004', () => {
		// π of the text, 1-based: input i is pixel π_i of the 3 × 3 image read row by row
		const pi = [5, 9, 1, 7, 3, 8, 2, 6, 4].map((p) => p - 1);
		const bars = [0, 1, 2].flatMap((k) => [
			{ pixels: Array.from({ length: 9 }, (_, p) => Number(p % 3 === k)), y: 1 },
			{ pixels: Array.from({ length: 9 }, (_, p) => Number(Math.floor(p / 3) === k)), y: 0 }
		]);

		it('its inputs are the vertical and horizontal bars with their pixels in the order π', () => {
			const { data } = lesson('mlp-shuffled-pixels-004').scenario as { data: { X: number[][]; Y: number[][] } };
			const expected = bars.map((bar) => ({ x: pi.map((p) => bar.pixels[p]), y: bar.y }));
			const given = data.X.map((x, i) => ({ x, y: data.Y[i][0] }));
			expect(given.map((g) => JSON.stringify(g)).sort()).toEqual(expected.map((e) => JSON.stringify(e)).sort());
		});

		it('learns: all six right from step 12 on, the loss from 0.696 to 0.0079', () => {
			const trace = traceOf('mlp-shuffled-pixels-004');
			const accuracy = Array.from({ length: 200 }, (_, k) => values(trace, k + 1, 'accuracy')[0]);
			expect(accuracy.indexOf(1)).toBe(11);
			expect(accuracy.slice(11).every((a) => a === 1)).toBe(true);
			expect(values(trace, 1, 'loss')[0]).toBeCloseTo(0.696, 3);
			expect(values(trace, 200, 'loss')[0]).toBeCloseTo(0.0079, 4);
		});

		it('on the images in their natural order, with the columns of W[1] put back, computes the same numbers at every step', () => {
			const l = lesson('mlp-shuffled-pixels-004');
			const trace = traceOf('mlp-shuffled-pixels-004');
			const { data } = l.scenario as { data: { X: number[][]; Y: number[][] } };
			const natural = data.X.map((x) => {
				const image = new Array<number>(9);
				pi.forEach((p, i) => (image[p] = x[i]));
				return image;
			});
			const W1 = value(trace, 0, 'W[1]') as number[][];
			const W1natural = W1.map((row) => {
				const out = new Array<number>(9);
				pi.forEach((p, i) => (out[p] = row[i]));
				return out;
			});
			const model = (l.scenario as { model: { input: number; layers: Record<string, unknown>[] } }).model;
			const inOrder = run(
				variant('mlp-shuffled-pixels-004', {
					model: {
						input: 9,
						layers: model.layers.map(({ init: _init, ...layer }, i) =>
							i === 0 ? { ...layer, W: W1natural, b: [0, 0, 0] } : { ...layer, W: value(trace, 0, 'W[2]'), b: [0] }
						)
					},
					data: { X: natural, Y: data.Y }
				})
			);
			for (const step of [1, 12, 100, 200]) expect(values(inOrder, step, 'loss')[0]).toBeCloseTo(values(trace, step, 'loss')[0], 12);
			expectClose(value(inOrder, 200, 'A[2]'), value(trace, 200, 'A[2]'), 1e-12, 'predictions');
		});
	});
});
