import { GPU, Input, type GPUInternalMode, type GPUMode, type IKernelRunShortcut, type KernelOutput } from 'gpu.js';
import type { ActivationName } from '../activations';
import type { ConvSettings } from '../layers/conv2d';
import { winnerSign, type PoolMode } from '../layers/pool';
import { outputSize2d, paddingAfter, type WindowGeometry } from '../layers/window';
import { sizeOf, type Tensor } from '../tensor';
import type { Backend, DenseLayer, WeightedOutput } from './backend';
import * as K from './gpu-kernels';
import { pictureForward } from './picture';
import { referenceBackend } from './reference';

/**
 * The gpu.js backend: every layer operation as a kernel, computed in float32. gpu.js picks the
 * device (`mode: 'gpu'`): WebGL2 or WebGL in a browser, headless GL or its WebAssembly SIMD backend
 * in Node. Kernels compile once per shape and are reused; the forward-only grid chains its layers
 * in pipeline mode so that only A[L] is read back. An operation gpu.js cannot run falls back to the
 * float64 loops, once, and `fallback()` says which and why. Where gpu.js, left to choose, finds no
 * graphics processor, the forward-only grid runs on one thread's loops after its first pass
 * (picture.ts): gpu.js's WebAssembly workers slow down as soon as another program takes a core.
 */

/** Whether a window reaches into padding on any side. */
function padded(g: WindowGeometry): boolean {
	return [...g.padding, ...paddingAfter(g)].some((p) => p > 0);
}
export interface GpuBackendOptions {
	/** gpu.js's mode: 'gpu' (its own choice), 'webgl2', 'webasm', 'cpu'… */
	mode?: GPUMode | GPUInternalMode;
}

/**
 * Entries below which an activation map runs on the host, in float64, from the kernel's Z: a
 * kernel's call and copies cost more than so small a map, and it keeps a small output layer's
 * ŷ as exact as Z allows (σ(20) is 1 in float32, and binary cross-entropy divides by 1 − ŷ).
 */
const HOST_MAP_LIMIT = 4096;

/** The float32 values of gpu.js's input: a typed array with the dimensions it is indexed by. */
type Dimensions = [number] | [number, number] | [number, number, number];

interface KernelSpec {
	source: string;
	output: Dimensions;
	constants: Record<string, number>;
	/** chain into another kernel without reading back (forward-only grid) */
	pipeline?: boolean;
}

export interface GpuBackend extends Backend {
	/** kernels compiled so far: one per operation and shape, reused by every later call */
	compiledKernels(): number;
	readonly asyncDevice: string | null;
}

