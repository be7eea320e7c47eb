import type { Backend } from './backends/backend';
import type { LossName } from './losses';
import { costAndGradient, forwardLayer, type LayerOutput } from './network';
import type { LayerPlan } from './plan';
import type { Parameters } from './scenario/validate';
import type { Tensor } from './tensor';

/** The metrics a scenario may ask for, named as Keras names them in `compile(metrics=…)`. */
export const METRIC_NAMES = ['accuracy', 'mae', 'mse'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** What early stopping may watch: the loss or a metric, on the training set or on the validation set. */
export const MONITORS = ['loss', 'val_loss', ...METRIC_NAMES, ...METRIC_NAMES.map((m) => `val_${m}` as const)] as const;
export type Monitor = (typeof MONITORS)[number];

/** Held-out samples: one row of X and of Y per sample. */
export interface DataSet {
	X: Tensor;
	Y: Tensor;
}

/**
 * Keras's `validation_split`: the LAST fraction of the samples, taken before any shuffling,
 * is set apart; the first floor(m·(1 − split)) samples are trained on.
 */
export function splitAt(samples: number, split: number): number {
	return Math.floor(samples * (1 - split));
}

/**
 * Which accuracy Keras's `accuracy` means: binary (ŷ > 0.5 against y, over every output) with
 * binary cross-entropy or a single output; categorical (argmax ŷ = argmax y) otherwise.
 */
export function accuracyKind(loss: LossName, outputs: number): 'binary' | 'categorical' {
	return loss === 'binary_cross_entropy' || outputs === 1 ? 'binary' : 'categorical';
}

/** The metric over a data set: the mean over samples (and outputs) as Keras computes it. */
export function metric(name: MetricName, loss: LossName, yHat: Tensor, Y: Tensor): number {
	const [samples, width] = yHat.shape;
	let sum = 0;
	if (name === 'accuracy' && accuracyKind(loss, width) === 'categorical') {
		for (let n = 0; n < samples; n++) sum += argmax(yHat.data, n * width, width) === argmax(Y.data, n * width, width) ? 1 : 0;
		return sum / samples;
	}
	for (let i = 0; i < yHat.data.length; i++) {
		const d = yHat.data[i] - Y.data[i];
		if (name === 'accuracy') sum += (yHat.data[i] > 0.5 ? 1 : 0) === Y.data[i] ? 1 : 0;
		else sum += name === 'mae' ? Math.abs(d) : d * d;
	}
	return sum / yHat.data.length;
}

/** The first index of the largest value of data[start..start + width), as numpy's argmax. */
function argmax(data: Float64Array, start: number, width: number): number {
	let best = 0;
	for (let j = 1; j < width; j++) if (data[start + j] > data[start + best]) best = j;
	return best;
}

/** The network's output on every sample of a data set, computed without recording anything. */
function predict(plans: LayerPlan[], params: (Parameters | null)[], X: Tensor, backend: Backend): LayerOutput {
	let out = forwardLayer(plans[0], params[0], X, undefined, backend);
	for (let i = 1; i < plans.length; i++) out = forwardLayer(plans[i], params[i], out.A, undefined, backend);
	return out;
}

/** The loss and each metric of the network over a data set. */
export function evaluate(
	plans: LayerPlan[],
	params: (Parameters | null)[],
	data: DataSet,
	loss: LossName,
	reduction: 'mean' | 'sum',
	metrics: readonly MetricName[],
	backend: Backend
): { loss: number; metrics: number[] } {
	const output = predict(plans, params, data.X, backend);
	const cost = costAndGradient(loss, reduction, plans[plans.length - 1], output, data.Y).cost;
	return { loss: cost, metrics: metrics.map((name) => metric(name, loss, output.A, data.Y)) };
}

export interface EarlyStopping {
	monitor: Monitor;
	patience: number;
	minDelta: number;
	restoreBestWeights: boolean;
}

/** Where early stopping stands after an epoch: the best value so far, its epoch, and the epochs since. */
export interface StoppingState {
	best: number;
	bestEpoch: number;
	wait: number;
}

/** Keras's mode 'auto': an accuracy should grow, a loss or an error shrink. */
export function maximises(monitor: Monitor): boolean {
	return monitor === 'accuracy' || monitor === 'val_accuracy';
}

export function initialStopping(rule: EarlyStopping): StoppingState {
	return { best: maximises(rule.monitor) ? -Infinity : Infinity, bestEpoch: 0, wait: 0 };
}

/**
 * Keras's EarlyStopping.on_epoch_end: the value improves when it beats the best by more than
 * min_delta (current < best − min_delta, or > best + min_delta for an accuracy); otherwise one
 * more epoch without improvement, and training stops once that count reaches the patience.
 */
export function stoppingStep(rule: EarlyStopping, state: StoppingState, epoch: number, current: number): { state: StoppingState; improved: boolean; stop: boolean } {
	const delta = Math.abs(rule.minDelta);
	const improved = maximises(rule.monitor) ? current - delta > state.best : current + delta < state.best;
	const next = improved ? { best: current, bestEpoch: epoch, wait: 0 } : { ...state, wait: state.wait + 1 };
	// Keras never stops after its first epoch (epoch > 0, counted from 0)
	return { state: next, improved, stop: next.wait >= rule.patience && epoch > 1 };
}
