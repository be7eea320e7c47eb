import { describe, expect, it } from 'vitest';
import { estimateCost, findEvent, run, toJsonEvent, validateScenario, type Trace } from '../../../../src/lib/engine';
import { DEFAULT_CONVENTIONS } from '../../../../src/lib/engine/activations';
import { createGpuBackend } from '../../../../src/lib/engine/backends/gpu';
import { pictureForward } from '../../../../src/lib/engine/backends/picture';
import { referenceBackend } from '../../../../src/lib/engine/backends/reference';
import type { Backend } from '../../../../src/lib/engine/backends/backend';
import { POOL_MODES, type PoolMode } from '../../../../src/lib/engine/layers/pool';
import { AUTO_GPU_MIN_MULTIPLY_ADDS, chooseBackend } from '../../../../src/lib/engine/backends/select';
import { mulberry32, type Random } from '../../../../src/lib/engine/prng';
import { fixtureFiles, loadFixture } from '../../../helpers';

/** float32 against float64: DESIGN.md's parity tolerance */
const ABS = 1e-4;
const REL = 1e-3;

const gpu = createGpuBackend();

/** Every event of the gpu run equals the reference's: same names, steps, shapes, values within float32. */
function expectParity(reference: Trace, onGpu: Trace): void {
	expect(onGpu.setup.backend.name).toBe('gpu');
	expect(onGpu.setup.backend.note).toBeNull();
	expect(onGpu.length).toBe(reference.length);
	for (let seq = 0; seq < reference.length; seq++) {
		const [r, g] = [toJsonEvent(reference, seq), toJsonEvent(onGpu, seq)];
		expect([g.step, g.phase, g.name]).toEqual([r.step, r.phase, r.name]);
		const [rv, gv] = [[r.value].flat(4) as number[], [g.value].flat(4) as number[]];
		expect(gv.length, `${r.name} at step ${r.step}`).toBe(rv.length);
		rv.forEach((expected, i) => {
			const gap = Math.abs(gv[i] - expected);
			if (gap > ABS + REL * Math.abs(expected)) {
				expect.fail(`${r.name} at step ${r.step}, entry ${i}: gpu ${gv[i]}, reference ${expected}`);
			}
		});
	}
}

function runBoth(scenario: unknown): { reference: Trace; onGpu: Trace } {
	return { reference: run(scenario, { backend: 'reference', gpu }), onGpu: run(scenario, { backend: 'gpu', gpu }) };
}

const networkFixtures = fixtureFiles().filter((file) => {
	const { scenario } = loadFixture(file) as { scenario?: { model?: unknown } };
	return scenario?.model !== undefined;
});

