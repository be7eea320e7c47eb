import { describe, expect, it } from 'vitest';
import { eventAt, findEvent, run, type Trace } from '../../../src/lib/engine';
import { accuracyKind, initialStopping, splitAt, stoppingStep, type EarlyStopping } from '../../../src/lib/engine/evaluate';
import { ScenarioError } from '../../../src/lib/engine/scenario/issues';
import { validateScenario } from '../../../src/lib/engine/scenario/validate';
import { lossSeries } from '../../../src/lib/viz/loss';

/** One identity unit ŷ = x (W = 1, b = 0), so that ŷ is the input and every number can be checked by hand. */
function identity(extra: Record<string, unknown>): Record<string, unknown> {
	return {
		model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'identity', W: [[1]], b: [0] }] },
		optimizer: { type: 'sgd', lr: 0.1 },
		...extra
	};
}

describe('mae loss', () => {
	it('is the mean of |ŷ − y| and its gradient sign(ŷ − y)/n, 0 where ŷ = y (as TensorFlow)', () => {
		const trace = run(identity({ loss: 'mae', data: { X: [[1], [2], [-1]], Y: [[0], [2], [3]] } }));
		// |1 − 0| + |2 − 2| + |−1 − 3| = 5, over m = 3
		expect(findEvent(trace, 1, 'loss')?.value.data[0]).toBeCloseTo(5 / 3, 15);
		// sign(ŷ − y)·(1/m): 1/3, 0 (ŷ = y), −1/3
		expect([...(findEvent(trace, 1, 'dA[1]')?.value.data ?? [])]).toEqual([1 / 3, 0, -1 / 3]);
	});
});

/** The values of every event called `name`, in order. */
function series(trace: Trace, name: string): number[] {
	const values: number[] = [];
	for (let seq = 0; seq < trace.length; seq++) {
		const event = eventAt(trace, seq);
		if (event.name === name) values.push(...event.value.data);
	}
	return values;
}

/** No update: the weights stay W = 1, b = 0, so ŷ = x in every epoch. */
const FROZEN = { update: { weights: false, biases: false } };

describe('metrics at the end of each epoch', () => {
	it('binary accuracy (ŷ > 0.5), mae and mse on the training data, by hand', () => {
		const trace = run(identity({ ...FROZEN, loss: 'mse', metrics: ['accuracy', 'mae', 'mse'], data: { X: [[0.2], [0.7], [0.6]], Y: [[0], [1], [0]] }, training: { epochs: 2 } }));
		// ŷ > 0.5 gives 0, 1, 1 against 0, 1, 0
		expect(series(trace, 'accuracy')).toEqual([2 / 3, 2 / 3]);
		expect(series(trace, 'mae')[0]).toBeCloseTo((0.2 + 0.3 + 0.6) / 3, 15);
		expect(series(trace, 'mse')[0]).toBeCloseTo((0.04 + 0.09 + 0.36) / 3, 15);
		expect(series(trace, 'epoch_loss')[0]).toBeCloseTo((0.04 + 0.09 + 0.36) / 3, 15);
		// recorded in the last step of each epoch, in the evaluate phase
		const last = findEvent(trace, 2, 'accuracy');
		expect(last?.epoch).toBe(2);
		expect(last?.phase).toBe('evaluate');
	});

	it('categorical accuracy (argmax, the first on a tie) for several outputs without binary cross-entropy', () => {
		const trace = run({
			model: { input: 2, layers: [{ type: 'dense', units: 2, activation: 'identity', W: [[1, 0], [0, 1]], b: [0, 0] }] },
			optimizer: { type: 'sgd', lr: 0.1 },
			...FROZEN,
			loss: 'mse',
			metrics: ['accuracy'],
			data: { X: [[0.9, 0.1], [0.3, 0.4], [0.5, 0.5]], Y: [[1, 0], [1, 0], [0, 1]] }
		});
		// argmax ŷ: 0, 1, 0 (tie); argmax y: 0, 0, 1
		expect(series(trace, 'accuracy')).toEqual([1 / 3]);
	});

	it('binary accuracy over every output with binary cross-entropy', () => {
		expect(accuracyKind('binary_cross_entropy', 3)).toBe('binary');
		expect(accuracyKind('mse', 1)).toBe('binary');
		expect(accuracyKind('categorical_cross_entropy', 3)).toBe('categorical');
	});
});

