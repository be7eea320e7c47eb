import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine';
import { learningRateAt, type LearningRateSchedule } from '../../../src/lib/engine/schedules';
import { namesOfStep, values } from '../../helpers';

/*
 * Keras's learning-rate schedules (keras.optimizers.schedules) as `optimizer.lr`: the rate of the
 * update made after k updates (Keras's optimizer.iterations, from 0), recorded as an `lr` event per update.
 * Course 002: « α = taux d'apprentissage (hyper paramètre) qu'on fait décroître au cours du temps ».
 */

const schedule = (given: Partial<LearningRateSchedule>): LearningRateSchedule => ({ schedule: 'inverse_time', initial: 0.1, decayRate: 0.5, decaySteps: 1, staircase: false, ...given });

describe('the rate after k updates', () => {
	it.each([
		// Keras's own example of InverseTimeDecay: 0.1, decay_steps 1, decay_rate 0.5 → 0.1 / (1 + 0.5 t)
		{ name: 'inverse_time, Keras’s example', given: {}, rates: [0.1, 0.1 / 1.5, 0.05, 0.04] },
		{ name: 'inverse_time over T = 2', given: { decayRate: 1, decaySteps: 2 }, rates: [0.1, 0.1 / 1.5, 0.05, 0.04] },
		{ name: 'inverse_time in a staircase', given: { decayRate: 1, decaySteps: 2, staircase: true }, rates: [0.1, 0.1, 0.05, 0.05, 0.1 / 3] },
		{ name: 'exponential', given: { schedule: 'exponential' as const, decaySteps: 2 }, rates: [0.1, 0.1 * Math.SQRT1_2, 0.05, 0.05 * Math.SQRT1_2] },
		{ name: 'exponential in a staircase', given: { schedule: 'exponential' as const, decaySteps: 2, staircase: true }, rates: [0.1, 0.1, 0.05, 0.05, 0.025] },
		{ name: 'no decay (rate 0)', given: { decayRate: 0 }, rates: [0.1, 0.1, 0.1] }
	])('$name', ({ given, rates }) => {
		const s = schedule(given);
		rates.forEach((rate, t) => expect(learningRateAt(s, t), `k = ${t}`).toBeCloseTo(rate, 15));
	});
});

/** Course 000's 2 → ×w → 6 with w = 1, ½(ŷ − y)², the bias kept: g = (2w − 6)·2. */
const ONE_WEIGHT = {
	model: { input: 1, layers: [{ type: 'dense', units: 1, W: [[1]], b: [0] }] },
	loss: 'half_squared_error',
	optimizer: { type: 'sgd', lr: { schedule: 'inverse_time', initial: 0.1, decay_rate: 1, decay_steps: 1 } },
	update: { weights: true, biases: false },
	data: { X: [[2]], Y: [[6]] },
	training: { epochs: 3 }
};

describe('a run under a schedule', () => {
	it('records η_k at each update and steps by it: w = 1.8, 2.04, 2.168 by hand', () => {
		const trace = run(ONE_WEIGHT);
		// η = 0.1, 0.1/2, 0.1/3; g = −8, −4.8, −3.84
		[0.1, 0.05, 0.1 / 3].forEach((eta, i) => expect(values(trace, i + 1, 'lr')[0]).toBeCloseTo(eta, 15));
		[1.8, 2.04, 2.168].forEach((w, i) => expect(values(trace, i + 1, 'W[1]')[0]).toBeCloseTo(w, 13));
	});

	it('records the rate after the gradients and before the update, in the phase update', () => {
		const trace = run(ONE_WEIGHT);
		expect(namesOfStep(trace, 1)).toEqual(['A[0]', 'Z[1]', 'A[1]', 'loss', 'dA[1]', 'dZ[1]', 'dW[1]', 'db[1]', 'lr', 'W[1]', 'b[1]']);
		expect(trace.setup.schedule).toEqual({ schedule: 'inverse_time', initial: 0.1, decayRate: 1, decaySteps: 1, staircase: false });
		expect(trace.setup.lr).toBe(0.1);
	});

	it('decays per update, not per epoch: two mini-batches in an epoch take two rates', () => {
		const trace = run({ ...ONE_WEIGHT, data: { X: [[2], [2]], Y: [[6], [6]] }, training: { epochs: 2, batch_size: 1 } });
		expect(trace.steps).toBe(4);
		expect([1, 2, 3, 4].map((step) => values(trace, step, 'lr')[0])).toEqual([0.1, 0.05, 0.1 / 3, 0.025]);
	});

	it('without a schedule, records no lr event and keeps the same floats', () => {
		const plain = run({ ...ONE_WEIGHT, optimizer: { type: 'sgd', lr: 0.1 } });
		const constant = run({ ...ONE_WEIGHT, optimizer: { type: 'sgd', lr: { schedule: 'exponential', initial: 0.1, decay_rate: 1, decay_steps: 1 } } });
		expect(namesOfStep(plain, 1)).not.toContain('lr');
		expect(values(constant, 3, 'W[1]')).toEqual(values(plain, 3, 'W[1]'));
	});

	it('momentum reads η_k: v = μv − η_k g by hand', () => {
		const trace = run({ ...ONE_WEIGHT, optimizer: { type: 'momentum', momentum: 0.9, lr: { schedule: 'exponential', initial: 0.1, decay_rate: 0.5, decay_steps: 1 } }, training: { epochs: 2 } });
		// step 1: v = −0.1·(−8) = 0.8, w = 1.8; step 2: g = −4.8, v = 0.72 + 0.05·4.8 = 0.96, w = 2.76
		expect(values(trace, 1, 'vW[1]')[0]).toBeCloseTo(0.8, 14);
		expect(values(trace, 2, 'vW[1]')[0]).toBeCloseTo(0.96, 14);
		expect(values(trace, 2, 'W[1]')[0]).toBeCloseTo(2.76, 14);
	});

	it('a rate given in place of η_k (a student’s) is the one the update uses', () => {
		const trace = run(ONE_WEIGHT, { substitutions: [{ step: 2, name: 'lr', offset: 0, values: [0.1] }] });
		// the student kept η = 0.1 at step 2: w = 1.8 + 0.1·4.8 = 2.28
		expect(values(trace, 2, 'W[1]')[0]).toBeCloseTo(2.28, 14);
		expect(values(trace, 3, 'lr')[0]).toBeCloseTo(0.1 / 3, 15);
	});
});
