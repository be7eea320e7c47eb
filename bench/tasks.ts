/**
 * The four benchmark tasks of BENCH.md (shared/BENCH.md), as plain arrays that every peer —
 * the engine, TensorFlow.js, plain loops — starts its timed region from.
 */
import { mulberry32, type Random } from '../src/lib/engine/prng';

export const TASK_NAMES = ['xor-sgd', 'mlp', 'cnn', 'grid'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** 'softmax' only ever closes a network trained with cross-entropy on its logits. */
export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'softmax';

/** W is units × inputs, row-major: W[j·inputs + k] joins input k to unit j. */
export interface Dense {
	units: number;
	inputs: number;
	activation: Activation;
	W: Float64Array;
	b: Float64Array;
}

/** Stride 1, zero padding (kernel − 1)/2, so the output keeps the input's height × width. */
export interface Conv2d {
	filters: number;
	channels: number;
	kernel: number;
	activation: 'relu';
	/** filters × channels × kernel × kernel, row-major. */
	W: Float64Array;
	b: Float64Array;
}

/** Batches are consecutive slices of the samples in order; step s uses samples s·batch… (mod count). */
export interface Training {
	lr: number;
	batch: number;
	steps: number;
}

export interface Samples {
	count: number;
	/** count × features, row-major; images in NCHW order. */
	inputs: Float64Array;
	/** count × outputs: the targets, one-hot for classes. */
	targets: Float64Array;
}

/**
 * What a training run returns to check its maths against BENCH.md: the mean loss over all
 * samples after training, or each step's batch loss (from that step's forward pass).
 */
export type Check = 'final-loss' | 'step-losses';

export interface DenseTask {
	name: 'xor-sgd' | 'mlp';
	layers: Dense[];
	/** Per-sample loss, averaged over the batch. */
	loss: 'half-squared-error' | 'cross-entropy';
	samples: Samples;
	training: Training;
	check: Check;
}

export interface CnnTask {
	name: 'cnn';
	image: { channels: number; height: number; width: number };
	conv: Conv2d;
	/** Max-pool window, also its stride. */
	pool: number;
	/** Takes the pooled maps flattened in NCHW order. */
	dense: Dense;
	loss: 'cross-entropy';
	samples: Samples;
	training: Training;
}

export interface GridTask {
	name: 'grid';
	layers: Dense[];
	/** The grid is side × side points; point p = row·side + col is (x_col, y_row). */
	side: number;
	/** side² × 2, row-major. */
	points: Float64Array;
	frames: number;
}

export type TaskData = DenseTask | CnnTask | GridTask;

export interface TaskResult {
	/** The timed region: from the arrays in memory to the results back in JS, tensors freed. */
	ms: number;
	/** xor-sgd: mean over the samples of ½(ŷ − y)² after training. */
	finalLoss?: number;
	/** mlp, cnn: the batch loss of each step, computed in that step's forward pass. */
	lossesAtStep?: number[];
	/** grid: Σ v² over every value of every frame read back (see checksum in peers/loops). */
	frameChecksum?: number;
	msPerFrame?: number;
}

export interface Peer {
	name: string;
	/** Start a backend, load a binary: not timed. */
	prepare?(): Promise<void>;
	run(data: TaskData): Promise<TaskResult> | TaskResult;
}

export interface TaskOptions {
	/** A few steps on a handful of samples (an 8 × 8 grid, 2 frames), for smoke tests. */
	tiny?: boolean;
	/** Overrides the step count, keeping the data (and so the stream of draws) as it is. */
	steps?: number;
}

const CLASSES = 10;

export function taskData(name: TaskName, options: TaskOptions = {}): TaskData {
	const tiny = options.tiny ?? false;
	switch (name) {
		case 'xor-sgd':
			return xorSgdTask(options.steps ?? (tiny ? 3 : 10_000));
		case 'mlp':
			return mlpTask(tiny ? { batch: 4, steps: 3 } : { batch: 64, steps: 50 }, options.steps);
		case 'cnn':
			return cnnTask(tiny ? { batch: 2, steps: 3 } : { batch: 32, steps: 10 }, options.steps);
		case 'grid':
			return gridTask(tiny ? { side: 8, frames: 2 } : { side: 256, frames: 20 });
	}
}

/** 2-2-1 with BENCH.md's fixed weights; 2,500 epochs of the four samples are 10,000 steps. */
function xorSgdTask(steps: number): DenseTask {
	return {
		name: 'xor-sgd',
		layers: [
			{ units: 2, inputs: 2, activation: 'sigmoid', W: Float64Array.of(0.5, -0.4, 0.3, 0.8), b: Float64Array.of(0.1, -0.1) },
			{ units: 1, inputs: 2, activation: 'sigmoid', W: Float64Array.of(0.7, -0.6), b: Float64Array.of(0.05) }
		],
		loss: 'half-squared-error',
		samples: { count: 4, inputs: Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1), targets: Float64Array.of(0, 1, 1, 0) },
		training: { lr: 0.5, batch: 1, steps },
		check: 'final-loss'
	};
}

