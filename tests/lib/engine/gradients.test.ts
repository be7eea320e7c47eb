import { describe, expect, it } from 'vitest';
import { findEvent, outputShape, run, toNested, type NestedNumbers, type Tensor, type Trace } from '../../../src/lib/engine';
import type { ActivationName } from '../../../src/lib/engine/activations';
import { POOL_MODES, winnerSign, type PoolMode } from '../../../src/lib/engine/layers/pool';
import type { LossName } from '../../../src/lib/engine/losses';
import { mulberry32 } from '../../../src/lib/engine/prng';

/*
 * Gradient check: the backprop events of step 1 (dW[l], db[l], dZ[l], dA[l]) against central
 * finite differences of the cost J. J is read from the `loss` event of a fresh run of the
 * scenario with one weight or bias nudged, so the check goes through the engine's public door
 * only and does not trust any of its internal functions.
 */

/** Central difference step: truncation ~h² and rounding ~ε·J/h are both far below the tolerance. */
const H = 1e-5;
/** Analytic a and numeric n agree when |a − n| ≤ RELATIVE·max(|a|, |n|) + NOISE. */
const RELATIVE = 1e-6;
/** The rounding noise of a central difference of J (ε·J/h with J of order 1–10). */
const NOISE = 1e-9;
/** ReLU and step inputs and pool winners (max, …) stay this far from a kink; a nudge of H moves them far less. */
const KINK_MARGIN = 1e-3;
/** Tensors with more entries than this are checked on an evenly spread subset, to keep the file fast. */
const MAX_ENTRIES = 64;

type Reduction = 'mean' | 'sum';
type TargetKind = 'real' | 'binary' | 'probability' | 'one-hot' | 'distribution';

/** A layer as a scenario file writes it, before its W and b are drawn. */
type LayerSpec =
	| { type: 'dense'; units: number; activation: ActivationName }
	| {
			type: 'conv2d';
			filters: number;
			kernel: [number, number];
			stride: number;
			padding: number;
			flip: boolean;
			activation: ActivationName;
	  }
	| { type: 'pool'; mode: PoolMode; size: number; stride: number }
	| { type: 'flatten' };

type ParametricSpec = Extract<LayerSpec, { type: 'dense' | 'conv2d' }>;

interface NetworkSpec {
	name: string;
	input: number | [number, number, number];
	layers: LayerSpec[];
	loss: LossName;
	reduction: Reduction;
	targets: TargetKind;
	samples: number;
	seed: number;
	/** the scenario's `conventions:` (ReLU′(0)), absent for the default */
	conventions?: { relu_derivative_at_zero: 0 | 1 };
}

/** Row-major values with their shape, so that one entry can be nudged by its flat index. */
interface Values {
	shape: number[];
	data: number[];
}

/** A spec with its numbers drawn: W and b of every dense or conv layer, X and Y. */
interface Network {
	spec: NetworkSpec;
	params: ({ W: Values; b: Values } | null)[];
	X: Values;
	Y: Values;
}

/** W or b of layer `layer` (1-based, as the events name it), entry `entry` (row-major), moved by `by`. */
interface Nudge {
	layer: number;
	key: 'W' | 'b';
	entry: number;
	by: number;
}

function isParametric(layer: LayerSpec): layer is ParametricSpec {
	return layer.type === 'dense' || layer.type === 'conv2d';
}

function sizeOf(shape: readonly number[]): number {
	return shape.reduce((product, d) => product * d, 1);
}

function range(count: number): number[] {
	return Array.from({ length: count }, (_, i) => i);
}

/** `[n][j]`: the indices of a flat entry, as the course addresses elements (0-based). */
function label(shape: readonly number[], flat: number): string {
	const indices: number[] = [];
	let rest = flat;
	for (let d = shape.length - 1; d >= 0; d--) {
		indices.unshift(rest % shape[d]);
		rest = Math.floor(rest / shape[d]);
	}
	return indices.map((i) => `[${i}]`).join('');
}

