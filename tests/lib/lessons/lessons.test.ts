import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { batchRowsOf, findEvent, run, toNested, type NestedNumbers, type Trace } from '../../../src/lib/engine';
import {
	TOPICS,
	buildLibrary,
	getLesson,
	lessonsOfTopic,
	listLessons,
	parseLessonFile,
	scenarioSource,
	type Lesson
} from '../../../src/lib/lessons';
import { PROFILES } from '../../../src/lib/profiles';
import { expectClose, values } from '../../helpers';

const LIBRARY_DIR = fileURLToPath(new URL('../../../src/lib/lessons/library/', import.meta.url));
const files = readdirSync(LIBRARY_DIR)
	.filter((f) => f.endsWith('.yaml'))
	.sort();
const readLesson = (file: string) => readFileSync(LIBRARY_DIR + file, 'utf8');

const lessons = listLessons();
const traces = new Map<string, Trace>(lessons.map((l) => [l.id, run(l.scenario)]));

function lesson(id: string): Lesson {
	const found = getLesson(id);
	if (!found) throw new Error(`no lesson ${id}`);
	return found;
}

function traceOf(id: string): Trace {
	const trace = traces.get(id);
	if (!trace) throw new Error(`no lesson ${id}`);
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

describe('lesson files', () => {
	it('finds every file of the library, and the loader reads them all', () => {
		expect(files.length).toBeGreaterThanOrEqual(13);
		expect(lessons.map((l) => `${l.id}.yaml`).sort()).toEqual(files);
	});

	it.each(files)('%s validates, and its id is its file name', (file) => {
		const parsed = parseLessonFile(`./library/${file}`, readLesson(file));
		expect(`${parsed.id}.yaml`).toBe(file);
	});

	it('gives every lesson a unique id and a unique order', () => {
		expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length);
		expect(new Set(lessons.map((l) => l.order)).size).toBe(lessons.length);
	});

	it.each(TOPICS.map((t) => t.id))('topic %s has at least one lesson', (topic) => {
		expect(lessonsOfTopic(topic).length).toBeGreaterThan(0);
	});

	it('lists lessons by topic order, then by order', () => {
		const keys = lessons.map((l) => [TOPICS.findIndex((t) => t.id === l.topic), l.order]);
		const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
		expect(keys).toEqual(sorted);
	});

	it('finds a lesson by id, and nothing for an unknown id', () => {
		expect(getLesson('perceptron-or')?.topic).toBe('perceptron');
		expect(getLesson('no-such-lesson')).toBeUndefined();
	});

	it.each([
		'perceptron-or',
		'perceptron-and',
		'perceptron-xor',
		'neuron-blood-count',
		'gradient-descent-one-weight',
		'gradient-descent-linear-regression',
		'gradient-descent-linear-regression-mean',
		'mlp-forward-students',
		'backprop-deltas',
		'training-xor-minibatch',
		'activation-sigmoid',
		'losses-compare',
		'conv-valid',
		'conv-padding-1',
		'conv-stride-2',
		'conv-channels',
		'pool-max',
		'pool-avg',
		'cnn-bars'
	])('has the lesson %s', (id) => {
		expect(getLesson(id)).toBeDefined();
	});
});

describe('lesson texts', () => {
	const texts = lessons.flatMap((l) =>
		(['title', 'summary', 'explanation'] as const).map((field) => [`${l.id} ${field}`, l[field]] as const)
	);

	it.each(texts)('%s: French uses the decimal comma, English the decimal point', (_label, text) => {
		// 0.5 in French prose or TeX (where it is written 0{,}5), 0,5 or 0{,}5 in English
		expect(text.fr).not.toMatch(/\d\.\d/);
		expect(text.en).not.toMatch(/\d,\d|\{,\}/);
	});

	it.each(texts)('%s: the two languages differ and TeX delimiters are balanced', (_label, text) => {
		expect(text.fr).not.toBe(text.en);
		for (const language of [text.fr, text.en]) expect((language.match(/\$/g) ?? []).length % 2).toBe(0);
	});

	it.each(lessons.map((l) => [l.id, l] as const))('%s: the explanation has 2 to 5 paragraphs', (_id, l) => {
		for (const language of [l.explanation.fr, l.explanation.en]) {
			const paragraphs = language.trim().split(/\n\s*\n/).length;
			expect(paragraphs).toBeGreaterThanOrEqual(2);
			expect(paragraphs).toBeLessThanOrEqual(5);
		}
	});

	it.each(lessons.map((l) => [l.id, l] as const))('%s: the summary is one sentence', (_id, l) => {
		for (const language of [l.summary.fr, l.summary.en]) expect(language).not.toMatch(/[.!?]\s+\p{Lu}/u);
	});
});

describe('every scenario runs', () => {
	it.each(lessons.map((l) => [l.id, l] as const))('%s runs to the end', (id, l) => {
		const trace = traceOf(id);
		expect(trace.diverged).toBeNull();
		expect(trace.steps).toBeGreaterThanOrEqual(1);
		expect(trace.steps).toBeLessThanOrEqual(5000);
	});

	it.each(lessons.map((l) => [l.id, l] as const))('%s: the YAML source reads back as the same scenario', (_id, l) => {
		expect(parse(l.source)).toEqual(l.scenario);
		expect(scenarioSource(l.scenario)).toBe(l.source);
	});
});

/** [lesson, step, quantity, expected value, absolute tolerance] */
type Expectation = [string, number, string, NestedNumbers, number];

