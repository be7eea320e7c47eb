/**
 * The mistakes of a convention changed throughout (W or Wᵀ, the order of the updates, the bias,
 * a window's padding and stride): each case computes what a student making the mistake types by
 * hand, or by the engine run on a scenario with the convention written out here, never with the
 * catalogue's code, and expects the grader to name it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../../src/lib/engine/run';
import { toNested, type NestedNumbers } from '../../../../src/lib/engine/tensor';
import { findEvent, type Trace } from '../../../../src/lib/engine/trace';
import { parseExercise, type Exercise, type ValueQuestion } from '../../../../src/lib/exercises/exercise';
import { gradeAnswers } from '../../../../src/lib/exercises/grade';
import { markValue } from '../../../../src/lib/exercises/mark';
import { expectedValue } from '../../../../src/lib/exercises/question';
import { drawVariant, type Variant } from '../../../../src/lib/exercises/variant';
import { DESIGN_EXAMPLE, PROJECT_ROOT } from '../../../helpers';
import { feedbackText } from '../../../../src/lib/exercises/feedback-text';

type Matrix = number[][];
interface DenseLayer {
	W: Matrix;
	b: number[];
}
interface ConvLayer {
	W: Matrix[][];
	b: number[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const write = (v: NestedNumbers): string => (Array.isArray(v) ? `[${v.map(write).join(', ')}]` : String(v));
const transpose = (W: Matrix): Matrix => W[0].map((_, k) => W.map((row) => row[k]));
/** z_j = Σ_k w_jk x_k + b_j */
const dense = (W: Matrix, b: number[], x: number[]): number[] => W.map((row, j) => row.reduce((sum, w, k) => sum + w * x[k], b[j]));
/** (Wᵀ δ)_k = Σ_j w_jk δ_j */
const backThrough = (W: Matrix, delta: number[]): number[] => W[0].map((_, k) => W.reduce((sum, row, j) => sum + row[k] * delta[j], 0));

function exerciseOf(text: string, file: string): Exercise {
	const parsed = parseExercise(text, file);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	return parsed.exercise;
}

const library = (name: string): Exercise => exerciseOf(readFileSync(join(PROJECT_ROOT, 'exercises', `${name}.yaml`), 'utf8'), `${name}.yaml`);

/** An exercise around one scenario, asking one question `q`. */
const small = (scenario: string, question: string): Exercise =>
	exerciseOf(
		`id: conventions
title: { fr: Conventions, en: Conventions }
statement: { fr: "Calculez.", en: "Compute." }
topic: backprop
notation: bracket
scenario:
${scenario}
questions:
  - { id: q, ${question} }
`,
		'conventions.yaml'
	);

function variantOf(exercise: Exercise, student: string): Variant {
	const drawn = drawVariant(exercise, student);
	if (!drawn.ok) throw new Error(`${exercise.id}, ${student}: ${drawn.message}`);
	return drawn.variant;
}

const denseLayers = (v: Variant): DenseLayer[] => (v.scenario.model as { layers: DenseLayer[] }).layers;
const convLayer = (v: Variant): ConvLayer => (v.scenario.model as { layers: ConvLayer[] }).layers[0];
const rowsOf = (v: Variant, key: 'X' | 'Y'): Matrix => (v.scenario.data as Record<'X' | 'Y', Matrix>)[key];
const image = (v: Variant): Matrix => (v.scenario.data as { X: Matrix[][] }).X[0][0];
const lrOf = (v: Variant): number => (v.scenario.optimizer as { lr: number }).lr;

/** An event of the right run, as nested numbers. */
function event(trace: Trace, step: number, name: string): NestedNumbers {
	const found = findEvent(trace, step, name);
	if (!found) throw new Error(`no ${name} at step ${step}`);
	return toNested(found.value.shape, found.value.data);
}
const rowOf = (trace: Trace, step: number, name: string): number[] => (event(trace, step, name) as Matrix)[0];

