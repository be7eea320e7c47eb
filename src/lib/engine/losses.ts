import { logSumExp, softplus, type ActivationName } from './activations';

export const LOSS_NAMES = [
	'squared_error',
	'half_squared_error',
	'mse',
	'binary_cross_entropy',
	'categorical_cross_entropy',
	'mae'
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** The output row of one sample: ŷ = A[L], y, and Z[L] (for values computed from the logits). */
export interface OutputRow {
	yHat: Float64Array;
	y: Float64Array;
	z: Float64Array;
	start: number;
	width: number;
}

/**
 * A per-sample loss L(ŷ, y) and its gradient ∂L/∂ŷ. Where the textbook pairs the loss with an
 * output activation (sigmoid + binary cross-entropy, softmax + categorical cross-entropy), the
 * unit also gives ∂L/∂z directly, ŷ − y, which stays exact when ŷ rounds to 0 or 1.
 */
export interface Loss {
	name: LossName;
	value(row: OutputRow, activation: ActivationName): number;
	gradient(row: OutputRow, dA: Float64Array): void;
	pairedDelta?: { activation: ActivationName; delta(row: OutputRow, dZ: Float64Array): void };
}

function squared(name: LossName, factor: (width: number) => number): Loss {
	return {
		name,
		value({ yHat, y, start, width }) {
			let sum = 0;
			for (let j = start; j < start + width; j++) sum += (yHat[j] - y[j]) ** 2;
			return factor(width) * sum;
		},
		gradient({ yHat, y, start, width }, dA) {
			const f = 2 * factor(width);
			for (let j = start; j < start + width; j++) dA[j] = f * (yHat[j] - y[j]);
		}
	};
}

/**
 * Keras's mean absolute error over the n outputs, (1/n) Σ_j |ŷ_j − y_j|. Its derivative is
 * sign(ŷ_j − y_j)/n; at ŷ_j = y_j, where |·| has no derivative, it is 0, as TensorFlow's
 * gradient of abs (sign(0) = 0).
 */
const meanAbsoluteError: Loss = {
	name: 'mae',
	value({ yHat, y, start, width }) {
		let sum = 0;
		for (let j = start; j < start + width; j++) sum += Math.abs(yHat[j] - y[j]);
		return sum / width;
	},
	gradient({ yHat, y, start, width }, dA) {
		for (let j = start; j < start + width; j++) dA[j] = Math.sign(yHat[j] - y[j]) / width;
	}
};

const binaryCrossEntropy: Loss = {
	name: 'binary_cross_entropy',
	value({ yHat, y, z, start, width }, activation) {
		let sum = 0;
		for (let j = start; j < start + width; j++) {
			// From the logit, −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z): no log(0).
			sum +=
				activation === 'sigmoid'
					? y[j] * softplus(-z[j]) + (1 - y[j]) * softplus(z[j])
					: -(xLogY(y[j], yHat[j]) + xLogY(1 - y[j], 1 - yHat[j]));
		}
		return sum / width;
	},
	// from ŷ as recorded, as the formula writes it and a student computes it by hand
	gradient({ yHat, y, start, width }, dA) {
		for (let j = start; j < start + width; j++) {
			dA[j] = (ratio(1 - y[j], 1 - yHat[j]) - ratio(y[j], yHat[j])) / width;
		}
	},
	pairedDelta: {
		activation: 'sigmoid',
		delta({ yHat, y, start, width }, dZ) {
			for (let j = start; j < start + width; j++) dZ[j] = (yHat[j] - y[j]) / width;
		}
	}
};

const categoricalCrossEntropy: Loss = {
	name: 'categorical_cross_entropy',
	value({ yHat, y, z, start, width }, activation) {
		let sum = 0;
		if (activation === 'softmax') {
			// log ŷ_j = z_j − log Σ_k e^{z_k}
			const lse = logSumExp(z, start, width);
			for (let j = start; j < start + width; j++) if (y[j] !== 0) sum -= y[j] * (z[j] - lse);
		} else {
			for (let j = start; j < start + width; j++) sum -= xLogY(y[j], yHat[j]);
		}
		return sum;
	},
	gradient({ yHat, y, start, width }, dA) {
		for (let j = start; j < start + width; j++) dA[j] = -ratio(y[j], yHat[j]);
	},
	pairedDelta: {
		activation: 'softmax',
		// ŷ_j Σ_k y_k − y_j, which is ŷ − y for one-hot targets.
		delta({ yHat, y, start, width }, dZ) {
			let targetSum = 0;
			for (let k = start; k < start + width; k++) targetSum += y[k];
			for (let j = start; j < start + width; j++) dZ[j] = yHat[j] * targetSum - y[j];
		}
	}
};

/** x·log(y) with the convention 0·log(0) = 0 of cross-entropy. */
function xLogY(x: number, y: number): number {
	return x === 0 ? 0 : x * Math.log(y);
}

/**
 * x / y with 0 / 0 = 0 (a target of 0 contributes nothing, whatever ŷ), and y kept above 1e-300
 * so that a ŷ that rounded to 0 or 1 gives a huge but finite ∂L/∂ŷ instead of an infinity.
 */
function ratio(x: number, y: number): number {
	return x === 0 ? 0 : x / Math.max(y, 1e-300);
}

export const LOSSES: Record<LossName, Loss> = {
	squared_error: squared('squared_error', () => 1),
	half_squared_error: squared('half_squared_error', () => 0.5),
	mse: squared('mse', (width) => 1 / width),
	binary_cross_entropy: binaryCrossEntropy,
	categorical_cross_entropy: categoricalCrossEntropy,
	mae: meanAbsoluteError
};