const PUBLISHED: Expectation[] = [
	// 001, batch normalisation after a convolution: one μ and σ² over 2 images × 4 positions, dropout after pooling
	['cnn-batchnorm-dropout', 1, 'A[1]', [[[[0, 5], [0, 0]]], [[[0, 1], [5, 0]]]], 1e-12],
	['cnn-batchnorm-dropout', 1, 'mu[2]', [11 / 8], 1e-12],
	['cnn-batchnorm-dropout', 1, 'sigma2[2]', [51 / 8 - (11 / 8) ** 2], 1e-12],
	['cnn-batchnorm-dropout', 1, 'A[3]', [[[[-1.375 / Math.sqrt(4.484375 + 0.001), 3.625 / Math.sqrt(4.484375 + 0.001)]]], [[[3.625 / Math.sqrt(4.484375 + 0.001), -0.375 / Math.sqrt(4.484375 + 0.001)]]]], 1e-12],
	['cnn-batchnorm-dropout', 1, 'M[4]', [[[[1, 0]]], [[[0, 1]]]], 0],
	['cnn-batchnorm-dropout', 1, 'A[4]', [[[[-2.75 / Math.sqrt(4.485375), 0]]], [[[0, -0.75 / Math.sqrt(4.485375)]]]], 1e-12],
	['cnn-batchnorm-dropout', 1, 'dbeta[2]', [-1.3732], 1e-4],
	// 001, dropout: the mask, the scaling by 2, the gradient back through the same mask, a new mask each step
	['dropout-training', 1, 'A[1]', [[0.25, 0.85, 0.8, 0.45]], 1e-12],
	['dropout-training', 1, 'M[2]', [[1, 0, 0, 1]], 0],
	['dropout-training', 1, 'A[2]', [[0.5, 0, 0, 0.9]], 1e-12],
	['dropout-training', 1, 'A[3]', [[0.38]], 1e-12],
	['dropout-training', 1, 'dA[1]', [[-0.496, 0, 0, -0.248]], 1e-12],
	['dropout-training', 1, 'dW[3]', [[-0.31, 0, 0, -0.558]], 1e-12],
	['dropout-training', 2, 'M[2]', [[1, 1, 0, 0]], 0],
	['dropout-training', 3, 'M[2]', [[1, 0, 1, 0]], 0],
	// 000, the spreadsheet OR table: weights 0.6 0.6 from row 14 (step 10) on
	...[10, 11, 12, 13, 14].map((step): Expectation => ['perceptron-or', step, 'W[1]', [[0.6, 0.6]], 1e-9]),
	['perceptron-or', 10, 'Z[1]', [[0.5]], 1e-9],
	['perceptron-or', 10, 'A[1]', [[0]], 0],
	['perceptron-or', 28, 'W[1]', [[0.6, 0.6]], 1e-9],
	// 000, AND: two corrections, then stable at 0.3
	['perceptron-and', 4, 'W[1]', [[0.2, 0.2]], 1e-9],
	['perceptron-and', 5, 'W[1]', [[0.3, 0.3]], 1e-9],
	['perceptron-and', 14, 'W[1]', [[0.3, 0.3]], 1e-9],
	// 000, XOR rows 5-20
	['perceptron-xor', 4, 'W[1]', [[0.2, 0.2]], 1e-9],
	['perceptron-xor', 12, 'W[1]', [[0.5, 0.5]], 1e-9],
	['perceptron-xor', 16, 'W[1]', [[0.6, 0.6]], 1e-9],
	// 001's classic rule: the explanation's final weights
	['perceptron-delta-and', 24, 'W[1]', [[2, 1]], 1e-12],
	['perceptron-delta-and', 24, 'b[1]', [-3], 1e-12],
	// 002, blood count: z = 20, h ≈ 0.9999
	['neuron-blood-count', 1, 'Z[1]', [[20]], 1e-9],
	['neuron-blood-count', 1, 'A[1]', [[0.99999999794]], 1e-11],
	['neuron-blood-count', 1, 'dW[1]', [[4.199999991343154, 6.199999987220847, 1.9999999958776926]], 1e-12],
	// gradient descent on one weight: 1 → 1.8 → 2.28 → 2.568
	['gradient-descent-one-weight', 1, 'W[1]', [[1.8]], 1e-12],
	['gradient-descent-one-weight', 2, 'W[1]', [[2.28]], 1e-12],
	['gradient-descent-one-weight', 3, 'W[1]', [[2.568]], 1e-12],
	['gradient-descent-one-weight', 15, 'b[1]', [0], 0],
	// 002's linear regression, Loss = Σ(y_i − (a x_i + b))² (COURSE_COVERAGE A8), step 1
	['gradient-descent-linear-regression', 1, 'loss', 84.42, 1e-12],
	['gradient-descent-linear-regression', 1, 'dW[1]', [[-68.2]], 1e-12],
	['gradient-descent-linear-regression', 1, 'db[1]', [-32], 1e-12],
	['gradient-descent-linear-regression', 1, 'W[1]', [[1.705]], 1e-12],
	['gradient-descent-linear-regression', 1, 'b[1]', [0.8], 1e-12],
	['gradient-descent-linear-regression', 30, 'W[1]', [[2.02]], 0.01],
	['gradient-descent-linear-regression', 30, 'b[1]', [0.97], 0.01],
	// the same with 001's C = 1/n Σ (h(x_i) − y_i)²: a quarter of the cost and of the gradient
	['gradient-descent-linear-regression-mean', 1, 'loss', 21.105, 1e-12],
	['gradient-descent-linear-regression-mean', 1, 'dW[1]', [[-17.05]], 1e-12],
	['gradient-descent-linear-regression-mean', 1, 'db[1]', [-8], 1e-12],
	['gradient-descent-linear-regression-mean', 1, 'W[1]', [[1.705]], 1e-12],
	['gradient-descent-linear-regression-mean', 1, 'b[1]', [0.8], 1e-12],
	['gradient-descent-linear-regression-mean', 30, 'W[1]', [[2.02]], 0.01],
	['gradient-descent-linear-regression-mean', 30, 'b[1]', [0.97], 0.01],
	// 003's student example, forward only
	['mlp-forward-students', 1, 'A[1]', [[0.2142, 0.9677, 0.5498], [0.5744, 0.8176, 0.6457], [0.7858, 0.7503, 0.7858], [0.9478, 0.1824, 0.7858]], 1e-4],
	['mlp-forward-students', 1, 'A[2]', [[0.3997], [0.5892], [0.7021], [0.8413]], 1e-4],
	// 000's composition 2 -> 3x -> 6 -> x² -> 36: the course's numbers, its expected output reached, so E and dE/dW are 0
	['backprop-composition', 1, 'A[1]', [[6]], 0],
	['backprop-composition', 1, 'A[2]', [[36]], 0],
	['backprop-composition', 1, 'loss', 0, 0],
	['backprop-composition', 1, 'dW[2]', [[0]], 0],
	['backprop-composition', 1, 'dW[1]', [[0]], 0],
	// 004's éq. (9), centred true convolution, f = 1…5, h = (1, 0, −1): f(i + 1) − f(i − 1), f = 0 outside
	['conv-1d', 1, 'A[1]', [[[[2, 2, 2, 2, -4]]]], 0],
	// 004's deltas
	['backprop-deltas', 1, 'dZ[2]', [[-0.1167]], 1e-4],
	// activations, the explanation's numbers
	['activation-sigmoid', 1, 'A[1]', [[0.2689, 0.6225, 0.9707], [0.1824, 0.2227, 0.9241], [0.9526, 0.3775, 0.0293]], 1e-4],
	['activation-tanh', 1, 'A[1]', [[-0.7616, 0.4621, 0.9982], [-0.9051, -0.8483, 0.9866], [0.9951, -0.4621, -0.9982]], 1e-4],
	['activation-relu', 1, 'A[1]', [[0, 0.5, 3.5], [0, 0, 2.5], [3, 0, 0]], 1e-12],
	['activation-softplus', 1, 'A[1]', [[0.3133, 0.9741, 3.5298], [0.2014, 0.2519, 2.5789], [3.0486, 0.4741, 0.0298]], 1e-4],
	['activation-linear-collapse', 1, 'Z[2]', [[-4.5], [-6.25], [9.5]], 1e-12],
	// losses
	['losses-compare', 1, 'A[1]', [[0.5, 0.7311, 0.2689]], 1e-4],
	['losses-compare', 1, 'loss', 0.8568, 1e-4],
	['losses-compare', 1, 'dA[1]', [[-1, 1.4621, 0.5379]], 1e-4],
	['losses-softmax', 1, 'A[1]', [[0.2447, 0.6652, 0.09]], 1e-4],
	['losses-softmax', 1, 'loss', 0.4076, 1e-4],
	['losses-softmax', 1, 'dZ[1]', [[0.2447, -0.3348, 0.09]], 1e-4],
	['losses-softmax', 2, 'A[1]', [[0.0587, 0.907, 0.0343]], 1e-3],
	['losses-softmax', 3, 'A[1]', [[0.0385, 0.9373, 0.0242]], 1e-3],
	// 001's convolution example
	['conv-valid', 1, 'Z[1]', [[[[15, 24, 15], [17, 20, 23], [24, 19, 20]]]], 1e-12],
	['conv-padding-1', 1, 'Z[1]', [[[[6, 8, 11, 12, 5], [9, 15, 24, 15, 11], [11, 17, 20, 23, 17], [11, 24, 19, 20, 17], [13, 3, 18, 11, 8]]]], 1e-12],
	['conv-stride-2', 1, 'Z[1]', [[[[15, 15], [24, 20]]]], 1e-12],
	['conv-channels', 1, 'Z[1]', [[[[15, 27, 20], [22, 26, 27], [30, 19, 23]], [[1, -6, -5], [6, 2, 1], [-3, 8, 4]]]], 1e-12],
	['conv-flip', 1, 'Z[1]', [[[[9, 7, -10], [-1, 1, 11], [-7, 3, 15]]]], 1e-12],
	['pool-max', 1, 'A[1]', [[[[4, 7], [8, 7]]]], 0],
	['pool-avg', 1, 'A[1]', [[[[1.75, 4.75], [4.5, 3.5]]]], 1e-12],
	['cnn-bars', 1, 'loss', 0.61, 0.01],
	// the deep lessons: the numbers their explanations quote, to the 4 decimals written
	['backprop-chain', 1, 'A[3]', [[0.5716]], 5e-5],
	['backprop-chain', 1, 'dA[3]', [[-0.8568]], 5e-5],
	['backprop-chain', 1, 'dW[3]', [[-0.1019]], 5e-5],
	['backprop-chain', 1, 'dA[2]', [[-0.1678]], 5e-5],
	['backprop-chain', 1, 'dW[2]', [[-0.0271]], 5e-5],
	['backprop-chain', 1, 'dA[1]', [[0.0168]], 5e-5],
	['backprop-chain', 1, 'dW[1]', [[0.0038]], 5e-5],
	['backprop-chain', 1, 'b[1]', [0.1], 0],
	['backprop-vanishing', 1, 'A[5]', [[0.4001]], 5e-5],
	['backprop-vanishing', 1, 'dZ[5]', [[-0.288]], 5e-5],
	['backprop-vanishing', 1, 'dZ[4]', [[0.0688]], 5e-5],
	['backprop-vanishing', 1, 'dZ[3]', [[0.0115]], 5e-5],
	['backprop-vanishing', 1, 'dZ[2]', [[0.0027]], 5e-5],
	['backprop-vanishing', 1, 'dW[5]', [[-0.1742]], 5e-5],
	['backprop-vanishing', 1, 'dW[4]', [[0.0419]], 5e-5],
	['backprop-vanishing', 1, 'dW[1]', [[-0.00043]], 5e-6],
	['backprop-deep-2221', 1, 'A[3]', [[0.5242]], 5e-5],
	['backprop-deep-2221', 1, 'dZ[3]', [[-0.2373]], 5e-5],
	['backprop-deep-2221', 1, 'dW[3]', [[-0.105, -0.1819]], 5e-5],
	['backprop-deep-2221', 1, 'dA[2]', [[-0.356, 0.2373]], 5e-5],
	['backprop-deep-2221', 1, 'dZ[2]', [[-0.0878, 0.0425]], 5e-5],
	['backprop-deep-2221', 1, 'dA[1]', [[-0.1303, 0.1076]], 5e-5],
	['backprop-deep-2221', 1, 'dZ[1]', [[-0.0207, 0.0131]], 5e-5],
	['backprop-two-paths', 1, 'A[2]', [[0.5239, 0.6571]], 5e-5],
	['backprop-two-paths', 1, 'dZ[2]', [[-0.1188, 0.1481]], 5e-5],
	['backprop-two-paths', 1, 'dA[1]', [[-0.0416, 0.1511]], 5e-5],
	['backprop-332', 1, 'A[2]', [[0.5326, 0.6229]], 5e-5],
	['backprop-332', 1, 'dZ[2]', [[-0.1164, 0.1463]], 5e-5],
	['backprop-332', 1, 'dA[1]', [[-0.1107, 0.1167, 0.0529]], 5e-5],
	['backprop-332', 1, 'dZ[1]', [[-0.0276, 0.0245, 0.0124]], 5e-5],
	['backprop-332', 1, 'b[1]', [0.2, 0, -0.1], 0],
	// the exploding chain: every z is 0, so every σ′ is 0.25 and each layer down doubles the gradient
	['backprop-exploding', 1, 'A[5]', [[0.5]], 0],
	['backprop-exploding', 1, 'dZ[5]', [[-0.25]], 0],
	['backprop-exploding', 1, 'dZ[4]', [[-0.5]], 0],
	['backprop-exploding', 1, 'dZ[3]', [[-1]], 0],
	['backprop-exploding', 1, 'dZ[2]', [[-2]], 0],
	['backprop-exploding', 1, 'dZ[1]', [[-4]], 0],
	['backprop-exploding', 1, 'dW[5]', [[-0.125]], 0],
	['backprop-exploding', 1, 'dW[1]', [[-2]], 0],
	['backprop-exploding', 1, 'W[1]', [[9]], 0],
	['backprop-exploding', 1, 'W[5]', [[8.0625]], 0],
	['backprop-exploding', 1, 'b[1]', [-4], 0],
	// 001's non-convex cost, C = ½[((1 − 2w)² − 9)² + ((w + 1)² − 9)²], from w = 0.5
	['gradient-descent-local-minimum', 1, 'loss', 63.28125, 1e-12],
	['gradient-descent-local-minimum', 1, 'dW[1]', [[-20.25]], 1e-12],
	['gradient-descent-local-minimum', 1, 'W[1]', [[0.7025]], 1e-12],
	['gradient-descent-local-minimum', 2, 'W[1]', [[1.053]], 5e-4],
	['gradient-descent-local-minimum', 30, 'W[1]', [[2]], 1e-3],
	['gradient-descent-local-minimum', 30, 'b[1]', [1], 0]
];

