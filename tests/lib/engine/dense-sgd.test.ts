import { describe, expect, it } from 'vitest';
import { referenceBackend } from '../../../src/lib/engine/backends/reference';
import { denseSgdStepper } from '../../../src/lib/engine/dense-sgd';
import { mulberry32 } from '../../../src/lib/engine/prng';
import { run } from '../../../src/lib/engine/run';
import { validateScenario, type NetworkScenario } from '../../../src/lib/engine/scenario/validate';

/**
 * Dense networks trained by plain gradient descent take a stepper that computes each step in one
 * buffer (dense-sgd.ts). Its traces must be the general loop's, every array of them: a revision
 * that changes nothing sends a run through the general loop, beside it.
 */
const random = mulberry32(21);
const rows = (count: number, width: number) => Array.from({ length: count }, () => Array.from({ length: width }, () => Number((2 * random.next() - 1).toFixed(2))));
const oneHot = (count: number, classes: number) =>
	Array.from({ length: count }, (_, n) => Array.from({ length: classes }, (_, j) => (j === (n * 7) % classes ? 1 : 0)));
const bits = (count: number) => Array.from({ length: count }, (_, n) => [n % 2]);
const xor = { X: [[0, 0], [0, 1], [1, 0], [1, 1]], Y: [[0], [1], [1], [0]] };

function network(file: unknown): NetworkScenario {
	const scenario = validateScenario(file);
	if (scenario.kind !== 'network') throw new Error('a network scenario was expected');
	return scenario;
}

const dense = (units: number, activation: string) => ({ type: 'dense', units, activation, init: { seed: units } });

const CASES: [string, Record<string, unknown>][] = [
	['XOR, sigmoid, half squared error, one sample a step', { model: { input: 2, layers: [dense(2, 'sigmoid'), dense(1, 'sigmoid')] }, loss: 'half_squared_error', optimizer: { type: 'sgd', lr: 0.5 }, data: xor, training: { epochs: 30, batch_size: 1 } }],
	['tanh then softmax, categorical cross-entropy, a smaller last batch, shuffled', { model: { input: 3, layers: [dense(5, 'tanh'), dense(3, 'softmax')] }, loss: 'categorical_cross_entropy', optimizer: { type: 'sgd', lr: 0.2 }, data: { X: rows(7, 3), Y: oneHot(7, 3) }, training: { epochs: 4, batch_size: 3, shuffle: true, seed: 4 } }],
	['relu with ReLU′(0) = 1 on zeros, identity, mse summed', { model: { input: 2, layers: [dense(4, 'relu'), dense(2, 'identity')] }, loss: 'mse', reduction: 'sum', conventions: { relu_derivative_at_zero: 1 }, optimizer: { type: 'sgd', lr: 0.05 }, data: { X: [[0, 0], [0, 1], [1, 0], [2, -1]], Y: rows(4, 2) }, training: { epochs: 5, batch_size: 2 } }],
	['softplus then sigmoid, binary cross-entropy, validation, metrics and early stopping', { model: { input: 3, layers: [dense(4, 'softplus'), dense(1, 'sigmoid')] }, loss: 'binary_cross_entropy', optimizer: { type: 'sgd', lr: 0.3 }, metrics: ['accuracy'], data: { X: rows(8, 3), Y: bits(8) }, validation: { X: rows(4, 3), Y: bits(4) }, test: { X: rows(3, 3), Y: bits(3) }, early_stopping: { monitor: 'val_loss', patience: 1, restore_best_weights: true }, training: { epochs: 12, batch_size: 4, shuffle: true, seed: 2 } }],
	['the whole set a step, its metrics after each', { model: { input: 3, layers: [dense(3, 'relu'), dense(2, 'softmax')] }, loss: 'categorical_cross_entropy', optimizer: { type: 'sgd', lr: 0.1 }, metrics: ['accuracy', 'mse'], data: { X: rows(6, 3), Y: oneHot(6, 2) }, training: { epochs: 4 } }],
	['three layers, square and mae', { model: { input: 2, layers: [dense(3, 'square'), dense(3, 'tanh'), dense(2, 'identity')] }, loss: 'mae', optimizer: { type: 'sgd', lr: 0.01 }, data: { X: rows(5, 2), Y: rows(5, 2) }, training: { epochs: 3, batch_size: 5 } }],
	['a rate that overflows: the events up to the first infinite one, then diverged', { model: { input: 2, layers: [dense(3, 'relu'), dense(1, 'identity')] }, loss: 'squared_error', optimizer: { type: 'sgd', lr: 40 }, data: { X: [[3, 4], [5, -6]], Y: [[100], [-200]] }, training: { epochs: 200, batch_size: 1 } }]
];

describe('a dense network trained by plain gradient descent records what the general loop records', () => {
	it.each(CASES)('%s', (_, file) => {
		const scenario = network(file);
		expect(denseSgdStepper(scenario, { backend: referenceBackend })).not.toBeNull();
		const fast = run(scenario);
		const general = run(scenario, { revise: () => null });
		expect(fast).toEqual(general);
	});

	it('the overflowing case overflows after steps recorded whole', () => {
		const diverged = run(network(CASES[CASES.length - 1][1])).diverged;
		expect(diverged?.step).toBeGreaterThan(2);
		expect(diverged?.quantity).toMatch(/^((Z|A|dA|dZ|dW|db|W|b)\[\d\]|loss)$/);
	});
});

const base = { model: { input: 2, layers: [dense(2, 'sigmoid'), dense(1, 'sigmoid')] }, loss: 'mse', optimizer: { type: 'sgd', lr: 0.5 }, data: xor };

describe('every other run takes the general loop', () => {
	it.each([
		['momentum', { ...base, optimizer: { type: 'momentum', lr: 0.1 } }, {}],
		['a schedule', { ...base, optimizer: { type: 'sgd', lr: { schedule: 'exponential', initial: 0.5, decay_rate: 0.9, decay_steps: 2 } } }, {}],
		['weight decay', { ...base, regularization: { l2: 0.01 } }, {}],
		['a frozen layer', { ...base, model: { input: 2, layers: [{ ...dense(2, 'sigmoid'), trainable: false }, dense(1, 'sigmoid')] } }, {}],
		['biases kept', { ...base, update: { biases: false } }, {}],
		['a dropout layer', { ...base, model: { input: 2, layers: [dense(2, 'sigmoid'), { type: 'dropout', rate: 0.5 }, dense(1, 'sigmoid')] } }, {}],
		['no loss', { model: base.model, data: { X: xor.X } }, {}],
		['a substitution', base, { substitutions: [{ step: 1, name: 'Z[1]', offset: 0, values: [1] }] }],
		['a revision', base, { revise: () => null }],
		['the mistake of backpropagating through updated weights', base, { backpropThroughUpdatedWeights: true }],
		['a schedule counted by epochs', base, { scheduleCount: 'epochs' as const }],
		['an ascent', base, { ascend: true }]
	])('%s', (_, file, options) => {
		expect(denseSgdStepper(network(file), { backend: referenceBackend, ...options })).toBeNull();
	});

	it('a backend other than the reference', () => {
		expect(denseSgdStepper(network(base), { backend: { ...referenceBackend, name: 'gpu' } })).toBeNull();
	});
});