describe('the gpu backend gives the reference’s events within float32 tolerance', () => {
	it('finds the network fixtures', () => {
		expect(networkFixtures.length).toBeGreaterThanOrEqual(5);
	});

	it.each(networkFixtures)('on the fixture %s', (file) => {
		const { reference, onGpu } = runBoth((loadFixture(file) as { scenario: unknown }).scenario);
		expectParity(reference, onGpu);
	});

	it.each(fixtureFiles().filter((file) => !networkFixtures.includes(file) && file !== 'param-counts.yaml'))('on the perceptron fixture %s, which runs on the reference whatever is asked, and says so', (file) => {
		const scenario = (loadFixture(file) as { scenario: unknown }).scenario;
		const [asked, reference] = [run(scenario, { backend: 'gpu', gpu }), run(scenario, { backend: 'reference' })];
		expect(asked.setup.backend).toMatchObject({ requested: 'gpu', name: 'reference', note: 'a perceptron always runs on the reference backend' });
		expect(Array.from(asked.values)).toEqual(Array.from(reference.values));
	});

	it.each(Array.from({ length: 12 }, (_, seed) => seed))('on a random dense network (seed %i)', (seed) => {
		const { reference, onGpu } = runBoth(randomDense(mulberry32(seed + 1)));
		expectParity(reference, onGpu);
	});

	it.each(Array.from({ length: 12 }, (_, seed) => seed))('on a random convolutional network (seed %i)', (seed) => {
		const { reference, onGpu } = runBoth(randomConv(mulberry32(seed + 101)));
		expectParity(reference, onGpu);
	});

	it.each(POOL_MODES.flatMap((mode) => [1, 2].map((stride) => ({ mode, stride }))))('on $mode pooling with stride $stride: the values, the cells kept and the gradient', ({ mode, stride }) => {
		const random = mulberry32(stride * 31 + POOL_MODES.indexOf(mode));
		const tensor = (shape: number[]) => ({ shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b) }, () => 2 * random.next() - 1) });
		const geometry = { kernel: [2, 2] as [number, number], stride: [stride, stride] as [number, number], padding: [0, 0] as [number, number] };
		const x = tensor([3, 2, 9, 9]);
		const expected = referenceBackend.pool(x, mode, geometry);
		const actual = gpu.pool(x, mode, geometry);
		expect(actual.A.shape).toEqual(expected.A.shape);
		expected.A.data.forEach((value, i) => expect(Math.abs(actual.A.data[i] - value), `A[${i}]`).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
		expect(Array.from(actual.winners)).toEqual(Array.from(expected.winners));
		const dA = tensor(expected.A.shape);
		const dX = referenceBackend.poolGradient(dA, x, mode, geometry, expected.winners);
		const onGpu = gpu.poolGradient(dA, x, mode, geometry, actual.winners);
		dX.data.forEach((value, i) => expect(Math.abs(onGpu.data[i] - value), `dX[${i}]`).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
		expect(gpu.fallback()).toBeNull();
	});

	it.each(POOL_MODES)('on a convolutional network with %s pooling', (mode) => {
		const { reference, onGpu } = runBoth(randomConv(mulberry32(301), mode));
		expectParity(reference, onGpu);
		expect(reference.setup.layers.some((layer) => layer.type === 'pool' && layer.mode === mode)).toBe(true);
	});

	it.each(Array.from({ length: 16 }, (_, seed) => seed))('on conv2d gradients with every stride, padding and flip (case %i)', (seed) => {
		const random = mulberry32(seed + 501);
		const [channels, filters, size, kernel] = [1 + (seed % 2), 1 + (seed % 3), 6 + (seed % 3), 2 + (seed % 2)];
		const settings = { kernel: [kernel, kernel] as [number, number], stride: [1 + (seed % 2), 1 + ((seed >> 1) % 3)] as [number, number], padding: [(seed >> 2) % 2, (seed >> 3) % 2] as [number, number], flip: seed % 3 === 0 };
		const tensor = (shape: number[]) => ({ shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b) }, () => 2 * random.next() - 1) });
		const x = tensor([2, channels, size, size]);
		const W = tensor([filters, channels, kernel, kernel]);
		const { Z } = referenceBackend.conv(x, W, tensor([filters]), settings, 'identity');
		const dZ = tensor(Z.shape);
		const expected = referenceBackend.convGradients(dZ, x, W, settings, true);
		const actual = gpu.convGradients(dZ, x, W, settings, true);
		for (const key of ['dW', 'db', 'dInput'] as const) {
			const [e, a] = [expected[key], actual[key]];
			expect(a?.shape).toEqual(e?.shape);
			e?.data.forEach((value, i) => expect(Math.abs((a?.data[i] ?? NaN) - value), `${key}[${i}]`).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
		}
	});

	it.each(['square', 'identity', 'step', 'sigmoid', 'tanh', 'relu', 'softplus', 'softmax'] as const)('on %s and its gradient over a tensor large enough for a kernel', (activation) => {
		const random = mulberry32(11);
		const tensor = () => ({ shape: [1000, 10], data: Float64Array.from({ length: 10_000 }, () => 6 * random.next() - 3) });
		const [Z, dA] = [tensor(), tensor()];
		const A = referenceBackend.activate(activation, Z);
		const close = (actual: Float64Array, expected: Float64Array) =>
			expected.forEach((value, i) => expect(Math.abs(actual[i] - value), `entry ${i}`).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
		close(gpu.activate(activation, Z).data, A.data);
		close(gpu.activationGradient(activation, Z, A, dA, DEFAULT_CONVENTIONS).data, referenceBackend.activationGradient(activation, Z, A, dA, DEFAULT_CONVENTIONS).data);
	});

	it.each([0, 1] as const)('on ReLU′ with ReLU′(0) = %i, over a tensor large enough for a kernel and a third of it at 0', (reluDerivativeAtZero) => {
		const random = mulberry32(12);
		// exact zeros, float noise around 0 (0.1·3 − 0.3), and values either side
		const Z = { shape: [1000, 10], data: Float64Array.from({ length: 10_000 }, (_, i) => [0, 0.1 * 3 - 0.3, 6 * random.next() - 3][i % 3]) };
		const dA = { shape: Z.shape, data: Float64Array.from({ length: 10_000 }, () => 2 * random.next() - 1) };
		const A = referenceBackend.activate('relu', Z);
		const conventions = { reluDerivativeAtZero };
		const expected = referenceBackend.activationGradient('relu', Z, A, dA, conventions);
		const actual = gpu.activationGradient('relu', Z, A, dA, conventions);
		expect(gpu.fallback()).toBeNull();
		expected.data.forEach((value, i) => expect(Math.abs(actual.data[i] - value), `entry ${i}`).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
		for (let i = 0; i < 6; i += 3) expect(actual.data[i], `entry ${i}, at 0`).toBeCloseTo(reluDerivativeAtZero * dA.data[i], 6);
	});

	it.each([0, 1] as const)('on a ReLU network with many inputs at exactly 0, with ReLU′(0) = %i', (reluDerivativeAtZero) => {
		// 64 samples × 80 units: Z[1] is large enough for the kernel; every other sample is x = 0, so z = b = 0
		const random = mulberry32(13);
		const units = 80;
		const scenario = {
			model: {
				input: 2,
				layers: [
					{ type: 'dense', units, activation: 'relu', W: matrix(random, units, 2), b: new Array<number>(units).fill(0) },
					{ type: 'dense', units: 1, activation: 'identity', W: matrix(random, 1, units), b: [0.1] }
				]
			},
			loss: 'half_squared_error',
			optimizer: { type: 'sgd', lr: 0.1 },
			conventions: { relu_derivative_at_zero: reluDerivativeAtZero },
			data: {
				X: Array.from({ length: 64 }, (_, n) => (n % 2 === 0 ? [0, 0] : [2 * random.next() - 1, 2 * random.next() - 1])),
				Y: Array.from({ length: 64 }, () => [1])
			},
			training: { epochs: 2 }
		};
		const { reference, onGpu } = runBoth(scenario);
		expectParity(reference, onGpu);
		expect(onGpu.setup.conventions).toEqual({ reluDerivativeAtZero });
		// the samples at 0 pass their gradient down only under ReLU′(0) = 1
		const dZ = findEvent(reference, 1, 'dZ[1]')?.value.data ?? new Float64Array(0);
		expect(dZ.subarray(0, units).some((d) => d !== 0)).toBe(reluDerivativeAtZero === 1);
	});

	it.each(['sigmoid', 'relu', 'softmax'] as const)('on a dense layer whose Z stays on the device for a %s kernel', (activation) => {
		const random = mulberry32(21);
		const tensor = (shape: number[]) => ({ shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b) }, () => 2 * random.next() - 1) });
		const [x, W, b] = [tensor([512, 20]), tensor([10, 20]), tensor([10])];
		const expected = referenceBackend.dense(x, W, b, activation);
		const actual = gpu.dense(x, W, b, activation);
		for (const key of ['Z', 'A'] as const) expected[key].data.forEach((value, i) => expect(Math.abs(actual[key].data[i] - value), `${key}[${i}]`).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
		expect(gpu.fallback()).toBeNull();
	});

	it('on a conv network with its convolution frozen (trainable: false) and the rate decaying (ExponentialDecay)', () => {
		const random = mulberry32(31);
		const images = Array.from({ length: 3 }, () => [Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => 2 * random.next() - 1))]);
		const { reference, onGpu } = runBoth({
			model: {
				input: [1, 6, 6],
				layers: [
					{ type: 'conv2d', filters: 2, kernel: 3, activation: 'relu', init: { weights: 'uniform', bias: 'uniform', scale: 0.5, seed: 4 }, trainable: false },
					{ type: 'pool', mode: 'max', size: 2 },
					{ type: 'flatten' },
					{ type: 'dense', units: 2, activation: 'softmax', init: { weights: 'xavier', seed: 5 } }
				]
			},
			loss: 'categorical_cross_entropy',
			optimizer: { type: 'momentum', momentum: 0.9, lr: { schedule: 'exponential', initial: 0.2, decay_rate: 0.5, decay_steps: 2 } },
			data: { X: images, Y: [[1, 0], [0, 1], [1, 0]] },
			training: { epochs: 2, batch_size: 2 }
		});
		expectParity(reference, onGpu);
		expect(findEvent(onGpu, 1, 'dW[1]')).toBeUndefined();
		expect(findEvent(onGpu, 2, 'lr')?.value.data[0]).toBeCloseTo(0.2 * Math.SQRT1_2, 12);
	});

	it('on a convolution whose feature maps stay on the device for the activation kernel', () => {
		const random = mulberry32(22);
		const tensor = (shape: number[]) => ({ shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b) }, () => 2 * random.next() - 1) });
		const settings = { kernel: [3, 3] as [number, number], stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], flip: false };
		const [x, W, b] = [tensor([4, 2, 20, 20]), tensor([4, 2, 3, 3]), tensor([4])];
		const expected = referenceBackend.conv(x, W, b, settings, 'tanh');
		const actual = gpu.conv(x, W, b, settings, 'tanh');
		expect(actual.A.shape).toEqual(expected.A.shape);
		for (const key of ['Z', 'A'] as const) expected[key].data.forEach((value, i) => expect(Math.abs(actual[key].data[i] - value), `${key}[${i}]`).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
		expect(gpu.fallback()).toBeNull();
	});

	it('on a batched forward pass over a grid of inputs', () => {
		const random = mulberry32(7);
		const layers = [
			{ W: matrix(random, 16, 2), b: matrix(random, 1, 16), activation: 'tanh' as const },
			{ W: matrix(random, 16, 16), b: matrix(random, 1, 16), activation: 'relu' as const },
			{ W: matrix(random, 3, 16), b: matrix(random, 1, 3), activation: 'softmax' as const }
		].map(({ W, b, activation }) => ({ W: { shape: [W.length, W[0].length], data: Float64Array.from(W.flat()) }, b: { shape: [b[0].length], data: Float64Array.from(b[0]) }, activation }));
		const X = { shape: [4096, 2], data: Float64Array.from({ length: 8192 }, () => 2 * random.next() - 1) };
		const expected = referenceBackend.forwardBatch(layers, X);
		const actual = gpu.forwardBatch(layers, X);
		expect(actual.shape).toEqual([4096, 3]);
		expected.data.forEach((value, i) => expect(Math.abs(actual.data[i] - value)).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
	});
});