/** Every entry of a small tensor; an evenly spread subset (first and last included) of a large one. */
function entriesToCheck(count: number): number[] {
	if (count <= MAX_ENTRIES) return range(count);
	return range(MAX_ENTRIES).map((i) => Math.floor((i * (count - 1)) / (MAX_ENTRIES - 1)));
}

// ---------------------------------------------------------------------------------------------
// Drawing networks and running them
// ---------------------------------------------------------------------------------------------

function targetRow(kind: TargetKind, width: number, uniform: (lo: number, hi: number) => number): number[] {
	switch (kind) {
		case 'real':
			return range(width).map(() => uniform(-1, 1));
		case 'binary':
			return range(width).map(() => (uniform(0, 1) < 0.5 ? 0 : 1));
		case 'probability':
			return range(width).map(() => uniform(0.05, 0.95));
		case 'one-hot': {
			const hot = Math.floor(uniform(0, width));
			return range(width).map((j) => (j === hot ? 1 : 0));
		}
		case 'distribution': {
			const raw = range(width).map(() => uniform(0.1, 1));
			const total = raw.reduce((sum, v) => sum + v, 0);
			return raw.map((v) => v / total);
		}
	}
}

/** Seeded random numbers: X in [−1.5, 1.5], weights scaled by √(3/fan-in) so Z stays of order 1. */
function draw(spec: NetworkSpec, seed: number): Network {
	const random = mulberry32(seed);
	const uniform = (lo: number, hi: number) => lo + (hi - lo) * random.next();
	const fill = (shape: number[], value: () => number): Values => ({ shape, data: range(sizeOf(shape)).map(value) });
	const model = { input: spec.input, layers: spec.layers };
	const params = spec.layers.map((layer, i) => {
		if (!isParametric(layer)) return null;
		const below = outputShape(model, i);
		const shape = layer.type === 'dense' ? [layer.units, below[0]] : [layer.filters, below[0], ...layer.kernel];
		const spread = Math.sqrt(3 / sizeOf(shape.slice(1)));
		return { W: fill(shape, () => uniform(-spread, spread)), b: fill([shape[0]], () => uniform(-0.5, 0.5)) };
	});
	const inputShape = typeof spec.input === 'number' ? [spec.input] : spec.input;
	const outputs = outputShape(model, spec.layers.length)[0];
	const Y = range(spec.samples).flatMap(() => targetRow(spec.targets, outputs, uniform));
	return {
		spec,
		params,
		X: fill([spec.samples, ...inputShape], () => uniform(-1.5, 1.5)),
		Y: { shape: [spec.samples, outputs], data: Y }
	};
}

/** The batch, or the one sample `sample` as a batch of one. */
function rowsOf(values: Values, sample?: number): NestedNumbers {
	if (sample === undefined) return toNested(values.shape, values.data);
	const inner = values.shape.slice(1);
	const rowSize = sizeOf(inner);
	return toNested([1, ...inner], values.data.slice(sample * rowSize, (sample + 1) * rowSize));
}

/**
 * The scenario as a parsed YAML file would give it, with the nudges applied. With `sample`, the
 * batch is that one sample and J is summed: J then is that sample's loss L_n.
 */
function scenarioOf(net: Network, nudges: readonly Nudge[] = [], sample?: number): Record<string, unknown> {
	const layers = net.spec.layers.map((layer, i) => {
		const p = net.params[i];
		if (!p) return { ...layer };
		const W = [...p.W.data];
		const b = [...p.b.data];
		for (const nudge of nudges) if (nudge.layer === i + 1) (nudge.key === 'W' ? W : b)[nudge.entry] += nudge.by;
		return { ...layer, W: toNested(p.W.shape, W), b: toNested(p.b.shape, b) };
	});
	return {
		model: { input: net.spec.input, layers },
		loss: net.spec.loss,
		reduction: sample === undefined ? net.spec.reduction : 'sum',
		optimizer: { type: 'sgd', lr: 0.1 },
		data: { X: rowsOf(net.X, sample), Y: rowsOf(net.Y, sample) },
		training: { epochs: 1 },
		...(net.spec.conventions ? { conventions: net.spec.conventions } : {})
	};
}

