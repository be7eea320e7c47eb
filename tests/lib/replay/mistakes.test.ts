import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventAt, findEvent, run, type Trace } from '../../../src/lib/engine';
import type { Substitution } from '../../../src/lib/engine/run';
import { validateScenario, type Scenario } from '../../../src/lib/engine/scenario/validate';
import { rerun } from '../../../src/lib/exercises/carry';
import { parseExercise } from '../../../src/lib/exercises/exercise';
import { gradeAnswers } from '../../../src/lib/exercises/grade';
import { engineQuestion } from '../../../src/lib/exercises/kinds';
import { flattenNested as flatten } from '../../../src/lib/engine/tensor';
import { expectedValue } from '../../../src/lib/exercises/question';
import { MISTAKES } from '../../../src/lib/exercises/mistakes/catalogue';
import { drawVariant } from '../../../src/lib/exercises/variant';
import { getLesson } from '../../../src/lib/lessons';
import { counterpart, differ, differingPositions, mistakeWrites, nextDifference } from '../../../src/lib/replay/compare';
import { applicableMistakes, mistakeTrace } from '../../../src/lib/replay/mistakes';
import { DESIGN_EXAMPLE, PROJECT_ROOT } from '../../helpers';

const scenario = validateScenario(DESIGN_EXAMPLE);
const right = run(scenario);

function event(trace: Trace, step: number, name: string) {
	const found = findEvent(trace, step, name);
	if (!found) throw new Error(`no ${name} at step ${step}`);
	return found;
}

function mistaken(code: string, s: Scenario = scenario): Trace {
	const trace = mistakeTrace(s, code);
	if (!trace) throw new Error(`${code} does not apply`);
	return trace;
}

/** A lesson's scenario, trained for two steps so that a mistake of the first reaches the second's forward pass. */
function twoSteps(id: string): Scenario {
	const lesson = getLesson(id);
	if (!lesson) throw new Error(`no lesson ${id}`);
	return validateScenario({ ...(lesson.scenario as Record<string, unknown>), training: { epochs: 2, batch_size: 1, shuffle: false } });
}

const same = (a: Trace, b: Trace, step: number, name: string): boolean => differingPositions(event(a, step, name).value, event(b, step, name).value).length === 0;