describe('choosing the backend', () => {
	const small = (loadFixture('conv-valid.yaml') as { scenario: Record<string, unknown> }).scenario;

	it('runs a scenario that asks for gpu on gpu.js, and says which device ran it', () => {
		const trace = run({ ...small, backend: 'gpu' }, { gpu });
		expect(trace.setup.backend).toMatchObject({ requested: 'gpu', name: 'gpu', note: null });
		expect(trace.setup.backend.device).toMatch(/^gpu\.js (webasm|headlessgl|cpu)$/);
	});

	it('keeps auto on the reference where gpu.js has no graphics processor, and says why', () => {
		// whatever this host has: the rule is about a gpu.js that runs on the processor
		const onCpu: Backend = Object.create(gpu, { hardware: { value: 'cpu' } });
		const trace = run(small, { gpu: onCpu });
		expect(trace.setup.backend).toMatchObject({ requested: 'auto', name: 'reference', device: 'float64 loops' });
		expect(trace.setup.backend.note).toMatch(/^auto: gpu\.js has no graphics processor here/);
	});

	describe('with gpu.js on a graphics processor', () => {
		// the same kernels, as where gpu.js finds WebGL: only the rule is under test here
		const onGpu: Backend = Object.create(gpu, { hardware: { value: 'gpu' } });

		it('keeps auto on the reference below the measured threshold, and says why', () => {
			const choice = chooseBackend('auto', AUTO_GPU_MIN_MULTIPLY_ADDS - 1, onGpu);
			expect(choice.backend).toBe(referenceBackend);
			expect(choice.report.note).toMatch(/under the gpu threshold/);
		});

		it('takes gpu for auto from the threshold on', () => {
			const inputs = 512;
			const units = Math.ceil(AUTO_GPU_MIN_MULTIPLY_ADDS / (inputs * 64)) + 1;
			const scenario = { model: { input: inputs, layers: [{ type: 'dense', units, activation: 'relu' }] }, data: { X: Array.from({ length: 64 }, () => Array(inputs).fill(0.5)) } };
			const cost = estimateCost(validateScenario(scenario));
			expect(cost.multiplyAdds / cost.steps).toBeGreaterThanOrEqual(AUTO_GPU_MIN_MULTIPLY_ADDS);
			expect(chooseBackend('auto', cost.multiplyAdds / cost.steps, onGpu).backend).toBe(onGpu);
		});
	});

	it('runs on the reference where the caller has not loaded gpu.js, and says so', () => {
		const trace = run({ ...small, backend: 'gpu' });
		expect(trace.setup.backend).toMatchObject({ name: 'reference', note: 'the gpu backend is not loaded here' });
	});

	it('compiles each kernel once per shape and reuses it', () => {
		const backend = createGpuBackend();
		run({ ...small, backend: 'gpu' }, { gpu: backend });
		const compiled = backend.compiledKernels();
		expect(compiled).toBeGreaterThan(0);
		run({ ...small, backend: 'gpu' }, { gpu: backend });
		expect(backend.compiledKernels()).toBe(compiled);
	});

	it('falls back to the reference with a clear message when gpu.js cannot run a kernel', () => {
		const unable = createGpuBackend({ mode: 'webgl2' });
		const trace = run({ ...small, backend: 'gpu' }, { gpu: unable });
		expect(trace.setup.backend.note).toMatch(/^gpu\.js could not run conv2d \(.*webgl2.*\).*: ran on the float64 reference instead$/);
		expectCloseTraces(trace, run(small, { backend: 'reference' }));
	});
});