export function createGpuBackend(options: GpuBackendOptions = {}): GpuBackend {
	let gpu: GPU | null = null;
	const kernels = new Map<string, IKernelRunShortcut>();
	const failed = new Map<string, string>();
	let device = `gpu.js (${options.mode ?? 'gpu'})`;

	let asyncGpu: GPU | null = null;
	let asyncDevice: string | null = null;
	/** the forward-only grid on one thread (picture.ts): set once gpu.js, left to choose, ran it without a graphics processor */
	let pictureLoops = false;
	const choosing = options.mode === undefined || options.mode === 'gpu';
	/** After a forward-only pass on gpu.js's `mode`: the loops from now on, where that mode has no graphics processor. */
	function ranGrid(mode: string | null): void {
		if (choosing && mode !== null && !onGraphicsProcessor(mode)) pictureLoops = true;
	}
	let asyncQueue: Promise<unknown> = Promise.resolve();

	function kernel(op: string, spec: KernelSpec, asynchronous = false): IKernelRunShortcut {
		const key = `${asynchronous ? 'async ' : ''}${op} ${spec.output.join('×')} ${JSON.stringify(spec.constants)} ${spec.pipeline ? 'p' : ''}`;
		let compiled = kernels.get(key);
		if (!compiled) {
			const instance = asynchronous ? (asyncGpu ??= new GPU({ mode: 'async' })) : (gpu ??= new GPU({ mode: options.mode ?? 'gpu' }));
			compiled = instance.createKernel(spec.source, {
				output: spec.output,
				constants: spec.constants,
				pipeline: spec.pipeline ?? false,
				precision: 'single',
				// gpu.js takes helper functions as source text too; its typings only list functions
				functions: K.HELPERS as unknown as Function[]
			});
			kernels.set(key, compiled);
		}
		return compiled;
	}

	/** Runs the gpu path of `op`, or the reference once gpu.js has failed on it. */
	function attempt<T>(op: string, onGpu: () => T, onReference: () => T): T {
		if (failed.has(op)) return onReference();
		try {
			const result = onGpu();
			const mode = currentMode();
			if (mode) device = `gpu.js ${mode}`;
			return result;
		} catch (error) {
			failed.set(op, error instanceof Error ? error.message.split('\n')[0] : String(error));
			return onReference();
		}
	}

	function currentMode(): string | null {
		const first = [...kernels].find(([key]) => !key.startsWith('async '))?.[1];
		return first ? modeOf(first) : null;
	}

	const backend: GpuBackend = {
		name: 'gpu',
		get device() {
			return device;
		},
		/** the device of the asynchronous forward pass once it has run (webgpu, webasm…) */
		get asyncDevice() {
			if (pictureLoops) return PICTURE_DEVICE;
			return asyncDevice ? `gpu.js ${asyncDevice}` : null;
		},
		get hardware() {
			return onGraphicsProcessor(currentMode() ?? options.mode ?? 'gpu') ? 'gpu' : 'cpu';
		},
		dense(x, W, b, activation) {
			return attempt(
				'dense',
				() => {
					const [samples, inputs] = x.shape;
					const units = W.shape[0];
					const output: Dimensions = [units, samples];
					const z = (pipeline: boolean) => kernel('dense-z', { source: K.DENSE_Z, output, constants: { inputs }, pipeline });
					return weighted(z, [as2d(x, inputs), as2d(W, inputs), f32(b)], [samples, units], output, activation);
				},
				() => referenceBackend.dense(x, W, b, activation)
			);
		},
		denseGradients(dZ, x, W, needInput) {
			return attempt(
				'dense-gradients',
				() => {
					const [samples, inputs] = x.shape;
					const units = W.shape[0];
					const dz = as2d(dZ, units);
					const a = as2d(x, inputs);
					const dW = readBack(kernel('dense-dw', { source: K.DENSE_DW, output: [inputs, units], constants: { samples } })(dz, a), [units, inputs]);
					const db = readBack(kernel('dense-db', { source: K.DENSE_DB, output: [units], constants: { samples } })(dz), [units]);
					const dInput = needInput
						? readBack(kernel('dense-dinput', { source: K.DENSE_DINPUT, output: [inputs, samples], constants: { units } })(dz, as2d(W, inputs)), [samples, inputs])
						: null;
					return { dW, db, dInput };
				},
				() => referenceBackend.denseGradients(dZ, x, W, needInput)
			);
		},
		conv(x, W, b, settings, activation) {
			return attempt(
				'conv2d',
				() => {
					const c = convConstants(x, W, settings);
					const output: Dimensions = [c.outW, c.outH, c.samples * c.filters];
					const z = (pipeline: boolean) => kernel('conv-z', { source: K.CONV_Z, output, constants: c, pipeline });
					return weighted(z, [asPlanes(x), asPlanes(W), f32(b)], [c.samples, c.filters, c.outH, c.outW], output, activation);
				},
				() => referenceBackend.conv(x, W, b, settings, activation)
			);
		},
		convGradients(dZ, x, W, settings, needInput) {
			return attempt(
				'conv2d-gradients',
				() => {
					const c = convConstants(x, W, settings);
					const dz = asPlanes(dZ);
					const dW = readBack(kernel('conv-dw', { source: K.CONV_DW, output: [c.kw, c.kh, c.filters * c.channels], constants: c })(dz, asPlanes(x)), [...W.shape]);
					const db = readBack(kernel('conv-db', { source: K.CONV_DB, output: [c.filters], constants: c })(dz), [c.filters]);
					const dInput = needInput
						? readBack(kernel('conv-dinput', { source: K.CONV_DINPUT, output: [c.width, c.height, c.samples * c.channels], constants: c })(dz, asPlanes(W)), [...x.shape])
						: null;
					return { dW, db, dInput };
				},
				() => referenceBackend.convGradients(dZ, x, W, settings, needInput)
			);
		},
		pool(x, mode, geometry) {
			// the kernels read every cell of a window; a padded window (Keras's 'same') runs on the reference
			if (padded(geometry)) return referenceBackend.pool(x, mode, geometry);
			return attempt(
				'pool',
				() => {
					const c = poolConstants(x, mode, geometry);
					const output: Dimensions = [c.outW, c.outH, c.planes];
					const planes = asPlanes(x);
					const A = readBack(kernel('pool', { source: K.POOL, output, constants: c })(planes), [x.shape[0], x.shape[1], c.outH, c.outW]);
					const winners = c.winner === 1 ? Int32Array.from(readBack(kernel('pool-winner', { source: K.POOL_WINNER, output, constants: c })(planes), [A.data.length]).data) : new Int32Array(0);
					return { A, winners };
				},
				() => referenceBackend.pool(x, mode, geometry)
			);
		},
		poolGradient(dA, x, mode, geometry, winners) {
			if (padded(geometry)) return referenceBackend.poolGradient(dA, x, mode, geometry, winners);
			return attempt(
				'pool-gradient',
				() => {
					const c = poolConstants(x, mode, geometry);
					const kept = c.winner === 1 ? new Input(new Float32Array(winners) as unknown as number[], [c.outW, c.outH, c.planes]) : asPlanes(dA);
					const gradient = kernel('pool-gradient', { source: K.POOL_GRADIENT, output: [c.width, c.height, c.planes], constants: c });
					return readBack(gradient(asPlanes(dA), kept), [...x.shape]);
				},
				() => referenceBackend.poolGradient(dA, x, mode, geometry, winners)
			);
		},
		activate: (activation, Z) => attempt('activation', () => activateOnGpu(activation, Z), () => referenceBackend.activate(activation, Z)),
		activationGradient(activation, Z, A, dA, conventions) {
			return attempt(
				'activation-gradient',
				() => {
					if (Z.data.length < HOST_MAP_LIMIT) return referenceBackend.activationGradient(activation, Z, A, dA, conventions);
					if (activation === 'softmax') {
						const [rows, width] = A.shape;
						const k = kernel('softmax-gradient', { source: K.SOFTMAX_GRADIENT, output: [width, rows], constants: { width } });
						return readBack(k(as2d(A, width), as2d(dA, width)), A.shape);
					}
					const constants = { act: K.ACTIVATION_CODES[activation], reluAtZero: conventions.reluDerivativeAtZero };
					const k = kernel('activation-gradient', { source: K.ACTIVATION_GRADIENT, output: [Z.data.length], constants });
					return readBack(k(f32(Z), f32(A), f32(dA)), Z.shape);
				},
				() => referenceBackend.activationGradient(activation, Z, A, dA, conventions)
			);
		},
		forwardBatch(layers, X) {
			if (pictureLoops) return pictureForward(layers, X);
			const result = attempt(
				'forward-batch',
				() => {
					let a: unknown = f32(X);
					for (const step of forwardSteps(layers, X)) a = chain(step, a, false);
					return readBack(a, [X.shape[0], layers[layers.length - 1].W.shape[0]]);
				},
				() => referenceBackend.forwardBatch(layers, X)
			);
			ranGrid(currentMode());
			return result;
		},
		forwardBatchAsync(layers, X) {
			// one call at a time: calls of the same shapes share kernels, whose pipelined outputs the next call overwrites
			const result = asyncQueue.then(() => forwardAsync(layers, X));
			asyncQueue = result.catch(() => undefined);
			return result;
		},
		fallback() {
			if (failed.size === 0) return null;
			const ops = [...failed].map(([op, why]) => `${op} (${why})`).join('; ');
			return `gpu.js could not run ${ops}: ran on the float64 reference instead`;
		},
		compiledKernels: () => kernels.size
	};

	/** The forward-only grid under gpu.js's asynchronous contract; the float64 loops once it has failed. */
	async function forwardAsync(layers: readonly DenseLayer[], X: Tensor): Promise<Tensor> {
		if (failed.has('forward-batch-async') || !choosing || pictureLoops) return backend.forwardBatch(layers, X);
		try {
			let a: unknown = f32(X);
			for (const step of forwardSteps(layers, X)) a = await chain(step, await a, true);
			const result = readBack(await a, [X.shape[0], layers[layers.length - 1].W.shape[0]]);
			const first = [...kernels].find(([key]) => key.startsWith('async '))?.[1];
			asyncDevice = first ? modeOf(first) : asyncDevice;
			ranGrid(asyncDevice);
			return result;
		} catch (error) {
			failed.set('forward-batch-async', error instanceof Error ? error.message.split('\n')[0] : String(error));
			return backend.forwardBatch(layers, X);
		}
	}

	/** One dense layer of the forward-only pass: its kernel (weighted sum and activation fused, or sums then softmax). */
	interface ForwardStep {
		W: number[];
		b: number[];
		last: boolean;
		softmax: boolean;
		kernel: (asynchronous: boolean) => IKernelRunShortcut;
		softmaxKernel: (asynchronous: boolean) => IKernelRunShortcut;
	}

	function forwardSteps(layers: readonly DenseLayer[], X: Tensor): ForwardStep[] {
		const samples = X.shape[0];
		let width = X.shape[1];
		return layers.map((layer, i) => {
			const units = layer.W.shape[0];
			const inputs = width;
			width = units;
			const last = i === layers.length - 1;
			const output: Dimensions = [samples * units];
			const softmax = layer.activation === 'softmax';
			const act = softmax ? 0 : K.ACTIVATION_CODES[layer.activation as keyof typeof K.ACTIVATION_CODES];
			return {
				W: f32(layer.W),
				b: f32(layer.b),
				last,
				softmax,
				kernel: (asynchronous) =>
					softmax
						? kernel('dense-z-flat', { source: K.DENSE_Z_FLAT, output, constants: { inputs, units }, pipeline: true }, asynchronous)
						: kernel('dense-a-flat', { source: K.DENSE_A_FLAT, output, constants: { inputs, units, act }, pipeline: !last }, asynchronous),
				softmaxKernel: (asynchronous) => kernel('softmax-flat', { source: K.SOFTMAX_FLAT, output, constants: { units }, pipeline: !last }, asynchronous)
			};
		});
	}

	/** Runs one layer on `a` (a typed array, or the previous kernel's pipelined output). */
	function chain(step: ForwardStep, a: unknown, asynchronous: boolean): unknown {
		const sums = step.kernel(asynchronous)(a as number[], step.W, step.b);
		if (!step.softmax) return sums;
		return asynchronous ? Promise.resolve(sums).then((z) => step.softmaxKernel(true)(z as number[])) : step.softmaxKernel(false)(sums as number[]);
	}

	/**
	 * Z by its kernel and A = f(Z). Where A is computed by a kernel too, Z stays on the device
	 * between the two (pipeline mode) and is read back once, because it is recorded.
	 */
	function weighted(zKernel: (pipeline: boolean) => IKernelRunShortcut, args: (Input | number[])[], shape: number[], output: Dimensions, activation: ActivationName): WeightedOutput {
		const onDevice = activation !== 'identity' && sizeOf(shape) >= HOST_MAP_LIMIT;
		const z = zKernel(onDevice)(...(args as number[][]));
		const Z = readBack(z, shape);
		if (!onDevice) return { Z, A: activateOnGpu(activation, Z) };
		if (activation === 'softmax') {
			const [rows, width] = shape;
			return { Z, A: readBack(kernel('softmax', { source: K.SOFTMAX, output: [width, rows], constants: { width } })(z as number[]), shape) };
		}
		const act = K.ACTIVATION_CODES[activation];
		const source = output.length === 3 ? K.ACTIVATE_PLANES : K.ACTIVATE_ROWS;
		return { Z, A: readBack(kernel(`activate-${output.length}d`, { source, output, constants: { act } })(z as number[]), shape) };
	}

	function activateOnGpu(activation: ActivationName, Z: Tensor): Tensor {
		if (activation === 'identity') return { shape: Z.shape, data: Z.data.slice() };
		if (Z.data.length < HOST_MAP_LIMIT) return referenceBackend.activate(activation, Z);
		if (activation === 'softmax') {
			const [rows, width] = Z.shape;
			return readBack(kernel('softmax', { source: K.SOFTMAX, output: [width, rows], constants: { width } })(as2d(Z, width)), Z.shape);
		}
		const k = kernel('activate', { source: K.ACTIVATE_ENTRIES, output: [Z.data.length], constants: { act: K.ACTIVATION_CODES[activation] } });
		return readBack(k(f32(Z)), Z.shape);
	}

	return backend;
}

