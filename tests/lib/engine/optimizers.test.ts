import { describe, expect, it } from 'vitest';
import { run, type Trace } from '../../../src/lib/engine';
import { DESIGN_EXAMPLE, namesOfStep, values } from '../../helpers';

/**
 * One weight and one bias, ŷ = w·x + b, half squared error, one sample x = 2, y = 1, from w = 1,
 * b = 0: ∂J/∂w = (ŷ − y)·x and ∂J/∂b = ŷ − y, which the tests below compute by hand.
 */
function oneWeight(optimizer: Record<string, unknown>, epochs = 3, extra: Record<string, unknown> = {}): Trace {
	return run({
		model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'identity', W: [[1]], b: [0] }] },
		loss: 'half_squared_error',
		optimizer,
		data: { X: [[2]], Y: [[1]] },
		training: { epochs, batch_size: 1, shuffle: false },
		...extra
	});
}

/** Keras's rules on one scalar, written out here apart from the engine: the state and the parameter after each update. */
type Rule = (theta: number, g: number, state: number[], t: number) => number;

const x = 2;
const y = 1;

/** [w, b] and the states of w and of b after each of `steps` updates of the one-weight model. */
function byHand(rule: Rule, steps: number, stateSize: number, l2 = 0): { w: number; b: number; sw: number[]; sb: number[] }[] {
	let w = 1;
	let b = 0;
	const sw = new Array<number>(stateSize).fill(0);
	const sb = new Array<number>(stateSize).fill(0);
	const out = [];
	for (let t = 1; t <= steps; t++) {
		const e = w * x + b - y;
		const gw = e * x + 2 * l2 * w;
		const gb = e;
		w = rule(w, gw, sw, t);
		b = rule(b, gb, sb, t);
		out.push({ w, b, sw: [...sw], sb: [...sb] });
	}
	return out;
}

const momentum =
	(lr: number, mu: number): Rule =>
	(theta, g, s) => {
		s[0] = mu * s[0] - lr * g;
		return theta + s[0];
	};
const rmsprop =
	(lr: number, rho: number, eps: number): Rule =>
	(theta, g, s) => {
		s[0] = rho * s[0] + (1 - rho) * g * g;
		return theta - (lr * g) / Math.sqrt(s[0] + eps);
	};
const adam =
	(lr: number, b1: number, b2: number, eps: number): Rule =>
	(theta, g, s, t) => {
		s[0] = b1 * s[0] + (1 - b1) * g;
		s[1] = b2 * s[1] + (1 - b2) * g * g;
		const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
		return theta - (alpha * s[0]) / (Math.sqrt(s[1]) + eps);
	};

describe('momentum (Keras SGD(momentum=μ): v ← μv − ηg, w ← w + v)', () => {
	const trace = oneWeight({ type: 'momentum', lr: 0.1, momentum: 0.9 });

	it('records each velocity before the parameter it moves', () => {
		expect(namesOfStep(trace, 1).slice(-4)).toEqual(['vW[1]', 'vb[1]', 'W[1]', 'b[1]']);
	});

	it('matches three steps computed by hand', () => {
		// step 1: ŷ = 2, ∂J/∂w = 2, ∂J/∂b = 1; step 2: ŷ = 1.5, g = 1, 0.5; step 3: ŷ = 0.8, g = −0.4, −0.2
		const expected = [
			{ vW: -0.2, W: 0.8, vb: -0.1, b: -0.1 },
			{ vW: -0.28, W: 0.52, vb: -0.14, b: -0.24 },
			{ vW: -0.212, W: 0.308, vb: -0.106, b: -0.346 }
		];
		expected.forEach((e, i) => {
			const step = i + 1;
			expect(values(trace, step, 'vW[1]')[0]).toBeCloseTo(e.vW, 12);
			expect(values(trace, step, 'W[1]')[0]).toBeCloseTo(e.W, 12);
			expect(values(trace, step, 'vb[1]')[0]).toBeCloseTo(e.vb, 12);
			expect(values(trace, step, 'b[1]')[0]).toBeCloseTo(e.b, 12);
		});
	});

	it('defaults μ to 0.9', () => {
		expect(values(oneWeight({ type: 'momentum', lr: 0.1 }), 3, 'W[1]')).toEqual(values(trace, 3, 'W[1]'));
	});
});