/** Fell back: the numbers are the reference's own. */
function expectCloseTraces(actual: Trace, expected: Trace): void {
	expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
}

function matrix(random: Random, rows: number, columns: number, scale = 1): number[][] {
	return Array.from({ length: rows }, () => Array.from({ length: columns }, () => scale * (2 * random.next() - 1)));
}

function pick<T>(random: Random, options: readonly T[]): T {
	return options[Math.floor(random.next() * options.length)];
}

/** A small dense network with random sizes, activations, loss and data, trained a few steps. */
function randomDense(random: Random): Record<string, unknown> {
	const inputs = 1 + Math.floor(random.next() * 6);
	const hidden = Array.from({ length: 1 + Math.floor(random.next() * 2) }, () => ({
		type: 'dense',
		units: 1 + Math.floor(random.next() * 7),
		activation: pick(random, ['sigmoid', 'tanh', 'relu', 'softplus', 'identity'] as const)
	}));
	const classes = 2 + Math.floor(random.next() * 3);
	const softmax = random.next() < 0.5;
	const samples = 1 + Math.floor(random.next() * 6);
	const output = softmax
		? { type: 'dense', units: classes, activation: 'softmax' }
		: { type: 'dense', units: 1 + Math.floor(random.next() * 2), activation: pick(random, ['sigmoid', 'identity', 'tanh'] as const) };
	const Y = softmax
		? Array.from({ length: samples }, () => Array.from({ length: classes }, (_, k) => (k === Math.floor(random.next() * classes) ? 1 : 0)))
		: matrix(random, samples, output.units).map((row) => row.map((v) => (output.activation === 'sigmoid' ? Math.abs(v) : v)));
	return {
		model: { input: inputs, layers: [...hidden, output] },
		loss: softmax ? 'categorical_cross_entropy' : pick(random, output.activation === 'sigmoid' ? ['binary_cross_entropy', 'mse'] : ['mse', 'half_squared_error']),
		reduction: pick(random, ['mean', 'sum'] as const),
		optimizer: { type: 'sgd', lr: 0.05 + 0.2 * random.next() },
		data: { X: matrix(random, samples, inputs, 2), Y },
		training: { epochs: 3, batch_size: 1 + Math.floor(random.next() * samples), shuffle: true, seed: 3 }
	};
}