/** What the question asks, read from a run of `scenario` (the engine with a convention written out here). */
function askedIn(scenario: Record<string, unknown>, exercise: Exercise, id: string): NestedNumbers {
	const q = exercise.questions.find((question) => question.id === id) as ValueQuestion;
	const value = expectedValue(run(scenario), { ask: q.ask, step: q.step ?? 1 });
	if (!value.ok) throw new Error(value.message);
	return value.value;
}

/** The scenario with the dense layers' weights given by `weights`. */
function withWeights(v: Variant, weights: (layer: DenseLayer, i: number) => Matrix): Record<string, unknown> {
	const model = v.scenario.model as { layers: DenseLayer[] };
	return { ...v.scenario, model: { ...model, layers: model.layers.map((layer, i) => ({ ...layer, W: weights(layer, i) })) } };
}

/** The cross-correlation of one channel at output cell (r, c) by hand; padding zeros count for nothing. */
function correlate(picture: Matrix, kernel: Matrix, r: number, c: number, stride: number, padding: number): number {
	let sum = 0;
	kernel.forEach((row, u) =>
		row.forEach((k, v) => {
			const i = r * stride - padding + u;
			const j = c * stride - padding + v;
			if (i >= 0 && i < picture.length && j >= 0 && j < picture[0].length) sum += k * picture[i][j];
		})
	);
	return sum;
}

/** The window of size × size at output cell (r, c) moved by `stride`. */
const windowAt = (picture: Matrix, size: number, r: number, c: number, stride: number): number[] =>
	Array.from({ length: size * size }, (_, n) => picture[r * stride + Math.floor(n / size)][c * stride + (n % size)]);

interface Case {
	what: string;
	exercise: Exercise;
	question: string;
	students: string[];
	/** what a student making the mistake types */
	answer: (v: Variant) => NestedNumbers;
	code: string;
}

const ONE = ['anyone'];
const SOME = ['alice', 'bob', 'chloé', 'dmitri', 'emma', 'farid'];
const MANY = Array.from({ length: 40 }, (_, k) => `student-${k}`);

/** A 2-2-2 sigmoid network: W[2] is square. */
const NET_222 = (X: string, Y: string, epochs = 1, reduction = 'mean') => `  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: sigmoid, W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1] }
      - { type: dense, units: 2, activation: sigmoid, W: [[0.5, -0.3], [0.2, 0.6]], b: [0.2, -0.1] }
  loss: half_squared_error
  reduction: ${reduction}
  optimizer: { type: sgd, lr: 0.5 }
  data: { X: ${X}, Y: ${Y} }
  training: { epochs: ${epochs} }`;

/** A 2-2-2-1 network: W[2] is square, W[3] is not. */
const NET_2221 = `  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: tanh, W: [[0.3, -0.2], [0.1, 0.5]], b: [0, 0.1] }
      - { type: dense, units: 2, activation: sigmoid, W: [[0.7, -0.4], [0.2, 0.9]], b: [0.1, 0] }
      - { type: dense, units: 1, activation: sigmoid, W: [[0.6, -0.8]], b: [0.3] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.1 }
  data: { X: [[1, -1]], Y: [[1]] }`;

/** DESIGN.md's 2-2-1 network: x = (1, 0.5), y = 1. */
const NET_221 = (lr: number) => `  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: sigmoid, W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1] }
      - { type: dense, units: 1, activation: sigmoid, W: [[0.5, -0.5]], b: [0.2] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: ${lr} }
  data: { X: [[1.0, 0.5]], Y: [[1.0]] }`;

/** δ[2] of the 2-2-2 network on x = (1, 0.5), y = (1, 0), by hand. */
function handDelta222(): { a1: number[]; delta2: number[] } {
	const a1 = dense([[0.1, -0.2], [0.4, 0.3]], [0.1, -0.1], [1, 0.5]).map(sigmoid);
	const a2 = dense([[0.5, -0.3], [0.2, 0.6]], [0.2, -0.1], a1).map(sigmoid);
	return { a1, delta2: a2.map((a, j) => (a - [1, 0][j]) * a * (1 - a)) };
}