describe('the courses’ numbers and the explanations’ numbers', () => {
	it.each(PUBLISHED.map((row) => [`${row[0]} step ${row[1]} ${row[2]}`, row] as const))('%s', (_label, [id, step, name, expected, tolerance]) => {
		expectClose(value(traceOf(id), step, name), expected, tolerance, `${id} ${name}`);
	});

	// losses-compare: the explanation's value of each loss on the same prediction
	it.each([
		['squared_error', 0.8568],
		['half_squared_error', 0.4284],
		['mse', 0.2856],
		['binary_cross_entropy', 0.7732]
	] as const)('losses-compare with %s gives J = %f', (loss, expected) => {
		const trace = run(variant('losses-compare', { loss }));
		expect(values(trace, 1, 'loss')[0]).toBeCloseTo(expected, 4);
	});

	it('losses-compare: with cross-entropy the output delta is (ŷ − y)/n', () => {
		const trace = run(variant('losses-compare', { loss: 'binary_cross_entropy' }));
		const a = values(trace, 1, 'A[1]');
		const y = [1, 0, 0];
		expectClose(values(trace, 1, 'dZ[1]'), a.map((ai, j) => (ai - y[j]) / 3), 1e-12, 'dZ[1]');
	});

	it.each(['gradient-descent-linear-regression', 'gradient-descent-linear-regression-mean'])('%s minimises its course’s regression cost', (id) => {
		const { regressionCost } = PROFILES[lesson(id).course];
		expect(lesson(id).scenario).toMatchObject({ loss: regressionCost.half ? 'half_squared_error' : 'squared_error', reduction: regressionCost.reduction });
	});

	it('the linear regressions of 002 (sum, α = 0.025) and 001 (mean, λ = 0.1) take the same steps, at a quarter of the cost', () => {
		const [sum, mean] = [traceOf('gradient-descent-linear-regression'), traceOf('gradient-descent-linear-regression-mean')];
		for (let step = 1; step <= 30; step++) {
			for (const name of ['W[1]', 'b[1]']) expectClose(values(mean, step, name), values(sum, step, name), 1e-12, `${name} at step ${step}`);
			expect(values(mean, step, 'loss')[0]).toBeCloseTo(values(sum, step, 'loss')[0] / 4, 12);
		}
	});

	it('gradient-descent-linear-regression: with α = 0.1 the sum’s descent diverges, as the explanation says', () => {
		const trace = run(variant('gradient-descent-linear-regression', { optimizer: { type: 'sgd', lr: 0.1 } }));
		expect(Math.abs(values(trace, 30, 'W[1]')[0])).toBeGreaterThan(1e6);
	});

	it('backprop-deltas: the course’s step ➍, w ← w − η δ a with the weights from before, and no bias update', () => {
		const trace = traceOf('backprop-deltas');
		const [eta, x, a2] = [0.5, values(trace, 1, 'A[0]'), values(trace, 1, 'A[1]')];
		const [delta3, delta2] = [values(trace, 1, 'dZ[2]')[0], values(trace, 1, 'dZ[1]')];
		const [w2, w3] = [values(trace, 0, 'W[1]'), values(trace, 0, 'W[2]')];
		expectClose(values(trace, 1, 'W[2]'), w3.map((w, j) => w - eta * delta3 * a2[j]), 1e-15, 'w(3)');
		expectClose(values(trace, 1, 'W[1]'), w2.map((w, i) => w - eta * delta2[Math.floor(i / 2)] * x[i % 2]), 1e-15, 'w(2)');
		expect(values(trace, 1, 'b[1]')).toEqual(values(trace, 0, 'b[1]'));
		expect(values(trace, 1, 'b[2]')).toEqual(values(trace, 0, 'b[2]'));
		expect(values(trace, 1, 'db[2]')[0]).toBe(delta3);
	});

	it.each([
		['backprop-deep-2221', 2],
		['backprop-two-paths', 2],
		['backprop-332', 2]
	] as const)('%s: a hidden neuron that feeds several gets Σ_j w_jk δ_j, one term per path', (id, next) => {
		const trace = traceOf(id);
		const W = value(trace, 0, `W[${next}]`) as number[][];
		const delta = values(trace, 1, `dZ[${next}]`);
		expect(W.length).toBeGreaterThan(1);
		expectClose(value(trace, 1, `dA[${next - 1}]`), [W[0].map((_, k) => W.reduce((sum, row, j) => sum + row[k] * delta[j], 0))], 1e-12, id);
	});

	it('backprop-chain: the gradient shrinks at every layer down the chain, as the explanation says', () => {
		const trace = traceOf('backprop-chain');
		const [g3, g2, g1] = [3, 2, 1].map((l) => Math.abs(values(trace, 1, `dW[${l}]`)[0]));
		expect(g2).toBeLessThan(g3);
		expect(g1).toBeLessThan(g2);
	});

	it('gradient-descent-one-weight: with lr 0.5 the weight swings between 5 and 1', () => {
		const trace = run(variant('gradient-descent-one-weight', { optimizer: { type: 'sgd', lr: 0.5 } }));
		expect([1, 2, 3, 4].map((step) => values(trace, step, 'W[1]')[0])).toEqual([5, 1, 5, 1]);
	});

	it('gradient-descent-one-weight: the distance to 3 shrinks by 0.6 at every step', () => {
		const trace = traceOf('gradient-descent-one-weight');
		for (let step = 1; step <= trace.steps; step++) {
			expect(3 - values(trace, step, 'W[1]')[0]).toBeCloseTo(2 * 0.6 ** step, 12);
		}
	});

	it('backprop-exploding: each layer down multiplies the gradient by w σ′(z) = 2; with twenty layers the first gets 2¹⁹ times the last', () => {
		const trace = traceOf('backprop-exploding');
		for (let l = 1; l < 5; l++) expect(values(trace, 1, `dW[${l}]`)[0] / values(trace, 1, `dW[${l + 1}]`)[0]).toBe(2);
		const layer = (lesson('backprop-exploding').scenario as { model: { layers: unknown[] } }).model.layers[0];
		const twenty = run(variant('backprop-exploding', { model: { input: 1, layers: Array.from({ length: 20 }, () => layer) } }));
		expect(values(twenty, 1, 'dW[1]')[0] / values(twenty, 1, 'dW[20]')[0]).toBe(2 ** 19);
		expect(2 ** 19).toBeCloseTo(500_000, -5);
	});

	describe('gradient-descent-local-minimum: the starting point decides the optimum', () => {
		const from = (w: number) => {
			const scenario = lesson('gradient-descent-local-minimum').scenario as { model: { input: number; layers: Record<string, unknown>[] } };
			return run(variant('gradient-descent-local-minimum', { model: { ...scenario.model, layers: [{ ...scenario.model.layers[0], W: [[w]] }] } }));
		};

		it('from w = 0, left of the hump: slope +16, w decreases (−0.16, −0.404) and stops at the local optimum w = −1, C = 40.5', () => {
			const trace = from(0);
			expect(values(trace, 1, 'dW[1]')[0]).toBeCloseTo(16, 12);
			expect(values(trace, 1, 'W[1]')[0]).toBeCloseTo(-0.16, 12);
			expect(values(trace, 2, 'W[1]')[0]).toBeCloseTo(-0.404, 3);
			expect(values(trace, 30, 'W[1]')[0]).toBeCloseTo(-1, 9);
			expect(values(trace, 30, 'loss')[0]).toBeCloseTo(40.5, 9);
			expect(values(trace, 30, 'dW[1]')[0]).toBeCloseTo(0, 6);
		});

		it('the hump lies between w = 0.23 and w = 0.24: the slope changes sign there', () => {
			expect(values(from(0.23), 1, 'dW[1]')[0]).toBeGreaterThan(0);
			expect(values(from(0.24), 1, 'dW[1]')[0]).toBeLessThan(0);
		});

		it('at w = 2 the cost is 0, the global optimum', () => {
			expect(values(from(2), 1, 'loss')[0]).toBe(0);
			expect(values(from(2), 1, 'dW[1]')[0]).toBe(0);
		});
	});

	it('optimizers-compare: SGD slides, momentum reaches 3 then overshoots, Adam first moves by η', () => {
		const momentum = traceOf('optimizers-compare');
		expect([1, 2, 3, 4].map((step) => values(momentum, step, 'W[1]')[0])).toEqual([1.8, 3, 4.08, 4.62].map((w) => expect.closeTo(w, 12)));
		expect([1, 2].map((step) => values(momentum, step, 'vW[1]')[0])).toEqual([0.8, 1.2].map((v) => expect.closeTo(v, 12)));
		const sgd = run(variant('optimizers-compare', { optimizer: { type: 'sgd', lr: 0.1 } }));
		expect([1, 2, 3].map((step) => values(sgd, step, 'W[1]')[0])).toEqual([1.8, 2.28, 2.568].map((w) => expect.closeTo(w, 12)));
		const adam = run(variant('optimizers-compare', { optimizer: { type: 'adam', lr: 0.5 } }));
		expect([1, 2, 3].map((step) => values(adam, step, 'W[1]')[0])).toEqual([1.5, 1.9913, 2.463].map((w) => expect.closeTo(w, 3)));
	});

	it('learning-rate-decay: α_k = 0.5 / (1 + k/4), and the weight goes 5, 1.8, 3.4, 2.9429, 3 where the constant rate swings', () => {
		const decay = traceOf('learning-rate-decay');
		expect([1, 2, 3, 4, 5].map((step) => values(decay, step, 'lr')[0])).toEqual([0.5, 0.4, 1 / 3, 0.5 / 1.75, 0.25].map((r) => expect.closeTo(r, 12)));
		expect([1, 2, 3, 4, 5, 8].map((step) => values(decay, step, 'W[1]')[0])).toEqual([5, 1.8, 3.4, 2.9429, 3, 3].map((w) => expect.closeTo(w, 4)));
		const constant = run(variant('learning-rate-decay', { optimizer: { type: 'sgd', lr: 0.5 } }));
		expect([7, 8].map((step) => values(constant, step, 'W[1]')[0])).toEqual([5, 1].map((w) => expect.closeTo(w, 9)));
	});

	it('fine-tuning-frozen-layer: W[1] never moves, the first output update and the 100th epoch are as the explanation says', () => {
		const trace = traceOf('fine-tuning-frozen-layer');
		expectClose(value(trace, 1, 'A[1]'), [[0.0474, 0.0001], [0.9526, 0.0474], [0.9526, 0.0474], [0.9999, 0.9526]], 5e-5);
		expectClose(value(trace, 1, 'dZ[2]'), [[0.125], [-0.125], [-0.125], [0.125]], 1e-12);
		expectClose(value(trace, 1, 'W[2]'), [[0.2145, -0.2145]], 5e-5);
		expect(value(trace, 100, 'W[1]')).toEqual([[6, 6], [6, 6]]);
		expect(findEvent(trace, 1, 'dW[1]')).toBeUndefined();
		expect(values(trace, 1, 'loss')[0]).toBeCloseTo(0.6931, 4);
		expect(values(trace, 100, 'loss')[0]).toBeCloseTo(0.0653, 4);
		expectClose(value(trace, 100, 'A[2]'), [[0.082], [0.9427], [0.9427], [0.0562]], 5e-5);
		expectClose(value(trace, 100, 'W[2]'), [[6.13, -6.55]], 5e-3);
	});

	it('conv-flip: the convolution is the opposite of the cross-correlation with this kernel', () => {
		const scenario = lesson('conv-flip').scenario as { model: { input: unknown; layers: Record<string, unknown>[] } };
		const correlation = run({
			...scenario,
			model: { ...scenario.model, layers: [{ ...scenario.model.layers[0], flip: false }] }
		});
		expectClose(values(correlation, 1, 'Z[1]'), values(traceOf('conv-flip'), 1, 'Z[1]').map((v) => -v), 1e-12, 'Z[1]');
	});
});

