import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, ACTIVATION_NAMES, DEFAULT_CONVENTIONS, reluDerivative, type Conventions } from '../../../src/lib/engine/activations';
import { LOSSES } from '../../../src/lib/engine/losses';
import { mulberry32 } from '../../../src/lib/engine/prng';

const width = 4;
const random = mulberry32(3);
const z = Float64Array.from({ length: 2 * width }, () => 4 * random.next() - 2);
const upstream = Float64Array.from({ length: 2 * width }, () => 2 * random.next() - 1);

function forward(name: (typeof ACTIVATION_NAMES)[number], input: Float64Array): Float64Array {
	const a = new Float64Array(input.length);
	ACTIVATIONS[name].forward(input, a, width);
	return a;
}

// Each activation's backward is the vector–Jacobian product of its forward: compare it with
// central differences of Σ upstream ⊙ f(z).
// ReLU′(0) is a convention: both give the same derivative away from 0, where z is drawn.
describe.each(ACTIVATION_NAMES.filter((name) => name !== 'step'))('%s: backward agrees with its forward', (name) => {
	it.each([0, 1] as const)('to 1e-8, with ReLU′(0) = %i', (reluDerivativeAtZero) => {
		const a = forward(name, z);
		const dZ = new Float64Array(z.length);
		ACTIVATIONS[name].backward(z, a, upstream, dZ, width, { reluDerivativeAtZero });
		const h = 1e-6;
		for (let i = 0; i < z.length; i++) {
			const plus = z.slice();
			const minus = z.slice();
			plus[i] += h;
			minus[i] -= h;
			const fPlus = forward(name, plus);
			const fMinus = forward(name, minus);
			let numeric = 0;
			for (let k = 0; k < z.length; k++) numeric += (upstream[k] * (fPlus[k] - fMinus[k])) / (2 * h);
			expect(dZ[i]).toBeCloseTo(numeric, 8);
		}
	});
});

describe('square, course 000’s x²', () => {
	it('turns 6 into 36 and passes back 2z', () => {
		const a = new Float64Array(2);
		ACTIVATIONS.square.forward(Float64Array.of(6, -1.5), a, 2);
		expect([...a]).toEqual([36, 2.25]);
		const dZ = new Float64Array(2);
		ACTIVATIONS.square.backward(Float64Array.of(6, -1.5), a, Float64Array.of(1, 2), dZ, 2, DEFAULT_CONVENTIONS);
		expect([...dZ]).toEqual([12, -6]);
	});
});

describe('loss shortcuts equal the chain rule through the activation', () => {
	it.each([
		{ loss: 'categorical_cross_entropy', activation: 'softmax', y: [0, 1, 0, 0] },
		// soft targets that do not sum to 1: the shortcut is ŷ·Σy − y, not ŷ − y
		{ loss: 'categorical_cross_entropy', activation: 'softmax', y: [0.5, 0, 0.25, 0] },
		{ loss: 'binary_cross_entropy', activation: 'sigmoid', y: [0, 1, 0.3, 1] }
	] as const)('$loss with $activation, y = $y', ({ loss, activation, y }) => {
		const zRow = z.subarray(0, width);
		const yHat = forward(activation, zRow);
		const row = { yHat, y: Float64Array.from(y), z: zRow, start: 0, width };
		const dA = new Float64Array(width);
		LOSSES[loss].gradient(row, dA);
		const chained = new Float64Array(width);
		ACTIVATIONS[activation].backward(zRow, yHat, dA, chained, width, DEFAULT_CONVENTIONS);
		const shortcut = new Float64Array(width);
		LOSSES[loss].pairedDelta?.delta(row, shortcut);
		shortcut.forEach((d, j) => expect(d).toBeCloseTo(chained[j], 14));
	});
});

describe('ReLU′ at 0 is the scenario’s convention', () => {
	const zero: Conventions = { reluDerivativeAtZero: 0 };
	const one: Conventions = { reluDerivativeAtZero: 1 };
	it.each([
		{ z: 0, conventions: zero, expected: 0 },
		{ z: 0, conventions: one, expected: 1 },
		{ z: -0, conventions: one, expected: 1 },
		// float noise around 0 is 0, as on paper: 0.1·3 − 0.3 = 5.6e-17
		{ z: 0.1 * 3 - 0.3, conventions: zero, expected: 0 },
		{ z: 0.1 * 3 - 0.3, conventions: one, expected: 1 },
		{ z: 0.3 - 0.1 * 3, conventions: one, expected: 1 },
		{ z: 1e-6, conventions: zero, expected: 1 },
		{ z: -1e-6, conventions: one, expected: 0 },
		// the noise allowed is 1e-9, both ends included
		{ z: 1e-9, conventions: zero, expected: 0 },
		{ z: -1e-9, conventions: one, expected: 1 },
		{ z: 1.5e-9, conventions: zero, expected: 1 },
		{ z: -1.5e-9, conventions: one, expected: 0 },
		{ z: NaN, conventions: one, expected: 0 },
		{ z: 2.5, conventions: zero, expected: 1 },
		{ z: 2.5, conventions: one, expected: 1 },
		{ z: -2.5, conventions: zero, expected: 0 },
		{ z: -2.5, conventions: one, expected: 0 }
	])('ReLU′($z) = $expected with ReLU′(0) = $conventions.reluDerivativeAtZero', ({ z: at, conventions, expected }) => {
		expect(reluDerivative(at, conventions)).toBe(expected);
		const dZ = new Float64Array(1);
		ACTIVATIONS.relu.backward(Float64Array.of(at), Float64Array.of(Math.max(0, at)), Float64Array.of(-3), dZ, 1, conventions);
		expect(dZ[0]).toBe(-3 * expected);
	});

	it('is 0 by default, as PyTorch and TensorFlow take it', () => {
		expect(DEFAULT_CONVENTIONS.reluDerivativeAtZero).toBe(0);
	});
});
