import type { ActivationName, Conventions } from '../activations';
import type { ConvSettings } from '../layers/conv2d';
import type { PoolMode, PoolResult } from '../layers/pool';
import type { WindowGeometry } from '../layers/window';
import type { Tensor } from '../tensor';

/**
 * The operations the engine's layers need, behind one interface: `reference` computes them with
 * float64 loops (every graded or displayed number comes from it), `gpu` with gpu.js kernels in
 * float32 (real-size runs). Every tensor in and out is float64, row-major, batch first.
 */
export interface Backend {
	readonly name: BackendName;
	/** what computed: "float64 loops", or the gpu.js mode that ran the kernels (webasm, webgl2…) */
	readonly device: string;
	/**
	 * Where the work runs: on a graphics processor (gpu.js on WebGL, WebGPU or headless GL) or on
	 * the CPU (the loops, or gpu.js's WebAssembly backend on a machine without one, which the
	 * benchmarks measured slower than the float64 loops): `auto` takes gpu only on a graphics processor.
	 */
	readonly hardware: 'cpu' | 'gpu';
	/** Z = A_prev Wᵀ + b and A = f(Z), for a batch */
	dense(input: Tensor, W: Tensor, b: Tensor, activation: ActivationName): WeightedOutput;
	/** dW = dZᵀ A_prev, db = Σ_n dZ and, when `needInput`, dA_prev = dZ W */
	denseGradients(dZ: Tensor, input: Tensor, W: Tensor, needInput: boolean): ParameterGradients;
	conv(input: Tensor, W: Tensor, b: Tensor, settings: ConvSettings, activation: ActivationName): WeightedOutput;
	convGradients(dZ: Tensor, input: Tensor, W: Tensor, settings: ConvSettings, needInput: boolean): ParameterGradients;
	pool(input: Tensor, mode: PoolMode, geometry: WindowGeometry): PoolResult;
	poolGradient(dA: Tensor, input: Tensor, mode: PoolMode, geometry: WindowGeometry, winners: Int32Array): Tensor;
	/** A = f(Z), entry by entry (softmax row by row) */
	activate(activation: ActivationName, Z: Tensor): Tensor;
	/** dZ = dA ⊙ f′(Z) (softmax: its Jacobian applied to dA), f′ under the scenario's conventions (ReLU′(0)) */
	activationGradient(activation: ActivationName, Z: Tensor, A: Tensor, dA: Tensor, conventions: Conventions): Tensor;
	/**
	 * A[L] of a dense network on a batch, nothing else kept or read back: the decision-region
	 * grid redrawn at every step.
	 */
	forwardBatch(layers: readonly DenseLayer[], X: Tensor): Tensor;
	/**
	 * The same under gpu.js's asynchronous contract, where it can do more: WebGPU in a browser
	 * that has it, WebAssembly across worker threads in Node. The reference just resolves.
	 */
	forwardBatchAsync(layers: readonly DenseLayer[], X: Tensor): Promise<Tensor>;
	/** why some operations ran on the float64 loops instead (gpu.js could not run a kernel), else null */
	fallback(): string | null;
}

export type BackendName = 'reference' | 'gpu';
/** What a scenario asks for: `auto` takes gpu above a size where it was measured to be faster. */
export type BackendChoice = BackendName | 'auto';

export interface WeightedOutput {
	Z: Tensor;
	A: Tensor;
}

export interface ParameterGradients {
	dW: Tensor;
	db: Tensor;
	/** null when not asked for (the first layer's input needs no gradient) */
	dInput: Tensor | null;
}

export interface DenseLayer {
	W: Tensor;
	b: Tensor;
	activation: ActivationName;
}

/** Which backend ran a trace, as the UI and the CLI say it. */
export interface BackendReport {
	requested: BackendChoice;
	name: BackendName;
	device: string;
	/** why it is not what was asked for (auto below the threshold, gpu.js unable to run), else null */
	note: string | null;
}
