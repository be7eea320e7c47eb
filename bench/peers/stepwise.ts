/**
 * Stepwise's engine on the benchmark tasks, recording as the replay does: every event of every
 * step (for mlp and cnn those are the layer-level tensors Z, A, dA, dZ, dW, db, W, b).
 */
import { DEFAULT_CONVENTIONS } from '../../src/lib/engine/activations';
import type { Backend, BackendChoice, DenseLayer } from '../../src/lib/engine/backends/backend';
import { referenceBackend } from '../../src/lib/engine/backends/reference';
import { chooseGridBackend } from '../../src/lib/engine/backends/select';
import { planModel } from '../../src/lib/engine/plan';
import { run } from '../../src/lib/engine/run';
import type { NetworkScenario } from '../../src/lib/engine/scenario/validate';
import type { LayerConfig } from '../../src/lib/engine/scenario/schema';
import { findEvent, traceBytes, type Trace } from '../../src/lib/engine/trace';
import { checksum } from './loops';
import type { Dense, DenseTask, CnnTask, GridTask, Peer, TaskData, TaskResult } from '../tasks';

export interface StepwiseResult extends TaskResult {
	backend: string;
	events?: number;
	traceBytes?: number;
}

/** `choice` as a scenario would ask; `gpu` the gpu.js backend, loaded by the caller. */
export function stepwisePeer(choice: BackendChoice, gpu: Backend | undefined): Peer & { run(data: TaskData): StepwiseResult | Promise<StepwiseResult>; lastTrace(): Trace | null } {
	let last: Trace | null = null;
	return {
		name: `stepwise ${choice}`,
		run(data) {
			if (data.name === 'grid') return runGrid(data, chooseGridBackend(choice, gpu));
			const start = performance.now();
			const trace = run(scenarioOf(data, choice), { gpu });
			const result = data.name === 'xor-sgd' ? { finalLoss: finalLoss(trace, data) } : { lossesAtStep: stepLosses(trace) };
			const ms = performance.now() - start;
			last = trace;
			return { ms, ...result, backend: trace.setup.backend.name === 'gpu' ? trace.setup.backend.device : 'reference', events: trace.length, traceBytes: traceBytes(trace) };
		},
		lastTrace: () => last
	};
}

/** The task as a checked scenario, built from its arrays directly (no nested lists to read back). */
export function scenarioOf(data: DenseTask | CnnTask, backend: BackendChoice): NetworkScenario {
	const dense = (layer: Dense): LayerConfig => ({ type: 'dense', units: layer.units, activation: layer.activation });
	const layers: Dense[] = data.name === 'cnn' ? [data.dense] : data.layers;
	const model =
		data.name === 'cnn'
			? {
					input: [data.image.channels, data.image.height, data.image.width] as [number, number, number],
					layers: [
						{ type: 'conv2d' as const, filters: data.conv.filters, kernel: data.conv.kernel, padding: (data.conv.kernel - 1) / 2, activation: data.conv.activation },
						{ type: 'pool' as const, mode: 'max' as const, size: data.pool },
						{ type: 'flatten' as const },
						dense(data.dense)
					]
				}
			: { input: data.layers[0].inputs, layers: data.layers.map(dense) };
	const plans = planModel(model);
	const parameters = (W: Float64Array, b: Float64Array, shape: number[]) => ({ W: { shape, data: W.slice() }, b: { shape: [shape[0]], data: b.slice() } });
	const initial =
		data.name === 'cnn'
			? [parameters(data.conv.W, data.conv.b, [data.conv.filters, data.conv.channels, data.conv.kernel, data.conv.kernel]), null, null, parameters(data.dense.W, data.dense.b, [data.dense.units, data.dense.inputs])]
			: layers.map((l) => parameters(l.W, l.b, [l.units, l.inputs]));
	const { count, inputs, targets } = data.samples;
	const { batch, steps, lr } = data.training;
	const samples = Math.min(count, batch * steps);
	const features = inputs.length / count;
	return {
		kind: 'network',
		plans,
		initial,
		loss: data.loss === 'cross-entropy' ? 'categorical_cross_entropy' : 'half_squared_error',
		reduction: 'mean',
		lr,
		schedule: null,
		optimizer: { type: 'sgd' },
		frozen: [],
		l2: 0,
		update: { weights: true, biases: true },
		conventions: DEFAULT_CONVENTIONS,
		X: { shape: [samples, ...plans[0].inputShape], data: inputs.subarray(0, samples * features) },
		Y: { shape: [samples, targets.length / count], data: targets.subarray(0, (samples * targets.length) / count) },
		// xor-sgd's 10,000 steps are 2,500 epochs of its four samples
		training: { epochs: Math.ceil((batch * steps) / samples), batchSize: batch, shuffle: false, seed: 0 },
		backend,
		validation: null,
		test: null,
		metrics: [],
		earlyStopping: null
	};
}

/** Mean over the samples of ½(ŷ − y)², from the weights the run ended with. */
function finalLoss(trace: Trace, data: DenseTask): number {
	const layers: DenseLayer[] = data.layers.map((layer, i) => ({
		W: findEvent(trace, trace.steps, `W[${i + 1}]`)?.value ?? { shape: [], data: new Float64Array(0) },
		b: findEvent(trace, trace.steps, `b[${i + 1}]`)?.value ?? { shape: [], data: new Float64Array(0) },
		activation: layer.activation
	}));
	const { count, inputs, targets } = data.samples;
	const output = referenceBackend.forwardBatch(layers, { shape: [count, inputs.length / count], data: inputs });
	let sum = 0;
	for (let i = 0; i < output.data.length; i++) sum += 0.5 * (output.data[i] - targets[i]) ** 2;
	return sum / count;
}

function stepLosses(trace: Trace): number[] {
	return Array.from({ length: trace.steps }, (_, s) => findEvent(trace, s + 1, 'loss')?.value.data[0] ?? NaN);
}

/**
 * Each frame: the batched forward pass of the grid, read back into a Float32Array, under gpu.js's
 * asynchronous contract (WebAssembly across worker threads here, WebGPU in a browser that has it).
 */
async function runGrid(data: GridTask, backend: Backend): Promise<StepwiseResult> {
	const start = performance.now();
	const layers: DenseLayer[] = data.layers.map((l) => ({ W: { shape: [l.units, l.inputs], data: l.W }, b: { shape: [l.units], data: l.b }, activation: l.activation }));
	const X = { shape: [data.side * data.side, 2], data: data.points };
	const frames: Float32Array[] = [];
	for (let frame = 0; frame < data.frames; frame++) frames.push(Float32Array.from((await backend.forwardBatchAsync(layers, X)).data));
	const ms = performance.now() - start;
	const device = (backend as { asyncDevice?: string | null }).asyncDevice ?? backend.device;
	return { ms, msPerFrame: ms / data.frames, frameChecksum: checksum(frames), backend: backend.name === 'gpu' ? device : 'reference' };
}
