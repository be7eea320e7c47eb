import { describe, expect, it } from 'vitest';
import { run, type Trace } from '../../../src/lib/engine';
import { DESIGN_EXAMPLE, namesOfStep, values } from '../../helpers';

/*
 * `trainable: false` freezes a layer as Keras's `layer.trainable = False` does in fine-tuning
 * (course 002: « récupérer un réseau pré entraîné et affiner son apprentissage »): its W and b keep
 * their values, no gradient of them is computed, no optimizer state is kept for them, and the
 * backward pass stops below the lowest layer that learns.
 */

type Mapping = Record<string, unknown>;

/** The scenario with the given layers (0-based) marked trainable: false. */
function frozen(scenario: Mapping, layers: number[]): Mapping {
	const model = scenario.model as { input: unknown; layers: Mapping[] };
	return { ...scenario, model: { ...model, layers: model.layers.map((layer, i) => (layers.includes(i) ? { ...layer, trainable: false } : layer)) } };
}

/** A 2-2-2-1 tanh/sigmoid network on two samples, mean reduction, trained for three steps. */
const DEEP: Mapping = {
	model: {
		input: 2,
		layers: [
			{ type: 'dense', units: 2, activation: 'tanh', W: [[0.3, -0.6], [0.8, 0.2]], b: [0.1, -0.2] },
			{ type: 'dense', units: 2, activation: 'tanh', W: [[-0.5, 0.4], [0.7, 0.1]], b: [0, 0.3] },
			{ type: 'dense', units: 1, activation: 'sigmoid', W: [[0.6, -0.9]], b: [0.05] }
		]
	},
	loss: 'binary_cross_entropy',
	optimizer: { type: 'sgd', lr: 0.4 },
	data: { X: [[1, -0.5], [0.2, 0.7]], Y: [[1], [0]] },
	training: { epochs: 3 }
};

/** The cost of step 1 with one entry of a parameter of the first step moved by h. */
function nudgedLoss(scenario: Mapping, layer: number, kind: 'W' | 'b', offset: number, h: number): number {
	const model = structuredClone(scenario.model) as { layers: Record<string, number[] | number[][]>[] };
	const tensor = model.layers[layer][kind];
	const flat = tensor.flat() as number[];
	flat[offset] += h;
	const columns = Array.isArray(tensor[0]) ? (tensor[0] as number[]).length : 0;
	model.layers[layer][kind] = columns ? flat.reduce<number[][]>((rows, v, i) => (i % columns ? rows[rows.length - 1].push(v) : rows.push([v]), rows), []) : flat;
	return values(run({ ...scenario, model, training: { epochs: 1 } }), 1, 'loss')[0];
}