/** conv2d with random channels, kernel, stride, padding and flip, then pooling (of `mode` when given), flatten and a softmax. */
function randomConv(random: Random, mode?: PoolMode): Record<string, unknown> {
	const channels = 1 + Math.floor(random.next() * 2);
	const size = 5 + Math.floor(random.next() * 4);
	const kernel = 2 + Math.floor(random.next() * 2);
	const samples = 1 + Math.floor(random.next() * 3);
	const pool = random.next() < 0.7 || mode !== undefined;
	const classes = 3;
	return {
		model: {
			input: [channels, size, size],
			layers: [
				{
					type: 'conv2d',
					filters: 1 + Math.floor(random.next() * 3),
					kernel,
					stride: 1 + Math.floor(random.next() * 2),
					padding: Math.floor(random.next() * 2),
					flip: random.next() < 0.3,
					activation: pick(random, ['relu', 'tanh', 'sigmoid'] as const),
					init: { weights: 'uniform', scale: 0.5, bias: 'uniform', seed: Math.floor(random.next() * 1000) }
				},
				...(pool ? [{ type: 'pool', mode: mode ?? pick(random, ['max', 'avg'] as const), size: 2, stride: pick(random, [1, 2] as const) }] : []),
				// a second convolution, so that δ flows back through the first one's input too
				{ type: 'conv2d', filters: 2, kernel: 2, padding: Math.floor(random.next() * 2), flip: random.next() < 0.5, activation: 'tanh', init: { weights: 'uniform', scale: 0.5, seed: 9 } },
				{ type: 'flatten' },
				{ type: 'dense', units: classes, activation: 'softmax', init: { seed: 5 } }
			]
		},
		loss: 'categorical_cross_entropy',
		optimizer: { type: 'sgd', lr: 0.1 },
		data: {
			X: Array.from({ length: samples }, () => Array.from({ length: channels }, () => matrix(random, size, size))),
			Y: Array.from({ length: samples }, (_, n) => Array.from({ length: classes }, (_, k) => (k === n % classes ? 1 : 0)))
		},
		training: { epochs: 2, batch_size: samples }
	};
}