/** The mode of a kernel that ran: gpu.js's GL kernels all say 'gpu', their context says which. */
function modeOf(compiled: IKernelRunShortcut): string | null {
	const runner = compiled.kernel as unknown as { constructor: { mode?: string }; context?: unknown };
	const mode = runner.constructor.mode ?? null;
	if (mode !== 'gpu') return mode;
	if (typeof WebGL2RenderingContext !== 'undefined' && runner.context instanceof WebGL2RenderingContext) return 'webgl2';
	if (typeof WebGLRenderingContext !== 'undefined' && runner.context instanceof WebGLRenderingContext) return 'webgl';
	return GPU.isHeadlessGLSupported ? 'headlessgl' : mode;
}

/** Whether gpu.js's mode runs on a graphics processor; 'gpu' is the best GL backend it can start here, if any. */
/** What the decision region says computed its grid, once the loops do (it shows the backend's device as it is: 'float64 loops', 'gpu.js webgl2'). */
const PICTURE_DEVICE = 'float64 loops, one thread (no graphics processor)';

function onGraphicsProcessor(mode: string): boolean {
	if (mode === 'gpu') return GPU.isHeadlessGLSupported || GPU.isWebGL2Supported || GPU.isWebGLSupported;
	return mode === 'webgl' || mode === 'webgl2' || mode === 'headlessgl' || mode === 'webgpu';
}