/** dA[l] of a student who sends δ[l+1] back through W[l+1] itself, row by row: Σ_j w_kj δ_j. */
const throughRows = (W: Matrix, delta: number[]): number[] => W.map((row) => row.reduce((sum, w, j) => sum + w * delta[j], 0));

/** The 2-2-1 network's hidden δ and the rest, for a student who updates W[2] first and sends δ[2] back through the new W[2]. */
function updatedFirst221(lr: number): { dA1: number[]; delta1: number[]; W1: Matrix } {
	const x = [1, 0.5];
	const a1 = dense([[0.1, -0.2], [0.4, 0.3]], [0.1, -0.1], x).map(sigmoid);
	const a2 = sigmoid(dense([[0.5, -0.5]], [0.2], a1)[0]);
	const delta2 = (a2 - 1) * a2 * (1 - a2);
	const W2 = [[0.5 - lr * delta2 * a1[0], -0.5 - lr * delta2 * a1[1]]];
	const dA1 = backThrough(W2, [delta2]);
	const delta1 = dA1.map((d, j) => d * a1[j] * (1 - a1[j]));
	const W1 = [[0.1, -0.2], [0.4, 0.3]].map((row, j) => row.map((w, k) => w - lr * delta1[j] * x[k]));
	return { dA1, delta1, W1 };
}

/** δ[1] of backprop-221 for a student who updates W[2] first: (W[2] − η dW[2])ᵀ δ[2] ⊙ a(1 − a), from the right run's values. */
function updatedFirstFromRun(v: Variant): number[] {
	const delta2 = rowOf(v.trace, 1, 'dZ[2]');
	const dW2 = event(v.trace, 1, 'dW[2]') as Matrix;
	const W2 = (event(v.trace, 0, 'W[2]') as Matrix).map((row, j) => row.map((w, k) => w - lrOf(v) * dW2[j][k]));
	const a1 = rowOf(v.trace, 1, 'A[1]');
	return backThrough(W2, delta2).map((d, j) => d * a1[j] * (1 - a1[j]));
}

/** The perceptron of perceptron-classic-rule by hand, with its bias never updated: W after `steps` examples. */
function perceptronBiasKept(v: Variant, steps: number): number[] {
	const p = v.scenario.perceptron as { w: number[]; b: number; threshold: number; strict: boolean; lr: number };
	const X = rowsOf(v, 'X');
	const Y = rowsOf(v, 'Y');
	const w = [...p.w];
	for (let n = 0; n < steps; n++) {
		const z = w.reduce((sum, wi, i) => sum + wi * X[n][i], p.b);
		// a tie as a student doing the sum by hand sees it, without the float noise
		const fires = Math.abs(z - p.threshold) < 1e-9 ? !p.strict : z > p.threshold;
		const error = Y[n][0] - (fires ? 1 : 0);
		X[n].forEach((xi, i) => (w[i] += p.lr * error * xi));
	}
	return w;
}

/** A 4×4 image through a 3×3 kernel with a padding of 1, then a flatten and a dense unit. */
const PADDED_CNN = `  model:
    input: [1, 4, 4]
    layers:
      - { type: conv2d, filters: 1, kernel: 3, padding: 1 }
      - { type: flatten }
      - { type: dense, units: 1 }`;

const CONV_PADDED = `  model:
    input: [1, 4, 4]
    layers:
      - { type: conv2d, filters: 1, kernel: 3, padding: 1, W: [[[[1, 0, 2], [-1, 1, 0], [0, 3, 1]]]], b: [0.5] }
  data:
    X: [[[[1, 0, 2, 1], [3, 1, 0, 2], [0, 2, 1, 4], [2, 1, 3, 0]]]]`;

