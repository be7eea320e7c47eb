import type { Tensor } from '../tensor';

/**
 * Fully connected layer on a batch (one row per sample): Z = A_prev Wᵀ + b,
 * with W of shape units × inputs (W[j][k] joins input k to unit j).
 */
export function denseForward(input: Tensor, W: Tensor, b: Tensor): Tensor {
	const [samples, inputs] = input.shape;
	const units = W.shape[0];
	const z = new Float64Array(samples * units);
	for (let n = 0; n < samples; n++) {
		for (let j = 0; j < units; j++) {
			let weightedSum = b.data[j];
			for (let k = 0; k < inputs; k++) weightedSum += W.data[j * inputs + k] * input.data[n * inputs + k];
			z[n * units + j] = weightedSum;
		}
	}
	return { shape: [samples, units], data: z };
}

/** From dZ = ∂J/∂Z: dW = dZᵀ A_prev, db = Σ_n dZ, and dA_prev = dZ W for the layer below. */
export function denseBackward(dZ: Tensor, input: Tensor, W: Tensor): { dW: Tensor; db: Tensor; dInput: Tensor } {
	const [samples, inputs] = input.shape;
	const units = W.shape[0];
	const dW = new Float64Array(units * inputs);
	const db = new Float64Array(units);
	const dInput = new Float64Array(samples * inputs);
	for (let n = 0; n < samples; n++) {
		for (let j = 0; j < units; j++) {
			const delta = dZ.data[n * units + j];
			db[j] += delta;
			for (let k = 0; k < inputs; k++) {
				dW[j * inputs + k] += delta * input.data[n * inputs + k];
				dInput[n * inputs + k] += delta * W.data[j * inputs + k];
			}
		}
	}
	return {
		dW: { shape: [units, inputs], data: dW },
		db: { shape: [units], data: db },
		dInput: { shape: [samples, inputs], data: dInput }
	};
}
