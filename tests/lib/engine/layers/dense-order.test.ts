import { describe, expect, it } from 'vitest';
import { denseBackward, denseForward } from '../../../../src/lib/engine/layers/dense';
import { mulberry32 } from '../../../../src/lib/engine/prng';

/** The formulas as written, one term after another: what the fast loops must equal exactly, bit for bit. */
function plainForward(x: Float64Array, W: Float64Array, b: Float64Array, samples: number, inputs: number, units: number): Float64Array {
	const z = new Float64Array(samples * units);
	for (let n = 0; n < samples; n++) {
		for (let j = 0; j < units; j++) {
			let sum = b[j];
			for (let k = 0; k < inputs; k++) sum += W[j * inputs + k] * x[n * inputs + k];
			z[n * units + j] = sum;
		}
	}
	return z;
}

function plainBackward(dZ: Float64Array, x: Float64Array, W: Float64Array, samples: number, inputs: number, units: number) {
	const [dW, db, dInput] = [new Float64Array(units * inputs), new Float64Array(units), new Float64Array(samples * inputs)];
	for (let n = 0; n < samples; n++) {
		for (let j = 0; j < units; j++) {
			const d = dZ[n * units + j];
			db[j] += d;
			for (let k = 0; k < inputs; k++) {
				dW[j * inputs + k] += d * x[n * inputs + k];
				dInput[n * inputs + k] += d * W[j * inputs + k];
			}
		}
	}
	return { dW, db, dInput };
}

describe('a dense layer sums in the order of its formula', () => {
	it.each([
		[1, 1, 1],
		[3, 2, 5],
		[4, 7, 4],
		[2, 3, 3],
		[9, 13, 6],
		[10, 5, 7],
		[17, 11, 9],
		[64, 33, 10]
	])('with %i samples, %i inputs and %i units: exactly the plain loops’ numbers', (samples, inputs, units) => {
		const random = mulberry32(samples * 100 + inputs * 10 + units);
		const values = (length: number, zeros = false) => Float64Array.from({ length }, () => (zeros && random.next() < 0.4 ? 0 : 2 * random.next() - 1));
		const [x, W, b, dZ] = [values(samples * inputs), values(units * inputs), values(units), values(samples * units, true)];
		const Z = denseForward({ shape: [samples, inputs], data: x }, { shape: [units, inputs], data: W }, { shape: [units], data: b });
		expect(Array.from(Z.data)).toEqual(Array.from(plainForward(x, W, b, samples, inputs, units)));
		const grads = denseBackward({ shape: [samples, units], data: dZ }, { shape: [samples, inputs], data: x }, { shape: [units, inputs], data: W });
		const plain = plainBackward(dZ, x, W, samples, inputs, units);
		expect(Array.from(grads.dW.data)).toEqual(Array.from(plain.dW));
		expect(Array.from(grads.db.data)).toEqual(Array.from(plain.db));
		expect(Array.from(grads.dInput?.data ?? [])).toEqual(Array.from(plain.dInput));
	});
});