function eventValue(trace: Trace, name: string): Tensor {
	const event = findEvent(trace, 1, name);
	if (!event) throw new Error(`no event ${name} at step 1`);
	return event.value;
}

function costOf(net: Network, nudges: readonly Nudge[], sample?: number): number {
	const trace = run(scenarioOf(net, nudges, sample));
	if (trace.diverged) throw new Error(trace.diverged.message);
	return eventValue(trace, 'loss').data[0];
}

/** The derivative of J along a direction of the parameters, by central differences. */
function slope(net: Network, direction: (by: number) => Nudge[], sample?: number): number {
	return (costOf(net, direction(H), sample) - costOf(net, direction(-H), sample)) / (2 * H);
}

/**
 * The same by the five-point stencil, whose error is ~h⁴. Used for ∂J/∂ŷ: with −y·log ŷ the central
 * difference is off by about (h/ŷ)²/3 relative, past the tolerance once a softmax output ŷ ≈ 0.002.
 */
function fivePointSlope(net: Network, direction: (by: number) => Nudge[], sample?: number): number {
	const J = (by: number) => costOf(net, direction(by), sample);
	return (J(-2 * H) - 8 * J(-H) + 8 * J(H) - J(2 * H)) / (12 * H);
}

/** Where a nudge could cross a kink: a ReLU/step input near 0, or a near tie for a pool winner (max, …). */
function kinks(net: Network, trace: Trace): string[] {
	const found: string[] = [];
	net.spec.layers.forEach((layer, i) => {
		const l = i + 1;
		if (isParametric(layer) && (layer.activation === 'relu' || layer.activation === 'step')) {
			const Z = eventValue(trace, `Z[${l}]`);
			Z.data.forEach((z, e) => {
				if (Math.abs(z) < KINK_MARGIN) found.push(`Z[${l}]${label(Z.shape, e)} = ${z}`);
			});
		}
		const sign = layer.type === 'pool' ? winnerSign(layer.mode) : null;
		if (layer.type === 'pool' && sign !== null) {
			const input = eventValue(trace, `A[${i}]`);
			const below = net.spec.layers[i - 1];
			// A window of dead ReLUs ties at 0, but none of them passes a gradient, before or after a nudge.
			const deadTiesAreHarmless = below !== undefined && isParametric(below) && below.activation === 'relu';
			found.push(...poolTies(input, layer.size, layer.stride, sign, deadTiesAreHarmless).map((w) => `pool ${l} ${w}`));
		}
	});
	return found;
}

/** Windows whose winner (the largest sign·value) is within the margin of the runner-up. */
function poolTies(input: Tensor, size: number, stride: number, sign: 1 | -1, deadTiesAreHarmless: boolean): string[] {
	const [samples, channels, height, width] = input.shape;
	const outH = Math.floor((height - size) / stride) + 1;
	const outW = Math.floor((width - size) / stride) + 1;
	const ties: string[] = [];
	for (let plane = 0; plane < samples * channels; plane++) {
		for (let i = 0; i < outH; i++) {
			for (let j = 0; j < outW; j++) {
				const window: number[] = [];
				for (let ki = 0; ki < size; ki++) {
					for (let kj = 0; kj < size; kj++) window.push(input.data[(plane * height + i * stride + ki) * width + j * stride + kj]);
				}
				const [top, second] = window.sort((x, y) => sign * (y - x));
				if (sign * (top - second) < KINK_MARGIN && !(deadTiesAreHarmless && top === 0)) ties.push(`plane ${plane} window [${i}][${j}]: ${top} vs ${second}`);
			}
		}
	}
	return ties;
}

interface Drawn {
	net: Network;
	trace: Trace;
}

/** The first seeded draw with no kink within reach of a nudge (deterministic: the seeds are fixed). */
function smoothDraw(spec: NetworkSpec): Drawn {
	for (let attempt = 0; attempt < 50; attempt++) {
		const net = draw(spec, spec.seed + 7919 * attempt);
		const trace = run(scenarioOf(net));
		if (trace.diverged) throw new Error(trace.diverged.message);
		if (kinks(net, trace).length === 0) return { net, trace };
	}
	throw new Error(`${spec.name}: every draw put a ReLU/step input or a pool tie within ${KINK_MARGIN} of a kink`);
}