describe('the batched forward pass under gpu.js’s asynchronous contract', () => {
	it('gives the reference’s outputs within float32 tolerance, and says which device ran it', async () => {
		const random = mulberry32(8);
		const layer = (units: number, inputs: number, activation: 'tanh' | 'sigmoid' | 'softmax') => ({
			W: { shape: [units, inputs], data: Float64Array.from({ length: units * inputs }, () => 2 * random.next() - 1) },
			b: { shape: [units], data: Float64Array.from({ length: units }, () => random.next() - 0.5) },
			activation
		});
		const X = { shape: [5000, 2], data: Float64Array.from({ length: 10_000 }, () => 2 * random.next() - 1) };
		for (const layers of [[layer(16, 2, 'tanh'), layer(16, 16, 'tanh'), layer(1, 16, 'sigmoid')], [layer(8, 2, 'tanh'), layer(3, 8, 'softmax')]]) {
			const backend = createGpuBackend();
			const expected = referenceBackend.forwardBatch(layers, X);
			const actual = await backend.forwardBatchAsync(layers, X);
			expect(actual.shape).toEqual(expected.shape);
			expected.data.forEach((value, i) => expect(Math.abs(actual.data[i] - value)).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
			expect(backend.fallback()).toBeNull();
			// a graphics processor keeps the grid on gpu.js; without one (here: its WebAssembly), the next passes run on one thread
			expect(backend.asyncDevice).toMatch(/^gpu\.js (webgpu|webgl2?|headlessgl)$|^float64 loops, one thread \(no graphics processor\)$/);
			const again = await backend.forwardBatchAsync(layers, X);
			expected.data.forEach((value, i) => expect(Math.abs(again.data[i] - value)).toBeLessThanOrEqual(ABS + REL * Math.abs(value)));
			if (backend.asyncDevice?.startsWith('float64 loops')) expect(Array.from(again.data)).toEqual(Array.from(pictureForward(layers, X).data));
		}
	});

	it('keeps gpu.js when asked for one of its modes by name, even without a graphics processor', async () => {
		const backend = createGpuBackend({ mode: 'cpu' });
		const layers = [{ W: { shape: [2, 2], data: Float64Array.of(1, -1, 0.5, 2) }, b: { shape: [2], data: Float64Array.of(0, 0.1) }, activation: 'tanh' as const }];
		const X = { shape: [3, 2], data: Float64Array.of(0, 1, 1, 0, 0.5, 0.5) };
		await backend.forwardBatchAsync(layers, X);
		await backend.forwardBatchAsync(layers, X);
		expect(backend.asyncDevice ?? backend.device).toMatch(/^gpu\.js/);
	});
});
