import { z } from 'zod';
import { ACTIVATION_NAMES } from '../activations';
import { POOL_MODES } from '../layers/pool';
import { METRIC_NAMES, MONITORS } from '../evaluate';
import { LOSS_NAMES } from '../losses';

/**
 * The scenario file of DESIGN.md as a zod schema: types, allowed keys and ranges. Tensors (W, b,
 * X, Y, w) are read as `unknown` here and checked against the model's shapes by `validate.ts`,
 * which can then say "expected 2×3, got 3×2" instead of a type error deep in a nested array.
 */

const positiveInt = z.int().min(1);
const nonNegativeInt = z.int().min(0);
/** A size given once for both axes, or as [height, width]. */
const sizePair = z.union([positiveInt, z.tuple([positiveInt, positiveInt])]);
const paddingPair = z.union([nonNegativeInt, z.tuple([nonNegativeInt, nonNegativeInt])]);

export const activationSchema = z.enum(ACTIVATION_NAMES);
export const initSchemeSchema = z.enum(['zeros', 'uniform', 'normal', 'xavier', 'he']);

const initSchema = z.strictObject({
	weights: initSchemeSchema.optional(),
	bias: initSchemeSchema.optional(),
	/** uniform: U(−scale, scale); normal: N(0, scale²) */
	scale: z.number().positive().optional(),
	seed: z.int().optional()
});

const denseSchema = z.strictObject({
	type: z.literal('dense'),
	units: positiveInt,
	activation: activationSchema.optional(),
	W: z.unknown().optional(),
	b: z.unknown().optional(),
	init: initSchema.optional(),
	/** Keras's attribute: false freezes W and b (fine-tuning a pre-trained layer) */
	trainable: z.boolean().optional()
});

const conv2dSchema = z.strictObject({
	type: z.literal('conv2d'),
	filters: positiveInt,
	kernel: sizePair,
	stride: sizePair.optional(),
	padding: paddingPair.optional(),
	activation: activationSchema.optional(),
	/** true computes a convolution in the mathematical sense (kernel flipped), false a cross-correlation */
	flip: z.boolean().optional(),
	W: z.unknown().optional(),
	b: z.unknown().optional(),
	init: initSchema.optional(),
	trainable: z.boolean().optional()
});

const poolSchema = z.strictObject({
	type: z.literal('pool'),
	mode: z.enum(POOL_MODES),
	size: sizePair,
	stride: sizePair.optional(),
	/** Keras's 'same': padded so that ⌈n/s⌉ windows fit; padded cells never win and are left out of a mean */
	padding: z.enum(['valid', 'same']).optional(),
	/** refused by validate.ts: nothing to freeze */
	trainable: z.boolean().optional()
});

const flattenSchema = z.strictObject({ type: z.literal('flatten'), trainable: z.boolean().optional() });

/** Inverted dropout as Keras: each unit dropped with probability `rate` at training, the kept ones scaled by 1/(1 − rate) */
const dropoutSchema = z.strictObject({
	type: z.literal('dropout'),
	rate: z.number().min(0).lt(1),
	/** the masks' own seed; without it, the training seed plus the layer's number */
	seed: z.int().optional(),
	trainable: z.boolean().optional()
});

/** Keras's BatchNormalization: each feature (a unit, or a channel of an image) normalised over the batch, then scaled by gamma and shifted by beta */
const batchnormSchema = z.strictObject({
	type: z.literal('batchnorm'),
	/** how much of the moving statistics each training step keeps: in [0, 1) */
	momentum: z.number().min(0).lt(1).optional(),
	epsilon: z.number().positive().optional(),
	gamma: z.unknown().optional(),
	beta: z.unknown().optional(),
	moving_mean: z.unknown().optional(),
	moving_variance: z.unknown().optional(),
	/** refused by validate.ts: Keras runs a frozen BatchNormalization in inference mode, which Stepwise does not */
	trainable: z.boolean().optional()
});

export const LAYER_TYPES = ['dense', 'conv2d', 'pool', 'flatten', 'dropout', 'batchnorm'] as const;

export const layerSchema = z.discriminatedUnion('type', [denseSchema, conv2dSchema, poolSchema, flattenSchema, dropoutSchema, batchnormSchema]);

export const modelSchema = z.strictObject({
	input: z.union([positiveInt, z.tuple([positiveInt, positiveInt, positiveInt])]),
	layers: z.array(layerSchema).min(1)
});

export const perceptronSchema = z.strictObject({
	w: z.unknown(),
	/** null: no bias; a number: a bias, learned like the weights */
	b: z.number().nullable().optional(),
	threshold: z.number().optional(),
	/** true: output 1 when z > threshold; false: when z ≥ threshold */
	strict: z.boolean().optional(),
	/** delta: w_i += lr·(y − ŷ)·x_i; sign: w_i += lr·(y − ŷ) for every i */
	rule: z.enum(['delta', 'sign']).optional(),
	lr: z.number().positive().optional()
});

