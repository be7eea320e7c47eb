import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, type ActivationName } from '../../../../src/lib/engine/activations';
import { pictureForward, pictureTanh } from '../../../../src/lib/engine/backends/picture';
import { referenceBackend } from '../../../../src/lib/engine/backends/reference';
import { mulberry32 } from '../../../../src/lib/engine/prng';

const random = mulberry32(11);
const values = (length: number, scale = 1) => Float64Array.from({ length }, () => scale * (2 * random.next() - 1));
const layer = (units: number, inputs: number, activation: ActivationName, scale = 1) => ({
	W: { shape: [units, inputs], data: values(units * inputs, scale) },
	b: { shape: [units], data: values(units, scale) },
	activation
});

describe('the picture’s forward pass on one thread', () => {
	it('computes tanh within 1e-6 of Math.tanh, from 0 to beyond where it saturates', () => {
		let worst = 0;
		for (let x = -12; x <= 12; x += 1e-3) worst = Math.max(worst, Math.abs(pictureTanh(x) - Math.tanh(x)));
		expect(worst).toBeLessThan(1e-6);
		expect([pictureTanh(0), pictureTanh(40), pictureTanh(-40)]).toEqual([0, 1, -1]);
	});

	it.each(ACTIVATION_NAMES.filter((name) => name !== 'tanh'))('gives the float64 reference’s numbers exactly through %s', (activation) => {
		// 300 points: two chunks and part of a third
		const layers = [layer(5, 2, activation), layer(activation === 'softmax' ? 3 : 1, 5, activation)];
		const X = { shape: [300, 2], data: values(600) };
		const actual = pictureForward(layers, X);
		const expected = referenceBackend.forwardBatch(layers, X);
		expect(actual.shape).toEqual(expected.shape);
		expect(Array.from(actual.data)).toEqual(Array.from(expected.data));
	});

	it.each([1, 127, 128, 129, 4096])('gives the reference’s outputs within 1e-6 for %i points of the decision region’s 2-16-16-1 tanh network', (points) => {
		const layers = [layer(16, 2, 'tanh', 3), layer(16, 16, 'tanh'), layer(1, 16, 'sigmoid')];
		const X = { shape: [points, 2], data: values(points * 2, 4) };
		const actual = pictureForward(layers, X);
		const expected = referenceBackend.forwardBatch(layers, X);
		expect(actual.shape).toEqual([points, 1]);
		expected.data.forEach((value, i) => expect(Math.abs(actual.data[i] - value)).toBeLessThan(1e-6));
	});
});
