import { describe, expect, it } from 'vitest';
import { run, type Substitution } from '../../../src/lib/engine/run';
import { findEvent, nameAt, type Trace } from '../../../src/lib/engine/trace';
import { DESIGN_EXAMPLE } from '../../helpers';

const value = (trace: Trace, step: number, name: string): number[] => Array.from(findEvent(trace, step, name)?.value.data ?? []);
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const withLayer = (W: number[][]): Record<string, unknown> => {
	const model = DESIGN_EXAMPLE.model as { input: number; layers: Record<string, unknown>[] };
	return { ...DESIGN_EXAMPLE, model: { ...model, layers: [{ ...model.layers[0], W }, model.layers[1]] } };
};

describe('a run with substituted values goes on from them', () => {
	it('substituting the initial W[1] gives the trace of a scenario written with that W[1]', () => {
		const W = [[0.3, -0.1], [0.2, 0.6]];
		const substituted = run(DESIGN_EXAMPLE, { substitutions: [{ step: 0, name: 'W[1]', offset: 0, values: W.flat() }] });
		const written = run(withLayer(W));
		expect(Array.from(substituted.values)).toEqual(Array.from(written.values));
	});

	it('takes A[1] from a substituted Z[1], and Z[2] from it', () => {
		const trace = run(DESIGN_EXAMPLE, { substitutions: [{ step: 1, name: 'Z[1]', offset: 1, values: [0.5] }] });
		expect(value(trace, 1, 'Z[1]')).toEqual([0.1, 0.5]);
		expect(value(trace, 1, 'A[1]')[1]).toBeCloseTo(sigmoid(0.5), 15);
		const a = value(trace, 1, 'A[1]');
		expect(value(trace, 1, 'Z[2]')[0]).toBeCloseTo(0.5 * a[0] - 0.5 * a[1] + 0.2, 15);
	});

	it('computes dW[2] from a substituted δ[2] and the update from a substituted dW[1]', () => {
		const subs: Substitution[] = [
			{ step: 1, name: 'dZ[2]', offset: 0, values: [-0.1] },
			{ step: 1, name: 'dW[1]', offset: 0, values: [0.2, 0, 0, 0] }
		];
		const trace = run(DESIGN_EXAMPLE, { substitutions: subs });
		const a = value(trace, 1, 'A[1]');
		expect(value(trace, 1, 'dW[2]')).toEqual([-0.1 * a[0], -0.1 * a[1]]);
		expect(value(trace, 1, 'db[2]')).toEqual([-0.1]);
		expect(value(trace, 1, 'W[1]')[0]).toBeCloseTo(0.1 - 0.5 * 0.2, 15);
		expect(value(trace, 1, 'W[1]')[1]).toBeCloseTo(-0.2 - 0.5 * value(trace, 1, 'dW[1]')[1], 15);
	});

	it('leaves the run unchanged without substitutions, or with one at a step the run lacks', () => {
		const plain = run(DESIGN_EXAMPLE);
		const elsewhere = run(DESIGN_EXAMPLE, { substitutions: [{ step: 9, name: 'Z[1]', offset: 0, values: [5] }] });
		expect(Array.from(elsewhere.values)).toEqual(Array.from(plain.values));
	});

	it('fires a perceptron from a substituted weighted sum, and corrects from a substituted error', () => {
		const perceptron = {
			perceptron: { w: [0.1, 0.1], b: null, threshold: 0.5, strict: true, rule: 'sign', lr: 0.1 },
			data: { X: [[1, 1]], Y: [[1]] },
			training: { epochs: 1 }
		};
		const fired = run(perceptron, { substitutions: [{ step: 1, name: 'Z[1]', offset: 0, values: [0.7] }] });
		expect(value(fired, 1, 'A[1]')).toEqual([1]);
		expect(value(fired, 1, 'error')).toEqual([0]);
		const corrected = run(perceptron, { substitutions: [{ step: 1, name: 'error', offset: 0, values: [-1] }] });
		expect(value(corrected, 1, 'W[1]').map((w) => Number(w.toFixed(12)))).toEqual([0, 0]);
	});
});

describe('a run that revises each value as it is recorded goes on from the revised value', () => {
	const twoSteps = { ...DESIGN_EXAMPLE, training: { epochs: 2, batch_size: 1, shuffle: false } };

	it('sees the run so far, that event included, and every later value follows from the revision', () => {
		const seen: string[] = [];
		// δ[2] doubled at each step, read from the event as computed
		const revised = run(twoSteps, {
			revise: (name, step, sofar) => {
				if (name !== 'dZ[2]') return null;
				const trace = sofar();
				seen.push(`${step}: ${nameAt(trace, trace.length - 1)}, A[2] ${findEvent(trace, step, 'A[2]') ? 'recorded' : 'missing'}`);
				const dZ = findEvent(trace, step, name)?.value;
				return dZ ? { shape: dZ.shape, data: dZ.data.map((v) => 2 * v) } : null;
			}
		});
		expect(seen).toEqual(['1: dZ[2], A[2] recorded', '2: dZ[2], A[2] recorded']);
		const plain = run(twoSteps);
		expect(value(revised, 1, 'dZ[2]')[0]).toBeCloseTo(2 * value(plain, 1, 'dZ[2]')[0], 15);
		// the same run as substituting each step's doubled δ[2], which the grader does with a student's values
		const first = run(twoSteps, { substitutions: [{ step: 1, name: 'dZ[2]', offset: 0, values: value(revised, 1, 'dZ[2]') }] });
		const both = run(twoSteps, {
			substitutions: [
				{ step: 1, name: 'dZ[2]', offset: 0, values: value(revised, 1, 'dZ[2]') },
				{ step: 2, name: 'dZ[2]', offset: 0, values: [2 * value(first, 2, 'dZ[2]')[0]] }
			]
		});
		expect(Array.from(revised.values)).toEqual(Array.from(both.values));
		expect(value(revised, 1, 'W[2]')).not.toEqual(value(plain, 1, 'W[2]'));
	});

	it('ends in a diverged event where a revised value is not finite', () => {
		const trace = run(twoSteps, { revise: (name) => (name === 'dW[1]' ? { shape: [2, 2], data: Float64Array.of(1, Infinity, 0, 0) } : null) });
		expect(trace.diverged).toMatchObject({ step: 1, quantity: 'dW[1]', nonFinite: 1 });
	});
});
