import type { Trace, TraceSetup } from '../engine/trace';
import { inStep } from './cursor';

/** Networks of at least this many dense layers get the picture of their gradient layer by layer. */
export const DEEP = 4;

/** True for a stack of dense layers deep enough for the gradient to shrink (or grow) on its way down. */
export function isDeepStack(setup: TraceSetup): boolean {
	return setup.kind === 'network' && setup.layers.length >= DEEP && setup.layers.every((p) => p.type === 'dense');
}

/** ‖dW[l]‖ (Frobenius) of each layer at the cursor's step, null until the cursor has reached it. */
export function gradientNorms(trace: Trace, seq: number): (number | null)[] {
	return trace.setup.layers.map((_, i) => {
		const dW = inStep(trace, seq, `dW[${i + 1}]`);
		if (!dW) return null;
		let sum = 0;
		for (const v of dW.value.data) sum += v * v;
		return Math.sqrt(sum);
	});
}

export interface NormBar {
	/** 1-based layer */
	layer: number;
	norm: number | null;
	x: number;
	width: number;
	/** top of the bar; the bar ends on the axis at `base` */
	y: number;
}

export interface NormChart {
	bars: NormBar[];
	/** the powers of ten on the axis, and their heights */
	ticks: { exponent: number; y: number }[];
	/** where the bars start: the bottom of the lowest decade */
	base: number;
}

export interface ChartBox {
	left: number;
	right: number;
	top: number;
	bottom: number;
}

/**
 * Bars on a log scale, one per layer, left (layer 1) to right: the height of a bar counts the
 * decades of its norm, so that a gradient 100 times smaller is visibly two steps lower. The scale
 * spans whole decades from the smallest norm to the largest; a norm of 0 sits on the axis.
 */
export function normChart(norms: readonly (number | null)[], box: ChartBox): NormChart {
	const shown = norms.filter((n): n is number => n !== null && n > 0 && Number.isFinite(n));
	const lo = shown.length ? Math.floor(Math.log10(Math.min(...shown))) : -3;
	const hiRaw = shown.length ? Math.ceil(Math.log10(Math.max(...shown))) : 0;
	const hi = hiRaw > lo ? hiRaw : lo + 1;
	const yOf = (exponent: number): number => box.bottom - ((exponent - lo) / (hi - lo)) * (box.bottom - box.top);
	const slot = (box.right - box.left) / Math.max(1, norms.length);
	const bars = norms.map((norm, i) => ({
		layer: i + 1,
		norm,
		x: box.left + i * slot + slot * 0.2,
		width: slot * 0.6,
		y: norm !== null && norm > 0 && Number.isFinite(norm) ? yOf(Math.log10(norm)) : box.bottom
	}));
	// at most five powers of ten on the axis, so that their labels stay apart
	const every = Math.ceil((hi - lo) / 4);
	const ticks = [];
	for (let e = hi; e >= lo; e -= every) ticks.push({ exponent: e, y: yOf(e) });
	return { bars, ticks, base: box.bottom };
}
