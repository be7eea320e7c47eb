/**
 * TensorFlow.js peers, one per backend: the same maths in float32 with TF.js's own ops,
 * gradients from optimizer.minimize (plain SGD), as a TF.js user would write them.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { checksum } from './loops';
import type { CnnTask, Dense, DenseTask, GridTask, Peer, TaskResult } from '../tasks';

export type Backend = 'cpu' | 'wasm';

export function tfjsPeer(backend: Backend): Peer {
	// tf is one global: select this peer's backend before each run, outside the timed region.
	const use = async () => {
		if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not start`);
		await tf.ready();
	};
	return {
		name: `tfjs-${backend}`,
		prepare: use,
		async run(data) {
			await use();
			switch (data.name) {
				case 'xor-sgd':
				case 'mlp':
					return trainDense(data);
				case 'cnn':
					return trainCnn(data);
				case 'grid':
					return renderGrid(data);
			}
		}
	};
}

interface DenseWeights {
	W: tf.Tensor2D;
	b: tf.Tensor1D;
}

interface DenseVariables extends DenseWeights {
	W: tf.Variable<tf.Rank.R2>;
	b: tf.Variable<tf.Rank.R1>;
}

function denseWeights({ units, inputs, W, b }: Dense): DenseWeights {
	return { W: tf.tensor2d(new Float32Array(W), [units, inputs]), b: tf.tensor1d(new Float32Array(b)) };
}

/** tf.variable keeps its initial tensor alive: tidy frees it. */
function denseVariables(layer: Dense): DenseVariables {
	return tf.tidy(() => {
		const { W, b } = denseWeights(layer);
		return { W: tf.variable(W), b: tf.variable(b) };
	});
}

/** z = x·Wᵀ + b, then the activation; a softmax layer gives its logits, for the loss to take. */
function dense(layer: Dense, { W, b }: DenseWeights, x: tf.Tensor2D): tf.Tensor2D {
	const z = tf.add<tf.Tensor2D>(tf.matMul(x, W, false, true), b);
	switch (layer.activation) {
		case 'relu':
			return tf.relu(z);
		case 'tanh':
			return tf.tanh(z);
		case 'sigmoid':
			return tf.sigmoid(z);
		case 'softmax':
			return z;
	}
}

function meanLoss(loss: DenseTask['loss'], out: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
	if (loss === 'cross-entropy') return tf.losses.softmaxCrossEntropy(targets, out);
	return tf.mean(tf.mul(0.5, tf.sum(tf.square(tf.sub(out, targets)), 1)));
}

function variablesOf(list: DenseVariables[]): tf.Variable[] {
	return list.flatMap(({ W, b }) => [W, b]);
}

/** Batch `step`: consecutive rows from step·batch, wrapping at the end of an epoch (batch divides count). */
function batchOf<T extends tf.Tensor>(all: T, step: number, batch: number): T {
	return tf.slice(all, (step * batch) % all.shape[0], batch);
}

/**
 * One SGD step on the batch's slices. They are made outside the differentiated function, as
 * data: its tidy would free them before a custom gradient that closes over them runs.
 */
function sgdStep<T extends tf.Tensor>(
	optimizer: tf.Optimizer,
	[inputs, targets]: [T, tf.Tensor2D],
	{ step, batch }: { step: number; batch: number },
	loss: (x: T, y: tf.Tensor2D) => tf.Scalar,
	variables: tf.Variable[],
	returnCost: boolean
): tf.Scalar | null {
	const x = batchOf(inputs, step, batch);
	const y = batchOf(targets, step, batch);
	const cost = optimizer.minimize(() => loss(x, y), returnCost, variables);
	tf.dispose([x, y]);
	return cost;
}

/** Reads each step's batch loss once, at the end, so that steps never wait on a readback. */
async function readLosses(costs: tf.Scalar[]): Promise<number[]> {
	const stacked = tf.stack(costs);
	const losses = Array.from(await stacked.data());
	tf.dispose([stacked, ...costs]);
	return losses;
}

async function trainDense(task: DenseTask): Promise<TaskResult> {
	const start = performance.now();
	const { layers, samples, training } = task;
	const variables = layers.map(denseVariables);
	const data: [tf.Tensor2D, tf.Tensor2D] = [
		tf.tensor2d(new Float32Array(samples.inputs), [samples.count, layers[0].inputs]),
		tf.tensor2d(new Float32Array(samples.targets), [samples.count, layers[layers.length - 1].units])
	];
	const loss = (x: tf.Tensor2D, y: tf.Tensor2D) => meanLoss(task.loss, layers.reduce((a, layer, l) => dense(layer, variables[l], a), x), y);
	const optimizer = tf.train.sgd(training.lr);
	const keepCosts = task.check === 'step-losses';
	const costs: tf.Scalar[] = [];
	for (let step = 0; step < training.steps; step++) {
		const cost = sgdStep(optimizer, data, { step, batch: training.batch }, loss, variablesOf(variables), keepCosts);
		if (cost) costs.push(cost);
	}
	const checks = keepCosts ? { lossesAtStep: await readLosses(costs) } : { finalLoss: await finalLoss() };
	tf.dispose([...data, ...variablesOf(variables)]);
	optimizer.dispose();
	return { ms: performance.now() - start, ...checks };

	async function finalLoss(): Promise<number> {
		const mean = tf.tidy(() => loss(...data));
		const [value] = await mean.data();
		mean.dispose();
		return value;
	}
}

