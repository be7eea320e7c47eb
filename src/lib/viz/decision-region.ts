import { contours, interpolateLab, rgb, type ContourMultiPolygon } from 'd3';
import type { Backend, DenseLayer } from '../engine/backends/backend';
import { referenceBackend } from '../engine/backends/reference';
import type { DensePlan, LayerPlan } from '../engine/plan';
import type { Tensor } from '../engine/tensor';
import { batchRowsOf, findEvent, type Trace, type TraceSetup } from '../engine/trace';
import { NEGATIVE, POSITIVE, ZERO } from './colour';

/**
 * The decision region of a classifier with two inputs (TF Playground's heat map): the network's
 * output over the plane (x₁, x₂), with the parameters in force at a step, computed by the
 * engine's own forward pass on a grid of cells. Pure maths and colours; the component draws.
 */

export type BinaryActivation = 'sigmoid' | 'step' | 'identity' | 'tanh';

/** How the output is read: one unit against a threshold, or the arg max of a softmax. */
export type RegionOutput = { kind: 'binary'; activation: BinaryActivation; threshold: number } | { kind: 'classes'; classes: number };

/** ŷ = 0.5 splits a sigmoid's or a step's output; 0 a tanh's or an identity's (targets ±1). */
const THRESHOLDS: Record<BinaryActivation, number> = { sigmoid: 0.5, step: 0.5, identity: 0, tanh: 0 };
export const MAX_CLASSES = 4;
export const GRID_SIZE = 48;
/** multiply-adds one grid may cost (48² cells × a 2-16-16-1 network): a few ms, within a frame */
const GRID_BUDGET = 800_000;
const MIN_GRID_SIZE = 16;
/** On the gpu backend: a finer grid, which its kernels draw within a frame (see bench/RESULTS.md, grid). */
export const GPU_GRID_SIZE = 128;
const GPU_GRID_BUDGET = 40_000_000;

/** Class c's colour: 0 orange and 1 blue as the other pictures' y = 0 / y = 1, then Okabe–Ito green and purple. */
export const CLASS_COLOURS = [NEGATIVE, POSITIVE, '#009e73', '#cc79a7'] as const;
/** the strongest a cell is painted, so that the points on it stay visible */
const MAX_STRENGTH = 0.78;
const LEVELS = 64;

const isDense = (plan: LayerPlan): plan is DensePlan => plan.type === 'dense';

/** How to read the trace's output as classes, or null when the picture does not apply. */
export function regionOutput(setup: TraceSetup): RegionOutput | null {
	const layers = setup.layers;
	if (setup.kind !== 'network' || layers.length === 0 || !layers.every(isDense)) return null;
	if (layers[0].inputShape.length !== 1 || layers[0].inputShape[0] !== 2) return null;
	const last = layers[layers.length - 1];
	if (last.units === 1 && last.activation in THRESHOLDS) {
		const activation = last.activation as BinaryActivation;
		return { kind: 'binary', activation, threshold: THRESHOLDS[activation] };
	}
	if (last.activation === 'softmax' && last.units >= 2 && last.units <= MAX_CLASSES) return { kind: 'classes', classes: last.units };
	return null;
}

/**
 * The grid's side: GRID_SIZE (GPU_GRID_SIZE on the gpu backend), coarser for a network too big
 * to run that many times in a frame.
 */
export function gridSizeFor(layers: LayerPlan[], backend: Backend = referenceBackend): number {
	const onGpu = backend.name === 'gpu';
	const perSample = layers.reduce((sum, plan) => sum + plan.inputShape[0] * plan.outputShape[0], 0);
	const side = Math.floor(Math.sqrt((onGpu ? GPU_GRID_BUDGET : GRID_BUDGET) / Math.max(1, perSample)));
	return Math.max(MIN_GRID_SIZE, Math.min(onGpu ? GPU_GRID_SIZE : GRID_SIZE, side));
}

/** A data point of the plane: its inputs, its class (null without targets) and the data rows at it. */
export interface RegionPoint {
	x1: number;
	x2: number;
	label: number | null;
	samples: number[];
}

/** The class of one output (or target) row: above the threshold, or its arg max. */
function classOf(data: ArrayLike<number>, start: number, output: RegionOutput): number {
	if (output.kind === 'binary') return data[start] > output.threshold ? 1 : 0;
	let best = 0;
	for (let c = 1; c < output.classes; c++) if (data[start + c] > data[start + best]) best = c;
	return best;
}

/**
 * The distinct data points. The trace keeps the targets but not X: each sample's inputs are
 * its row of A[0] in the first step that reads it, so only the first epoch is read.
 */