describe('the mistakes the replay offers beside a run', () => {
	it('are those of the catalogue that change something in this run, with the events they write', () => {
		const options = applicableMistakes(scenario, right);
		const codes = options.map((o) => o.code);
		expect(codes).toEqual(expect.arrayContaining(['missing-activation-derivative', 'activation-derivative-at-a', 'half-forgotten', 'update-sign', 'learning-rate-forgotten']));
		// a perceptron's, a convolution's, a batch's and a count's mistakes have nothing to change here
		for (const code of ['threshold-strictness', 'kernel-flipped', 'sum-instead-of-mean', 'params-without-biases']) expect(codes).not.toContain(code);
		// δ is what σ′ forgotten writes, output δ first (the backward pass's order); a convention changed writes nothing, the engine computes all
		expect(options.find((o) => o.code === 'missing-activation-derivative')).toMatchObject({ written: ['dZ[2]', 'dZ[1]'], title: { fr: 'Dérivée de l’activation oubliée' } });
		expect(options.find((o) => o.code === 'half-forgotten')?.written).toEqual([]);
	});

	it('a convention changed gives a run of its own, which parts ways where the convention acts', () => {
		const twice = mistaken('half-forgotten');
		expect(differingPositions(event(right, 1, 'A[2]').value, event(twice, 1, 'A[2]').value)).toEqual([]);
		expect(event(twice, 1, 'dA[2]').value.data[0]).toBeCloseTo(2 * event(right, 1, 'dA[2]').value.data[0], 12);
		expect(nextDifference(right, twice, -1)).toBe(event(right, 1, 'loss').seq);
		expect(differingPositions(event(right, 1, 'dW[1]').value, event(twice, 1, 'dW[1]').value)).toEqual([0, 1, 2, 3]);
	});

	it('offers only mistakes whose numbers part ways with the right run somewhere', () => {
		const training = validateScenario({ ...DESIGN_EXAMPLE, training: { epochs: 2, batch_size: 1 } });
		const base = run(training);
		for (const option of applicableMistakes(training, base)) {
			const other = mistakeTrace(training, option.code);
			expect(other && nextDifference(base, other, -1), option.code).not.toBeNull();
		}
	});

	it('writes the perceptron’s error as ŷ − y on the weights that correction gives, as the grader reads it', () => {
		const perceptron = validateScenario({
			perceptron: { w: [0.5, -1], b: 0.5, threshold: 0, strict: false, rule: 'delta', lr: 0.5 },
			data: { X: [[2, 1], [-1, 2]], Y: [[0], [1]] },
			training: { epochs: 1, batch_size: 1, shuffle: false }
		});
		const trace = mistaken('correction-sign', perceptron);
		const rightRun = run(perceptron);
		// step 1: z = 0.5·2 − 1·1 + 0.5 = 0.5 ≥ 0, ŷ = 1, y = 0: the error y − ŷ = −1 is written 1
		expect(Array.from(event(rightRun, 1, 'error').value.data)).toEqual([-1]);
		expect(Array.from(event(trace, 1, 'error').value.data)).toEqual([1]);
		// the weights move the other way: w + 0.5·(ŷ − y)·x = (0.5 + 1, −1 + 0.5)
		expect(Array.from(event(trace, 1, 'W[1]').value.data)).toEqual([1.5, -0.5]);
		// step 2 from those weights: z = 1.5·(−1) − 0.5·2 + 1 = −1.5 < 0, ŷ = 0, y = 1: written 0 − 1
		expect(Array.from(event(trace, 2, 'error').value.data)).toEqual([-1]);
		// the error is what the mistake wrote; the weights, the engine's rule from it (their formula shows)
		const option = applicableMistakes(perceptron, rightRun).find((o) => o.code === 'correction-sign');
		expect(option?.written).toEqual(['error']);
		expect(option && mistakeWrites(option, 'W[1]')).toBe(false);
	});

	it('gives no run for a mistake that does not apply or is not in the catalogue', () => {
		expect(mistakeTrace(scenario, 'threshold-strictness')).toBeNull();
		expect(mistakeTrace(scenario, 'no-such-mistake')).toBeNull();
		// no layer whose W is square: W and Wᵀ cannot be confused
		expect(mistakeTrace(scenario, 'w-not-transposed')).toBeNull();
	});

	it('stands the events of a run that stopped earlier beside nothing, and calls that a difference', () => {
		const longer = run(validateScenario({ ...DESIGN_EXAMPLE, training: { epochs: 2, batch_size: 1 } }));
		const lastOfFirst = longer.stepStart[2] - 1;
		expect(counterpart(longer, right, lastOfFirst)?.name).toBe(eventAt(right, lastOfFirst).name);
		expect(counterpart(longer, right, lastOfFirst + 1)).toBeUndefined();
		expect(nextDifference(longer, right, lastOfFirst)).toBe(lastOfFirst + 1);
		expect(nextDifference(right, right, -1)).toBeNull();
	});

	it('tells values apart beyond float64 rounding only', () => {
		expect(differ(0.1 + 0.2, 0.3)).toBe(false);
		expect(differ(1e-3, 1.1e-3)).toBe(true);
		expect(differ(0, 1e-6)).toBe(true);
		expect(differ(Number.NaN, Number.NaN)).toBe(false);
	});
});

/**
 * A rule applied to the wrong operand, carried forward: each case is a mistake, a lesson, the
 * first event it changes, and events after it that the engine computes from the mistaken values.
 */
const CARRIED: { code: string; lesson: string; first: string; later: string[] }[] = [
	{ code: 'missing-activation-derivative', lesson: 'backprop-deltas', first: 'dZ[2]', later: ['dW[2]', 'db[2]', 'dA[1]', 'dW[1]', 'W[1]', 'W[2]'] },
	{ code: 'activation-derivative-at-a', lesson: 'backprop-deep-2221', first: 'dZ[3]', later: ['dW[3]', 'dA[2]', 'dW[2]', 'dA[1]', 'dW[1]', 'W[1]', 'b[3]'] },
	{ code: 'output-form-derivative-at-z', lesson: 'backprop-deltas', first: 'dZ[2]', later: ['dW[2]', 'dA[1]', 'dW[1]', 'db[1]', 'W[2]'] },
	// only dA[1] goes through a square W (W[2], 2 × 2)
	{ code: 'w-not-transposed', lesson: 'backprop-deep-2221', first: 'dA[1]', later: ['dZ[1]', 'dW[1]', 'db[1]', 'W[1]', 'b[1]'] }
];

