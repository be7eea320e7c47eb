import { crosses, nearZero } from './numeric';

export const ACTIVATION_NAMES = ['square', 'identity', 'step', 'sigmoid', 'tanh', 'relu', 'softplus', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/**
 * Where the courses' derivatives part ways, a scenario says which one it computes (its
 * `conventions:`). ReLU′(0) is 0 by default, as PyTorch and TensorFlow take it; course 003
 * writes h′(x) = 1 for x ≥ 0, i.e. 1.
 */
export interface Conventions {
	reluDerivativeAtZero: 0 | 1;
}

export const DEFAULT_CONVENTIONS: Conventions = { reluDerivativeAtZero: 0 };

/**
 * ReLU′(z): 1 above 0, 0 below, and the convention at 0. As for the step unit, float noise
 * around 0 counts as 0 (0.1·3 − 0.3 is 0 on paper), so the convention decides there too.
 */
export function reluDerivative(z: number, conventions: Conventions): number {
	if (nearZero(z)) return conventions.reluDerivativeAtZero;
	return z > 0 ? 1 : 0;
}

/**
 * An activation computes A = f(Z) and, given dA = ∂J/∂A, the gradient dZ = ∂J/∂Z (under the
 * scenario's conventions). Both read the batch row by row (`width` entries a row): softmax mixes
 * a row, the others act entry by entry.
 */
export interface Activation {
	name: ActivationName;
	forward(z: Float64Array, a: Float64Array, width: number): void;
	backward(z: Float64Array, a: Float64Array, dA: Float64Array, dZ: Float64Array, width: number, conventions: Conventions): void;
}

/** σ(z), written so that neither branch overflows. */
export function sigmoid(z: number): number {
	if (z >= 0) return 1 / (1 + Math.exp(-z));
	const e = Math.exp(z);
	return e / (1 + e);
}

/** log(1 + e^z) without overflow for large z. */
export function softplus(z: number): number {
	return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** log Σ_j e^{z_j} over one row, shifted by the row's maximum so it never overflows. */
export function logSumExp(z: Float64Array, start: number, width: number): number {
	let max = -Infinity;
	for (let j = 0; j < width; j++) max = Math.max(max, z[start + j]);
	let sum = 0;
	for (let j = 0; j < width; j++) sum += Math.exp(z[start + j] - max);
	return max + Math.log(sum);
}

const softmax: Activation = {
	name: 'softmax',
	forward(z, a, width) {
		for (let row = 0; row < z.length; row += width) {
			const lse = logSumExp(z, row, width);
			for (let j = 0; j < width; j++) a[row + j] = Math.exp(z[row + j] - lse);
		}
	},
	// Jacobian–vector product: dZ_j = a_j (dA_j − Σ_k a_k dA_k).
	backward(_z, a, dA, dZ, width) {
		for (let row = 0; row < a.length; row += width) {
			let weighted = 0;
			for (let k = 0; k < width; k++) weighted += a[row + k] * dA[row + k];
			for (let j = 0; j < width; j++) dZ[row + j] = a[row + j] * (dA[row + j] - weighted);
		}
	}
};

/*
 * The entry-wise activations, each with its own two loops: f(z) and dZ = dA·f′(z) (which may read
 * a = f(z), as σ′ = a(1 − a) does). One loop shared by all of them, calling f through a closure,
 * could not inline f once a run had used two activations, and took 13 % of the cnn's run.
 */

// course 000's « x² » (2 → 3x → 6 → x² → 36): an element-wise function beyond the usual activations
const square: Activation = {
	name: 'square',
	forward(z, a) {
		for (let i = 0; i < z.length; i++) a[i] = z[i] * z[i];
	},
	backward(z, _a, dA, dZ) {
		for (let i = 0; i < z.length; i++) dZ[i] = dA[i] * (2 * z[i]);
	}
};

const identity: Activation = {
	name: 'identity',
	forward(z, a) {
		for (let i = 0; i < z.length; i++) a[i] = z[i];
	},
	backward(z, _a, dA, dZ) {
		for (let i = 0; i < z.length; i++) dZ[i] = dA[i] * 1;
	}
};

// Heaviside with H(0) = 1; float noise around 0 counts as 0. Its derivative is 0 almost everywhere.
const step: Activation = {
	name: 'step',
	forward(z, a) {
		for (let i = 0; i < z.length; i++) a[i] = crosses(z[i], 0, false) ? 1 : 0;
	},
	backward(z, _a, dA, dZ) {
		for (let i = 0; i < z.length; i++) dZ[i] = dA[i] * 0;
	}
};

const sigmoidUnit: Activation = {
	name: 'sigmoid',
	forward(z, a) {
		for (let i = 0; i < z.length; i++) a[i] = sigmoid(z[i]);
	},
	backward(z, a, dA, dZ) {
		for (let i = 0; i < z.length; i++) dZ[i] = dA[i] * (a[i] * (1 - a[i]));
	}
};

const tanh: Activation = {
	name: 'tanh',
	forward(z, a) {
		for (let i = 0; i < z.length; i++) a[i] = Math.tanh(z[i]);
	},
	backward(z, a, dA, dZ) {
		for (let i = 0; i < z.length; i++) dZ[i] = dA[i] * (1 - a[i] * a[i]);
	}
};

const relu: Activation = {
	name: 'relu',
	forward(z, a) {
		for (let i = 0; i < z.length; i++) a[i] = Math.max(0, z[i]);
	},
	backward(z, _a, dA, dZ, _width, conventions) {
		for (let i = 0; i < z.length; i++) dZ[i] = dA[i] * reluDerivative(z[i], conventions);
	}
};

const softplusUnit: Activation = {
	name: 'softplus',
	forward(z, a) {
		for (let i = 0; i < z.length; i++) a[i] = softplus(z[i]);
	},
	backward(z, _a, dA, dZ) {
		for (let i = 0; i < z.length; i++) dZ[i] = dA[i] * sigmoid(z[i]);
	}
};

export const ACTIVATIONS: Record<ActivationName, Activation> = {
	square,
	identity,
	step,
	sigmoid: sigmoidUnit,
	tanh,
	relu,
	softplus: softplusUnit,
	softmax
};