export function regionPoints(trace: Trace, output: RegionOutput): RegionPoint[] {
	const Y = trace.setup.Y;
	const width = output.kind === 'binary' ? 1 : output.classes;
	const expected = Y ? Y.shape[0] : batchRowsOf(trace, 1).length;
	const points = new Map<string, RegionPoint>();
	const seen = new Set<number>();
	for (let step = 1; step <= trace.steps && seen.size < expected; step++) {
		if (trace.stepEpoch[step] > 1) break;
		const A0 = findEvent(trace, step, 'A[0]');
		if (!A0) continue;
		batchRowsOf(trace, step).forEach((sample, i) => {
			if (seen.has(sample)) return;
			seen.add(sample);
			const x1 = A0.value.data[2 * i];
			const x2 = A0.value.data[2 * i + 1];
			const label = Y ? classOf(Y.data, sample * width, output) : null;
			const key = `${x1},${x2},${label}`;
			const point = points.get(key);
			if (point) point.samples.push(sample);
			else points.set(key, { x1, x2, label, samples: [sample] });
		});
	}
	return [...points.values()];
}

export interface Bounds {
	x0: number;
	x1: number;
	y0: number;
	y1: number;
}

/** The points' bounding box plus `margin` of its size on each side (±1 around a single value). */
export function regionBounds(points: RegionPoint[], margin = 0.25): Bounds {
	const axis = (values: number[]): [number, number] => {
		if (values.length === 0) return [-1, 1];
		const lo = Math.min(...values);
		const hi = Math.max(...values);
		const pad = hi > lo ? margin * (hi - lo) : 1;
		return [lo - pad, hi + pad];
	};
	const [x0, x1] = axis(points.map((p) => p.x1));
	const [y0, y1] = axis(points.map((p) => p.x2));
	return { x0, x1, y0, y1 };
}

/** The parameters step `step` runs with: W[l], b[l] as step − 1 left them (the initial ones for step 0). */
export function parametersAt(trace: Trace, step: number): { W: Tensor; b: Tensor }[] | null {
	const source = Math.max(0, step - 1);
	const params: { W: Tensor; b: Tensor }[] = [];
	for (const plan of trace.setup.layers) {
		const W = findEvent(trace, source, `W[${plan.index}]`);
		const b = findEvent(trace, source, `b[${plan.index}]`);
		if (!W || !b) return null;
		params.push({ W: W.value, b: b.value });
	}
	return params;
}

/**
 * The cell centres: `size` × `size` of them spanning the bounds exactly, row 0 at the top (largest
 * x₂), so that a cell sits where d3-contour puts its value (at grid coordinate column + ½, row + ½).
 */
export function cellPosition(bounds: Bounds, size: number, row: number, column: number): [number, number] {
	const f = (i: number) => (size > 1 ? i / (size - 1) : 0.5);
	return [bounds.x0 + f(column) * (bounds.x1 - bounds.x0), bounds.y1 - f(row) * (bounds.y1 - bounds.y0)];
}

/** The network's output over the grid and at the data points, for one step. */
export interface RegionGrid {
	step: number;
	size: number;
	bounds: Bounds;
	/** output units per cell */
	width: number;
	/** A[L] at cell (row, column) starts at (row · size + column) · width */
	values: Float64Array;
	/** A[L] at each data point, in the points' order */
	atPoints: Float64Array;
}

/** The network's layers at a step and the grid's cells followed by the data points, as one batch. */
function regionBatch(trace: Trace, step: number, bounds: Bounds, points: RegionPoint[], size: number): { layers: DenseLayer[]; X: Tensor } | null {
	const params = parametersAt(trace, step);
	if (!params) return null;
	const cells = size * size;
	const X: Tensor = { shape: [cells + points.length, 2], data: new Float64Array(2 * (cells + points.length)) };
	for (let row = 0; row < size; row++) {
		for (let column = 0; column < size; column++) X.data.set(cellPosition(bounds, size, row, column), 2 * (row * size + column));
	}
	points.forEach((p, i) => X.data.set([p.x1, p.x2], 2 * (cells + i)));
	const layers = trace.setup.layers.filter(isDense).map((plan, i) => ({ ...params[i], activation: plan.activation }));
	return { layers, X };
}

function gridOf(step: number, size: number, bounds: Bounds, A: Tensor): RegionGrid {
	const width = A.shape[1];
	const cells = size * size;
	return { step, size, bounds, width, values: A.data.subarray(0, cells * width), atPoints: A.data.subarray(cells * width) };
}

/** Runs the backend's batched forward pass once on the grid's cells and the data points together. */
export function regionGrid(
	trace: Trace,
	step: number,
	bounds: Bounds,
	points: RegionPoint[],
	size = GRID_SIZE,
	backend: Backend = referenceBackend
): RegionGrid | null {
	const batch = regionBatch(trace, step, bounds, points, size);
	return batch && gridOf(step, size, bounds, backend.forwardBatch(batch.layers, batch.X));
}

