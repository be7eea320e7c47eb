import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
	batchRowsOf,
	findEvent,
	outputShape,
	paramCount,
	run,
	summarize,
	toNested,
	type NestedNumbers,
	type Trace
} from '../../../src/lib/engine';
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
	// 004's exploding gradient: activations all 1, δ multiplied by w = 3 at each layer down, w(2) sent to −13.2
	...[1, 2, 3, 4, 5].map((l): Expectation => ['backprop-exploding', 1, `A[${l}]`, [[1]], 0]),
	...[1, 2, 3, 4, 5].map((l): Expectation => ['backprop-exploding', 1, `dW[${l}]`, [[2 * 3 ** (5 - l)]], 1e-12]),
	['backprop-exploding', 1, 'W[5]', [[2.8]], 1e-12],
	['backprop-exploding', 1, 'W[1]', [[-13.2]], 1e-12],
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

describe('the courses’ numbers and the explanations’ numbers', () => {
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

	it('optimizers-compare: SGD slides, momentum reaches 3 then overshoots, Adam first moves by η', () => {
		const momentum = traceOf('optimizers-compare');
		expect([1, 2, 3, 4].map((step) => values(momentum, step, 'W[1]')[0])).toEqual([1.8, 3, 4.08, 4.62].map((w) => expect.closeTo(w, 12)));
		expect([1, 2].map((step) => values(momentum, step, 'vW[1]')[0])).toEqual([0.8, 1.2].map((v) => expect.closeTo(v, 12)));
		const sgd = run(variant('optimizers-compare', { optimizer: { type: 'sgd', lr: 0.1 } }));
		expect([1, 2, 3].map((step) => values(sgd, step, 'W[1]')[0])).toEqual([1.8, 2.28, 2.568].map((w) => expect.closeTo(w, 12)));
		const adam = run(variant('optimizers-compare', { optimizer: { type: 'adam', lr: 0.5 } }));
		expect([1, 2, 3].map((step) => values(adam, step, 'W[1]')[0])).toEqual([1.5, 1.9913, 2.463].map((w) => expect.closeTo(w, 3)));
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

	it('backprop-exploding: after its one step the first ReLU is off and the network outputs 0', () => {
		const next = run(variant('backprop-exploding', { training: { epochs: 2, batch_size: 1 } }));
		expect(value(next, 2, 'A[1]')).toEqual([[0]]);
		expect(value(next, 2, 'A[5]')).toEqual([[0]]);
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

	it('forward-only lessons record a single step without loss', () => {
		for (const id of ['mlp-forward-students', 'conv-valid', 'conv-channels', 'pool-max', 'activation-relu']) {
			const trace = traceOf(id);
			expect(trace.steps).toBe(1);
			expect(findEvent(trace, 1, 'loss')).toBeUndefined();
		}
	});
});

/** A forward-only scenario: the lesson's model with the weights its trace ends with. */
function modelOnly(scenario: unknown, trace: Trace): Record<string, unknown> {
	return { model: modelWithFinalWeights(scenario as Record<string, unknown>, trace) };
}

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