function lazily<T>(make: () => T): () => T {
	let value: T | undefined;
	return () => (value ??= make());
}

// ---------------------------------------------------------------------------------------------
// The comparisons
// ---------------------------------------------------------------------------------------------

interface Comparison {
	/** one line per disagreeing entry: the quantity, its indices, analytic and numeric values */
	mismatches: string[];
	/** the largest |numeric| seen, to make sure the check is not comparing zeros with zeros */
	largest: number;
	checked: number;
}

function compare(result: Comparison, quantity: string, analytic: Tensor, numeric: (entry: number) => number): void {
	for (const entry of entriesToCheck(analytic.data.length)) {
		const a = analytic.data[entry];
		const n = numeric(entry);
		result.checked++;
		result.largest = Math.max(result.largest, Math.abs(n));
		if (!(Math.abs(a - n) <= RELATIVE * Math.max(Math.abs(a), Math.abs(n)) + NOISE)) {
			result.mismatches.push(`${quantity}${label(analytic.shape, entry)}: analytic ${a}, numeric ${n}`);
		}
	}
}

function emptyComparison(): Comparison {
	return { mismatches: [], largest: 0, checked: 0 };
}

/** dW[l] and db[l] of every dense and conv layer against ∂J/∂W and ∂J/∂b by central differences. */
function compareParameters({ net, trace }: Drawn): Comparison {
	const result = emptyComparison();
	net.params.forEach((p, i) => {
		if (!p) return;
		const layer = i + 1;
		for (const key of ['W', 'b'] as const) {
			const analytic = eventValue(trace, `d${key}[${layer}]`);
			expect(analytic.shape, `d${key}[${layer}] has the shape of ${key}[${layer}]`).toEqual(p[key].shape);
			compare(result, `d${key}[${layer}]`, analytic, (entry) => slope(net, (by) => [{ layer, key, entry, by }]));
		}
	});
	return result;
}

/** 1/N for a mean over the batch: the per-sample derivatives below are those of L_n. */
function batchScale(net: Network): number {
	return net.spec.reduction === 'mean' ? 1 / net.spec.samples : 1;
}

/**
 * dZ[l] of dense layers, sample by sample. In a batch of one sample, b[l][j] moves Z[l][0][j]
 * alone, so ∂L_n/∂b[l][j] is ∂L_n/∂Z[l][n][j]; the batch's J scales it by 1/N under mean.
 */
function compareDeltas({ net, trace }: Drawn): Comparison {
	const result = emptyComparison();
	const scale = batchScale(net);
	net.spec.layers.forEach((spec, i) => {
		if (spec.type !== 'dense') return;
		const layer = i + 1;
		compare(result, `dZ[${layer}]`, eventValue(trace, `dZ[${layer}]`), (entry) => {
			const sample = Math.floor(entry / spec.units);
			const unit = entry % spec.units;
			return scale * slope(net, (by) => [{ layer, key: 'b', entry: unit, by }], sample);
		});
	});
	return result;
}

/**
 * dA[l] of a layer whose output feeds a dense layer u (through flatten if any), sample by sample.
 * Z[u] = W[u]·A + b[u], so moving A[n][k] by t moves Z[u] exactly as moving b[u] by t·W[u][:, k]:
 * a nudge of b[u] along that column is a nudge of A[n][k].
 */