describe.each(CARRIED)('$code on $lesson, carried forward', ({ code, lesson, first, later }) => {
	const s = twoSteps(lesson);
	const base = run(s);
	const trace = mistaken(code, s);
	const mistake = MISTAKES.find((m) => m.code === code);
	const option = applicableMistakes(s, base).find((o) => o.code === code);
	if (!mistake?.derive || !option) throw new Error(`${code} is no derived mistake of ${lesson}`);
	const derive = mistake.derive;

	it('parts ways at the first event the mistake changes, with the catalogue’s value there', () => {
		expect(eventAt(trace, nextDifference(base, trace, -1) ?? -1).name).toBe(first);
		const written = derive(base, first, 1);
		expect(written && Array.from(written.data)).toEqual(Array.from(event(trace, 1, first).value.data));
	});

	it('writes every event it changes as the catalogue does from the mistaken values before it', () => {
		for (let step = 1; step <= trace.steps; step++) {
			for (const name of option.written) {
				const made = derive(trace, name, step);
				expect(made && differingPositions(event(trace, step, name).value, made), `${name} at step ${step}`).toEqual([]);
			}
		}
	});

	it('computes every later value from the mistaken ones: they differ from the right run, to the next step’s forward pass', () => {
		for (const name of later) expect(same(base, trace, 1, name), name).toBe(false);
		for (const name of ['Z[1]', 'loss']) expect(same(base, trace, 2, name), `${name} at step 2`).toBe(false);
		// the input and the first forward pass come before the mistake
		for (const name of ['A[0]', 'Z[1]', 'A[1]']) expect(same(base, trace, 1, name), name).toBe(true);
		// the formula of a later value is the mistake's run's, with its numbers; the value it wrote has none
		expect(mistakeWrites(option, first)).toBe(true);
		for (const name of later) expect(mistakeWrites(option, name), name).toBe(false);
	});

	it('is the run the grader carries forward from the values the mistake wrote, event by event', () => {
		// the values a student making the mistake writes, substituted as the grader substitutes a student's wrong answers
		const substitutions: Substitution[] = [];
		for (let seq = 0; seq < trace.length; seq++) {
			const e = eventAt(trace, seq);
			if (option.written.includes(e.name)) substitutions.push({ step: e.step, name: e.name, offset: 0, values: Array.from(e.value.data) });
		}
		const carried = rerun(s, substitutions);
		if (!carried) throw new Error('the carried run fails');
		expect(carried.length).toBe(trace.length);
		for (let seq = 0; seq < trace.length; seq++) expect(differingPositions(eventAt(carried, seq).value, eventAt(trace, seq).value), eventAt(trace, seq).name).toEqual([]);
	});

	it('“next difference” walks every event after the mistake, and finds none after the last', () => {
		const at = event(trace, 1, first).seq;
		expect(nextDifference(base, trace, at)).toBe(event(base, 1, eventAt(base, at + 1).name).seq);
		expect(nextDifference(base, trace, trace.length - 1)).toBeNull();
	});
});

