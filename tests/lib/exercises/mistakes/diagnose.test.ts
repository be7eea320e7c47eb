import { describe, expect, it } from 'vitest';
import { parseExercise, type Exercise } from '../../../../src/lib/exercises/exercise';
import { gradeAnswers } from '../../../../src/lib/exercises/grade';
import { drawVariant, type Variant } from '../../../../src/lib/exercises/variant';
import { mulberry32 } from '../../../../src/lib/engine/prng';
import { feedbackText } from '../../../../src/lib/exercises/feedback-text';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const write = (v: number | number[] | number[][]): string => (Array.isArray(v) ? `[${v.map((x) => write(x as number | number[])).join(', ')}]` : String(v));

/** An exercise around one scenario, asking the given questions (YAML flow mappings). */
function exercise(scenario: string, questions: string[], extra = ''): { exercise: Exercise; variant: Variant } {
	const text = `id: mistakes
title: { fr: Erreurs, en: Mistakes }
statement: { fr: "Calculez.", en: "Compute." }
topic: backprop
notation: bracket
${extra}scenario:
${scenario}
questions:
${questions.map((q) => `  - ${q}`).join('\n')}
`;
	const parsed = parseExercise(text, 'mistakes.yaml');
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	const drawn = drawVariant(parsed.exercise, 'anyone');
	if (!drawn.ok) throw new Error(drawn.message);
	return { exercise: parsed.exercise, variant: drawn.variant };
}

/** DESIGN.md's 2-2-1 network: x = (1, 0.5), y = 1, η = 0.5. */
const NETWORK = (loss: string, lr = 0.5) => `  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: sigmoid, W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1] }
      - { type: dense, units: 1, activation: sigmoid, W: [[0.5, -0.5]], b: [0.2] }
  loss: ${loss}
  optimizer: { type: sgd, lr: ${lr} }
  data: { X: [[1.0, 0.5]], Y: [[1.0]] }`;

// The forward pass of the 2-2-1 network by hand.
const a1 = [sigmoid(0.1 - 0.1 + 0.1), sigmoid(0.4 + 0.15 - 0.1)];
const a2 = sigmoid(0.5 * a1[0] - 0.5 * a1[1] + 0.2);
const delta2 = (a2 - 1) * a2 * (1 - a2);
const dW2 = [delta2 * a1[0], delta2 * a1[1]];

/** The same network trained by another optimizer. */
const OPTIMIZED = (optimizer: string) => NETWORK('half_squared_error').replace('{ type: sgd, lr: 0.5 }', optimizer);
// Adam's first step by hand: m = 0.1 g, s = 0.001 g²; without the correction the step is η m/(√s + ε)
const adamWithoutCorrection = dW2.map((g, j) => [0.5, -0.5][j] - (0.1 * (0.1 * g)) / (Math.sqrt(0.001 * g * g) + 1e-7));

/** w = (0.3, 0.2), no bias, θ = 0.5, η = 0.1, one row x with target 1. */
const PERCEPTRON = (x: string, rule: string) => `  perceptron: { w: [0.3, 0.2], b: null, threshold: 0.5, strict: true, rule: ${rule}, lr: 0.1 }
  data: { X: [${x}], Y: [[1]] }
  training: { epochs: 1 }`;

const CONV = `  model:
    input: [1, 3, 3]
    layers:
      - { type: conv2d, filters: 1, kernel: 2, activation: identity, W: [[[[1, 2], [3, 4]]]], b: [0] }
  data:
    X: [[[[1, 0, 2], [3, 1, 0], [0, 2, 1]]]]`;
const image = [
	[1, 0, 2],
	[3, 1, 0],
	[0, 2, 1]
];
/** The true convolution by hand: the kernel turned by 180°, [[4, 3], [2, 1]]. */
const flipped = [0, 1].map((i) => [0, 1].map((j) => 4 * image[i][j] + 3 * image[i][j + 1] + 2 * image[i + 1][j] + 1 * image[i + 1][j + 1]));

const POOL = `  model:
    input: [1, 4, 4]
    layers:
      - { type: pool, mode: max, size: 2 }
  data:
    X: [[[[1, 5, 2, 0], [3, 2, 8, 4], [0, 1, 6, 2], [7, 3, 1, 9]]]]`;