function compareUpstream({ net, trace }: Drawn): Comparison {
	const result = emptyComparison();
	const scale = batchScale(net);
	const layers = net.spec.layers;
	layers.forEach((_, i) => {
		let u = i + 1;
		while (u < layers.length && layers[u].type === 'flatten') u++;
		const above = net.params[u];
		if (u >= layers.length || layers[u].type !== 'dense' || !above) return;
		const layer = i + 1;
		const analytic = eventValue(trace, `dA[${layer}]`);
		const width = sizeOf(analytic.shape.slice(1));
		const units = above.W.shape[0];
		compare(result, `dA[${layer}]`, analytic, (entry) => {
			const sample = Math.floor(entry / width);
			const k = entry % width;
			const column = (by: number) => range(units).map((j) => ({ layer: u + 1, key: 'b' as const, entry: j, by: by * above.W.data[j * width + k] }));
			return scale * slope(net, column, sample);
		});
	});
	return result;
}

/**
 * dA[L] = ∂J/∂ŷ of the output layer. No layer above it can carry a nudge, so J is taken as a
 * function of ŷ alone: a probe network whose one identity layer passes X = A[L] through unchanged
 * (W = I, b = 0), where nudging b[j] on sample n nudges ŷ[n][j].
 */
function compareOutput({ net, trace }: Drawn): Comparison {
	const result = emptyComparison();
	const scale = batchScale(net);
	const last = net.spec.layers.length;
	const A = eventValue(trace, `A[${last}]`);
	const outputs = A.shape[1];
	const probe: Network = {
		spec: { ...net.spec, input: outputs, layers: [{ type: 'dense', units: outputs, activation: 'identity' }] },
		params: [
			{
				W: { shape: [outputs, outputs], data: range(outputs * outputs).map((e) => (e % (outputs + 1) === 0 ? 1 : 0)) },
				b: { shape: [outputs], data: range(outputs).map(() => 0) }
			}
		],
		X: { shape: [...A.shape], data: Array.from(A.data) },
		Y: net.Y
	};
	compare(result, `dA[${last}]`, eventValue(trace, `dA[${last}]`), (entry) => {
		const sample = Math.floor(entry / outputs);
		return scale * fivePointSlope(probe, (by) => [{ layer: 1, key: 'b', entry: entry % outputs, by }], sample);
	});
	return result;
}

function expectAgreement(result: Comparison): void {
	expect(result.checked).toBeGreaterThan(0);
	expect(result.mismatches, `${result.mismatches.length} of ${result.checked} entries disagree`).toEqual([]);
	expect(result.largest, 'the numeric gradients are not all 0').toBeGreaterThan(1e-4);
}

/** The three checks, for every network of a table. */
function checkGradients(cases: NetworkSpec[]): void {
	describe.each(cases)('$name', (spec) => {
		const drawn = lazily(() => smoothDraw(spec));
		it('dW[l] and db[l] agree with finite differences of J', () => expectAgreement(compareParameters(drawn())));
		it('dZ[l] of the dense layers agree, sample by sample', () => expectAgreement(compareDeltas(drawn())));
		it('dA[l] under a dense layer agree, sample by sample', () => expectAgreement(compareUpstream(drawn())));
		it('dA[L] of the output agrees with ∂J/∂ŷ, sample by sample', () => expectAgreement(compareOutput(drawn())));
	});
}

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

/** Activations of the hidden layer; softmax appears as an output below. */
const HIDDEN_ACTIVATIONS: ActivationName[] = ['square', 'identity', 'step', 'sigmoid', 'tanh', 'relu', 'softplus'];

interface Objective {
	loss: LossName;
	/** 'same': the output layer uses the hidden layer's activation too */
	output: ActivationName | 'same';
	targets: TargetKind;
}

const OBJECTIVES: Objective[] = [
	{ loss: 'squared_error', output: 'same', targets: 'real' },
	{ loss: 'half_squared_error', output: 'same', targets: 'real' },
	{ loss: 'mse', output: 'same', targets: 'real' },
	{ loss: 'mae', output: 'same', targets: 'real' },
	{ loss: 'binary_cross_entropy', output: 'sigmoid', targets: 'binary' },
	{ loss: 'binary_cross_entropy', output: 'sigmoid', targets: 'probability' },
	{ loss: 'categorical_cross_entropy', output: 'softmax', targets: 'one-hot' },
	{ loss: 'categorical_cross_entropy', output: 'softmax', targets: 'distribution' },
	{ loss: 'categorical_cross_entropy', output: 'sigmoid', targets: 'one-hot' }
];

