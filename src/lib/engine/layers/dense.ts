import { shapeLabel, type Tensor } from '../tensor';
import { activated, deltaOf, required, type LayerUnit } from './unit';

/**
 * The loops below work on four units (or four samples) at once, each sum still added term by
 * term in the order of the formula, so the results are exactly those of the plain loops: four
 * running sums that share each input read keep the processor busy where one sum waits on itself.
 */

/**
 * Fully connected layer on a batch (one row per sample): Z = A_prev Wᵀ + b,
 * with W of shape units × inputs (W[j][k] joins input k to unit j).
 */
export function denseForward(input: Tensor, W: Tensor, b: Tensor): Tensor {
	const [samples, inputs] = input.shape;
	const units = W.shape[0];
	const z = new Float64Array(samples * units);
	const w = W.data;
	const x = input.data;
	const bias = b.data;
	for (let n = 0; n < samples; n++) {
		const row = n * inputs;
		const out = n * units;
		let j = 0;
		for (; j + 3 < units; j += 4) {
			const w0 = j * inputs;
			const w1 = w0 + inputs;
			const w2 = w1 + inputs;
			const w3 = w2 + inputs;
			let s0 = bias[j];
			let s1 = bias[j + 1];
			let s2 = bias[j + 2];
			let s3 = bias[j + 3];
			for (let k = 0; k < inputs; k++) {
				const a = x[row + k];
				s0 += w[w0 + k] * a;
				s1 += w[w1 + k] * a;
				s2 += w[w2 + k] * a;
				s3 += w[w3 + k] * a;
			}
			z[out + j] = s0;
			z[out + j + 1] = s1;
			z[out + j + 2] = s2;
			z[out + j + 3] = s3;
		}
		for (; j < units; j++) {
			const weights = j * inputs;
			let weightedSum = bias[j];
			for (let k = 0; k < inputs; k++) weightedSum += w[weights + k] * x[row + k];
			z[out + j] = weightedSum;
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
	const w = W.data;
	const a = input.data;
	const delta = dZ.data;
	// dW[j][k] = Σ_n δ[n][j]·a[n][k], the samples added in order, four of them per pass over the row
	let n = 0;
	for (; n + 3 < samples; n += 4) {
		const a0 = n * inputs;
		const a1 = a0 + inputs;
		const a2 = a1 + inputs;
		const a3 = a2 + inputs;
		for (let j = 0; j < units; j++) {
			const d0 = delta[n * units + j];
			const d1 = delta[(n + 1) * units + j];
			const d2 = delta[(n + 2) * units + j];
			const d3 = delta[(n + 3) * units + j];
			db[j] = db[j] + d0 + d1 + d2 + d3;
			// four units that did not fire (relu) add nothing
			if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
			const row = j * inputs;
			for (let k = 0; k < inputs; k++) {
				let sum = dW[row + k];
				sum += d0 * a[a0 + k];
				sum += d1 * a[a1 + k];
				sum += d2 * a[a2 + k];
				sum += d3 * a[a3 + k];
				dW[row + k] = sum;
			}
		}
	}
	for (; n < samples; n++) {
		const x = n * inputs;
		for (let j = 0; j < units; j++) {
			const d = delta[n * units + j];
			db[j] += d;
			if (d === 0) continue;
			const row = j * inputs;
			for (let k = 0; k < inputs; k++) dW[row + k] += d * a[x + k];
		}
	}
	// dA_prev[n][k] = Σ_j δ[n][j]·W[j][k], the units added in order, four per pass over the row
	if (dInput) {
		for (let m = 0; m < samples; m++) {
			const x = m * inputs;
			let j = 0;
			for (; j + 3 < units; j += 4) {
				const d0 = delta[m * units + j];
				const d1 = delta[m * units + j + 1];
				const d2 = delta[m * units + j + 2];
				const d3 = delta[m * units + j + 3];
				if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
				const w0 = j * inputs;
				const w1 = w0 + inputs;
				const w2 = w1 + inputs;
				const w3 = w2 + inputs;
				for (let k = 0; k < inputs; k++) {
					let sum = dInput[x + k];
					sum += d0 * w[w0 + k];
					sum += d1 * w[w1 + k];
					sum += d2 * w[w2 + k];
					sum += d3 * w[w3 + k];
					dInput[x + k] = sum;
				}
			}
			for (; j < units; j++) {
				const d = delta[m * units + j];
				if (d === 0) continue;
				const row = j * inputs;
				for (let k = 0; k < inputs; k++) dInput[x + k] += d * w[row + k];
			}
		}
	}
	return {
		dW: { shape: [units, inputs], data: dW },
		db: { shape: [units], data: db },
		dInput: dInput && { shape: [samples, inputs], data: dInput }
	};
}

/** A fully connected layer: W units × inputs, b one per unit. */
export const denseUnit: LayerUnit<'dense'> = {
	plan(config, { index, inputShape, at, issues, from }) {
		if (inputShape.length !== 1) {
			issues.push({ path: at, message: `dense needs a flat input, but ${from} gives ${shapeLabel(inputShape)}; add { type: flatten } before it` });
			return undefined;
		}
		return { type: 'dense', index, inputShape, outputShape: [config.units], units: config.units, activation: config.activation ?? 'identity' };
	},
	declare: (plan) => ({ type: 'dense', units: plan.units, activation: plan.activation }),
	parameters(plan) {
		const fans = { fanIn: plan.inputShape[0], fanOut: plan.units };
		return [
			{ name: 'W', shape: [plan.units, plan.inputShape[0]], meaning: 'units × inputs', initial: { key: 'weights', scheme: 'xavier' }, update: 'weights', ...fans },
			{ name: 'b', shape: [plan.units], meaning: 'one per unit', initial: { key: 'bias', scheme: 'zeros' }, update: 'biases', ...fans }
		];
	},
	// the bias counted as one more multiply-add per unit
	multiplyAdds: (plan) => plan.units * (plan.inputShape[0] + 1),
	forward(plan, params, input, use, backend) {
		const computed = backend.dense(input, required(plan, params, 'W'), required(plan, params, 'b'), plan.activation);
		return activated(computed, use, plan.activation, backend);
	},
	backward(plan, params, input, output, dA, pairedDZ, backend, conventions, needInput) {
		const dZ = deltaOf(plan, plan.activation, output, dA, pairedDZ, backend, conventions);
		const { dW, db, dInput } = backend.denseGradients(dZ, input, required(plan, params, 'W'), needInput);
		return { dZ, gradients: { W: dW, b: db }, dInput };
	}
};
