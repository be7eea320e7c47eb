import { normal, type Random } from './prng';
import type { InitScheme } from './scenario/schema';
import { sizeOf, type Tensor } from './tensor';

/**
 * Initial values of a layer's W or b, drawn row-major from a seeded PRNG.
 * `fanIn`/`fanOut` are the inputs and outputs of one unit (× kernel area for a convolution).
 */
export function initialise(
	shape: number[],
	scheme: InitScheme,
	random: Random,
	fan: { fanIn: number; fanOut: number },
	scale = 1
): Tensor {
	const data = new Float64Array(sizeOf(shape));
	const draw = drawFor(scheme, fan, scale);
	for (let i = 0; i < data.length; i++) data[i] = draw(random);
	return { shape, data };
}

function drawFor(scheme: InitScheme, { fanIn, fanOut }: { fanIn: number; fanOut: number }, scale: number) {
	switch (scheme) {
		case 'zeros':
			return () => 0;
		case 'uniform':
			return (r: Random) => (2 * r.next() - 1) * scale;
		case 'normal':
			return (r: Random) => normal(r) * scale;
		// Glorot uniform: U(±√(6 / (fan_in + fan_out)))
		case 'xavier': {
			const limit = Math.sqrt(6 / (fanIn + fanOut));
			return (r: Random) => (2 * r.next() - 1) * limit;
		}
		// He uniform, as in BENCH.md: U(±√(6 / fan_in))
		case 'he': {
			const limit = Math.sqrt(6 / fanIn);
			return (r: Random) => (2 * r.next() - 1) * limit;
		}
	}
}