const REDUCTIONS: Reduction[] = ['mean', 'sum'];

/** 3 inputs → 4 hidden units → 3 outputs, a batch of 4 samples. */
const denseCases: NetworkSpec[] = HIDDEN_ACTIVATIONS.flatMap((activation, a) =>
	OBJECTIVES.flatMap((objective, o) =>
		REDUCTIONS.map((reduction, r): NetworkSpec => {
			// A step output would make J flat in every weight; the step layer is checked as a hidden layer.
			const output = objective.output === 'same' ? (activation === 'step' ? 'identity' : activation) : objective.output;
			return {
				name: `${activation} hidden, ${output} output, ${objective.loss} (${objective.targets} targets), ${reduction}`,
				input: 3,
				layers: [
					{ type: 'dense', units: 4, activation },
					{ type: 'dense', units: 3, activation: output }
				],
				loss: objective.loss,
				reduction,
				targets: objective.targets,
				samples: 4,
				seed: 1000 * a + 100 * o + 10 * r + 1
			};
		})
	)
);

/** conv2d (2 channels in, 3 filters, kernel 2×3) → flatten → dense, for each stride, padding and flip. */
const convCases: NetworkSpec[] = [1, 2].flatMap((stride) =>
	[0, 1].flatMap((padding) =>
		[false, true].map((flip): NetworkSpec => ({
			name: `conv2d kernel [2,3], stride ${stride}, padding ${padding}, ${flip ? 'flip (convolution)' : 'no flip (cross-correlation)'}`,
			input: [2, 5, 6],
			layers: [
				{ type: 'conv2d', filters: 3, kernel: [2, 3], stride, padding, flip, activation: 'tanh' },
				{ type: 'flatten' },
				{ type: 'dense', units: 2, activation: 'identity' }
			],
			loss: 'half_squared_error',
			reduction: 'mean',
			targets: 'real',
			samples: 2,
			seed: 50_000 + 100 * stride + 10 * padding + (flip ? 1 : 0)
		}))
	)
);

/** conv2d → pool → flatten → dense: the pool's backward pass is what the conv weights' gradient crosses. */
const poolCases: NetworkSpec[] = POOL_MODES.flatMap((mode, m) =>
	[
		{ size: 2, stride: 2 },
		{ size: 3, stride: 1 }
	].map(
		({ size, stride }): NetworkSpec => ({
			name: `${mode} pool size ${size} stride ${stride}${size > stride ? ' (overlapping windows)' : ''}`,
			input: [2, 6, 5],
			layers: [
				{ type: 'conv2d', filters: 2, kernel: [2, 2], stride: 1, padding: 0, flip: false, activation: 'tanh' },
				{ type: 'pool', mode, size, stride },
				{ type: 'flatten' },
				{ type: 'dense', units: 3, activation: 'identity' }
			],
			loss: 'mse',
			reduction: 'sum',
			targets: 'real',
			samples: 2,
			seed: 60_000 + 100 * m + size
		})
	)
);

