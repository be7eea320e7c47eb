import { describe, expect, it } from 'vitest';
import { run, type Substitution } from '../../../src/lib/engine/run';
import { findEvent, type Trace } from '../../../src/lib/engine/trace';
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