/** A 10×10 image through 2 filters 3×3 with stride 2: (10 − 3)/2 = 3.5, so 4 positions; (3·3·1 + 1)·2 = 20 parameters. */
const FACTS = `  model:
    input: [1, 10, 10]
    layers:
      - { type: conv2d, filters: 2, kernel: 3, stride: 2 }`;

/** Dropout at rate 0.5 with seed 7 after an identity dense layer, so that A[2] is x times the mask, scaled by 2. */
const DROPOUT = `  model:
    input: 4
    layers:
      - { type: dense, units: 4, W: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], b: [0, 0, 0, 0] }
      - { type: dropout, rate: 0.5, seed: 7 }
      - { type: dense, units: 1, W: [[0.5, -1, 0.25, 2]], b: [0.1] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.1 }
  data: { X: [[1, 2, 3, 4]], Y: [[0.5]] }`;
/** The mask by hand: a unit kept where its draw is at least the rate. */
const dropoutRandom = mulberry32(7);
const dropoutMask = [1, 2, 3, 4].map(() => (dropoutRandom.next() >= 0.5 ? 1 : 0));

/** One feature normalised over a batch of four: μ = 0.3, σ² = 0.1/4 = 0.025 (÷ m, as Keras), ε = 0.001. */
const BATCHNORM = `  model:
    input: 1
    layers:
      - { type: batchnorm }
      - { type: dense, units: 1, W: [[1]], b: [0] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.1 }
  data: { X: [[0.1], [0.2], [0.4], [0.5]], Y: [[0], [0], [0], [0]] }
  training: { epochs: 1, batch_size: 4, shuffle: false }`;
const batch = [0.1, 0.2, 0.4, 0.5];

/** DESIGN.md's 2-2-1 with its hidden layer frozen (fine-tuning the output layer), η = 0.1. */
const FROZEN = NETWORK('half_squared_error', 0.1).replace('b: [0.1, -0.1] }', 'b: [0.1, -0.1], trainable: false }');
// the hidden layer's update a student makes anyway: δ¹ = (W²ᵀ δ²) ⊙ a¹(1 − a¹), W¹ − η δ¹ xᵀ
const delta1 = [0.5, -0.5].map((w, k) => w * delta2 * a1[k] * (1 - a1[k]));
const frozenUpdated = [0.1, -0.2, 0.4, 0.3].map((w, i) => w - 0.1 * delta1[Math.floor(i / 2)] * [1, 0.5][i % 2]);

/**
 * Course 000's 2 → ×w → 6 from w = 1 on two samples, one update each (batch_size 1), the rate by
 * InverseTimeDecay(0.1, decay_steps 4, decay_rate 1): η_k = 0.1 / (1 + k/4), η₁ = 0.08 at update 2.
 */
const DECAYING = `  model:
    input: 1
    layers:
      - { type: dense, units: 1, W: [[1]], b: [0] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: { schedule: inverse_time, initial: 0.1, decay_rate: 1, decay_steps: 4 } }
  update: { weights: true, biases: false }
  data: { X: [[2], [2]], Y: [[6], [6]] }
  training: { epochs: 2, batch_size: 1 }`;

