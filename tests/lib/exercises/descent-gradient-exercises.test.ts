/**
 * The exercises on a non-convex descent (course 001) and on vanishing and exploding gradients
 * (course 004), worked by hand from each student's own numbers; and the facts their choices
 * state, checked for every start and every chain the students can draw.
 */
import { describe, expect, it } from 'vitest';
import type { Variant } from '../../../src/lib/exercises/variant';
import { keyOf, libraryExercise, variantOf } from './library-exercise';


const STUDENTS = ['alice', 'bob', 'chloé', 'dmitri', 'emma', 'farid', 'gaëlle', 'hugo'];



type Scenario = {
	model: { layers: { W: number[][]; b: number[] }[] };
	data: { X: number[][]; Y: number[][] };
	optimizer: { lr: number };
};
const scenarioOf = (variant: Variant) => variant.scenario as unknown as Scenario;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('gd-local-minimum-course-001', () => {
	const exercise = libraryExercise('gd-local-minimum-course-001');
	// h(x) = (w x + 1)^2 on x = -2 and x = 1, both of target 9; C the mean of (h - y)^2
	const XS = [-2, 1];
	const cost = (w: number) => XS.reduce((sum, x) => sum + ((w * x + 1) ** 2 - 9) ** 2, 0) / 2;
	const slope = (w: number) => XS.reduce((sum, x) => sum + 2 * ((w * x + 1) ** 2 - 9) * 2 * (w * x + 1) * x, 0) / 2;

	it('has the lesson’s landscape: optima at w = −1 (C = 40.5) and w = 2 (C = 0), slopes −20.25 at 0.5 and 16 at 0', () => {
		expect([cost(-1), slope(-1), cost(2), slope(2)]).toEqual([40.5, 0, 0, 0]);
		expect(slope(0.5)).toBeCloseTo(-20.25, 12);
		expect(slope(0)).toBe(16);
	});

	it.each(STUDENTS)('h, C, and three steps of ∂C/∂z, w ← w − α ∂C/∂w (%s)', (student) => {
		const variant = variantOf(exercise, student);
		const { model, optimizer } = scenarioOf(variant);
		let w = model.layers[0].W[0][0];
		expect(keyOf(exercise, variant, 'h1')).toEqual(XS.map((x) => [expect.closeTo((w * x + 1) ** 2, 12)]));
		expect(keyOf(exercise, variant, 'c1')).toBeCloseTo(cost(w), 12);
		for (const step of [1, 2, 3]) {
			// ∂C/∂z_i = ½ · 2(h − y) · 2z, the square's derivative 2z included
			expect(keyOf(exercise, variant, `dz${step}`)).toEqual(XS.map((x) => [expect.closeTo(((w * x + 1) ** 2 - 9) * 2 * (w * x + 1), 10)]));
			const g = slope(w);
			w -= optimizer.lr * g;
			expect(keyOf(exercise, variant, `grad${step}`)).toEqual([[expect.closeTo(g, 10)]]);
			expect(keyOf(exercise, variant, `w${step}`)).toEqual([[expect.closeTo(w, 12)]]);
		}
	});

	it('ends in the local optimum w = −1 from every start and rate a student can draw, so its choice has one answer', () => {
		const ends: number[] = [];
		for (const lr of [0.005, 0.01]) {
			for (let start = -0.5; start <= 0.1 + 1e-9; start += 0.1) {
				let w = start;
				for (let i = 0; i < 5000; i++) w -= lr * slope(w);
				ends.push(w);
			}
		}
		expect(ends).toHaveLength(14);
		for (const end of ends) expect(end).toBeCloseTo(-1, 6);
		expect(exercise.questions.find((q) => q.id === 'optimum')).toMatchObject({ answer: 1 });
	});
});

/** Forward and backward along a chain of one-neuron sigmoid layers, C = (o − y)^2: a, δ and ∂C/∂w of each layer. */
function chain(scenario: Scenario) {
	const weights = scenario.model.layers.map((l) => l.W[0][0]);
	const biases = scenario.model.layers.map((l) => l.b[0]);
	const x = scenario.data.X[0][0];
	const a = [x];
	for (let l = 0; l < weights.length; l++) a.push(sigmoid(weights[l] * a[l] + biases[l]));
	const o = a[a.length - 1];
	const dCdo = 2 * (o - scenario.data.Y[0][0]);
	const delta: number[] = new Array(weights.length);
	const factors: number[] = [];
	delta[weights.length - 1] = dCdo * o * (1 - o);
	for (let l = weights.length - 2; l >= 0; l--) {
		const factor = weights[l + 1] * a[l + 1] * (1 - a[l + 1]);
		factors.push(factor);
		delta[l] = delta[l + 1] * factor;
	}
	return { weights, a, dCdo, delta, factors, dW: delta.map((d, l) => d * a[l]) };
}

describe.each([
	{ id: 'backprop-vanishing-course-004', vanishing: true },
	{ id: 'backprop-exploding-course-004', vanishing: false }
])('$id', ({ id, vanishing }) => {
	const exercise = libraryExercise(id);

	it.each(STUDENTS)('the activations, δ of each layer down the chain and ∂C/∂w of the last and first layers (%s)', (student) => {
		const variant = variantOf(exercise, student);
		const { a, dCdo, delta, dW } = chain(scenarioOf(variant));
		if (vanishing) {
			for (const [q, l] of [['a2', 1], ['a3', 2], ['a4', 3]] as const) expect(keyOf(exercise, variant, q)).toBeCloseTo(a[l], 12);
		} else {
			expect(keyOf(exercise, variant, 'z2')).toBeCloseTo(0, 12);
		}
		expect(keyOf(exercise, variant, 'o')).toBeCloseTo(a[4], 12);
		expect(keyOf(exercise, variant, 'dc-do')).toBeCloseTo(dCdo, 12);
		for (const [q, l] of [['delta5', 3], ['delta4', 2], ['delta3', 1], ['delta2', 0]] as const) expect(keyOf(exercise, variant, q)).toBeCloseTo(delta[l], 12);
		expect(keyOf(exercise, variant, 'dc-dw5')).toBeCloseTo(dW[3], 12);
		expect(keyOf(exercise, variant, 'dc-dw2')).toBeCloseTo(dW[0], 12);
	});

	it('multiplies δ by a factor below ½ (vanishing) or at least 1.5 (exploding) at every layer, for every student', () => {
		for (let i = 0; i < 60; i++) {
			const { factors, dW } = chain(scenarioOf(variantOf(exercise, `student-${i}`)));
			for (const factor of factors) {
				if (vanishing) expect(Math.abs(factor)).toBeLessThanOrEqual(0.5);
				else expect(factor).toBeGreaterThanOrEqual(1.5);
			}
			if (!vanishing) expect(Math.abs(dW[0]) / Math.abs(dW[3])).toBeGreaterThanOrEqual(1.5 ** 3);
		}
	});
});

describe('backprop-exploding-course-004', () => {
	const exercise = libraryExercise('backprop-exploding-course-004');

	it.each(STUDENTS)('w^(5) and w^(2) after w ← w − η ∂C/∂w: the first weight moves the most (%s)', (student) => {
		const variant = variantOf(exercise, student);
		const scenario = scenarioOf(variant);
		const { weights, dW } = chain(scenario);
		const lr = scenario.optimizer.lr;
		expect(keyOf(exercise, variant, 'w5-new')).toBeCloseTo(weights[3] - lr * dW[3], 12);
		expect(keyOf(exercise, variant, 'w2-new')).toBeCloseTo(weights[0] - lr * dW[0], 12);
	});
});