describe('what each lesson asks the reader to watch', () => {
	it('perceptron-or: no weight moves after step 10', () => {
		const trace = traceOf('perceptron-or');
		for (let step = 11; step <= trace.steps; step++) expect(values(trace, step, 'error')).toEqual([0]);
	});

	it('perceptron-xor: the weights still change in the last epoch', () => {
		const trace = traceOf('perceptron-xor');
		const epochs = 4;
		const perEpoch = trace.steps / epochs;
		expect(Number.isInteger(perEpoch)).toBe(true);
		const lastEpoch = Array.from({ length: perEpoch }, (_, i) => trace.steps - perEpoch + 1 + i);
		const changes = lastEpoch.filter((step) => values(trace, step, 'W[1]')[0] !== values(trace, step - 1, 'W[1]')[0]);
		expect(changes.length).toBeGreaterThan(0);
		// and both weights stay equal, which is why XOR cannot be learned
		for (let step = 1; step <= trace.steps; step++) {
			const [w1, w2] = values(trace, step, 'W[1]');
			expect(w1).toBeCloseTo(w2, 12);
		}
	});

	it('perceptron-delta-and: the last epoch makes no mistake', () => {
		const trace = traceOf('perceptron-delta-and');
		for (let step = trace.steps - 3; step <= trace.steps; step++) expect(values(trace, step, 'error')).toEqual([0]);
	});

	it('neuron-blood-count: the prediction falls towards the target 0', () => {
		const trace = traceOf('neuron-blood-count');
		const predictions = Array.from({ length: trace.steps }, (_, i) => values(trace, i + 1, 'A[1]')[0]);
		for (let i = 1; i < predictions.length; i++) expect(predictions[i]).toBeLessThan(predictions[i - 1]);
		expect(predictions.at(-1)).toBeLessThan(0.5);
	});

	it('training-xor-minibatch: mini-batches of 2, the loss falls, and XOR is learned', () => {
		const trace = traceOf('training-xor-minibatch');
		for (const step of [1, 2, trace.steps]) expect(batchRowsOf(trace, step).length).toBe(2);
		const first = values(trace, 1, 'loss')[0];
		const last = values(trace, trace.steps, 'loss')[0];
		expect(last).toBeLessThan(first);
		expect(last).toBeLessThan(0.02);
		const scenario = lesson('training-xor-minibatch').scenario as Record<string, unknown>;
		const final = run(variant('training-xor-minibatch', { training: { epochs: 1, batch_size: 4 }, model: modelWithFinalWeights(scenario, trace) }));
		expectClose(values(final, 1, 'A[2]').map(Math.round), [0, 1, 1, 0], 0, 'predictions');
	});

	it('training-zero-init: the hidden neurons stay identical at every step', () => {
		const trace = traceOf('training-zero-init');
		expect(values(trace, 1, 'dW[1]').every((v) => v === 0)).toBe(true);
		for (let step = 1; step <= trace.steps; step++) {
			for (const name of ['W[1]', 'dW[1]']) {
				const [first, ...others] = value(trace, step, name) as number[][];
				for (const row of others) expect(row).toEqual(first);
			}
		}
		expect(Math.abs(values(trace, 2, 'dW[1]')[0])).toBeGreaterThan(1e-6);
	});

	it('the four activation lessons share the same weighted sums, with no z at 0', () => {
		const ids = ['activation-sigmoid', 'activation-tanh', 'activation-relu', 'activation-softplus'];
		const sums = ids.map((id) => values(traceOf(id), 1, 'Z[1]'));
		for (const z of sums) expect(z).toEqual(sums[0]);
		expect(sums[0].includes(0)).toBe(false);
	});

	it.each([
		['activation-sigmoid', 'sigmoid', (z: number) => 1 / (1 + Math.exp(-z))],
		['activation-tanh', 'tanh', Math.tanh],
		['activation-relu', 'relu', (z: number) => Math.max(0, z)],
		['activation-softplus', 'softplus', (z: number) => Math.log1p(Math.exp(z))],
		['activation-linear-collapse', 'identity', (z: number) => z]
	] as const)('%s applies %s to every entry', (id, activation, f) => {
		const layers = (lesson(id).scenario as { model: { layers: { activation: string }[] } }).model.layers;
		expect(layers[0].activation).toBe(activation);
		const trace = traceOf(id);
		expectClose(values(trace, 1, 'A[1]'), values(trace, 1, 'Z[1]').map(f), 1e-12, 'A[1]');
	});

	it('activation-linear-collapse: Z[2] = W′X + b′ with W′ = W[2]W[1] and b′ = W[2]b[1] + b[2] = −1, not the course’s b[1] + b[2]', () => {
		const trace = traceOf('activation-linear-collapse');
		const [W1, b1, W2, b2] = ['W[1]', 'b[1]', 'W[2]', 'b[2]'].map((name) => values(trace, 0, name));
		const W = [0, 1].map((k) => W2.reduce((s, w, j) => s + w * W1[2 * j + k], 0));
		const b = W2.reduce((s, w, j) => s + w * b1[j], 0) + b2[0];
		expect(W).toEqual([3.5, -3.5]);
		expect(b).toBe(-1);
		const X = values(trace, 1, 'A[0]');
		expectClose(values(trace, 1, 'Z[2]'), [0, 1, 2].map((n) => W[0] * X[2 * n] + W[1] * X[2 * n + 1] + b), 1e-12, 'Z[2]');
	});

	it('cnn-bars: the loss falls from step to step and the bars are told apart', () => {
		const trace = traceOf('cnn-bars');
		const losses = Array.from({ length: trace.steps }, (_, i) => values(trace, i + 1, 'loss')[0]);
		for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
		expect(losses.at(-1)).toBeLessThan(0.06);
		expect(values(trace, trace.steps, 'A[4]').map(Math.round)).toEqual([1, 0, 1, 0]);
	});

	/** A quantity the end of every epoch records, epoch by epoch (one step per epoch: the whole batch). */
	const perEpoch = (trace: Trace, name: string) => Array.from({ length: trace.steps }, (_, i) => values(trace, i + 1, name)[0]);

	it('evaluation-overfitting: the validation loss is lowest at epoch 65, then the curves part while the training loss keeps falling', () => {
		const trace = traceOf('evaluation-overfitting');
		const [train, val] = [perEpoch(trace, 'epoch_loss'), perEpoch(trace, 'val_loss')];
		const best = val.indexOf(Math.min(...val));
		expect(best + 1).toBe(65);
		expect(val[best]).toBeCloseTo(0.025, 3);
		expect(train.at(-1)).toBeCloseTo(0.013, 3);
		expect(val.at(-1)).toBeCloseTo(0.074, 3);
		// after the best epoch the training loss ends far lower, the validation loss far higher
		expect(train.at(-1)).toBeLessThan(train[best] / 5);
		expect(val.at(-1)).toBeGreaterThan(2.5 * val[best]);
		expect(Math.min(...val.slice(100))).toBeGreaterThan(val[best]);
	});

	it('evaluation-early-stopping: Keras’s rule on the validation losses stops at epoch 75 and restores the weights of epoch 65', () => {
		const trace = traceOf('evaluation-early-stopping');
		const val = perEpoch(trace, 'val_loss');
		// the rule by hand: the first epoch whose count of epochs without a new minimum reaches the patience
		let [best, bestEpoch, stop] = [Infinity, 0, 0];
		for (let epoch = 1; epoch <= val.length && stop === 0; epoch++) {
			if (val[epoch - 1] < best) [best, bestEpoch] = [val[epoch - 1], epoch];
			else if (epoch - bestEpoch >= 10) stop = epoch;
		}
		expect([bestEpoch, stop, trace.steps]).toEqual([65, 75, 75]);
		expectClose(values(trace, 75, 'early_stopping'), [best, 65, 10, 1], 1e-15, 'early_stopping');
		expect(best).toBeCloseTo(0.0254, 4);
		for (const name of ['W[1]', 'b[1]', 'W[2]', 'b[2]']) expect(values(trace, 75, name)).toEqual(values(trace, 65, name));
		expect(values(traceOf('evaluation-overfitting'), 75, 'W[2]')).not.toEqual(values(trace, 75, 'W[2]'));
	});

	it('evaluation-weight-decay: Adam reads ∂C/∂w + 2λw, the training loss stays above 0.07 and the validation loss below 0.03', () => {
		const trace = traceOf('evaluation-weight-decay');
		const [W0, dW] = [values(trace, 0, 'W[2]'), values(trace, 1, 'dW[2]')];
		expectClose(values(trace, 1, 'mW[2]'), dW.map((g, k) => 0.1 * (g + 2 * 0.01 * W0[k])), 1e-15, 'mW[2]');
		const [train, val] = [perEpoch(trace, 'epoch_loss'), perEpoch(trace, 'val_loss')];
		expect(Math.min(...train)).toBeGreaterThan(0.07);
		expect(Math.min(...val)).toBeCloseTo(0.023, 3);
		expect(val.indexOf(Math.min(...val)) + 1).toBe(132);
		expect(Math.max(...val.slice(100))).toBeLessThan(0.029);
		expect(val.at(-1)).toBeLessThan(perEpoch(traceOf('evaluation-overfitting'), 'val_loss').at(-1) as number);
	});

	it('evaluation-tree-accuracy: 7 trees trained on, 3 set aside; every training tree right from epoch 10, 2 of 3 test trees at the end', () => {
		const trace = traceOf('evaluation-tree-accuracy');
		expect(batchRowsOf(trace, 1)).toEqual(Int32Array.from([0, 1, 2, 3, 4, 5, 6]));
		const [accuracy, valAccuracy, val] = [perEpoch(trace, 'accuracy'), perEpoch(trace, 'val_accuracy'), perEpoch(trace, 'val_loss')];
		expect(accuracy[8]).toBeLessThan(1);
		expect(accuracy.slice(9).every((a) => a === 1)).toBe(true);
		expect(valAccuracy.at(-1)).toBeCloseTo(2 / 3, 15);
		// the neuron's own predictions on the three test trees: the tall sick one (3 branches, height 4) is missed
		const [w, b] = [values(trace, trace.steps, 'W[1]'), values(trace, trace.steps, 'b[1]')[0]];
		const predicted = [[5, 2], [2, 4], [3, 4]].map(([x1, x2]) => (1 / (1 + Math.exp(-(w[0] * x1 + w[1] * x2 + b))) > 0.5 ? 1 : 0));
		expect(predicted).toEqual([1, 0, 0]);
		expect(w[1]).toBeLessThan(0);
		expect(val[4]).toBeCloseTo(0.4, 2);
		expect(val.at(-1)).toBeCloseTo(1.06, 2);
		expect(perEpoch(trace, 'epoch_loss').at(-1)).toBeCloseTo(0.128, 3);
	});

	it('forward-only lessons record a single step without loss', () => {
		for (const id of ['mlp-forward-students', 'conv-valid', 'conv-channels', 'pool-max', 'activation-relu']) {
			const trace = traceOf(id);
			expect(trace.steps).toBe(1);
			expect(findEvent(trace, 1, 'loss')).toBeUndefined();
		}
	});
});