interface Schedule {
	batch: number;
	steps: number;
}

/** 784-128-10; the data is one pass of the schedule, drawn after the weights. */
function mlpTask(schedule: Schedule, steps = schedule.steps): DenseTask {
	const random = mulberry32(42);
	const layers = [denseLayer(random, 784, 128, 'relu'), denseLayer(random, 128, CLASSES, 'softmax')];
	return {
		name: 'mlp',
		layers,
		loss: 'cross-entropy',
		samples: classSamples(random, schedule.batch * schedule.steps, 784),
		training: { lr: 0.1, batch: schedule.batch, steps },
		check: 'step-losses'
	};
}

/** 1×28×28 → conv 8×3×3 + relu → max-pool 2 → flatten 8·14·14 = 1,568 → dense 10. */
function cnnTask(schedule: Schedule, steps = schedule.steps): CnnTask {
	const random = mulberry32(42);
	const image = { channels: 1, height: 28, width: 28 };
	const conv: Conv2d = { filters: 8, channels: 1, kernel: 3, activation: 'relu', W: heUniform(random, 8 * 1 * 3 * 3, 1 * 3 * 3), b: new Float64Array(8) };
	const pool = 2;
	const flattened = (conv.filters * image.height * image.width) / (pool * pool);
	return {
		name: 'cnn',
		image,
		conv,
		pool,
		dense: denseLayer(random, flattened, CLASSES, 'softmax'),
		loss: 'cross-entropy',
		samples: classSamples(random, schedule.batch * schedule.steps, image.channels * image.height * image.width),
		training: { lr: 0.05, batch: schedule.batch, steps }
	};
}

/** 2-16-16-1 with seeded weights; the points are fixed, so the weights are the only draws. */
function gridTask({ side, frames }: { side: number; frames: number }): GridTask {
	const random = mulberry32(42);
	const layers = [denseLayer(random, 2, 16, 'tanh'), denseLayer(random, 16, 16, 'tanh'), denseLayer(random, 16, 1, 'sigmoid')];
	const points = new Float64Array(side * side * 2);
	const coordinate = (i: number) => -1 + (2 * i) / (side - 1);
	for (let row = 0; row < side; row++) {
		for (let col = 0; col < side; col++) {
			const p = row * side + col;
			points[2 * p] = coordinate(col);
			points[2 * p + 1] = coordinate(row);
		}
	}
	return { name: 'grid', layers, side, points, frames };
}

function denseLayer(random: Random, inputs: number, units: number, activation: Activation): Dense {
	return { units, inputs, activation, W: heUniform(random, units * inputs, inputs), b: new Float64Array(units) };
}

/** (2·rng() − 1)·√(6 / fan_in), drawn row-major. */
function heUniform(random: Random, size: number, fanIn: number): Float64Array {
	const limit = Math.sqrt(6 / fanIn);
	return Float64Array.from({ length: size }, () => (2 * random.next() - 1) * limit);
}

/** Every input value sample by sample in [0, 1), then one class per sample, one-hot. */
function classSamples(random: Random, count: number, features: number): Samples {
	const inputs = Float64Array.from({ length: count * features }, () => random.next());
	const targets = new Float64Array(count * CLASSES);
	for (let n = 0; n < count; n++) targets[n * CLASSES + Math.floor(random.next() * CLASSES)] = 1;
	return { count, inputs, targets };
}
