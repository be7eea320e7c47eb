import { shapeLabel, type Tensor } from '../tensor';
import { activated, deltaOf, required, type LayerUnit } from './unit';

/**
 * The loops below work on several units and samples at once, each sum still added term by term
 * in the order of the formula, so the results are exactly those of the plain loops: running sums
 * that share each number read keep the processor busy where one sum waits on itself, and W is
 * read once for two samples.
 */

/**
 * Fully connected layer on a batch (one row per sample): Z = A_prev Wᵀ + b,
 * with W of shape units × inputs (W[j][k] joins input k to unit j).
 */
export function denseForward(input: Tensor, W: Tensor, b: Tensor): Tensor {
	const [samples, inputs] = input.shape;
	const units = W.shape[0];
	const z = new Float64Array(samples * units);
	weightedSums(input.data, W.data, b.data, samples, inputs, units, z);
	return { shape: [samples, units], data: z };
}

/** Z = A_prev Wᵀ + b written into `z` (samples × units), from the arrays themselves. */
export function weightedSums(x: Float64Array, w: Float64Array, bias: Float64Array, samples: number, inputs: number, units: number, z: Float64Array): void {
	let n = 0;
	// two samples by four units: eight sums, each weight and input read once for them
	for (; n + 1 < samples; n += 2) {
		const row0 = n * inputs;
		const row1 = row0 + inputs;
		const out0 = n * units;
		const out1 = out0 + units;
		let j = 0;
		for (; j + 3 < units; j += 4) {
			const w0 = j * inputs;
			const w1 = w0 + inputs;
			const w2 = w1 + inputs;
			const w3 = w2 + inputs;
			let s00 = bias[j];
			let s01 = bias[j + 1];
			let s02 = bias[j + 2];
			let s03 = bias[j + 3];
			let s10 = s00;
			let s11 = s01;
			let s12 = s02;
			let s13 = s03;
			for (let k = 0; k < inputs; k++) {
				const a0 = x[row0 + k];
				const a1 = x[row1 + k];
				const v0 = w[w0 + k];
				const v1 = w[w1 + k];
				const v2 = w[w2 + k];
				const v3 = w[w3 + k];
				s00 += v0 * a0;
				s01 += v1 * a0;
				s02 += v2 * a0;
				s03 += v3 * a0;
				s10 += v0 * a1;
				s11 += v1 * a1;
				s12 += v2 * a1;
				s13 += v3 * a1;
			}
			z[out0 + j] = s00;
			z[out0 + j + 1] = s01;
			z[out0 + j + 2] = s02;
			z[out0 + j + 3] = s03;
			z[out1 + j] = s10;
			z[out1 + j + 1] = s11;
			z[out1 + j + 2] = s12;
			z[out1 + j + 3] = s13;
		}
		for (; j < units; j++) {
			const weights = j * inputs;
			let sum0 = bias[j];
			let sum1 = bias[j];
			for (let k = 0; k < inputs; k++) {
				sum0 += w[weights + k] * x[row0 + k];
				sum1 += w[weights + k] * x[row1 + k];
			}
			z[out0 + j] = sum0;
			z[out1 + j] = sum1;
		}
	}
	// the last sample of an odd batch (a batch of one, mostly: small networks), one unit at a time
	for (; n < samples; n++) {
		const row = n * inputs;
		for (let j = 0; j < units; j++) {
			const weights = j * inputs;
			let weightedSum = bias[j];
			for (let k = 0; k < inputs; k++) weightedSum += w[weights + k] * x[row + k];
			z[n * units + j] = weightedSum;
		}
	}
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
	// each loop in its own function: V8 optimises the small ones far better than one large
	weightGradients(dZ.data, input.data, samples, inputs, units, dW, db);
	const dInput = needInput ? new Float64Array(samples * inputs) : null;
	if (dInput) inputGradient(dZ.data, W.data, samples, inputs, units, dInput);
	return {
		dW: { shape: [units, inputs], data: dW },
		db: { shape: [units], data: db },
		dInput: dInput && { shape: [samples, inputs], data: dInput }
	};
}

/** dW and db, added into the zeroed arrays given. */
export function weightGradients(delta: Float64Array, a: Float64Array, samples: number, inputs: number, units: number, dW: Float64Array, db: Float64Array): void {
	// dW[j][k] = Σ_n δ[n][j]·a[n][k], the samples added in order, eight of them per pass over the row
	let n = 0;
	for (; n + 7 < samples; n += 8) {
		const a0 = n * inputs;
		const a1 = a0 + inputs;
		const a2 = a1 + inputs;
		const a3 = a2 + inputs;
		const a4 = a3 + inputs;
		const a5 = a4 + inputs;
		const a6 = a5 + inputs;
		const a7 = a6 + inputs;
		for (let j = 0; j < units; j++) {
			const d0 = delta[n * units + j];
			const d1 = delta[(n + 1) * units + j];
			const d2 = delta[(n + 2) * units + j];
			const d3 = delta[(n + 3) * units + j];
			const d4 = delta[(n + 4) * units + j];
			const d5 = delta[(n + 5) * units + j];
			const d6 = delta[(n + 6) * units + j];
			const d7 = delta[(n + 7) * units + j];
			db[j] = db[j] + d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7;
			// eight units that did not fire (relu) add nothing
			if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0 && d5 === 0 && d6 === 0 && d7 === 0) continue;
			const row = j * inputs;
			for (let k = 0; k < inputs; k++) {
				let sum = dW[row + k];
				sum += d0 * a[a0 + k];
				sum += d1 * a[a1 + k];
				sum += d2 * a[a2 + k];
				sum += d3 * a[a3 + k];
				sum += d4 * a[a4 + k];
				sum += d5 * a[a5 + k];
				sum += d6 * a[a6 + k];
				sum += d7 * a[a7 + k];
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
}

/** dA_prev = dZ W, added into the zeroed array given. */
export function inputGradient(delta: Float64Array, w: Float64Array, samples: number, inputs: number, units: number, dInput: Float64Array): void {
	// dA_prev[n][k] = Σ_j δ[n][j]·W[j][k], the units added in order, four per pass over the row
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