// [what, scenario, question, extra file keys, the answer a student making the mistake types, its code]
const cases: [string, string, string, string, string, string][] = [
	['δ[2] without σ′(z)', NETWORK('half_squared_error'), '{ id: q, ask: "dZ[2][0][0]", step: 1 }', '', String(a2 - 1), 'missing-activation-derivative'],
	['δ[2] with σ′ taken at a', NETWORK('half_squared_error'), '{ id: q, ask: "dZ[2][0][0]", step: 1 }', '', String((a2 - 1) * sigmoid(a2) * (1 - sigmoid(a2))), 'activation-derivative-at-a'],
	['δ[2] without the ½', NETWORK('half_squared_error'), '{ id: q, ask: "dZ[2][0][0]", step: 1 }', '', String(2 * delta2), 'half-forgotten'],
	['δ[2] with a ½ too many', NETWORK('squared_error'), '{ id: q, ask: "dZ[2][0][0]", step: 1 }', '', String(delta2), 'half-added'],
	['W[2] moved up the gradient', NETWORK('half_squared_error', 0.1), '{ id: q, ask: "W[2]", step: 1 }', '', write([[0.5 + 0.1 * dW2[0], -0.5 + 0.1 * dW2[1]]]), 'update-sign'],
	// with η = 0.5, forgetting η would give what forgetting the ½ gives: η = 0.1 tells them apart
	['W[2] without η', NETWORK('half_squared_error', 0.1), '{ id: q, ask: "W[2]", step: 1 }', '', write([[0.5 - dW2[0], -0.5 - dW2[1]]]), 'learning-rate-forgotten'],
	['Adam’s first step without its bias correction', OPTIMIZED('{ type: adam, lr: 0.1 }'), '{ id: q, ask: "W[2]", step: 1 }', '', write([adamWithoutCorrection]), 'adam-bias-correction-forgotten'],
	['W[2] with η²', NETWORK('half_squared_error', 0.1), '{ id: q, ask: "W[2]", step: 1 }', '', write([[0.5 - 0.01 * dW2[0], -0.5 - 0.01 * dW2[1]]]), 'learning-rate-twice'],
	// z = 0.3 + 0.2 = 0.5 is not above θ = 0.5: ŷ = 0; with ≥ it would fire
	['a perceptron firing at z = θ under a strict threshold', PERCEPTRON('[1, 1]', 'sign'), '{ id: q, ask: "A[1]", step: 1, tolerance: { abs: 0 } }', 'allow: [step-at-threshold]\n', '1', 'threshold-strictness'],
	// z = 0.3: ŷ = 0, y − ŷ = 1; the spreadsheet adds 0.1 to both weights, the classic rule only to w₁
	['the classic rule where the spreadsheet rule applies', PERCEPTRON('[1, 0]', 'sign'), '{ id: q, ask: "W[1]", step: 1 }', '', write([[0.3 + 0.1, 0.2]]), 'perceptron-rule'],
	['the correction ŷ − y', PERCEPTRON('[1, 0]', 'sign'), '{ id: q, ask: "W[1]", step: 1 }', '', write([[0.3 - 0.1, 0.2 - 0.1]]), 'correction-sign'],
	['a convolution with the kernel flipped', CONV, '{ id: q, ask: "Z[1][0][0]", step: 1, tolerance: { abs: 0 } }', '', write(flipped), 'kernel-flipped'],
	['an output size without the + 1', FACTS, '{ id: q, ask: output_size, layer: 1 }', '', '[2, 3, 3]', 'output-size-without-plus-one'],
	['an output size rounded up', FACTS, '{ id: q, ask: output_size, layer: 1 }', '', '2×5×5', 'output-size-rounded-up'],
	['a parameter count without the biases', FACTS, '{ id: q, ask: param_count, layer: 1 }', '', '18', 'params-without-biases'],
	['a parameter count with a bias per input', FACTS, '{ id: q, ask: param_count }', '', '19', 'params-bias-per-input'],
	['average pooling where max was asked', POOL, '{ id: q, ask: "A[1][0][0]", step: 1, tolerance: { abs: 0 } }', '', write([[11 / 4, 14 / 4], [11 / 4, 18 / 4]]), 'average-for-max'],
	['the frozen hidden layer updated', FROZEN, '{ id: q, ask: "W[1]", step: 1 }', '', write([frozenUpdated.slice(0, 2), frozenUpdated.slice(2)]), 'frozen-layer-updated'],
	// k = 1 at update 2: 0.1 / (1 + 1) without the /T, 0.1 at epoch 1 still, 0.1 / (1 + 2/4) from k = 2
	['η₁ = η₀ / (1 + r k), without the /T', DECAYING, '{ id: q, ask: lr, step: 2 }', '', '0.05', 'decay-steps-forgotten'],
	['η₁ kept at η₀ through the first epoch', DECAYING, '{ id: q, ask: lr, step: 2 }', '', '0.1', 'decay-per-epoch'],
	['η₁ counted from k = 1', DECAYING, '{ id: q, ask: lr, step: 2 }', '', String(0.1 / 1.5), 'decay-counted-from-one'],
	// w = 1.8 after update 1 (g = −8), then g = −4.8: 1.8 + 0.1 · 4.8 with the rate of the epoch
	['the second update with the rate of the epoch', DECAYING, '{ id: q, ask: "W[1]", step: 2 }', '', '2.28', 'decay-per-epoch'],
	// under a schedule too: w = 1 + 1·8 without η_k, 1 − 0.1·8 up the gradient
	['w without η_k', DECAYING, '{ id: q, ask: "W[1]", step: 1 }', '', '9', 'learning-rate-forgotten'],
	['w moved up the gradient under a schedule', DECAYING, '{ id: q, ask: "W[1]", step: 1 }', '', '0.2', 'update-sign'],
	['dropout without the 1/(1 − rate) scaling', DROPOUT, '{ id: q, ask: "A[2]", step: 1 }', '', write([[1, 2, 3, 4].map((x, k) => x * dropoutMask[k])]), 'dropout-unscaled'],
	['a batch variance divided by m − 1', BATCHNORM, '{ id: q, ask: "sigma2[1]", step: 1 }', '', write([0.1 / 3]), 'batchnorm-variance-unbiased'],
	['x̂ normalised without ε', BATCHNORM, '{ id: q, ask: "xhat[1]", step: 1 }', '', write(batch.map((x) => [(x - 0.3) / Math.sqrt(0.025)])), 'batchnorm-epsilon-forgotten']
];

