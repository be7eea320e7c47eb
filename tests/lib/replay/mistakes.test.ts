import { describe, expect, it } from 'vitest';
import { eventAt, findEvent, run, type Trace } from '../../../src/lib/engine';
import { validateScenario } from '../../../src/lib/engine/scenario/validate';
import { counterpart, differ, differingPositions, nextDifference } from '../../../src/lib/replay/compare';
import { applicableMistakes, mistakeTrace } from '../../../src/lib/replay/mistakes';
import { DESIGN_EXAMPLE } from '../../helpers';

const scenario = validateScenario(DESIGN_EXAMPLE);
const right = run(scenario);

function event(trace: Trace, step: number, name: string) {
	const found = findEvent(trace, step, name);
	if (!found) throw new Error(`no ${name} at step ${step}`);
	return found;
}

function mistaken(code: string): Trace {
	const trace = mistakeTrace(scenario, code, () => run(scenario));
	if (!trace) throw new Error(`${code} does not apply`);
	return trace;
}

describe('the mistakes the replay offers beside a run', () => {
	it('are those of the catalogue that change something in this run', () => {
		const options = applicableMistakes(scenario, right);
		const codes = options.map((o) => o.code);
		expect(codes).toEqual(expect.arrayContaining(['missing-activation-derivative', 'activation-derivative-at-a', 'half-forgotten', 'update-sign', 'learning-rate-forgotten']));
		// a perceptron's, a convolution's, a batch's and a count's mistakes have nothing to change here
		for (const code of ['threshold-strictness', 'kernel-flipped', 'sum-instead-of-mean', 'params-without-biases']) expect(codes).not.toContain(code);
		expect(options.find((o) => o.code === 'missing-activation-derivative')).toMatchObject({ derived: true, title: { fr: 'Dérivée de l’activation oubliée' } });
		expect(options.find((o) => o.code === 'half-forgotten')?.derived).toBe(false);
	});

	it('a derived mistake keeps the right run and writes δ as the student does, without σ′', () => {
		const without = mistaken('missing-activation-derivative');
		for (const l of [1, 2]) expect(Array.from(event(without, 1, `dZ[${l}]`).value.data)).toEqual(Array.from(event(right, 1, `dA[${l}]`).value.data));
		for (const name of ['A[1]', 'A[2]', 'loss', 'dA[2]', 'W[1]']) expect(differingPositions(event(right, 1, name).value, event(without, 1, name).value)).toEqual([]);
		// the numbers part ways at the first δ of the backward pass
		expect(nextDifference(right, without, -1)).toBe(event(right, 1, 'dZ[2]').seq);
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
			const other = mistakeTrace(training, option.code, () => base);
			expect(other && nextDifference(base, other, -1), option.code).not.toBeNull();
		}
	});

	it('writes the perceptron’s error as ŷ − y on the weights that correction gives, as the grader reads it', () => {
		const perceptron = validateScenario({
			perceptron: { w: [0.5, -1], b: 0.5, threshold: 0, strict: false, rule: 'delta', lr: 0.5 },
			data: { X: [[2, 1], [-1, 2]], Y: [[0], [1]] },
			training: { epochs: 1, batch_size: 1, shuffle: false }
		});
		const trace = mistakeTrace(perceptron, 'correction-sign', () => run(perceptron));
		if (!trace) throw new Error('correction-sign does not apply');
		const rightRun = run(perceptron);
		// step 1: z = 0.5·2 − 1·1 + 0.5 = 0.5 ≥ 0, ŷ = 1, y = 0: the error y − ŷ = −1 is written 1
		expect(Array.from(event(rightRun, 1, 'error').value.data)).toEqual([-1]);
		expect(Array.from(event(trace, 1, 'error').value.data)).toEqual([1]);
		// the weights move the other way: w + 0.5·(ŷ − y)·x = (0.5 + 1, −1 + 0.5)
		expect(Array.from(event(trace, 1, 'W[1]').value.data)).toEqual([1.5, -0.5]);
		// step 2 from those weights: z = 1.5·(−1) − 0.5·2 + 1 = −1.5 < 0, ŷ = 0, y = 1: written 0 − 1
		expect(Array.from(event(trace, 2, 'error').value.data)).toEqual([-1]);
	});

	it('gives no run for a mistake that does not apply or is not in the catalogue', () => {
		expect(mistakeTrace(scenario, 'threshold-strictness', () => right)).toBeNull();
		expect(mistakeTrace(scenario, 'no-such-mistake', () => right)).toBeNull();
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