describe('a frozen layer keeps its weights', () => {
	it('DESIGN.md’s 2-2-1 with its hidden layer frozen: W[1], b[1] stay, the output layer learns from the hand values', () => {
		const trace = run(frozen(DESIGN_EXAMPLE, [0]));
		expect(values(trace, 1, 'W[1]')).toEqual([0.1, -0.2, 0.4, 0.3]);
		expect(values(trace, 1, 'b[1]')).toEqual([0.1, -0.1]);
		// a¹ = σ(0.2) and σ(0.45), a² = σ(0.5 a¹₁ − 0.5 a¹₂ + 0.2), δ² = (a² − 1) a² (1 − a²): computed apart (Python, float64)
		const dW2 = [-0.060104108909664895, -0.06991120390514664];
		values(trace, 1, 'dW[2]').forEach((d, i) => expect(d).toBeCloseTo(dW2[i], 14));
		values(trace, 1, 'W[2]').forEach((w, i) => expect(w).toBeCloseTo([0.5300520544548325, -0.4650443980474267][i], 14));
		expect(values(trace, 1, 'b[2]')[0]).toBeCloseTo(0.2572442778144191, 14);
	});

	it('records no gradient of a frozen layer, and nothing below the lowest layer that learns', () => {
		const trace = run(frozen(DESIGN_EXAMPLE, [0]));
		expect(namesOfStep(trace, 1)).toEqual(['A[0]', 'Z[1]', 'A[1]', 'Z[2]', 'A[2]', 'loss', 'dA[2]', 'dZ[2]', 'dW[2]', 'db[2]', 'W[1]', 'b[1]', 'W[2]', 'b[2]']);
	});

	it('backpropagates through a frozen layer that has a learning layer below it, without its dW and db', () => {
		const trace = run(frozen(DEEP, [1]));
		const names = namesOfStep(trace, 1);
		expect(names.filter((n) => n.startsWith('d'))).toEqual(['dA[3]', 'dZ[3]', 'dW[3]', 'db[3]', 'dA[2]', 'dZ[2]', 'dA[1]', 'dZ[1]', 'dW[1]', 'db[1]']);
		expect(values(trace, 3, 'W[2]')).toEqual([-0.5, 0.4, 0.7, 0.1]);
		expect(values(trace, 3, 'b[2]')).toEqual([0, 0.3]);
	});

	it.each([
		{ name: 'the first layer frozen', layers: [0], learning: [1, 2] },
		{ name: 'the middle layer frozen', layers: [1], learning: [0, 2] },
		{ name: 'the first two frozen (fine-tuning the head)', layers: [0, 1], learning: [2] }
	])('$name: the gradients of the layers that learn are the finite differences of J', ({ layers, learning }) => {
		const scenario = frozen(DEEP, layers);
		const trace = run(scenario);
		const h = 1e-6;
		for (const i of learning) {
			for (const kind of ['W', 'b'] as const) {
				const analytic = values(trace, 1, `d${kind}[${i + 1}]`);
				analytic.forEach((a, offset) => {
					const numeric = (nudgedLoss(scenario, i, kind, offset, h) - nudgedLoss(scenario, i, kind, offset, -h)) / (2 * h);
					expect(Math.abs(a - numeric), `d${kind}[${i + 1}][${offset}]`).toBeLessThan(1e-8);
				});
			}
		}
	});

	it('at the first step, a layer that learns moves as if nothing were frozen; later the frozen layers make it differ', () => {
		const all = run(DEEP);
		const head = run(frozen(DEEP, [0, 1]));
		expect(values(head, 1, 'W[3]')).toEqual(values(all, 1, 'W[3]'));
		expect(values(head, 2, 'W[3]')).not.toEqual(values(all, 2, 'W[3]'));
	});

	it('keeps no optimizer state for a frozen layer (momentum, Adam)', () => {
		for (const optimizer of [{ type: 'momentum', lr: 0.1, momentum: 0.9 }, { type: 'adam', lr: 0.01 }]) {
			const names = namesOfStep(run({ ...frozen(DEEP, [0]), optimizer }), 2);
			expect(names.some((n) => /^[vms][Wb]\[1\]$/.test(n)), optimizer.type).toBe(false);
			expect(names.filter((n) => /^[vms][Wb]\[3\]$/.test(n)).length, optimizer.type).toBeGreaterThan(0);
		}
	});

	it('with every layer frozen, the run computes the cost and changes nothing', () => {
		const trace: Trace = run(frozen(DEEP, [0, 1, 2]));
		expect(namesOfStep(trace, 1).some((n) => n.startsWith('d'))).toBe(false);
		expect(values(trace, 3, 'W[3]')).toEqual([0.6, -0.9]);
		expect(values(trace, 3, 'loss')).toEqual(values(trace, 1, 'loss'));
	});

	it('records the frozen layers in the trace’s setup, numbered from 1', () => {
		expect(run(frozen(DEEP, [0, 1])).setup.frozen).toEqual([1, 2]);
		expect(run(frozen(DEEP, [])).setup.frozen).toEqual([]);
		expect(run({ ...DEEP, model: { ...(DEEP.model as Mapping), layers: (DEEP.model as { layers: Mapping[] }).layers.map((l) => ({ ...l, trainable: true })) } }).setup.frozen).toEqual([]);
	});
});
