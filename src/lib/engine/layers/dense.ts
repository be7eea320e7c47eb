import type { Tensor } from '../tensor';

/**
 * Fully connected layer on a batch (one row per sample): Z = A_prev Wᵀ + b,
 * with W of shape units × inputs (W[j][k] joins input k to unit j).
 */
export function denseForward(input: Tensor, W: Tensor, b: Tensor): Tensor {
	const [samples, inputs] = input.shape;
	const units = W.shape[0];
	const z = new Float64Array(samples * units);
	// the arrays in locals: V8 then keeps them in registers through the inner loop
	const [w, x, bias] = [W.data, input.data, b.data];
	for (let n = 0; n < samples; n++) {
		const row = n * inputs;
		for (let j = 0; j < units; j++) {
			const weights = j * inputs;
			let weightedSum = bias[j];
			for (let k = 0; k < inputs; k++) weightedSum += w[weights + k] * x[row + k];
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
	const [w, a, delta] = [W.data, input.data, dZ.data];
	for (let n = 0; n < samples; n++) {
		const x = n * inputs;
		for (let j = 0; j < units; j++) {
			const d = delta[n * units + j];
			db[j] += d;
			// a unit with δ = 0 (a relu that did not fire) adds nothing to either product
			if (d === 0) continue;
			const row = j * inputs;
			for (let k = 0; k < inputs; k++) dW[row + k] += d * a[x + k];
			if (dInput) for (let k = 0; k < inputs; k++) dInput[x + k] += d * w[row + k];
		}
	}
	return {
		dW: { shape: [units, inputs], data: dW },
		db: { shape: [units], data: db },
		dInput: dInput && { shape: [samples, inputs], data: dInput }
	};
}