const CONV_STRIDED = `  model:
    input: [1, 5, 5]
    layers:
      - { type: conv2d, filters: 1, kernel: 3, stride: 2, W: [[[[1, 0, 2], [-1, 1, 0], [0, 3, 1]]]], b: [0] }
  data:
    X: [[[[1, 0, 2, 1, 3], [3, 1, 0, 2, 0], [0, 2, 1, 4, 1], [2, 1, 3, 0, 2], [1, 4, 0, 2, 1]]]]`;

const POOL = (mode: string) => `  model:
    input: [1, 4, 4]
    layers:
      - { type: pool, mode: ${mode}, size: 2 }
  data:
    X: [[[[1, 5, 2, 0], [3, 2, 8, 4], [0, 1, 6, 2], [7, 3, 1, 9]]]]`;

const exact = 'tolerance: { abs: 0 }';
const LOSS_222 = small(NET_222('[[1.0, 0.5]]', '[[1.0, 0.0]]'), 'ask: loss, step: 1');
const BACKPROP_221 = library('backprop-221');
const MINIBATCH = library('training-minibatch');
const max = (values: number[]): number => Math.max(...values);
const mean = (values: number[]): number => values.reduce((sum, x) => sum + x, 0) / values.length;

const cases: Case[] = [
	// w-not-transposed: δ[l+1] sent back through the rows of a square W[l+1]
	{
		what: 'dA[1] of a 2-2-2 network through W[2] by hand',
		exercise: small(NET_222('[[1.0, 0.5]]', '[[1.0, 0.0]]'), 'ask: "dA[1]", step: 1'),
		question: 'q',
		students: ONE,
		answer: () => [throughRows([[0.5, -0.3], [0.2, 0.6]], handDelta222().delta2)],
		code: 'w-not-transposed'
	},
	{
		what: 'one entry of dA[1] of a 2-2-2 network',
		exercise: small(NET_222('[[1.0, 0.5]]', '[[1.0, 0.0]]'), 'ask: "dA[1][0][1]", step: 1'),
		question: 'q',
		students: ONE,
		answer: () => throughRows([[0.5, -0.3], [0.2, 0.6]], handDelta222().delta2)[1],
		code: 'w-not-transposed'
	},
	{
		what: 'dA[1] of a 2-2-2-1 network, below its square W[2]',
		exercise: small(NET_2221, 'ask: "dA[1]", step: 1'),
		question: 'q',
		students: ONE,
		answer: (v) => [throughRows([[0.7, -0.4], [0.2, 0.9]], rowOf(v.trace, 1, 'dZ[2]'))],
		code: 'w-not-transposed'
	},
	{
		// summed: with the mean, the ½ forgotten and the sum for the mean would both double the gradients
		what: 'dA[1] of a batch of two samples',
		exercise: small(NET_222('[[1.0, 0.5], [-0.5, 2.0]]', '[[1.0, 0.0], [0.0, 1.0]]', 1, 'sum'), 'ask: "dA[1]", step: 1'),
		question: 'q',
		students: ONE,
		answer: (v) => (event(v.trace, 1, 'dZ[2]') as Matrix).map((delta) => throughRows([[0.5, -0.3], [0.2, 0.6]], delta)),
		code: 'w-not-transposed'
	},
	{
		what: 'dA[1] at step 2, through W[2] as step 1 left it',
		exercise: small(NET_222('[[1.0, 0.5]]', '[[1.0, 0.0]]', 2), 'ask: "dA[1]", step: 2'),
		question: 'q',
		students: ONE,
		answer: (v) => [throughRows(event(v.trace, 1, 'W[2]') as Matrix, rowOf(v.trace, 2, 'dZ[2]'))],
		code: 'w-not-transposed'
	},
	// rows-columns-swapped: the forward pass with a square W[l] read column by column
	{
		what: 'backprop-221: z[1] with W[1] read by columns, by hand',
		exercise: BACKPROP_221,
		question: 'z1',
		students: SOME,
		answer: (v) => [dense(transpose(denseLayers(v)[0].W), denseLayers(v)[0].b, rowsOf(v, 'X')[0])],
		code: 'rows-columns-swapped'
	},
	{
		what: 'backprop-221: a[2] from the scenario with W[1] transposed',
		exercise: BACKPROP_221,
		question: 'a2',
		students: SOME,
		answer: (v) => askedIn(withWeights(v, (layer, i) => (i === 0 ? transpose(layer.W) : layer.W)), BACKPROP_221, 'a2'),
		code: 'rows-columns-swapped'
	},
	{
		what: 'the loss of a 2-2-2 network with both square matrices transposed',
		exercise: LOSS_222,
		question: 'q',
		students: ONE,
		answer: (v) => askedIn(withWeights(v, (layer) => transpose(layer.W)), LOSS_222, 'q'),
		code: 'rows-columns-swapped'
	},
	{
		what: 'a[1] of a 2-2-1 network, by hand',
		exercise: small(NET_221(0.1), 'ask: "A[1]", step: 1'),
		question: 'q',
		students: ONE,
		answer: () => [dense(transpose([[0.1, -0.2], [0.4, 0.3]]), [0.1, -0.1], [1, 0.5]).map(sigmoid)],
		code: 'rows-columns-swapped'
	},
	// backprop-through-updated-weights: W[l+1] updated before δ[l] is computed through it
	{
		what: 'dA[1] of a 2-2-1 network through the updated W[2], by hand',
		exercise: small(NET_221(0.5), 'ask: "dA[1]", step: 1'),
		question: 'q',
		students: ONE,
		answer: () => [updatedFirst221(0.5).dA1],
		code: 'backprop-through-updated-weights'
	},
	{
		what: 'δ[1] of a 2-2-1 network through the updated W[2], by hand',
		exercise: small(NET_221(0.5), 'ask: "dZ[1]", step: 1'),
		question: 'q',
		students: ONE,
		answer: () => [updatedFirst221(0.5).delta1],
		code: 'backprop-through-updated-weights'
	},
	{
		// the difference is of order η²: with η = 1 it shows at 4 decimals
		what: 'W[1] after the step, from that δ[1]',
		exercise: small(NET_221(1), 'ask: "W[1]", step: 1'),
		question: 'q',
		students: ONE,
		answer: () => updatedFirst221(1).W1,
		code: 'backprop-through-updated-weights'
	},
	{
		what: 'backprop-221: δ[1] from the run’s δ[2] and the updated W[2]',
		exercise: BACKPROP_221,
		question: 'delta1',
		students: SOME,
		answer: (v) => [updatedFirstFromRun(v)],
		code: 'backprop-through-updated-weights'
	},
	{
		what: 'backprop-221: ∂J/∂w[1]_12 from that δ[1]',
		exercise: BACKPROP_221,
		question: 'dw1',
		students: SOME,
		answer: (v) => updatedFirstFromRun(v)[0] * rowsOf(v, 'X')[0][1],
		code: 'backprop-through-updated-weights'
	},
	// bias-not-updated: b keeps its old value
	{
		what: 'training-minibatch: b after the first batch, unchanged',
		exercise: MINIBATCH,
		question: 'b-batch1',
		students: SOME,
		answer: (v) => denseLayers(v)[0].b,
		code: 'bias-not-updated'
	},
	{
		what: 'training-minibatch: W after the second batch, from the scenario with update.biases false',
		exercise: MINIBATCH,
		question: 'w-batch2',
		students: SOME,
		answer: (v) => askedIn({ ...v.scenario, update: { weights: true, biases: false } }, MINIBATCH, 'w-batch2'),
		code: 'bias-not-updated'
	},
	{
		what: 'gd-linear-regression: b after the step, unchanged',
		exercise: library('gd-linear-regression'),
		question: 'b-new',
		students: SOME,
		answer: (v) => denseLayers(v)[0].b[0],
		code: 'bias-not-updated'
	},
	{
		what: 'perceptron-classic-rule: b after the first example, unchanged',
		exercise: library('perceptron-classic-rule'),
		question: 'b-after1',
		students: SOME,
		answer: (v) => [[(v.scenario.perceptron as { b: number }).b]],
		code: 'bias-not-updated'
	},
	{
		what: 'perceptron-classic-rule: w after the second example, by hand with b fixed',
		exercise: library('perceptron-classic-rule'),
		question: 'w-after2',
		// the old b changes the second prediction for a few students only
		students: MANY,
		answer: (v) => [perceptronBiasKept(v, 2)],
		code: 'bias-not-updated'
	},
	// padding-forgotten: p taken as 0
	{
		what: 'conv-padding-stride: the top-left cell without the padding, by hand',
		exercise: library('conv-padding-stride'),
		question: 'top-left',
		students: SOME,
		answer: (v) => correlate(image(v), convLayer(v).W[0][0], 0, 0, 2, 0) + convLayer(v).b[0],
		code: 'padding-forgotten'
	},
	{
		what: 'a cell of a padded convolution computed without the padding',
		exercise: small(CONV_PADDED, `ask: "Z[1][0][0][1][0]", step: 1, ${exact}`),
		question: 'q',
		students: ONE,
		answer: (v) => correlate(image(v), convLayer(v).W[0][0], 1, 0, 1, 0) + 0.5,
		code: 'padding-forgotten'
	},
	{
		what: 'conv-padding-1-course: the output size without the padding',
		exercise: library('conv-padding-1-course'),
		question: 'size',
		students: ONE,
		// (5 − 3)/1 + 1
		answer: () => [1, 3, 3],
		code: 'padding-forgotten'
	},
	{
		what: 'the size of a flatten after a padded convolution',
		exercise: small(PADDED_CNN, 'ask: output_size, layer: 2'),
		question: 'q',
		students: ONE,
		// a 2×2 map: 4 values
		answer: () => 4,
		code: 'padding-forgotten'
	},
	{
		what: 'the parameters of a padded convolution, a flatten and a dense unit',
		exercise: small(PADDED_CNN, 'ask: param_count'),
		question: 'q',
		students: ONE,
		// (3·3 + 1) for the kernel, then 4 inputs + 1 bias for the dense unit
		answer: () => 10 + 5,
		code: 'padding-forgotten'
	},
	// stride-ignored: s taken as 1 in a convolution
	{
		what: 'a cell of a convolution of stride 2 computed with stride 1, by hand',
		exercise: small(CONV_STRIDED, `ask: "Z[1][0][0][0][1]", step: 1, ${exact}`),
		question: 'q',
		students: ONE,
		answer: (v) => correlate(image(v), convLayer(v).W[0][0], 0, 1, 1, 0),
		code: 'stride-ignored'
	},
	{
		what: 'conv-stride-2-course: the output size with stride 1',
		exercise: library('conv-stride-2-course'),
		question: 'size',
		students: ONE,
		answer: () => [1, 3, 3],
		code: 'stride-ignored'
	},
	{
		what: 'cnn-architecture-9x9x3: the second convolution’s size with stride 1',
		exercise: library('cnn-architecture-9x9x3'),
		question: 'size2',
		students: ONE,
		// (7 − 3)/1 + 1
		answer: () => [16, 5, 5],
		code: 'stride-ignored'
	},
	{
		what: 'cnn-architecture-9x9x3: the flatten’s size after it',
		exercise: library('cnn-architecture-9x9x3'),
		question: 'size3',
		students: ONE,
		answer: () => 16 * 5 * 5,
		code: 'stride-ignored'
	},
	{
		what: 'cnn-architecture-9x9x3: the dense layer’s parameters after it',
		exercise: library('cnn-architecture-9x9x3'),
		question: 'params4',
		students: ONE,
		answer: () => 16 * 5 * 5 + 1,
		code: 'stride-ignored'
	},
	// pool-window-ignores-stride: the window moved by 1
	{
		what: 'a max-pooling cell with the window moved by 1, by hand',
		exercise: small(POOL('max'), `ask: "A[1][0][0][1][0]", step: 1, ${exact}`),
		question: 'q',
		students: ONE,
		answer: (v) => max(windowAt(image(v), 2, 1, 0, 1)),
		code: 'pool-window-ignores-stride'
	},
	{
		what: 'an average-pooling cell with the window moved by 1, by hand',
		exercise: small(POOL('avg'), `ask: "A[1][0][0][0][1]", step: 1, ${exact}`),
		question: 'q',
		students: ONE,
		answer: (v) => mean(windowAt(image(v), 2, 0, 1, 1)),
		code: 'pool-window-ignores-stride'
	},
	{
		what: 'pool-max: the output size with the window moved by 1 (where s = 2)',
		exercise: library('pool-max'),
		question: 'size',
		students: SOME,
		answer: () => [1, 3, 3],
		code: 'pool-window-ignores-stride'
	},
	{
		what: 'pool-max-course: the output size with the window moved by 1',
		exercise: library('pool-max-course'),
		question: 'size',
		students: ONE,
		// (5 − 2)/1 + 1
		answer: () => [1, 4, 4],
		code: 'pool-window-ignores-stride'
	}
];

