/**
 * The evaluation exercises worked by hand from each student's own numbers: accuracy on the training
 * and test trees, MAE and MSE, the weight-decay update; and the early-stopping exercise, whose
 * statement writes the validation losses a student cannot compute, checked against the run.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine/run';
import { findEvent } from '../../../src/lib/engine/trace';
import type { Variant } from '../../../src/lib/exercises/variant';
import { keyOf, libraryExercise, variantOf } from './library-exercise';


const STUDENTS = ['alice', 'bob', 'chloé', 'dmitri', 'emma'];



type Scenario = {
	model: { layers: { W: number[][]; b: number[] }[] };
	data: { X: number[][]; Y: number[][] };
	validation?: { X: number[][]; Y: number[][] };
	optimizer: { lr: number };
	regularization?: { l2: number };
};
const scenarioOf = (variant: Variant) => variant.scenario as unknown as Scenario;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

describe('evaluation-accuracy-course-001', () => {
	const exercise = libraryExercise('evaluation-accuracy-course-001');

	it.each(STUDENTS)('the accuracy on the 7 training trees and the 3 test trees, and the test cost (%s)', (student) => {
		const variant = variantOf(exercise, student);
		const { model, data } = scenarioOf(variant);
		const [[w1, w2]] = model.layers[0].W;
		const [b] = model.layers[0].b;
		const h = data.X.map(([x1, x2]) => 1 / (1 + Math.exp(-(w1 * x1 + w2 * x2 + b))));
		const right = h.map((p, i) => ((p > 0.5 ? 1 : 0) === data.Y[i][0] ? 1 : 0));
		expect(keyOf(exercise, variant, 'acc')).toBeCloseTo(mean(right.slice(0, 7)), 12);
		expect(keyOf(exercise, variant, 'val_acc')).toBeCloseTo(mean(right.slice(7)), 12);
		const crossEntropy = h.slice(7).map((p, i) => -(data.Y[7 + i][0] * Math.log(p) + (1 - data.Y[7 + i][0]) * Math.log(1 - p)));
		expect(keyOf(exercise, variant, 'val_cost')).toBeCloseTo(mean(crossEntropy), 12);
	});
});

describe('evaluation-mae-mse-course-001', () => {
	const exercise = libraryExercise('evaluation-mae-mse-course-001');

	it.each(STUDENTS)('the predictions, MAE and MSE on the training examples, MAE on the validation ones (%s)', (student) => {
		const variant = variantOf(exercise, student);
		const { model, data, validation } = scenarioOf(variant);
		const [[w1, w2]] = model.layers[0].W;
		const [b] = model.layers[0].b;
		const predict = (X: number[][]) => X.map(([x1, x2]) => w1 * x1 + w2 * x2 + b);
		const errors = predict(data.X).map((p, i) => p - data.Y[i][0]);
		expect(keyOf(exercise, variant, 'predictions')).toEqual(predict(data.X).map((p) => [expect.closeTo(p, 12)]));
		expect(keyOf(exercise, variant, 'mae')).toBeCloseTo(mean(errors.map(Math.abs)), 12);
		expect(keyOf(exercise, variant, 'mse')).toBeCloseTo(mean(errors.map((e) => e * e)), 12);
		if (!validation) throw new Error('no validation data');
		expect(keyOf(exercise, variant, 'val_mae')).toBeCloseTo(mean(predict(validation.X).map((p, i) => Math.abs(p - validation.Y[i][0]))), 12);
	});
});

describe('evaluation-weight-decay-course-004', () => {
	const exercise = libraryExercise('evaluation-weight-decay-course-004');

	it.each(STUDENTS)('w ← w − η(∂C/∂w + 2λw), b ← b − η ∂C/∂b, twice (%s)', (student) => {
		const variant = variantOf(exercise, student);
		const { model, data, optimizer, regularization } = scenarioOf(variant);
		const [x1, x2] = data.X[0];
		const y = data.Y[0][0];
		const { lr } = optimizer;
		const lambda = regularization?.l2 ?? 0;
		let [w, b] = [[...model.layers[0].W[0]], model.layers[0].b[0]];
		const steps: { grad: number[]; w: number[]; b: number }[] = [];
		for (let step = 0; step < 2; step++) {
			const error = w[0] * x1 + w[1] * x2 + b - y;
			const grad = [error * x1, error * x2];
			w = w.map((wk, k) => wk - lr * (grad[k] + 2 * lambda * wk));
			b = b - lr * error;
			steps.push({ grad, w, b });
		}
		const close = (values: number[]) => [values.map((v) => expect.closeTo(v, 12))];
		expect(keyOf(exercise, variant, 'grad')).toEqual(close(steps[0].grad));
		expect(keyOf(exercise, variant, 'w1')).toEqual(close(steps[0].w));
		expect(keyOf(exercise, variant, 'b1')).toEqual([expect.closeTo(steps[0].b, 12)]);
		expect(keyOf(exercise, variant, 'w2')).toEqual(close(steps[1].w));
	});
});

describe('evaluation-early-stopping-course-004', () => {
	const exercise = libraryExercise('evaluation-early-stopping-course-004');
	/** The `val_loss` rows of the statement's tables, one after the other. */
	const table = (text: string) =>
		text
			.split('\n')
			.filter((line) => line.startsWith('| `val_loss` |'))
			.flatMap((row) => row.split('|').slice(2, -1).map((cell) => Number(cell.trim().replace(',', '.'))));
	const stated = table(exercise.statement.en);

	it('states, in both languages, the validation losses of the 14 epochs the run computes, to 4 decimals', () => {
		expect(table(exercise.statement.fr)).toEqual(stated);
		const { early_stopping: _, ...withoutStopping } = exercise.scenario as Record<string, unknown>;
		const trace = run(withoutStopping);
		expect(trace.steps).toBe(14);
		const losses = Array.from({ length: 14 }, (_, i) => findEvent(trace, i + 1, 'val_loss')?.value.data[0] ?? NaN);
		expect(stated).toEqual(losses.map((v) => Number(v.toFixed(4))));
	});

	/** Keras's rule by hand: a new best resets wait, any other epoch adds 1; stop when wait reaches the patience. */
	function states(losses: number[], patience: number): number[][] {
		const out: number[][] = [];
		let [best, bestEpoch, wait] = [Infinity, 0, 0];
		for (let epoch = 1; epoch <= losses.length; epoch++) {
			if (losses[epoch - 1] < best) [best, bestEpoch, wait] = [losses[epoch - 1], epoch, 0];
			else wait++;
			out.push([best, bestEpoch, wait, wait >= patience ? 1 : 0]);
			if (wait >= patience) break;
		}
		return out;
	}

	it('gives the state of Keras’s rule as worked by hand on the stated losses, and stops after epoch 12', () => {
		const byHand = states(stated, 3);
		expect(byHand).toHaveLength(12);
		const variant = variantOf(exercise, 'anyone');
		expect(variant.trace.steps).toBe(12);
		for (const [id, epoch] of [['epoch3', 3], ['epoch6', 6], ['epoch12', 12]] as const) {
			const [b, ...rest] = keyOf(exercise, variant, id) as number[];
			expect([Number(b.toFixed(4)), ...rest], id).toEqual(byHand[epoch - 1]);
		}
		expect(byHand[11]).toEqual([0.0256, 9, 3, 1]);
	});

	it('asks when a patience of 2 would have stopped: at epoch 3, two epochs after the best of epoch 1', () => {
		expect(states(stated, 2)).toHaveLength(3);
		const question = exercise.questions.find((q) => q.id === 'patience2');
		expect(question?.kind === 'choice' && question.options[question.answer].en).toBe('Epoch 3');
	});
});

