/**
 * The baseline peer: BENCH.md's maths as plain float64 loops over typed arrays, nothing recorded.
 * Buffers are allocated once per run; inner loops walk memory contiguously.
 */
import type { Activation, CnnTask, Dense, DenseTask, GridTask, Peer, Samples, TaskResult, Training } from '../tasks';

export const loopsPeer: Peer = {
	name: 'loops',
	run(data) {
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

interface Weights {
	W: Float64Array;
	b: Float64Array;
}

/** A layer's weights, copied so that training never changes the task's arrays, and their gradients. */
interface Parameters extends Weights {
	dW: Float64Array;
	db: Float64Array;
}

function parameters({ W, b }: Weights): Parameters {
	return { W: W.slice(), b: b.slice(), dW: new Float64Array(W.length), db: new Float64Array(b.length) };
}

/** One layer's weighted sums and activations on a batch. */
interface Forward {
	weightedSum: Float64Array;
	a: Float64Array;
}

/** …and their gradients, when training. */
interface LayerBuffers extends Forward {
	dZ: Float64Array;
	dA: Float64Array;
}

function forwardBuffers(batch: number, units: number): Forward {
	return { weightedSum: new Float64Array(batch * units), a: new Float64Array(batch * units) };
}

function layerBuffers(batch: number, units: number): LayerBuffers {
	return { ...forwardBuffers(batch, units), dZ: new Float64Array(batch * units), dA: new Float64Array(batch * units) };
}

function trainDense(task: DenseTask): TaskResult {
	const start = performance.now();
	const { layers, samples, training } = task;
	const { batch } = training;
	const params = layers.map(parameters);
	const buffers = layers.map((layer) => layerBuffers(batch, layer.units));
	const inputBatch = new Float64Array(batch * layers[0].inputs);
	const targetBatch = new Float64Array(batch * layers[layers.length - 1].units);
	const lossesAtStep: number[] = [];
	for (let step = 0; step < training.steps; step++) {
		sliceBatch(samples, step, batch, inputBatch, targetBatch);
		forwardDense(layers, params, buffers, inputBatch, batch);
		const out = buffers[buffers.length - 1];
		const loss = lossAndGradient(task, out, targetBatch, batch);
		if (task.check === 'step-losses') lossesAtStep.push(loss);
		for (let l = layers.length - 1; l >= 0; l--) {
			const layer = layers[l];
			if (layer.activation !== 'softmax') activationBackward(layer.activation, buffers[l]);
			const input = l === 0 ? inputBatch : buffers[l - 1].a;
			denseBackward(layer, params[l], buffers[l].dZ, input, l === 0 ? null : buffers[l - 1].dA, batch);
		}
		params.forEach((p) => sgd(p, training));
	}
	const finalLoss = task.check === 'final-loss' ? meanLoss(task, params) : undefined;
	return { ms: performance.now() - start, finalLoss, lossesAtStep: task.check === 'step-losses' ? lossesAtStep : undefined };
}

/** One forward pass over every sample at once. */
function meanLoss(task: DenseTask, params: Parameters[]): number {
	const { count, inputs, targets } = task.samples;
	const buffers = task.layers.map((layer) => layerBuffers(count, layer.units));
	forwardDense(task.layers, params, buffers, inputs, count);
	return lossAndGradient(task, buffers[buffers.length - 1], targets, count);
}

function forwardDense(layers: Dense[], weights: Weights[], buffers: Forward[], input: Float64Array, batch: number): void {
	layers.forEach((layer, l) => {
		denseForward(layer, weights[l], l === 0 ? input : buffers[l - 1].a, buffers[l].weightedSum, batch);
		if (layer.activation !== 'softmax') activate(layer.activation, buffers[l].weightedSum, buffers[l].a);
	});
}

/** The batch's mean loss; leaves the output's dZ (softmax) or its dA (for its activation's backward to turn into dZ). */
function lossAndGradient(task: DenseTask, out: LayerBuffers, targets: Float64Array, batch: number): number {
	if (task.loss === 'cross-entropy') return softmaxCrossEntropy(out.weightedSum, targets, out.dZ, batch);
	// ½Σ(ŷ − y)² per sample
	let loss = 0;
	for (let i = 0; i < out.a.length; i++) {
		const error = out.a[i] - targets[i];
		loss += 0.5 * error * error;
		out.dA[i] = error / batch;
	}
	return loss / batch;
}

/** Consecutive samples from step·batch on, wrapping around at the end of an epoch. */
function sliceBatch(samples: Samples, step: number, batch: number, inputs: Float64Array, targets: Float64Array): void {
	const features = inputs.length / batch;
	const outputs = targets.length / batch;
	for (let i = 0; i < batch; i++) {
		const n = (step * batch + i) % samples.count;
		inputs.set(samples.inputs.subarray(n * features, (n + 1) * features), i * features);
		targets.set(samples.targets.subarray(n * outputs, (n + 1) * outputs), i * outputs);
	}
}

/** weightedSum[n][j] = b[j] + Σ_k W[j][k]·input[n][k]: a dot product of two contiguous rows. */
function denseForward({ units, inputs }: Dense, { W, b }: Weights, input: Float64Array, weightedSum: Float64Array, batch: number): void {
	for (let n = 0; n < batch; n++) {
		const x = n * inputs;
		for (let j = 0; j < units; j++) {
			const w = j * inputs;
			let sum = b[j];
			for (let k = 0; k < inputs; k++) sum += W[w + k] * input[x + k];
			weightedSum[n * units + j] = sum;
		}
	}
}

/** dW = dZᵀ·input, db = Σ_n dZ, and dInput = dZ·W when the layer below needs it. */
function denseBackward({ units, inputs }: Dense, { W, dW, db }: Parameters, dZ: Float64Array, input: Float64Array, dInput: Float64Array | null, batch: number): void {
	dW.fill(0);
	db.fill(0);
	for (let j = 0; j < units; j++) {
		const w = j * inputs;
		for (let n = 0; n < batch; n++) {
			const g = dZ[n * units + j];
			db[j] += g;
			const x = n * inputs;
			for (let k = 0; k < inputs; k++) dW[w + k] += g * input[x + k];
		}
	}
	if (!dInput) return;
	dInput.fill(0);
	for (let n = 0; n < batch; n++) {
		const x = n * inputs;
		for (let j = 0; j < units; j++) {
			const g = dZ[n * units + j];
			const w = j * inputs;
			for (let k = 0; k < inputs; k++) dInput[x + k] += g * W[w + k];
		}
	}
}

function activate(activation: Exclude<Activation, 'softmax'>, z: Float64Array, a: Float64Array): void {
	for (let i = 0; i < z.length; i++) {
		const v = z[i];
		a[i] = activation === 'relu' ? (v > 0 ? v : 0) : activation === 'tanh' ? Math.tanh(v) : 1 / (1 + Math.exp(-v));
	}
}

/** dZ = dA ⊙ f′(z), with f′ written from the stored activation where it can be. */
function activationBackward(activation: Exclude<Activation, 'softmax'>, { weightedSum, a, dA, dZ }: LayerBuffers): void {
	for (let i = 0; i < dA.length; i++) {
		const v = a[i];
		const slope = activation === 'relu' ? (weightedSum[i] > 0 ? 1 : 0) : activation === 'tanh' ? 1 - v * v : v * (1 - v);
		dZ[i] = dA[i] * slope;
	}
}

/** Mean of −Σ_c y_c·log softmax(z)_c over the batch, and dL/dz = (softmax(z) − y)/batch. */
function softmaxCrossEntropy(logits: Float64Array, targets: Float64Array, dZ: Float64Array, batch: number): number {
	const classes = logits.length / batch;
	let loss = 0;
	for (let n = 0; n < batch; n++) {
		const o = n * classes;
		let max = -Infinity;
		for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]);
		let sum = 0;
		for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c] - max);
		const logSum = Math.log(sum) + max;
		for (let c = 0; c < classes; c++) {
			const logP = logits[o + c] - logSum;
			loss -= targets[o + c] * logP;
			dZ[o + c] = (Math.exp(logP) - targets[o + c]) / batch;
		}
	}
	return loss / batch;
}