const indexOf = (exercise: Exercise, id: string): number => exercise.questions.findIndex((q) => q.id === id);

describe('mistakes of a convention changed throughout', () => {
	it.each(cases)('$what: $code', ({ exercise, question, students, answer, code }) => {
		const i = indexOf(exercise, question);
		const q = exercise.questions[i] as ValueQuestion;
		let named = 0;
		for (const student of students) {
			const variant = variantOf(exercise, student);
			const right = variant.expected[i];
			if (!right?.ok) throw new Error('no key');
			const typed = answer(variant);
			// for these numbers the mistake changes nothing (pool-max's stride of 1, an error of 0)
			if (markValue(typed, right.value, q.tolerance).score === 1) continue;
			const report = gradeAnswers(exercise, variant, { [question]: write(typed) }).questions[i];
			expect(report, `${student}: ${JSON.stringify(feedbackText(report.message, 'en'))}`).toMatchObject({ verdict: 'diagnosed', diagnosis: { code } });
			named++;
		}
		expect(named).toBeGreaterThan(0);
	});

	it.each(cases)('never diagnoses the right answer ($what)', ({ exercise, question, students }) => {
		const i = indexOf(exercise, question);
		for (const student of students) {
			const variant = variantOf(exercise, student);
			const right = variant.expected[i];
			if (!right?.ok) throw new Error('no key');
			expect(gradeAnswers(exercise, variant, { [question]: write(right.value) }).questions[i].verdict).toBe('right');
		}
	});
});