/** The same under gpu.js's asynchronous contract (WebGPU where the browser has it). */
export async function regionGridAsync(trace: Trace, step: number, bounds: Bounds, points: RegionPoint[], size: number, backend: Backend): Promise<RegionGrid | null> {
	const batch = regionBatch(trace, step, bounds, points, size);
	return batch && gridOf(step, size, bounds, await backend.forwardBatchAsync(batch.layers, batch.X));
}

/** The float64 forward pass at the data points alone, with the parameters of `step`: what the count reads. */
export function exactAtPoints(trace: Trace, step: number, points: RegionPoint[]): Float64Array | null {
	const batch = regionBatch(trace, step, { x0: 0, x1: 0, y0: 0, y1: 0 }, points, 0);
	return batch && referenceBackend.forwardBatch(batch.layers, batch.X).data;
}

/** A cell's decision: its class and how sure the network is, from 0 (on the boundary) to 1. */
export function decisionOf(values: ArrayLike<number>, start: number, output: RegionOutput, limit = 1): { label: number; confidence: number } {
	const label = classOf(values, start, output);
	if (output.kind === 'classes') {
		const chance = 1 / output.classes;
		return { label, confidence: Math.max(0, Math.min(1, (values[start + label] - chance) / (1 - chance))) };
	}
	const v = values[start];
	const signed = output.activation === 'sigmoid' || output.activation === 'step' ? 2 * (v - 0.5) : (v - output.threshold) / limit;
	return { label, confidence: Number.isFinite(signed) ? Math.min(1, Math.abs(signed)) : 1 };
}

/** An identity output is unbounded: its colours span the largest |ŷ − θ| on the grid. */
function spanOf(grid: RegionGrid, output: RegionOutput): number {
	if (output.kind !== 'binary' || output.activation !== 'identity') return 1;
	let max = 0;
	for (const v of grid.values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v - output.threshold));
	return max > 0 ? max : 1;
}

const ramps = new Map<string, Uint8Array>();

/** LEVELS rgb triples from near-white to `colour` at MAX_STRENGTH, built once per colour. */
function rampOf(colour: string): Uint8Array {
	let ramp = ramps.get(colour);
	if (!ramp) {
		ramp = new Uint8Array(3 * LEVELS);
		const mix = interpolateLab(ZERO, colour);
		for (let k = 0; k < LEVELS; k++) {
			const c = rgb(mix((MAX_STRENGTH * k) / (LEVELS - 1)));
			ramp.set([c.r, c.g, c.b], 3 * k);
		}
		ramps.set(colour, ramp);
	}
	return ramp;
}

/** The heat map as RGBA pixels, one per cell: the class's colour, lighter as confidence falls. */
export function regionPixels(grid: RegionGrid, output: RegionOutput): Uint8ClampedArray<ArrayBuffer> {
	const cells = grid.size * grid.size;
	const pixels = new Uint8ClampedArray(4 * cells);
	const limit = spanOf(grid, output);
	for (let cell = 0; cell < cells; cell++) {
		const { label, confidence } = decisionOf(grid.values, cell * grid.width, output, limit);
		const ramp = rampOf(CLASS_COLOURS[label]);
		const k = 3 * Math.round(confidence * (LEVELS - 1));
		pixels.set([ramp[k], ramp[k + 1], ramp[k + 2], 255], 4 * cell);
	}
	return pixels;
}

/**
 * The boundary as contours at level 0 of decision fields: ŷ − θ for one unit; for class c of a
 * softmax, p_c minus the best other class (classes 0..K−2 outline every frontier between two).
 */
export function boundaryContours(grid: RegionGrid, output: RegionOutput): ContourMultiPolygon[] {
	const cells = grid.size * grid.size;
	const generator = contours().size([grid.size, grid.size]);
	if (output.kind === 'binary') return [generator.contour(Array.from(grid.values, (v) => v - output.threshold), 0)];
	const fields: ContourMultiPolygon[] = [];
	for (let c = 0; c < output.classes - 1; c++) {
		const field = new Array<number>(cells);
		for (let cell = 0; cell < cells; cell++) {
			const start = cell * grid.width;
			let other = -Infinity;
			for (let k = 0; k < grid.width; k++) if (k !== c) other = Math.max(other, grid.values[start + k]);
			field[cell] = grid.values[start + c] - other;
		}
		fields.push(generator.contour(field, 0));
	}
	return fields;
}

/**
 * The contours as one SVG path, `toScreen` mapping grid coordinates. d3-contour closes each ring
 * along the grid's rim (coordinate 0 or size), outside the cell centres: those segments are not
 * a frontier and are left out, so a region of one class draws no line.
 */