function sgd({ W, b, dW, db }: Parameters, { lr }: Training): void {
	for (let i = 0; i < W.length; i++) W[i] -= lr * dW[i];
	for (let i = 0; i < b.length; i++) b[i] -= lr * db[i];
}

function trainCnn(task: CnnTask): TaskResult {
	const start = performance.now();
	const { image, conv, pool, dense, samples, training } = task;
	const { batch } = training;
	const mapValues = conv.filters * image.height * image.width;
	const convParams = parameters(conv);
	const denseParams = parameters(dense);
	const inputBatch = new Float64Array(batch * image.channels * image.height * image.width);
	const targetBatch = new Float64Array(batch * dense.units);
	const convOut = layerBuffers(batch, mapValues);
	const pooled = layerBuffers(batch, dense.inputs);
	const winners = new Int32Array(batch * dense.inputs);
	const out = layerBuffers(batch, dense.units);
	const lossesAtStep: number[] = [];
	for (let step = 0; step < training.steps; step++) {
		sliceBatch(samples, step, batch, inputBatch, targetBatch);
		convForward(task, convParams, inputBatch, convOut.weightedSum, batch);
		activate('relu', convOut.weightedSum, convOut.a);
		maxPool(task, convOut.a, pooled.a, winners);
		denseForward(dense, denseParams, pooled.a, out.weightedSum, batch);
		lossesAtStep.push(softmaxCrossEntropy(out.weightedSum, targetBatch, out.dZ, batch));
		denseBackward(dense, denseParams, out.dZ, pooled.a, pooled.dA, batch);
		// Each pooled gradient goes to the window's maximum; the rest of the map gets none.
		convOut.dA.fill(0);
		for (let i = 0; i < winners.length; i++) convOut.dA[winners[i]] = pooled.dA[i];
		activationBackward('relu', convOut);
		convBackward(task, convParams, inputBatch, convOut.dZ, batch);
		sgd(convParams, training);
		sgd(denseParams, training);
	}
	return { ms: performance.now() - start, lossesAtStep };
}

