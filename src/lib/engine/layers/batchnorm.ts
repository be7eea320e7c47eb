import type { BatchNormPlan } from '../plan';
import { sizeOf, type Tensor } from '../tensor';
import { required, type LayerUnit, type Parameters } from './unit';

/** Keras's BatchNormalization defaults. */
export const BATCHNORM_DEFAULTS = { momentum: 0.99, epsilon: 0.001 } as const;

/**
 * How a batch normalisation reads its input: one feature per unit of a flat input, one per
 * channel of an image (C × H × W, normalised over the batch, the height and the width, as
 * Keras's axis=-1 on its channels-last images). `count` is how many values each feature's
 * statistics are taken over.
 */
interface Layout {
	samples: number;
	features: number;
	/** values of one feature in one sample: 1 for a flat input, H·W for an image */
	positions: number;
	count: number;
}

function layoutOf(plan: BatchNormPlan, input: Tensor): Layout {
	const samples = input.shape[0];
	const features = plan.inputShape[0];
	const positions = sizeOf(plan.inputShape) / features;
	return { samples, features, positions, count: samples * positions };
}

/** What the variance's sum is divided by: n (biased, as Keras and TensorFlow), or n − 1 where a student took the unbiased one. */
export function varianceDivisor(plan: BatchNormPlan, count: number): number {
	return plan.unbiased ? count - 1 : count;
}

/** Calls visit(feature, offset) for every value of the batch, sample by sample in row-major order. */
function eachValue({ samples, features, positions }: Layout, visit: (feature: number, offset: number) => void): void {
	for (let n = 0; n < samples; n++) {
		for (let c = 0; c < features; c++) {
			const start = (n * features + c) * positions;
			for (let p = 0; p < positions; p++) visit(c, start + p);
		}
	}
}

/** μ of each feature: the sum of its values over the batch (and the image's positions), divided by their count. */
function batchMean(input: Tensor, layout: Layout): Tensor {
	const sums = new Float64Array(layout.features);
	eachValue(layout, (c, i) => (sums[c] += input.data[i]));
	return { shape: [layout.features], data: sums.map((sum) => sum / layout.count) };
}

/** σ² of each feature: the sum of (x − μ)² divided by `divisor`. */
function batchVariance(input: Tensor, mu: Tensor, layout: Layout, divisor: number): Tensor {
	const sums = new Float64Array(layout.features);
	eachValue(layout, (c, i) => {
		const d = input.data[i] - mu.data[c];
		sums[c] += d * d;
	});
	return { shape: [layout.features], data: sums.map((sum) => sum / divisor) };
}

/** x̂ = (x − μ)/√(σ² + ε), with the statistics of each value's feature. */
function normalise(input: Tensor, mean: Tensor, variance: Tensor, epsilon: number, layout: Layout): Tensor {
	const data = new Float64Array(input.data.length);
	eachValue(layout, (c, i) => (data[i] = (input.data[i] - mean.data[c]) / Math.sqrt(variance.data[c] + epsilon)));
	return { shape: [...input.shape], data };
}

/** y = γ x̂ + β, feature by feature. */
function scaleAndShift(xhat: Tensor, gamma: Tensor, beta: Tensor, layout: Layout): Tensor {
	const data = new Float64Array(xhat.data.length);
	eachValue(layout, (c, i) => (data[i] = gamma.data[c] * xhat.data[i] + beta.data[c]));
	return { shape: [...xhat.shape], data };
}

/** Keras's moving average: momentum·moving + (1 − momentum)·the batch's statistic. */
export function movingAverage(moving: Tensor, batch: Tensor, momentum: number): Tensor {
	return { shape: [...moving.shape], data: moving.data.map((value, c) => momentum * value + (1 - momentum) * batch.data[c]) };
}

/**
 * Keras's BatchNormalization. At training each feature is normalised by the batch's own mean μ
 * and biased variance σ² (recorded as mu[l], sigma2[l]), x̂ = (x − μ)/√(σ² + ε) (xhat[l]), then
 * scaled and shifted, y = γ x̂ + β; the moving statistics move towards μ and σ² by
 * momentum·moving + (1 − momentum)·batch. At evaluation x̂ uses the moving statistics. The
 * backward pass goes through μ and σ² as well as x̂.
 */