export function boundaryPath(polygons: ContourMultiPolygon[], size: number, toScreen: (gx: number, gy: number) => [number, number]): string {
	const rim = ([x, y]: number[]) => x <= 0 || y <= 0 || x >= size || y >= size;
	let d = '';
	for (const polygon of polygons) {
		for (const rings of polygon.coordinates) {
			for (const ring of rings) {
				let open = false;
				for (let i = 1; i < ring.length; i++) {
					if (rim(ring[i - 1]) || rim(ring[i])) {
						open = false;
						continue;
					}
					const [x, y] = toScreen(ring[i][0], ring[i][1]);
					if (!open) {
						const [x0, y0] = toScreen(ring[i - 1][0], ring[i - 1][1]);
						d += `M${x0.toFixed(1)},${y0.toFixed(1)}`;
						open = true;
					}
					d += `L${x.toFixed(1)},${y.toFixed(1)}`;
				}
			}
		}
	}
	return d;
}

/** Everything the picture shows for one step. */
export interface RegionView {
	grid: RegionGrid;
	pixels: Uint8ClampedArray<ArrayBuffer>;
	contours: ContourMultiPolygon[];
	/** the network's class at each data point */
	predicted: number[];
	/** labelled points on the right side of the boundary */
	correct: number;
}

export function regionView(
	trace: Trace,
	step: number,
	output: RegionOutput,
	points: RegionPoint[],
	bounds: Bounds,
	size = GRID_SIZE,
	backend: Backend = referenceBackend
): RegionView | null {
	const grid = regionGrid(trace, step, bounds, points, size, backend);
	return grid && viewOf(grid, output, points);
}

function viewOf(grid: RegionGrid, output: RegionOutput, points: RegionPoint[]): RegionView {
	const predicted = points.map((_, i) => classOf(grid.atPoints, i * grid.width, output));
	const correct = points.filter((p, i) => p.label === predicted[i]).length;
	return { grid, pixels: regionPixels(grid, output), contours: boundaryContours(grid, output), predicted, correct };
}

/** Whether two outputs at the points give every point the same class. */
function sameClasses(a: ArrayLike<number>, b: ArrayLike<number>, points: number, width: number, output: RegionOutput): boolean {
	for (let i = 0; i < points; i++) if (classOf(a, i * width, output) !== classOf(b, i * width, output)) return false;
	return true;
}

/** An asynchronous view with what it was computed for: the cache (one per trace: the trace's identity) and the step. */
export interface AsyncView {
	cache: RegionCache;
	step: number;
	view: RegionView | null;
}

/**
 * The asynchronous view the picture may show for the trace (its cache) and step on screen: one
 * that arrives late, for another step or for a trace since replaced (a preview by its final run),
 * is never shown; null means the float64 view.
 */
export function showable(result: AsyncView | null, cache: RegionCache | null, step: number): RegionView | null {
	return result !== null && result.cache === cache && result.step === step ? result.view : null;
}

/**
 * The views of one trace by step, computed on first use and kept for the last `capacity` steps,
 * so that stepping back and forth does not run the grid again.
 */
export class RegionCache {
	readonly points: RegionPoint[];
	readonly bounds: Bounds;
	#views = new Map<number, RegionView | null>();

	constructor(
		readonly trace: Trace,
		readonly output: RegionOutput,
		/** the heat map is a picture, not a number shown in a formula: the gpu backend may draw it */
		readonly backend: Backend = referenceBackend,
		readonly size = gridSizeFor(trace.setup.layers, backend),
		readonly capacity = 64
	) {
		this.points = regionPoints(trace, output);
		this.bounds = regionBounds(this.points);
	}

	at(step: number): RegionView | null {
		return this.#keep(step, this.#views.get(step) ?? regionView(this.trace, step, this.output, this.points, this.bounds, this.size, this.backend));
	}

	/**
	 * The view of `step`, computed under gpu.js's asynchronous contract when not kept already; null
	 * where the float64 grid must be shown instead: no parameters, or a grid whose class at a data
	 * point is not the float64 forward pass's (a float32 tie, or a device that returned another
	 * call's values). The points' outputs, hence the count, are always the float64 ones.
	 */
	async atAsync(step: number): Promise<RegionView | null> {
		const kept = this.#views.get(step);
		if (kept !== undefined) return this.#keep(step, kept);
		const grid = await regionGridAsync(this.trace, step, this.bounds, this.points, this.size, this.backend);
		const exact = exactAtPoints(this.trace, step, this.points);
		if (!grid || !exact || !sameClasses(grid.atPoints, exact, this.points.length, grid.width, this.output)) return this.#keep(step, null);
		return this.#keep(step, viewOf({ ...grid, atPoints: exact }, this.output, this.points));
	}

	#keep(step: number, view: RegionView | null): RegionView | null {
		// re-inserted last: the Map's order is the order of use
		this.#views.delete(step);
		if (this.#views.size >= this.capacity) this.#views.delete(this.#views.keys().next().value as number);
		this.#views.set(step, view);
		return view;
	}
}
