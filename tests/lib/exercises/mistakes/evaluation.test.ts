import { describe, expect, it } from 'vitest';
import { parseExercise, type Exercise } from '../../../../src/lib/exercises/exercise';
import { gradeAnswers } from '../../../../src/lib/exercises/grade';
import { drawVariant, type Variant } from '../../../../src/lib/exercises/variant';
import { feedbackText } from '../../../../src/lib/exercises/feedback-text';

/** An exercise around one scenario, asking one question `q` (a YAML flow mapping). */
function exercise(scenario: string, question: string): { exercise: Exercise; variant: Variant } {
	const text = `id: evaluation-mistakes
title: { fr: Erreurs, en: Mistakes }
statement: { fr: "Calculez.", en: "Compute." }
topic: evaluation
notation: bracket
scenario:
${scenario}
questions:
  - ${question}
`;
	const parsed = parseExercise(text, 'evaluation-mistakes.yaml');
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	const drawn = drawVariant(parsed.exercise, 'anyone');
	if (!drawn.ok) throw new Error(drawn.message);
	return { exercise: parsed.exercise, variant: drawn.variant };
}

/**
 * ŷ = x (w = 1, b = 0, never updated), so the predictions are the inputs. Training: ŷ = (0.9, 0.2,
 * 0.7, 0.4) for y = (1, 0, 0, 0); held out: ŷ = (0.8, 0.3, 0.6) for y = (1, 1, 0).
 */
const EVALUATED = `  model:
    input: 1
    layers:
      - { type: dense, units: 1, activation: identity, W: [[1]], b: [0] }
  loss: mse
  optimizer: { type: sgd, lr: 0.1 }
  update: { weights: false, biases: false }
  metrics: [accuracy, mae, mse]
  data: { X: [[0.9], [0.2], [0.7], [0.4]], Y: [[1], [0], [0], [0]] }
  validation: { X: [[0.8], [0.3], [0.6]], Y: [[1], [1], [0]] }
  training: { epochs: 1 }`;
// by hand: predicted classes (ŷ > 0.5) 1, 0, 1, 0 against 1, 0, 0, 0 (3 of 4 right); held out 1, 0, 1 against 1, 1, 0 (1 of 3)
const trainingAccuracy = 3 / 4;
const heldOutAccuracy = 1 / 3;
const heldOutMae = (0.2 + 0.7 + 0.6) / 3;
const heldOutMse = (0.2 ** 2 + 0.7 ** 2 + 0.6 ** 2) / 3;

/** ŷ = w x with w = 0.5, x = 2, y = 0, ½(ŷ − y)², η = 0.1 and λ = 0.1: ∂J/∂w = 1 · 2 = 2. */
const DECAYED = `  model:
    input: 1
    layers:
      - { type: dense, units: 1, activation: identity, W: [[0.5]], b: [0] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.1 }
  regularization: { l2: 0.1 }
  data: { X: [[2]], Y: [[0]] }`;
// by hand: w − η(∂J/∂w + 2λw) = 0.5 − 0.1 · (2 + 0.1) = 0.29
const decayed = (penalty: number) => 0.5 - 0.1 * (2 + penalty * 0.5);

/**
 * ŷ = w x + b from w = b = 0 on one point (1, 1), mse, η = 0.5: the gradient 2(ŷ − 1) is −2, then 2,
 * so (w, b) goes (1, 1), (0, 0), (1, 1), … and the held-out point (2, 1) has the losses
 * (3 − 1)² = 4, (0 − 1)² = 1, 4, 1, … With patience 2: best 1 at epoch 2, epoch 3 is the first
 * without improvement, epoch 4 (1, not below 1) the second: training stops at epoch 4.
 */
const STOPPED = (patience: number) => `  model:
    input: 1
    layers:
      - { type: dense, units: 1, activation: identity, W: [[0]], b: [0] }
  loss: mse
  optimizer: { type: sgd, lr: 0.5 }
  data: { X: [[1]], Y: [[1]] }
  validation: { X: [[2]], Y: [[1]] }
  early_stopping: { monitor: val_loss, patience: ${patience}, restore_best_weights: true }
  training: { epochs: 10 }`;

// [what, scenario, question, the answer a student making the mistake types, its code, the right answer]
const cases: [string, string, string, string, string, string][] = [
	['the accuracy on the training set for the held-out one', EVALUATED, '{ id: q, ask: val_accuracy, step: 1 }', String(trainingAccuracy), 'training-set-for-test-set', String(heldOutAccuracy)],
	['the error rate for the accuracy', EVALUATED, '{ id: q, ask: val_accuracy, step: 1 }', String(1 - heldOutAccuracy), 'error-rate-for-accuracy', String(heldOutAccuracy)],
	['the MAE with squares', EVALUATED, '{ id: q, ask: val_mae, step: 1 }', String(heldOutMse), 'mae-with-squares', String(heldOutMae)],
	['the L2 penalty’s gradient without its 2', DECAYED, '{ id: q, ask: "W[1]", step: 1 }', String(0.5 - 0.1 * (2 + 0.1 * 0.5)), 'weight-decay-factor-two-forgotten', String(decayed(2 * 0.1))],
	['the L2 penalty left out of the gradient', DECAYED, '{ id: q, ask: "W[1]", step: 1 }', String(0.5 - 0.1 * 2), 'weight-decay-forgotten', String(decayed(2 * 0.1))],
	// at epoch 3, one epoch without improvement: patience 2 goes on, a student who counts epoch 2 itself stops
	['the patience counted from the best epoch itself', STOPPED(2), '{ id: q, ask: early_stopping, step: 3 }', '[1, 2, 1, 1]', 'patience-off-by-one', '[1, 2, 1, 0]'],
	['the last epoch restored instead of the best', STOPPED(2), '{ id: q, ask: "early_stopping[1]", step: 4 }', '4', 'early-stopping-last-weights', '2'],
	// patience 1 stops at epoch 3, whose weights are (1, 1); the best are those of epoch 2, (0, 0)
	['the last weights kept instead of the best', STOPPED(1), '{ id: q, ask: "b[1]", step: 3 }', '1', 'early-stopping-last-weights', '0']
];

describe('naming the mistakes of evaluating and regularising', () => {
	it.each(cases)('%s', (_, scenario, question, answer, code) => {
		const { exercise: e, variant } = exercise(scenario, question);
		const report = gradeAnswers(e, variant, { q: answer });
		expect(report.questions[0], JSON.stringify(feedbackText(report.questions[0].message, 'en'))).toMatchObject({ verdict: 'diagnosed', diagnosis: { code } });
	});

	it.each(cases)('takes the right answer, worked by hand (%s)', (_, scenario, question, _answer, _code, right) => {
		const { exercise: e, variant } = exercise(scenario, question);
		expect(gradeAnswers(e, variant, { q: right }).questions[0].verdict).toBe('right');
	});

	it('shows, for the accuracy of the training set, the formula of what the student computed', () => {
		const { exercise: e, variant } = exercise(EVALUATED, '{ id: q, ask: val_accuracy, step: 1 }');
		const q = gradeAnswers(e, variant, { q: String(trainingAccuracy) }).questions[0];
		expect(q.formula?.en.symbolic).toContain('\\text{val}');
		expect(q.mistakeFormula?.en.symbolic).toContain('\\text{train}');
	});
});