describe('a map of another shape than the key', () => {
	it('is named by the mistake that gives it whole, after the shapes', () => {
		const exercise = library('conv-padding-stride');
		const variant = variantOf(exercise, 'alice');
		const { W, b } = convLayer(variant);
		// without the padding the map is 2×2, not 3×3
		const map = [0, 1].map((r) => [0, 1].map((c) => correlate(image(variant), W[0][0], r, c, 2, 0) + b[0]));
		const report = gradeAnswers(exercise, variant, { map: write(map) }).questions[indexOf(exercise, 'map')];
		expect(report).toMatchObject({ verdict: 'diagnosed', points: 0, diagnosis: { code: 'padding-forgotten', entries: [] } });
		expect(feedbackText(report.message, 'en')).toMatch(/^Expected a 3 × 3 matrix; your answer is a 2 × 2 matrix\. Padding forgotten\./);
	});

	it('is wrong by its shape alone when no mistake gives it', () => {
		const exercise = library('conv-padding-stride');
		const report = gradeAnswers(exercise, variantOf(exercise, 'alice'), { map: '[[1, 2], [3, 4]]' }).questions[indexOf(exercise, 'map')];
		expect(report.verdict).toBe('wrong');
		expect(report.diagnosis).toBeUndefined();
	});
});

