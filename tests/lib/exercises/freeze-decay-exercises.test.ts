/**
 * fine-tuning-course-002 and lr-decay-course-002: each student's key against the computation by hand
 * from the numbers the statement gives (a frozen hidden layer left as it is; α_k = α₀/(1 + r k/4)
 * counted per update from 0), and the typical mistakes of both named when a student makes them.
 */
import { describe, expect, it } from 'vitest';
import { gradeAnswers } from '../../../src/lib/exercises/grade';
import type { Variant } from '../../../src/lib/exercises/variant';
import { keyOf, libraryExercise, variantOf } from './library-exercise';

const STUDENTS = ['alice', 'bob', 'chloé', 'dmitri', 'emma'];
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const write = (v: number | number[] | number[][]): string => (Array.isArray(v) ? `[${v.map((x) => write(x)).join(', ')}]` : String(v));




interface Dense {
	W: number[][];
	b: number[];
}

describe('fine-tuning-course-002', () => {
	const exercise = libraryExercise('fine-tuning-course-002');

	/** The student's numbers by hand: the frozen layer forward only, the output layer's one update. */
	function byHand(variant: Variant) {
		const layers = (variant.scenario.model as { layers: Dense[] }).layers;
		const x = (variant.scenario.data as { X: number[][] }).X[0];
		const y = (variant.scenario.data as { Y: number[][] }).Y[0][0];
		const lr = (variant.scenario.optimizer as { lr: number }).lr;
		const [hidden, output] = layers;
		const a1 = hidden.W.map((row, j) => sigmoid(row[0] * x[0] + row[1] * x[1] + hidden.b[j]));
		const h = sigmoid(output.W[0][0] * a1[0] + output.W[0][1] * a1[1] + output.b[0]);
		const dz2 = -(y - h) * h * (1 - h);
		const dW2 = a1.map((a) => dz2 * a);
		// what a student who updates the frozen layer too writes: δ¹ = w²ₖ δ² a¹(1 − a¹), w¹ − α δ¹ x
		const delta1 = a1.map((a, k) => output.W[0][k] * dz2 * a * (1 - a));
		const updatedAnyway = hidden.W.map((row, j) => row.map((w, k) => w - lr * delta1[j] * x[k]));
		return { a1, h, dz2, dW2, W2: [output.W[0].map((w, k) => w - lr * dW2[k])], b2: [output.b[0] - lr * dz2], W1: hidden.W, updatedAnyway };
	}

	it.each(STUDENTS)('%s: the key is the hand computation, and the frozen W[1] is the one given', (student) => {
		const variant = variantOf(exercise, student);
		const hand = byHand(variant);
		expect(keyOf(exercise, variant, 'a1')).toEqual([hand.a1.map((a) => expect.closeTo(a, 12))]);
		expect(keyOf(exercise, variant, 'h')).toEqual([[expect.closeTo(hand.h, 12)]]);
		expect(keyOf(exercise, variant, 'dw2')).toEqual([hand.dW2.map((g) => expect.closeTo(g, 12))]);
		expect(keyOf(exercise, variant, 'w2')).toEqual(hand.W2.map((row) => row.map((w) => expect.closeTo(w, 12))));
		expect(keyOf(exercise, variant, 'w0-2')).toEqual(hand.b2.map((b) => expect.closeTo(b, 12)));
		expect(keyOf(exercise, variant, 'w1')).toEqual(hand.W1);
	});

	it.each(STUDENTS)('%s: a hidden layer updated anyway is named, and the right answers earn every point', (student) => {
		const variant = variantOf(exercise, student);
		const hand = byHand(variant);
		const wrong = gradeAnswers(exercise, variant, { w1: write(hand.updatedAnyway) }).questions.find((q) => q.id === 'w1');
		expect(wrong).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'frozen-layer-updated' } });
		const right = gradeAnswers(exercise, variant, { a1: write([hand.a1]), h: String(hand.h), dz2: String(hand.dz2), dw2: write([hand.dW2]), w2: write(hand.W2), 'w0-2': write(hand.b2), w1: write(hand.W1), delta1: 'B' });
		expect(right.points).toBe(right.max);
	});
});

describe('lr-decay-course-002', () => {
	const exercise = libraryExercise('lr-decay-course-002');

	/** Four updates by hand, the rate of update k + 1 given by `rate(k, epoch)`. */
	function byHand(variant: Variant, rate: (k: number, epoch: number) => number) {
		const X = (variant.scenario.data as { X: number[][] }).X.map((row) => row[0]);
		const Y = (variant.scenario.data as { Y: number[][] }).Y.map((row) => row[0]);
		const layer = (variant.scenario.model as { layers: Dense[] }).layers[0];
		let w = layer.W[0][0];
		let b = layer.b[0];
		const steps: { alpha: number; w: number; b: number }[] = [];
		for (let k = 0; k < 4; k++) {
			const alpha = rate(k, Math.floor(k / 2) + 1);
			const i = k % 2;
			const error = w * X[i] + b - Y[i];
			w -= alpha * error * X[i];
			b -= alpha * error;
			steps.push({ alpha, w, b });
		}
		return steps;
	}

	const scheduleOf = (variant: Variant) => (variant.scenario.optimizer as { lr: { initial: number; decay_rate: number; decay_steps: number } }).lr;

	it.each(STUDENTS)('%s: α_k = α₀/(1 + r k/4) per update, and the weights by hand', (student) => {
		const variant = variantOf(exercise, student);
		const { initial, decay_rate: r } = scheduleOf(variant);
		const steps = byHand(variant, (k) => initial / (1 + (r * k) / 4));
		expect(keyOf(exercise, variant, 'w-1')).toEqual([[expect.closeTo(steps[0].w, 12)]]);
		expect(keyOf(exercise, variant, 'alpha-1')).toBeCloseTo(steps[1].alpha, 14);
		expect(keyOf(exercise, variant, 'w-2')).toEqual([[expect.closeTo(steps[1].w, 12)]]);
		expect(keyOf(exercise, variant, 'w0-2')).toEqual([expect.closeTo(steps[1].b, 12)]);
		expect(keyOf(exercise, variant, 'alpha-2')).toBeCloseTo(steps[2].alpha, 14);
		expect(keyOf(exercise, variant, 'alpha-3')).toBeCloseTo(steps[3].alpha, 14);
		expect(keyOf(exercise, variant, 'w-4')).toEqual([[expect.closeTo(steps[3].w, 12)]]);
	});

	it.each([
		{ code: 'decay-per-epoch', rate: (initial: number, r: number) => (_k: number, epoch: number) => initial / (1 + (r * (epoch - 1)) / 4) },
		{ code: 'decay-steps-forgotten', rate: (initial: number, r: number) => (k: number) => initial / (1 + r * k) },
		{ code: 'decay-counted-from-one', rate: (initial: number, r: number) => (k: number) => initial / (1 + (r * (k + 1)) / 4) }
	])('names $code from the rates a student making it writes', ({ code, rate }) => {
		for (const student of STUDENTS) {
			const variant = variantOf(exercise, student);
			const { initial, decay_rate: r } = scheduleOf(variant);
			const steps = byHand(variant, rate(initial, r));
			const report = gradeAnswers(exercise, variant, { 'alpha-2': String(steps[2].alpha) });
			expect(report.questions.find((q) => q.id === 'alpha-2'), student).toMatchObject({ verdict: 'diagnosed', diagnosis: { code } });
		}
	});
});