describe('σ′ forgotten, worked by hand on the 2-2-1 network over two steps', () => {
	const s = validateScenario({ ...DESIGN_EXAMPLE, training: { epochs: 2, batch_size: 1, shuffle: false } });
	const trace = mistaken('missing-activation-derivative', s);
	const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
	const [x1, x2] = [1, 0.5];
	const y = 1;
	const lr = 0.5;
	/** one step of the student's backpropagation without σ′, from the weights given */
	function studentStep(W1: number[][], b1: number[], W2: number[], b2: number) {
		const z1 = W1.map((row, j) => row[0] * x1 + row[1] * x2 + b1[j]);
		const a1 = z1.map(sigmoid);
		const a2 = sigmoid(W2[0] * a1[0] + W2[1] * a1[1] + b2);
		// δ[2] = ∂J/∂a[2] = a[2] − y, without a[2](1 − a[2]); δ[1] = W[2]ᵀ δ[2], without a[1](1 − a[1])
		const delta2 = a2 - y;
		const delta1 = W2.map((w) => w * delta2);
		return {
			z1,
			delta2,
			delta1,
			W1: W1.map((row, j) => [row[0] - lr * delta1[j] * x1, row[1] - lr * delta1[j] * x2]),
			b1: b1.map((b, j) => b - lr * delta1[j]),
			W2: W2.map((w, j) => w - lr * delta2 * a1[j]),
			b2: b2 - lr * delta2
		};
	}
	const one = studentStep(
		[
			[0.1, -0.2],
			[0.4, 0.3]
		],
		[0.1, -0.1],
		[0.5, -0.5],
		0.2
	);
	const two = studentStep(one.W1, one.b1, one.W2, one.b2);
	const close = (actual: Float64Array, expected: number[]) => expected.forEach((v, k) => expect(actual[k]).toBeCloseTo(v, 12));

	it('the update from the wrong δ', () => {
		close(event(trace, 1, 'dZ[2]').value.data, [one.delta2]);
		close(event(trace, 1, 'dZ[1]').value.data, one.delta1);
		close(event(trace, 1, 'W[1]').value.data, one.W1.flat());
		close(event(trace, 1, 'b[1]').value.data, one.b1);
		close(event(trace, 1, 'W[2]').value.data, one.W2);
		close(event(trace, 1, 'b[2]').value.data, [one.b2]);
	});

	it('the next step’s forward pass from those weights, and its δ without σ′ again', () => {
		close(event(trace, 2, 'Z[1]').value.data, two.z1);
		close(event(trace, 2, 'dZ[2]').value.data, [two.delta2]);
		close(event(trace, 2, 'dZ[1]').value.data, two.delta1);
		close(event(trace, 2, 'W[1]').value.data, two.W1.flat());
	});
});

describe('a velocity written with the other convention’s sign', () => {
	it('is written over the right run: the student’s convention subtracts it, and the weights stay right', () => {
		const s = twoSteps('optimizers-compare');
		const base = run(s);
		const trace = mistaken('momentum-velocity-sign', s);
		for (const step of [1, 2]) {
			expect(Array.from(event(trace, step, 'vW[1]').value.data)).toEqual(Array.from(event(base, step, 'vW[1]').value.data, (v) => -v));
			expect(same(base, trace, step, 'W[1]')).toBe(true);
		}
	});
});

describe('the grader and the replay agree on a student who forgot σ′ throughout', () => {
	const parsed = parseExercise(readFileSync(join(PROJECT_ROOT, 'exercises', 'backprop-221.yaml'), 'utf8'), 'backprop-221.yaml');
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	const exercise = parsed.exercise;

	it.each(['student-1', 'student-2', 'student-3'])('%s: the updates the replay shows are those the grader credits as carried forward', (student) => {
		const drawn = drawVariant(exercise, student);
		if (!drawn.ok) throw new Error(drawn.message);
		const variant = drawn.variant;
		const trace = mistaken('missing-activation-derivative', validateScenario(variant.scenario));
		// the student's sheet, every answer read from the replay's run of the mistake at full precision
		const answers = Object.fromEntries(
			exercise.questions.map((q) => {
				const value = q.kind === 'choice' ? null : expectedValue(trace, engineQuestion(q));
				if (!value?.ok) throw new Error(`${q.id} is no run question`);
				return [q.id, flatten(value.value).map(String).join('; ')];
			})
		);
		const report = gradeAnswers(exercise, variant, answers, { carryForward: true });
		const verdict = (id: string) => report.questions.find((q) => q.id === id);
		expect(verdict('delta2')).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'missing-activation-derivative' } });
		expect(verdict('delta1')).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'missing-activation-derivative' } });
		// the later values are not the right ones, and the grader's own run from the student's δ gives them
		for (const id of ['dw1', 'w2']) expect(verdict(id), id).toMatchObject({ verdict: 'carried_forward', points: verdict(id)?.max });
		for (const id of ['z1', 'a1', 'a2']) expect(verdict(id)?.verdict, id).toBe('right');
	});
});