describe('naming the mistake of a wrong answer', () => {
	it('names both mistakes that give a first velocity of the other sign', () => {
		// Keras's velocity is v = μv − η g = −0.1 g at the first step; +0.1 g is the other convention's velocity, and an update up the gradient's
		const { exercise: e, variant } = exercise(OPTIMIZED('{ type: momentum, lr: 0.1, momentum: 0.9 }'), ['{ id: q, ask: "vW[2]", step: 1 }'], 'allow: [mistakes-coincide]\n');
		const expected = variant.expected[0];
		expect(expected?.ok && expected.value).toEqual([dW2.map((g) => expect.closeTo(-0.1 * g, 12))]);
		const { message } = gradeAnswers(e, variant, { q: write([dW2.map((g) => 0.1 * g)]) }).questions[0];
		expect(feedbackText(message, 'en')).toContain('sign of the velocity (momentum)');
		expect(feedbackText(message, 'en')).toContain('sign of the update');
	});

	it.each(cases)('%s', (_, scenario, question, extra, answer, code) => {
		const { exercise: e, variant } = exercise(scenario, [question], extra);
		const report = gradeAnswers(e, variant, { q: answer });
		expect(report.questions[0], JSON.stringify(feedbackText(report.questions[0].message, 'en'))).toMatchObject({ verdict: 'diagnosed', diagnosis: { code } });
	});

	it.each(cases)('never diagnoses the right answer (%s)', (_, scenario, question, extra) => {
		const { exercise: e, variant } = exercise(scenario, [question], extra);
		const right = variant.expected[0];
		if (!right?.ok) throw new Error('no key');
		const report = gradeAnswers(e, variant, { q: write(right.value as number[][]) });
		expect(report.questions[0].verdict).toBe('right');
	});

	it('marks only the entries the mistake explains, and gives the marks of the right ones', () => {
		const { exercise: e, variant } = exercise(NETWORK('half_squared_error'), ['{ id: q, ask: "dZ[1]", step: 1, points: 2 }']);
		const dA1 = [0.5 * delta2, -0.5 * delta2];
		const right = [dA1[0] * a1[0] * (1 - a1[0]), dA1[1] * a1[1] * (1 - a1[1])];
		// the first entry right, the second without σ′
		const q = gradeAnswers(e, variant, { q: write([[right[0], dA1[1]]]) }).questions[0];
		expect(q).toMatchObject({ verdict: 'diagnosed', points: 1, diagnosis: { code: 'missing-activation-derivative', entries: [[0, 1]] } });
		expect(feedbackText(q.message, 'en')).toContain('Activation derivative forgotten');
		expect(feedbackText(q.message, 'fr')).toContain('Dérivée de l’activation oubliée');
	});

	it('shows, for a δ without σ′, the formula of ∂J/∂a: what the student computed, with its numbers', () => {
		const { exercise: e, variant } = exercise(NETWORK('half_squared_error'), ['{ id: q, ask: "dZ[1][0][1]", step: 1 }']);
		const dA1 = -0.5 * delta2;
		const q = gradeAnswers(e, variant, { q: String(dA1) }).questions[0];
		expect(q).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'missing-activation-derivative' } });
		// the course's δ carries σ′ = a(1 − a); the student's is ∂J/∂a alone, from the same formula module
		expect(q.formula?.en.symbolic).toContain('(1 - a^{[1]}_{2})');
		expect(q.mistakeFormula?.en.symbolic).toMatch(/^\\frac\{\\partial J\}\{\\partial a\^\{\[1\]\}_\{2\}\}/);
		expect(q.mistakeFormula?.en.symbolic).not.toContain('(1 - a');
		expect(q.mistakeFormula?.en.substituted).toContain(`= ${dA1.toPrecision(4)}`);
	});

	it('shows the course’s formula and the student’s side by side when the key may be shown', () => {
		const { exercise: e, variant } = exercise(NETWORK('half_squared_error'), ['{ id: q, ask: "dZ[2][0][0]", step: 1 }']);
		const q = gradeAnswers(e, variant, { q: String(2 * delta2) }).questions[0];
		expect(q.formula?.en.substituted).toContain(String(delta2.toPrecision(4)).replace(/0+$/, ''));
		expect(q.mistakeFormula?.en.substituted).toContain((2 * delta2).toPrecision(4).replace(/0+$/, ''));
		const hidden = gradeAnswers(e, variant, { q: String(2 * delta2) }, { reveal: false }).questions[0];
		expect(hidden).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'half-forgotten' } });
		expect(hidden.formula).toBeUndefined();
		expect(hidden.mistakeFormula).toBeUndefined();
	});

	it('refuses numbers for which two mistakes give the same value: a diagnosis would be a guess', () => {
		// η = 0.5: forgetting the ½ doubles the gradient, forgetting η doubles the step, the same W[2]
		const text = (lr: number) => `id: mistakes\ntitle: { fr: E, en: E }\nstatement: { fr: "C", en: "C" }\ntopic: backprop\nnotation: bracket\nscenario:\n${NETWORK('half_squared_error', lr)}\nquestions:\n  - { ask: "W[2]", step: 1 }\n`;
		const parsed = parseExercise(text(0.5), 'mistakes.yaml');
		if (!parsed.ok) throw new Error('parse');
		const drawn = drawVariant(parsed.exercise, 'anyone');
		expect(drawn).toMatchObject({ ok: false, rejected: [{ code: 'mistakes-coincide', where: 'q1: half-forgotten and learning-rate-forgotten' }] });
		const other = parseExercise(text(0.1), 'mistakes.yaml');
		if (!other.ok) throw new Error('parse');
		expect(drawVariant(other.exercise, 'anyone').ok).toBe(true);
	});

	it('leaves an answer no mistake explains wrong', () => {
		const { exercise: e, variant } = exercise(NETWORK('half_squared_error'), ['{ id: q, ask: "dZ[2][0][0]", step: 1 }']);
		expect(gradeAnswers(e, variant, { q: '0,3' }).questions[0]).toMatchObject({ verdict: 'wrong' });
	});

	it('names the earlier mistake when a later answer is right given it', () => {
		const { exercise: e, variant } = exercise(NETWORK('half_squared_error'), ['{ id: d2, ask: "dZ[2][0][0]", step: 1 }', '{ id: w2, ask: "dW[2]", step: 1 }']);
		const wrongDelta = 2 * delta2;
		const report = gradeAnswers(e, variant, { d2: String(wrongDelta), w2: write([[wrongDelta * a1[0], wrongDelta * a1[1]]]) });
		expect(report.questions[0].verdict).toBe('diagnosed');
		expect(report.questions[1]).toMatchObject({ verdict: 'carried_forward', pointer: { question: 'd2', mistake: 'half-forgotten' } });
		expect(feedbackText(report.questions[1].message, 'en')).toContain('(the factor ½ forgotten)');
	});
});