describe('validation data', () => {
	it('validation_split holds out the LAST samples, before shuffling, as Keras: floor(m·(1 − split)) are trained on', () => {
		expect(splitAt(5, 0.2)).toBe(4);
		expect(splitAt(5, 0.5)).toBe(2);
		expect(splitAt(10, 0.25)).toBe(7);
		const X = [[1], [2], [3], [4], [5]];
		const Y = [[1], [2], [3], [4], [0]];
		const trace = run(identity({ ...FROZEN, loss: 'mae', data: { X, Y }, training: { validation_split: 0.2, shuffle: true, seed: 3, batch_size: 2 } }));
		// trained on samples 0..3 only, in shuffled order; the fifth is never in a batch
		const rows = [...trace.batchRows].sort();
		expect(rows).toEqual([0, 1, 2, 3]);
		// the held-out sample: ŷ = 5, y = 0
		expect(series(trace, 'val_loss')).toEqual([5]);
		expect(series(trace, 'epoch_loss')).toEqual([0]);
	});

	it('takes validation and test sets as given', () => {
		const trace = run(identity({ ...FROZEN, loss: 'mae', metrics: ['mse'], data: { X: [[1]], Y: [[1]] }, validation: { X: [[2]], Y: [[0]] }, test: { X: [[3]], Y: [[1]] }, training: { epochs: 2 } }));
		expect(series(trace, 'val_loss')).toEqual([2, 2]);
		expect(series(trace, 'val_mse')).toEqual([4, 4]);
		expect(series(trace, 'test_loss')).toEqual([2]);
		expect(series(trace, 'test_mse')).toEqual([4]);
	});

	it('refuses validation_split beside validation, and a split that leaves a set empty', () => {
		const both = identity({ loss: 'mae', data: { X: [[1], [2]], Y: [[1], [2]] }, validation: { X: [[2]], Y: [[0]] }, training: { validation_split: 0.5 } });
		expect(() => validateScenario(both)).toThrow(/validation is given/);
		const empty = identity({ loss: 'mae', data: { X: [[1], [2]], Y: [[1], [2]] }, training: { validation_split: 0.6 } });
		expect(() => validateScenario(empty)).toThrow(ScenarioError);
		expect(() => validateScenario(empty)).toThrow(/leaves 0 to train on and 2 to validate/);
	});
});

describe('early stopping (Keras semantics)', () => {
	const rule = (patience: number, minDelta = 0, monitor: EarlyStopping['monitor'] = 'val_loss'): EarlyStopping => ({ monitor, patience, minDelta, restoreBestWeights: false });

	/** The decisions over a hand-made sequence of monitored values: [best, wait, stop] after each epoch. */
	function decisions(r: EarlyStopping, values: number[]): [number, number, boolean][] {
		let state = initialStopping(r);
		return values.map((value, i) => {
			const step = stoppingStep(r, state, i + 1, value);
			state = step.state;
			return [state.best, state.wait, step.stop];
		});
	}

	it('stops once `patience` epochs in a row have not improved on the best', () => {
		expect(decisions(rule(2), [1.0, 0.8, 0.85, 0.9, 0.7])).toEqual([
			[1.0, 0, false],
			[0.8, 0, false],
			[0.8, 1, false],
			[0.8, 2, true],
			[0.7, 0, false]
		]);
	});

	it('counts an improvement only when it beats the best by more than min_delta', () => {
		expect(decisions(rule(2, 0.1), [1.0, 0.95, 0.92])).toEqual([
			[1.0, 0, false],
			[1.0, 1, false],
			[1.0, 2, true]
		]);
	});

	it('never stops after the first epoch, and with patience 0 stops at the first epoch without improvement', () => {
		expect(decisions(rule(0), [1.0, 1.0])).toEqual([
			[1.0, 0, false],
			[1.0, 1, true]
		]);
	});

	it('watches an accuracy for a rise', () => {
		expect(decisions(rule(1, 0, 'val_accuracy'), [0.5, 0.75, 0.75])).toEqual([
			[0.5, 0, false],
			[0.75, 0, false],
			[0.75, 1, true]
		]);
	});

	it('ends the run at the epoch it decides to stop, and records its decision', () => {
		// one weight w, ŷ = w·x, trained on x = 1, y = 1 while the validation sample wants w = −1:
		// val_loss grows from the first update on
		const scenario = {
			model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'identity', W: [[0]], b: [0] }] },
			optimizer: { type: 'sgd', lr: 0.1 },
			update: { biases: false },
			loss: 'mse',
			data: { X: [[1]], Y: [[1]] },
			validation: { X: [[1]], Y: [[-1]] },
			training: { epochs: 10 },
			early_stopping: { monitor: 'val_loss', patience: 2, restore_best_weights: true }
		};
		const trace = run(scenario);
		expect(trace.steps).toBe(3);
		const decision = series(trace, 'early_stopping');
		// [best, its epoch, epochs without improvement, stop]: epoch 1's w = 0.2 gives (0.2 + 1)² = 1.44
		expect(decision.slice(-4)[1]).toBe(1);
		expect(decision.slice(-4)[2]).toBe(2);
		expect(decision.slice(-4)[3]).toBe(1);
		expect(decision[0]).toBeCloseTo(1.44, 12);
		// the weights of epoch 1 are restored and recorded last
		expect(findEvent(trace, 3, 'W[1]')?.value.data[0]).toBeCloseTo(0.2, 15);
		expect(findEvent(trace, 3, 'W[1]')?.phase).toBe('evaluate');
	});
});

describe('the loss chart’s epoch series', () => {
	it('reads the training and validation losses at the last step of each epoch', () => {
		const trace = run(identity({ ...FROZEN, loss: 'mae', data: { X: [[1], [2]], Y: [[1], [1]] }, validation: { X: [[2]], Y: [[0]] }, training: { epochs: 3, batch_size: 1 } }));
		const validation = lossSeries(trace, 'val_loss');
		expect([...validation.steps]).toEqual([2, 4, 6]);
		expect([...validation.values]).toEqual([2, 2, 2]);
		expect([...lossSeries(trace, 'epoch_loss').values]).toEqual([0.5, 0.5, 0.5]);
		expect(lossSeries(trace).steps.length).toBe(6);
	});
});