function f32(t: Tensor): number[] {
	return new Float32Array(t.data) as unknown as number[];
}

/** A tensor seen as rows of `width` (a batch of samples, or rows of a matrix). */
function as2d(t: Tensor, width: number): Input {
	return new Input(f32(t), [width, t.data.length / width]);
}

/** An image batch N×C×H×W (or kernels F×C×kh×kw) seen as N·C planes of H×W. */
function asPlanes(t: Tensor): Input {
	const [, , height, width] = t.shape;
	return new Input(f32(t), [width, height, t.data.length / (width * height)]);
}

function convConstants(x: Tensor, W: Tensor, s: ConvSettings) {
	const [samples, channels, height, width] = x.shape;
	const [outH, outW] = outputSize2d(height, width, s);
	return {
		samples,
		channels,
		height,
		width,
		filters: W.shape[0],
		kh: s.kernel[0],
		kw: s.kernel[1],
		strideH: s.stride[0],
		strideW: s.stride[1],
		padH: s.padding[0],
		padW: s.padding[1],
		outH,
		outW,
		flip: s.flip ? 1 : 0
	};
}

/** The window's sizes, and the mode as numbers: `winner` 1 for a mode that keeps one cell, which maximises `sign`·value. */
function poolConstants(x: Tensor, mode: PoolMode, g: WindowGeometry) {
	const [samples, channels, height, width] = x.shape;
	const [outH, outW] = outputSize2d(height, width, g);
	const sign = winnerSign(mode);
	return {
		planes: samples * channels,
		height,
		width,
		kh: g.kernel[0],
		kw: g.kernel[1],
		strideH: g.stride[0],
		strideW: g.stride[1],
		outH,
		outW,
		winner: sign === null ? 0 : 1,
		sign: sign ?? 1
	};
}

/** gpu.js's result (a typed array, arrays of rows, or planes of rows) as a float64 tensor. */
function readBack(result: unknown, shape: number[]): Tensor {
	const data = new Float64Array(sizeOf(shape));
	let at = 0;
	const copy = (part: unknown): void => {
		if (part instanceof Float32Array) {
			data.set(part, at);
			at += part.length;
		} else if (Array.isArray(part)) {
			for (const inner of part) copy(inner);
		} else if (part && typeof (part as { toArray?: unknown }).toArray === 'function') {
			copy((part as { toArray: () => unknown }).toArray());
		} else {
			throw new Error(`gpu.js returned ${typeof part} where numbers were expected`);
		}
	};
	copy(result);
	if (at !== data.length) throw new Error(`gpu.js returned ${at} values where ${data.length} were expected`);
	return { shape, data };
}