export const batchnormUnit: LayerUnit<'batchnorm'> = {
	plan: (config, { index, inputShape }) => ({
		type: 'batchnorm',
		index,
		inputShape,
		outputShape: [...inputShape],
		momentum: config.momentum ?? BATCHNORM_DEFAULTS.momentum,
		epsilon: config.epsilon ?? BATCHNORM_DEFAULTS.epsilon,
		unbiased: false
	}),
	declare: (plan) => ({ type: 'batchnorm', momentum: plan.momentum, epsilon: plan.epsilon }),
	parameters(plan) {
		const features = plan.inputShape[0];
		const shape = [features];
		const meaning = plan.inputShape.length === 1 ? 'one per unit of the layer before' : 'one per channel';
		const fans = { fanIn: features, fanOut: features };
		return [
			{ name: 'gamma', shape, meaning, initial: { constant: 1 }, update: 'weights', ...fans },
			{ name: 'beta', shape, meaning, initial: { constant: 0 }, update: 'biases', ...fans },
			{ name: 'moving_mean', shape, meaning, initial: { constant: 0 }, update: null, ...fans },
			{ name: 'moving_variance', shape, meaning, initial: { constant: 1 }, update: null, atLeast: 0, ...fans }
		];
	},
	// a subtraction, a division, a multiplication and an addition per value
	multiplyAdds: (plan) => 2 * sizeOf(plan.inputShape),
	forward(plan, params, input, use, _backend, training) {
		const layout = layoutOf(plan, input);
		const gamma = required(plan, params, 'gamma');
		const beta = required(plan, params, 'beta');
		if (!training) {
			const xhat = use('xhat', normalise(input, required(plan, params, 'moving_mean'), required(plan, params, 'moving_variance'), plan.epsilon, layout));
			return { Z: null, A: scaleAndShift(xhat, gamma, beta, layout), winners: null, xhat };
		}
		const mu = use('mu', batchMean(input, layout));
		const sigma2 = use('sigma2', batchVariance(input, mu, layout, varianceDivisor(plan, layout.count)));
		const xhat = use('xhat', normalise(input, mu, sigma2, plan.epsilon, layout));
		const moved: Parameters = {
			moving_mean: movingAverage(required(plan, params, 'moving_mean'), mu, plan.momentum),
			moving_variance: movingAverage(required(plan, params, 'moving_variance'), sigma2, plan.momentum)
		};
		return { Z: null, A: scaleAndShift(xhat, gamma, beta, layout), winners: null, mu, sigma2, xhat, moved };
	},
	backward(plan, params, input, output, dA, _pairedDZ, _backend, _conventions, needInput) {
		const layout = layoutOf(plan, input);
		const { xhat, sigma2 } = output;
		if (!xhat) throw new Error(`layer ${plan.index} (batchnorm) has no recorded x̂ to take the gradient through`);
		const dgamma = new Float64Array(layout.features);
		const dbeta = new Float64Array(layout.features);
		eachValue(layout, (c, i) => {
			dgamma[c] += dA.data[i] * xhat.data[i];
			dbeta[c] += dA.data[i];
		});
		const gradients = { gamma: { shape: [layout.features], data: dgamma }, beta: { shape: [layout.features], data: dbeta } };
		if (!needInput) return { dZ: null, gradients, dInput: null };
		// at training μ and σ² depend on the input: ∂J/∂x = γ/√(σ² + ε) · (∂J/∂y − Σ∂J/∂y / n − x̂ · Σ(∂J/∂y · x̂) / d), d the variance's divisor
		if (!sigma2) throw new Error(`layer ${plan.index} (batchnorm) was trained without its batch variance`);
		const gamma = required(plan, params, 'gamma');
		const divisor = varianceDivisor(plan, layout.count);
		const dInput = new Float64Array(input.data.length);
		eachValue(layout, (c, i) => {
			const scale = gamma.data[c] / Math.sqrt(sigma2.data[c] + plan.epsilon);
			dInput[i] = scale * (dA.data[i] - dbeta[c] / layout.count - (xhat.data[i] * dgamma[c]) / divisor);
		});
		return { dZ: null, gradients, dInput: { shape: [...input.shape], data: dInput } };
	}
};