describe('where a changed convention cannot be named', () => {
	it('names neither of two mistakes that give the same fact, and says both', () => {
		// (5 + 2 − 3)/2 + 1 = 3; without the padding (5 − 3)/2 + 1 = 2, and without the + 1 also 2;
		// course 001 writes h × w × maps, and channels first is read too
		const exercise = library('conv-padding-stride');
		for (const size of ['2×2×1', '[1, 2, 2]']) {
			const report = gradeAnswers(exercise, variantOf(exercise, 'alice'), { size }).questions[indexOf(exercise, 'size')];
			expect(report.verdict, size).toBe('partial');
			expect(report.diagnosis, size).toBeUndefined();
			expect(report.alternatives?.sort(), size).toEqual(['output-size-without-plus-one', 'padding-forgotten']);
			expect(feedbackText(report.message, 'en'), size).toMatch(/Several mistakes give this value: (padding forgotten, or output size without the “\+ 1”|output size without the “\+ 1”, or padding forgotten)\./);
			expect(feedbackText(report.message, 'fr'), size).toMatch(/Plusieurs erreurs donnent cette valeur : .+, ou .+\./);
		}
	});

	it('does not name a convention of the whole matrix for one entry the answer has right beside another', () => {
		// W = [[0.5, −0.5], [1, 1]] on x = (1, 0.5): read by columns, z = (1.2, 0), and σ(0) = 0.5
		const exercise = small(
			`  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: sigmoid, W: [[0.5, -0.5], [1, 1]], b: [0.2, 0] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.5 }
  data: { X: [[1.0, 0.5]], Y: [[1.0, 0.0]] }`,
			'ask: "A[1]", step: 1'
		);
		const variant = variantOf(exercise, 'anyone');
		const grade = (a: number[]) => gradeAnswers(exercise, variant, { q: write([a]) }).questions[0];
		expect(grade([sigmoid(0.45), 0.5])).toMatchObject({ verdict: 'partial' });
		expect(grade([sigmoid(1.2), 0.5])).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'rows-columns-swapped' } });
	});
});

