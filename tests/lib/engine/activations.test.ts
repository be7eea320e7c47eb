import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, ACTIVATION_NAMES } from '../../../src/lib/engine/activations';
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
describe.each(ACTIVATION_NAMES.filter((name) => name !== 'step'))('%s: backward agrees with its forward', (name) => {
	it('to 1e-8', () => {
		const a = forward(name, z);
		const dZ = new Float64Array(z.length);
		ACTIVATIONS[name].backward(z, a, upstream, dZ, width);
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
		ACTIVATIONS[activation].backward(zRow, yHat, dA, chained, width);
		const shortcut = new Float64Array(width);
		LOSSES[loss].pairedDelta?.delta(row, shortcut);
		shortcut.forEach((d, j) => expect(d).toBeCloseTo(chained[j], 14));
	});
});