async function trainCnn(task: CnnTask): Promise<TaskResult> {
	const start = performance.now();
	const { image, conv, pool, dense: denseLayer, samples, training } = task;
	// TF.js convolves NHWC images with kh × kw × channels × filters kernels: transpose once.
	const data: [tf.Tensor4D, tf.Tensor2D] = [
		tf.tidy(() => tf.transpose(tf.tensor4d(new Float32Array(samples.inputs), [samples.count, image.channels, image.height, image.width]), [0, 2, 3, 1])),
		tf.tensor2d(new Float32Array(samples.targets), [samples.count, denseLayer.units])
	];
	const { kernel, bias } = tf.tidy(() => ({
		kernel: tf.variable(tf.transpose(tf.tensor4d(new Float32Array(conv.W), [conv.filters, conv.channels, conv.kernel, conv.kernel]), [2, 3, 1, 0])),
		bias: tf.variable(tf.tensor1d(new Float32Array(conv.b)))
	}));
	const denseVars = denseVariables(denseLayer);
	const variables = [kernel, bias, ...variablesOf([denseVars])];
	const convolve = conv2dFor(tf.getBackend());
	const loss = (x: tf.Tensor4D, y: tf.Tensor2D): tf.Scalar => {
		const pooled = tf.maxPool(tf.relu(tf.add<tf.Tensor4D>(convolve(x, kernel), bias)), pool, pool, 'valid');
		// The dense layer's inputs are in NCHW order: back from NHWC before flattening.
		const flat = tf.reshape<tf.Rank.R2>(tf.transpose(pooled, [0, 3, 1, 2]), [x.shape[0], denseLayer.inputs]);
		return tf.losses.softmaxCrossEntropy(y, dense(denseLayer, denseVars, flat));
	};
	const optimizer = tf.train.sgd(training.lr);
	const costs: tf.Scalar[] = [];
	for (let step = 0; step < training.steps; step++) {
		const cost = sgdStep(optimizer, data, { step, batch: training.batch }, loss, variables, true);
		if (cost) costs.push(cost);
	}
	const lossesAtStep = await readLosses(costs);
	tf.dispose([...data, ...variables]);
	optimizer.dispose();
	return { ms: performance.now() - start, lossesAtStep };
}

type Convolve = (x: tf.Tensor4D, kernel: tf.Tensor4D) => tf.Tensor4D;

/**
 * tf.conv2d, 'same' padding (pad 1 for 3 × 3, stride 1). The wasm backend has no
 * Conv2DBackpropFilter kernel, so there the kernel's gradient is written out (x is data: no
 * gradient for it); customGrad's function reads the kernel from the closure, the call passes it
 * as the input that the gradient is for.
 */
function conv2dFor(backend: string): Convolve {
	const plain: Convolve = (x, kernel) => tf.conv2d(x, kernel, 1, 'same');
	if (tf.getKernel('Conv2DBackpropFilter', backend)) return plain;
	return (x, kernel) =>
		tf.customGrad(() => ({ value: plain(x, kernel), gradFunc: (dZ: tf.Tensor4D) => kernelGradient(x, kernel.shape, dZ) }))(kernel);
}

/** dK = patchesᵀ·dZ, the patches being the kh × kw neighbourhoods of the zero-padded input (im2col). */
function kernelGradient(x: tf.Tensor4D, [kh, kw, channels, filters]: number[], dZ: tf.Tensor4D): tf.Tensor4D {
	const [n, height, width] = x.shape;
	const padded = tf.pad(x, [[0, 0], [(kh - 1) / 2, (kh - 1) / 2], [(kw - 1) / 2, (kw - 1) / 2], [0, 0]]);
	const taps: tf.Tensor4D[] = [];
	for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) taps.push(tf.slice(padded, [0, ky, kx, 0], [n, height, width, channels]));
	// Patch columns run (ky, kx, channel), the kernel's own row-major order.
	const patches = tf.reshape<tf.Rank.R2>(tf.concat(taps, 3), [n * height * width, kh * kw * channels]);
	const dK = tf.matMul(patches, tf.reshape<tf.Rank.R2>(dZ, [n * height * width, filters]), true, false);
	return tf.reshape<tf.Rank.R4>(dK, [kh, kw, channels, filters]);
}

async function renderGrid(task: GridTask): Promise<TaskResult> {
	const start = performance.now();
	const { layers, points, side } = task;
	const weights = layers.map(denseWeights);
	const grid = tf.tensor2d(new Float32Array(points), [side * side, 2]);
	const frames: Float32Array[] = [];
	for (let f = 0; f < task.frames; f++) {
		const frame = tf.tidy(() => layers.reduce((a, layer, l) => dense(layer, weights[l], a), grid));
		frames.push(await frame.data<'float32'>());
		frame.dispose();
	}
	tf.dispose([grid, ...weights.flatMap(({ W, b }) => [W, b])]);
	const ms = performance.now() - start;
	return { ms, msPerFrame: ms / task.frames, frameChecksum: checksum(frames) };
}