describe('RMSprop (Keras: s ← ρs + (1 − ρ)g², w ← w − ηg/√(s + ε))', () => {
	const trace = oneWeight({ type: 'rmsprop', lr: 0.1 });

	it('matches the first step by hand and three steps of Keras’s formula', () => {
		// s = 0.1·2² = 0.4; w = 1 − 0.1·2/√(0.4 + 1e−7)
		expect(values(trace, 1, 'sW[1]')[0]).toBeCloseTo(0.4, 14);
		expect(values(trace, 1, 'W[1]')[0]).toBeCloseTo(1 - 0.2 / Math.sqrt(0.4000001), 14);
		byHand(rmsprop(0.1, 0.9, 1e-7), 3, 1).forEach((e, i) => {
			expect(values(trace, i + 1, 'W[1]')[0]).toBeCloseTo(e.w, 12);
			expect(values(trace, i + 1, 'b[1]')[0]).toBeCloseTo(e.b, 12);
			expect(values(trace, i + 1, 'sW[1]')[0]).toBeCloseTo(e.sw[0], 12);
			expect(values(trace, i + 1, 'sb[1]')[0]).toBeCloseTo(e.sb[0], 12);
		});
		expect(namesOfStep(trace, 1).slice(-4)).toEqual(['sW[1]', 'sb[1]', 'W[1]', 'b[1]']);
	});

	it('takes Keras’s defaults: lr 0.001, ρ 0.9, ε 1e−7', () => {
		const defaults = oneWeight({ type: 'rmsprop' }, 2);
		byHand(rmsprop(0.001, 0.9, 1e-7), 2, 1).forEach((e, i) => expect(values(defaults, i + 1, 'W[1]')[0]).toBeCloseTo(e.w, 14));
	});
});

describe('Adam (Keras: m ← β₁m + (1 − β₁)g, s ← β₂s + (1 − β₂)g², w ← w − α_t m/(√s + ε), α_t = η√(1 − β₂ᵗ)/(1 − β₁ᵗ))', () => {
	const trace = oneWeight({ type: 'adam', lr: 0.1 });

	it('moves the first step by about η, whatever the gradient’s size (bias correction)', () => {
		// m = 0.2, s = 0.004, α₁ = 0.1·√0.001/0.1; w = 1 − α₁·0.2/(√0.004 + 1e−7) ≈ 1 − 0.1
		expect(values(trace, 1, 'mW[1]')[0]).toBeCloseTo(0.2, 14);
		expect(values(trace, 1, 'sW[1]')[0]).toBeCloseTo(0.004, 14);
		expect(values(trace, 1, 'W[1]')[0]).toBeCloseTo(0.9, 5);
		expect(values(trace, 1, 'b[1]')[0]).toBeCloseTo(-0.1, 5);
		expect(namesOfStep(trace, 1).slice(-6)).toEqual(['mW[1]', 'sW[1]', 'mb[1]', 'sb[1]', 'W[1]', 'b[1]']);
	});

	it('matches three steps of Keras’s formula, defaults β₁ 0.9, β₂ 0.999, ε 1e−7', () => {
		byHand(adam(0.1, 0.9, 0.999, 1e-7), 3, 2).forEach((e, i) => {
			expect(values(trace, i + 1, 'W[1]')[0]).toBeCloseTo(e.w, 12);
			expect(values(trace, i + 1, 'b[1]')[0]).toBeCloseTo(e.b, 12);
			expect([values(trace, i + 1, 'mW[1]')[0], values(trace, i + 1, 'sW[1]')[0]]).toEqual(e.sw.map((v) => expect.closeTo(v, 12)));
		});
		const defaults = oneWeight({ type: 'adam' }, 2);
		byHand(adam(0.001, 0.9, 0.999, 1e-7), 2, 2).forEach((e, i) => expect(values(defaults, i + 1, 'W[1]')[0]).toBeCloseTo(e.w, 14));
	});

	it('updates every element of a 2-2-1 network from the gradients the trace records', () => {
		const net = run({ ...DESIGN_EXAMPLE, optimizer: { type: 'adam', lr: 0.05, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-6 }, training: { epochs: 3, batch_size: 1, shuffle: false } });
		for (const name of ['W[1]', 'b[1]', 'W[2]', 'b[2]']) {
			const grad = `d${name}`;
			let m = values(net, 0, name).map(() => 0);
			let s = m.slice();
			for (let t = 1; t <= 3; t++) {
				const g = values(net, t, grad);
				m = m.map((v, i) => 0.8 * v + 0.2 * g[i]);
				s = s.map((v, i) => 0.99 * v + 0.01 * g[i] * g[i]);
				const alpha = (0.05 * Math.sqrt(1 - 0.99 ** t)) / (1 - 0.8 ** t);
				const before = values(net, t - 1, name);
				const after = before.map((w, i) => w - (alpha * m[i]) / (Math.sqrt(s[i]) + 1e-6));
				values(net, t, name).forEach((w, i) => expect(w).toBeCloseTo(after[i], 13));
				values(net, t, `m${name}`).forEach((v, i) => expect(v).toBeCloseTo(m[i], 13));
				values(net, t, `s${name}`).forEach((v, i) => expect(v).toBeCloseTo(s[i], 13));
			}
		}
	});
});