/** Whole networks: every layer's backward pass feeding the one below, conv inputs included. */
const mixedCases: NetworkSpec[] = [
	{
		name: 'conv → relu → max pool → flatten → dense → softmax',
		input: [2, 6, 6],
		layers: [
			{ type: 'conv2d', filters: 3, kernel: [3, 3], stride: 1, padding: 1, flip: false, activation: 'relu' },
			{ type: 'pool', mode: 'max', size: 2, stride: 2 },
			{ type: 'flatten' },
			{ type: 'dense', units: 4, activation: 'softmax' }
		],
		loss: 'categorical_cross_entropy',
		reduction: 'mean',
		targets: 'one-hot',
		samples: 3,
		seed: 70_001
	},
	{
		name: 'fan-out through two conv layers: conv → avg pool → conv (flip) → flatten → dense → dense',
		input: [1, 6, 6],
		layers: [
			{ type: 'conv2d', filters: 2, kernel: [3, 3], stride: 1, padding: 1, flip: false, activation: 'tanh' },
			{ type: 'pool', mode: 'avg', size: 2, stride: 2 },
			{ type: 'conv2d', filters: 3, kernel: [2, 3], stride: 1, padding: 0, flip: true, activation: 'softplus' },
			{ type: 'flatten' },
			{ type: 'dense', units: 4, activation: 'tanh' },
			{ type: 'dense', units: 2, activation: 'sigmoid' }
		],
		loss: 'binary_cross_entropy',
		reduction: 'sum',
		targets: 'binary',
		samples: 2,
		seed: 70_002
	},
	{
		name: 'conv stride 2 padding 1 → relu → conv → max pool 3 stride 1 → flatten → dense',
		input: [2, 7, 7],
		layers: [
			{ type: 'conv2d', filters: 2, kernel: [3, 3], stride: 2, padding: 1, flip: false, activation: 'relu' },
			{ type: 'conv2d', filters: 2, kernel: [2, 2], stride: 1, padding: 0, flip: false, activation: 'identity' },
			{ type: 'pool', mode: 'max', size: 3, stride: 1 },
			{ type: 'flatten' },
			{ type: 'dense', units: 2, activation: 'identity' }
		],
		loss: 'squared_error',
		reduction: 'mean',
		targets: 'real',
		samples: 2,
		seed: 70_003
	}
];

/**
 * Course 003's ReLU′(0) = 1 changes nothing away from 0: the ReLU networks above, again with
 * `conventions: { relu_derivative_at_zero: 1 }` (their inputs stay KINK_MARGIN away from 0).
 */
const conventionCases: NetworkSpec[] = [...denseCases, ...mixedCases]
	.filter((spec) => spec.layers.some((layer) => isParametric(layer) && layer.activation === 'relu') && spec.reduction === 'mean')
	.map((spec) => ({ ...spec, name: `${spec.name}, ReLU′(0) = 1`, conventions: { relu_derivative_at_zero: 1 } }));

describe('backprop agrees with finite differences of J (step 1)', () => {
	describe('dense networks: every hidden activation × loss × reduction', () => checkGradients(denseCases));
	describe('conv2d', () => checkGradients(convCases));
	describe('pooling', () => checkGradients(poolCases));
	describe('mixed networks', () => checkGradients(mixedCases));
	describe('ReLU networks under course 003’s ReLU′(0) = 1', () => {
		it('has ReLU networks to check', () => expect(conventionCases.length).toBeGreaterThanOrEqual(8));
		checkGradients(conventionCases);
	});
});

describe('a step layer passes no gradient down', () => {
	const outputs: { output: ActivationName; loss: LossName; targets: TargetKind }[] = [
		{ output: 'identity', loss: 'half_squared_error', targets: 'real' },
		{ output: 'softmax', loss: 'categorical_cross_entropy', targets: 'one-hot' }
	];
	it.each(outputs)('tanh → step → $output: the layers from the step down get exactly 0', ({ output, loss, targets }) => {
		const drawn = smoothDraw({
			name: `tanh → step → ${output}`,
			input: 3,
			layers: [
				{ type: 'dense', units: 4, activation: 'tanh' },
				{ type: 'dense', units: 4, activation: 'step' },
				{ type: 'dense', units: 3, activation: output }
			],
			loss,
			reduction: 'mean',
			targets,
			samples: 4,
			seed: 80_001
		});
		// The step's derivative is 0, so nothing reaches layers 2 and 1…
		for (const name of ['dZ[2]', 'dW[2]', 'db[2]', 'dA[1]', 'dZ[1]', 'dW[1]', 'db[1]']) {
			const nonZero = Array.from(eventValue(drawn.trace, name).data).filter((v) => v !== 0);
			expect(nonZero, `${name} is all 0`).toEqual([]);
		}
		// …while the layer above the step still learns, and J is indeed flat in W[1], W[2] (the FD agrees).
		expect(Array.from(eventValue(drawn.trace, 'dW[3]').data).some((v) => v !== 0)).toBe(true);
		expectAgreement(compareParameters(drawn));
	});
});
