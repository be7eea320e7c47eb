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

/**
 * From dZ = ∂J/∂Z: dW = dZᵀ A_prev, db = Σ_n dZ, and dA_prev = dZ W for the layer below (left
 * out when `needInput` is false: nothing reads the first layer's dA[0]).
 */
export function denseBackward(dZ: Tensor, input: Tensor, W: Tensor, needInput = true): { dW: Tensor; db: Tensor; dInput: Tensor | null } {
	const [samples, inputs] = input.shape;
	const units = W.shape[0];
	const dW = new Float64Array(units * inputs);
	const db = new Float64Array(units);
	const dInput = needInput ? new Float64Array(samples * inputs) : null;
	for (let n = 0; n < samples; n++) {
		const x = n * inputs;
		for (let j = 0; j < units; j++) {
			const delta = dZ.data[n * units + j];
			db[j] += delta;
			// a unit with δ = 0 (a relu that did not fire) adds nothing to either product
			if (delta === 0) continue;
			const row = j * inputs;
			for (let k = 0; k < inputs; k++) dW[row + k] += delta * input.data[x + k];
			if (dInput) for (let k = 0; k < inputs; k++) dInput[x + k] += delta * W.data[row + k];
		}
	}
	return {
		dW: { shape: [units, inputs], data: dW },
		db: { shape: [units], data: db },
		dInput: dInput && { shape: [samples, inputs], data: dInput }
	};
}