describe('the formula of the student’s mistake', () => {
	it('is the rerun’s, with the student’s numbers, where the scenario alone changed', () => {
		const exercise = small(NET_221(0.1), 'ask: "Z[1]", step: 1');
		// W[1] read by columns: z_1 = 0.1·1 + 0.4·0.5 + 0.1
		const report = gradeAnswers(exercise, variantOf(exercise, 'anyone'), { q: write([dense(transpose([[0.1, -0.2], [0.4, 0.3]]), [0.1, -0.1], [1, 0.5])]) }).questions[0];
		expect(report).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'rows-columns-swapped' } });
		expect(report.mistakeFormula?.en.substituted).toContain('0.4 \\cdot 0.5');
	});

	it('is left out where an option of the run changed maths the formulas do not know of', () => {
		const exercise = small(NET_221(0.5), 'ask: "dZ[1]", step: 1');
		const report = gradeAnswers(exercise, variantOf(exercise, 'anyone'), { q: write([updatedFirst221(0.5).delta1]) }).questions[0];
		expect(report).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'backprop-through-updated-weights' } });
		expect(report.formula).toBeDefined();
		expect(report.mistakeFormula).toBeUndefined();
	});
});

describe('the engine’s option for backpropagating through the updated weights', () => {
	it('changes only what lies below the output layer, and not the updates of the output layer', () => {
		// DESIGN.md's 2-2-1 network, one step on one sample
		const scenario = DESIGN_EXAMPLE;
		const right = run(scenario);
		const mistaken = run(scenario, { backpropThroughUpdatedWeights: true });
		for (const name of ['Z[2]', 'dZ[2]', 'dW[2]', 'W[2]', 'b[2]']) expect(event(mistaken, 1, name), name).toEqual(event(right, 1, name));
		const dA1 = rowOf(mistaken, 1, 'dA[1]');
		updatedFirst221(0.5).dA1.forEach((d, j) => expect(dA1[j]).toBeCloseTo(d, 12));
		expect(rowOf(mistaken, 1, 'dA[1]')).not.toEqual(rowOf(right, 1, 'dA[1]'));
	});
});