describe('evaluation-curves-course-002', () => {
	const exercise = libraryExercise('evaluation-curves-course-002');
	const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
	const crossEntropy = (h: number, y: number): number => -y * Math.log(h) - (1 - y) * Math.log(1 - h);

	/** 002's loop by hand: one patient at a time, w' = w − α δLoss_w with δLoss_w = −(y − h) x, the bias w0 on x0 = 1. */
	function byHand(variant: Variant): { w: number[][]; w0: number; losses: number[]; testLosses: number[] } {
		const s = scenarioOf(variant);
		let w = [...s.model.layers[0].W[0]];
		let w0 = s.model.layers[0].b[0];
		const h = (x: number[]) => sigmoid(w0 + w[0] * x[0] + w[1] * x[1]);
		const meanLoss = (X: number[][], Y: number[][]) => mean(X.map((x, i) => crossEntropy(h(x), Y[i][0])));
		const weights: number[][] = [];
		const biases: number[] = [];
		const losses: number[] = [];
		const testLosses: number[] = [];
		for (let epoch = 0; epoch < 2; epoch++) {
			s.data.X.forEach((x, i) => {
				const error = -(s.data.Y[i][0] - h(x));
				w = w.map((wi, k) => wi - s.optimizer.lr * error * x[k]);
				w0 -= s.optimizer.lr * error;
			});
			weights.push([...w]);
			biases.push(w0);
			losses.push(meanLoss(s.data.X, s.data.Y));
			testLosses.push(meanLoss(s.validation?.X ?? [], s.validation?.Y ?? []));
		}
		return { w: [weights[0]], w0: biases[0], losses, testLosses };
	}

	it.each(STUDENTS)('the weights after an epoch and both curves, worked by hand (%s)', (student) => {
		const variant = variantOf(exercise, student);
		const hand = byHand(variant);
		(keyOf(exercise, variant, 'w-epoch1') as number[][])[0].forEach((v, k) => expect(v).toBeCloseTo(hand.w[0][k], 12));
		expect((keyOf(exercise, variant, 'w0-epoch1') as number[])[0]).toBeCloseTo(hand.w0, 12);
		expect(keyOf(exercise, variant, 'loss-epoch1')).toBeCloseTo(hand.losses[0], 12);
		expect(keyOf(exercise, variant, 'val-epoch1')).toBeCloseTo(hand.testLosses[0], 12);
		expect(keyOf(exercise, variant, 'loss-epoch2')).toBeCloseTo(hand.losses[1], 12);
		expect(keyOf(exercise, variant, 'val-epoch2')).toBeCloseTo(hand.testLosses[1], 12);
	});

	it('gives every student two curves that both fall, as the choice question says', () => {
		const falls = Array.from({ length: 60 }, (_, i) => byHand(variantOf(exercise, `student-${i}`))).map(({ losses, testLosses }) => losses[1] < losses[0] && testLosses[1] < testLosses[0]);
		expect(falls.every(Boolean)).toBe(true);
	});
});