/**
 * Keras's learning-rate schedules (keras.optimizers.schedules), read after k updates (from 0):
 * inverse_time η₀ / (1 + r·k/T), exponential η₀·r^(k/T); staircase puts ⌊k/T⌋ in place of k/T.
 */
export const learningRateScheduleSchema = z.strictObject({
	schedule: z.enum(['inverse_time', 'exponential']),
	initial: z.number().positive(),
	decay_rate: z.number().min(0),
	decay_steps: z.number().positive(),
	staircase: z.boolean().optional()
});
const learningRate = z.union([z.number().positive(), learningRateScheduleSchema]);
/** a moving average's decay rate (momentum, ρ, β₁, β₂): in [0, 1) */
const averaging = z.number().min(0).lt(1);
const epsilon = z.number().positive();

/** sgd, momentum, rmsprop and adam as Keras defines them; a key left out takes Keras's default (see engine/optimizers.ts) */
export const optimizerSchema = z.discriminatedUnion('type', [
	z.strictObject({ type: z.literal('sgd'), lr: learningRate }),
	z.strictObject({ type: z.literal('momentum'), lr: learningRate, momentum: averaging.optional() }),
	z.strictObject({ type: z.literal('rmsprop'), lr: learningRate.optional(), rho: averaging.optional(), epsilon: epsilon.optional() }),
	z.strictObject({
		type: z.literal('adam'),
		lr: learningRate.optional(),
		beta_1: averaging.optional(),
		beta_2: averaging.optional(),
		epsilon: epsilon.optional()
	})
]);

const localized = z.union([z.string(), z.strictObject({ fr: z.string().optional(), en: z.string().optional() })]);

export const scenarioSchema = z.strictObject({
	title: localized.optional(),
	description: localized.optional(),
	model: modelSchema.optional(),
	perceptron: perceptronSchema.optional(),
	loss: z.enum(LOSS_NAMES).optional(),
	reduction: z.enum(['mean', 'sum']).optional(),
	optimizer: optimizerSchema.optional(),
	update: z.strictObject({ weights: z.boolean().optional(), biases: z.boolean().optional() }).optional(),
	/** where the courses differ on a derivative: ReLU′(0) is 0 (default) or 1 (course 003); checked in validate.ts */
	conventions: z.strictObject({ relu_derivative_at_zero: z.number().optional() }).optional(),
	/** l2: λ of Keras's kernel_regularizer l2(λ) on every layer's W: λ‖W‖² added to the cost, 2λW to the gradient the optimizer reads */
	regularization: z.strictObject({ l2: z.number().min(0) }).optional(),
	/** reference: float64 loops; gpu: gpu.js kernels in float32; auto: gpu for large runs */
	backend: z.enum(['reference', 'gpu', 'auto']).optional(),
	data: z.strictObject({ X: z.unknown(), Y: z.unknown().optional() }).optional(),
	/** held-out samples the run evaluates at the end of each epoch (Keras's validation_data) */
	validation: z.strictObject({ X: z.unknown(), Y: z.unknown() }).optional(),
	/** held-out samples the run evaluates once, after training */
	test: z.strictObject({ X: z.unknown(), Y: z.unknown() }).optional(),
	/** computed at the end of each epoch on the training data and the validation data, as Keras's compile(metrics=…) */
	metrics: z.array(z.enum(METRIC_NAMES)).optional(),
	/** Keras's EarlyStopping callback */
	early_stopping: z
		.strictObject({
			monitor: z.enum(MONITORS).optional(),
			patience: nonNegativeInt.optional(),
			min_delta: z.number().min(0).optional(),
			restore_best_weights: z.boolean().optional()
		})
		.optional(),
	training: z
		.strictObject({
			epochs: positiveInt.optional(),
			// 0 is refused by validate.ts with a message about batches rather than a range error
			batch_size: z.int().optional(),
			shuffle: z.boolean().optional(),
			seed: z.int().optional(),
			/** Keras's validation_split: the last fraction of the samples, before shuffling, is held out */
			validation_split: z.number().gt(0).lt(1).optional()
		})
		.optional()
});

export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type OptimizerConfig = z.infer<typeof optimizerSchema>;
export type LayerConfig = z.infer<typeof layerSchema>;
export type PerceptronConfig = z.infer<typeof perceptronSchema>;
export type LearningRateScheduleConfig = z.infer<typeof learningRateScheduleSchema>;
export type InitConfig = z.infer<typeof initSchema>;
export type InitScheme = z.infer<typeof initSchemeSchema>;
