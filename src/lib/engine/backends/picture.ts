import { ACTIVATIONS, type ActivationName } from '../activations';
import { denseForward } from '../layers/dense';
import type { Tensor } from '../tensor';
import type { DenseLayer } from './backend';

/**
 * The forward-only pass of a picture (the decision region's grid of tens of thousands of
 * points) on one thread: where gpu.js has no graphics processor, its WebAssembly workers lose
 * their speed as soon as another program takes a core, and these loops do not. The numbers are
 * for shading a picture, never graded nor shown in a formula: tanh is a rational function near 0
 * (within 1e-6 of Math.tanh), every other sum and activation is the float64 one.
 */

/** Points a chunk holds: each layer's sums for a chunk stay in the processor's cache. */
const CHUNK = 128;

/** tanh within 1e-6: Lambert's continued fraction to |x| = 3, one exponential beyond. */
export function pictureTanh(x: number): number {
	if (x > 3 || x < -3) return 1 - 2 / (Math.exp(2 * x) + 1);
	const x2 = x * x;
	return (x * (135135 + x2 * (17325 + x2 * (378 + x2)))) / (135135 + x2 * (62370 + x2 * (3150 + x2 * 28)));
}

/** A = f(Z) in place, over a chunk whose rows are `width` wide: tanh by `pictureTanh`, the others by the engine's own. */
function activateChunk(activation: ActivationName, z: Float64Array, width: number): void {
	if (activation !== 'tanh') return ACTIVATIONS[activation].forward(z, z, width);
	for (let i = 0; i < z.length; i++) z[i] = pictureTanh(z[i]);
}

/** A[L] of every row of X through the dense layers, a chunk of rows at a time. */
export function pictureForward(layers: readonly DenseLayer[], X: Tensor): Tensor {
	const [samples, inputs] = X.shape;
	const widths = [inputs, ...layers.map((layer) => layer.W.shape[0])];
	const outputs = widths[widths.length - 1];
	const result = new Float64Array(samples * outputs);
	for (let first = 0; first < samples; first += CHUNK) {
		const rows = Math.min(CHUNK, samples - first);
		let a: Tensor = { shape: [rows, inputs], data: X.data.subarray(first * inputs, (first + rows) * inputs) };
		for (const layer of layers) {
			// the dense layer's own loops; the activation in place
			a = denseForward(a, layer.W, layer.b);
			activateChunk(layer.activation, a.data, a.shape[1]);
		}
		result.set(a.data, first * outputs);
	}
	return { shape: [samples, outputs], data: result };
}