/** The scenario's model with the weights the trace ends with. */
function modelWithFinalWeights(scenario: Record<string, unknown>, trace: Trace) {
	const model = scenario.model as { input: unknown; layers: Record<string, unknown>[] };
	return {
		...model,
		layers: model.layers.map((layer, i) => {
			const { init: _init, ...rest } = layer;
			return { ...rest, W: value(trace, trace.steps, `W[${i + 1}]`), b: value(trace, trace.steps, `b[${i + 1}]`) };
		})
	};
}

describe('the loader', () => {
	const text = readLesson('perceptron-or.yaml');

	it('builds a library from texts read without Vite', () => {
		const built = buildLibrary({ './library/perceptron-or.yaml': text, './library/conv-valid.yaml': readLesson('conv-valid.yaml') });
		expect(built.map((l) => l.id)).toEqual(['perceptron-or', 'conv-valid']);
	});

	it.each([
		['an id that is not the file name', text.replace('id: perceptron-or', 'id: perceptron-ou'), /id: expected "perceptron-or"/],
		['an unknown topic', text.replace('topic: perceptron', 'topic: perceptrons'), /topic/],
		['an unquoted course number', text.replace('course: "000"', 'course: 000'), /course/],
		['an empty English title', text.replace('en: "The spreadsheet perceptron learns OR"', 'en: ""'), /title\.en/],
		['a missing explanation', text.replace(/^explanation:[\s\S]*?^scenario:/m, 'scenario:'), /explanation/],
		['an unknown key', `${text}\nextra: 1\n`, /extra|unrecognized/i],
		['text that is not YAML', 'id: [unclosed', /not valid YAML/]
	])('refuses %s, naming the file', (_label, content, message) => {
		expect(() => parseLessonFile('./library/perceptron-or.yaml', content)).toThrow(/perceptron-or\.yaml/);
		expect(() => parseLessonFile('./library/perceptron-or.yaml', content)).toThrow(message);
	});

	it('refuses two files with the same id', () => {
		expect(() => buildLibrary({ './library/perceptron-or.yaml': text, './a/perceptron-or.yaml': text })).toThrow(/share this id/);
	});

	it('writes vectors and short mappings on one line', () => {
		const source = lesson('backprop-deltas').source;
		expect(source).toContain('optimizer: {type: sgd, lr: 0.5}');
		expect(source).toContain('W: [[0.2, -0.3], [0.4, 0.1]]');
		expect(source.startsWith('model:\n')).toBe(true);
	});
});