/**
 * Visits every (filter, channel, ky, kx) once per sample and sweeps the output rows that the
 * shifted input covers, so the zero padding is never read and the inner loop is contiguous.
 */
function forEachTap(
	{ image: { channels, height, width }, conv: { filters, kernel } }: CnnTask,
	batch: number,
	tap: (weight: number, output: number, input: number, rows: number, rowStride: number, cols: number) => void
): void {
	const pad = (kernel - 1) / 2;
	for (let n = 0; n < batch; n++) {
		for (let f = 0; f < filters; f++) {
			for (let c = 0; c < channels; c++) {
				for (let ky = 0; ky < kernel; ky++) {
					for (let kx = 0; kx < kernel; kx++) {
						const dy = ky - pad;
						const dx = kx - pad;
						const y0 = Math.max(0, -dy);
						const x0 = Math.max(0, -dx);
						const output = (n * filters + f) * height * width + y0 * width + x0;
						const input = (n * channels + c) * height * width + (y0 + dy) * width + x0 + dx;
						tap(((f * channels + c) * kernel + ky) * kernel + kx, output, input, Math.min(height, height - dy) - y0, width, Math.min(width, width - dx) - x0);
					}
				}
			}
		}
	}
}

function convForward(task: CnnTask, { W, b }: Weights, images: Float64Array, weightedSum: Float64Array, batch: number): void {
	const { height, width } = task.image;
	const plane = height * width;
	for (let m = 0; m < weightedSum.length / plane; m++) weightedSum.fill(b[m % task.conv.filters], m * plane, (m + 1) * plane);
	forEachTap(task, batch, (weight, output, input, rows, rowStride, cols) => {
		const w = W[weight];
		for (let y = 0; y < rows; y++) {
			const o = output + y * rowStride;
			const i = input + y * rowStride;
			for (let x = 0; x < cols; x++) weightedSum[o + x] += w * images[i + x];
		}
	});
}

/** dW[f][c][ky][kx] = Σ_n Σ_y,x dZ[n][f][y][x]·image[n][c][y+dy][x+dx]; db[f] = Σ dZ[n][f]. */
function convBackward(task: CnnTask, { dW, db }: Parameters, images: Float64Array, dZ: Float64Array, batch: number): void {
	const { filters } = task.conv;
	const plane = task.image.height * task.image.width;
	dW.fill(0);
	db.fill(0);
	for (let i = 0; i < dZ.length; i++) db[Math.floor(i / plane) % filters] += dZ[i];
	forEachTap(task, batch, (weight, output, input, rows, rowStride, cols) => {
		let sum = 0;
		for (let y = 0; y < rows; y++) {
			const o = output + y * rowStride;
			const i = input + y * rowStride;
			for (let x = 0; x < cols; x++) sum += dZ[o + x] * images[i + x];
		}
		dW[weight] += sum;
	});
}

/** Non-overlapping windows; winners[i] is the index in the map of pooled value i's maximum. */
function maxPool({ image: { height, width }, pool }: CnnTask, maps: Float64Array, pooled: Float64Array, winners: Int32Array): void {
	const plane = height * width;
	const outHeight = height / pool;
	const outWidth = width / pool;
	const planes = maps.length / plane;
	let i = 0;
	for (let m = 0; m < planes; m++) {
		for (let py = 0; py < outHeight; py++) {
			for (let px = 0; px < outWidth; px++) {
				let best = m * plane + py * pool * width + px * pool;
				for (let y = 0; y < pool; y++) {
					for (let x = 0; x < pool; x++) {
						const at = m * plane + (py * pool + y) * width + px * pool + x;
						if (maps[at] > maps[best]) best = at;
					}
				}
				pooled[i] = maps[best];
				winners[i++] = best;
			}
		}
	}
}

/** Forward passes of the grid, each frame written into its own Float32Array as a peer would read it back. */
function renderGrid(task: GridTask): TaskResult {
	const start = performance.now();
	const { layers, points, side } = task;
	const count = side * side;
	const buffers = layers.map((layer) => forwardBuffers(count, layer.units));
	const frames: Float32Array[] = [];
	for (let f = 0; f < task.frames; f++) {
		forwardDense(layers, layers, buffers, points, count);
		frames.push(Float32Array.from(buffers[buffers.length - 1].a));
	}
	const ms = performance.now() - start;
	return { ms, msPerFrame: ms / task.frames, frameChecksum: checksum(frames) };
}

/**
 * Σ v² over every frame: the plain Σ v is 0.5 a point whatever the weights, since a network of
 * odd activations without biases is odd, the grid symmetric about 0 and σ(−z) = 1 − σ(z).
 */
export function checksum(frames: Float32Array[]): number {
	let sum = 0;
	for (const frame of frames) for (const v of frame) sum += v * v;
	return sum;
}