describe('L2 weight decay (Keras kernel_regularizer l2(λ): λ‖W‖² in the cost, 2λW in the gradient)', () => {
	it('adds 2λW to the gradient the optimizer reads, on W only', () => {
		const trace = oneWeight({ type: 'sgd', lr: 0.1 }, 3, { regularization: { l2: 0.01 } });
		// step 1: g = 2 + 2·0.01·1 = 2.02, w = 1 − 0.202; b has no decay: b = −0.1
		expect(values(trace, 1, 'W[1]')[0]).toBeCloseTo(0.798, 14);
		expect(values(trace, 1, 'b[1]')[0]).toBeCloseTo(-0.1, 14);
		// the recorded gradient stays ∂J/∂w of the loss alone
		expect(values(trace, 1, 'dW[1]')[0]).toBe(2);
		const sgd: Rule = (theta, g) => theta - 0.1 * g;
		byHand(sgd, 3, 0, 0.01).forEach((e, i) => expect(values(trace, i + 1, 'W[1]')[0]).toBeCloseTo(e.w, 13));
	});

	it('decays W with momentum too, and λ = 0 changes nothing', () => {
		const trace = oneWeight({ type: 'momentum', lr: 0.1, momentum: 0.9 }, 3, { regularization: { l2: 0.05 } });
		byHand(momentum(0.1, 0.9), 3, 1, 0.05).forEach((e, i) => {
			expect(values(trace, i + 1, 'W[1]')[0]).toBeCloseTo(e.w, 13);
			expect(values(trace, i + 1, 'vW[1]')[0]).toBeCloseTo(e.sw[0], 13);
		});
		const plain = oneWeight({ type: 'sgd', lr: 0.1 });
		const zero = oneWeight({ type: 'sgd', lr: 0.1 }, 3, { regularization: { l2: 0 } });
		expect(Array.from(zero.values)).toEqual(Array.from(plain.values));
	});
});

describe('plain sgd', () => {
	it('records no optimizer state', () => {
		const trace = oneWeight({ type: 'sgd', lr: 0.1 });
		expect(namesOfStep(trace, 1).slice(-2)).toEqual(['W[1]', 'b[1]']);
		expect(trace.names.some((n) => /^[vms][Wb]\[/.test(n))).toBe(false);
	});
});

describe('a substituted state', () => {
	it('moves the parameter and is carried to the next step, as a student’s own velocity would be', () => {
		const substituted = run(
			{
				model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'identity', W: [[1]], b: [0] }] },
				loss: 'half_squared_error',
				optimizer: { type: 'momentum', lr: 0.1, momentum: 0.9 },
				data: { X: [[2]], Y: [[1]] },
				training: { epochs: 2, batch_size: 1, shuffle: false }
			},
			// a student who wrote v = +0.2 (the sign of ηg forgotten) instead of −0.2
			{ substitutions: [{ step: 1, name: 'vW[1]', offset: 0, values: [0.2] }] }
		);
		expect(values(substituted, 1, 'vW[1]')).toEqual([0.2]);
		expect(values(substituted, 1, 'W[1]')).toEqual([1.2]);
		// step 2: ŷ = 1.2·2 − 0.1 = 2.3, ∂J/∂w = 1.3·2 = 2.6; v = 0.9·0.2 − 0.1·2.6 = −0.08
		expect(values(substituted, 2, 'vW[1]')[0]).toBeCloseTo(-0.08, 14);
		expect(values(substituted, 2, 'W[1]')[0]).toBeCloseTo(1.12, 14);
	});
});
