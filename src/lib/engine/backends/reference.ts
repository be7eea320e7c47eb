import { ACTIVATIONS, type ActivationName } from '../activations';
import { convBackward, convForward } from '../layers/conv2d';
import { denseBackward, denseForward } from '../layers/dense';
import { poolBackward, poolForward } from '../layers/pool';
import type { Tensor } from '../tensor';
import type { Backend } from './backend';

function activate(activation: ActivationName, Z: Tensor): Tensor {
	const A: Tensor = { shape: Z.shape, data: new Float64Array(Z.data.length) };
	ACTIVATIONS[activation].forward(Z.data, A.data, Z.shape[Z.shape.length - 1]);
	return A;
}

/** The float64 loops of the layers themselves: the source of every number graded or shown. */
export const referenceBackend: Backend = {
	name: 'reference',
	device: 'float64 loops',
	hardware: 'cpu',
	dense(input, W, b, activation) {
		const Z = denseForward(input, W, b);
		return { Z, A: activate(activation, Z) };
	},
	denseGradients: (dZ, input, W, needInput) => denseBackward(dZ, input, W, needInput),
	conv(input, W, b, settings, activation) {
		const Z = convForward(input, W, b, settings);
		return { Z, A: activate(activation, Z) };
	},
	convGradients: (dZ, input, W, settings, needInput) => convBackward(dZ, input, W, settings, needInput),
	pool: poolForward,
	poolGradient: poolBackward,
	activate,
	activationGradient(activation, Z, A, dA, conventions) {
		const dZ: Tensor = { shape: Z.shape, data: new Float64Array(Z.data.length) };
		ACTIVATIONS[activation].backward(Z.data, A.data, dA.data, dZ.data, Z.shape[Z.shape.length - 1], conventions);
		return dZ;
	},
	forwardBatch(layers, X) {
		let A = X;
		for (const layer of layers) A = activate(layer.activation, denseForward(A, layer.W, layer.b));
		return A;
	},
	async forwardBatchAsync(layers, X) {
		return referenceBackend.forwardBatch(layers, X);
	},
	fallback: () => null
};
