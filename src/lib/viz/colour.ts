import { interpolateLab, lab, piecewise, scaleDiverging } from 'd3';

/**
 * Colours that stay apart for colour-blind readers: blue for positive, orange for negative
 * (never red/green), a near-white for zero.
 */
export const POSITIVE = '#2166ac';
export const NEGATIVE = '#b35806';
export const ZERO = '#f7f7f7';
export const INK = '#1b1f24';
export const MUTED = '#8a9099';
/** The ring of a lit entry (a student's wrong one): a magenta apart from both signs and from the ink of a selection. */
export const LIT = '#a0157a';

/** The largest |v|, ignoring values that are not finite; 0 for no values. */
export function maxAbs(values: ArrayLike<number>): number {
	let max = 0;
	for (let i = 0; i < values.length; i++) {
		const v = Math.abs(values[i]);
		if (Number.isFinite(v) && v > max) max = v;
	}
	return max;
}

/**
 * A diverging scale over [−limit, limit], symmetric around 0 so that a value and its opposite
 * are equally strong. Values beyond the limit are clamped; a limit of 0 paints everything as 0.
 */
export function divergingColour(limit: number): (value: number) => string {
	const l = limit > 0 && Number.isFinite(limit) ? limit : 1;
	const scale = scaleDiverging(piecewise(interpolateLab, [NEGATIVE, ZERO, POSITIVE])).domain([-l, 0, l]).clamp(true);
	return (value) => (Number.isFinite(value) ? scale(value) : ZERO);
}

/** The colour of a weight's sign: blue, orange, or grey for zero. */
export function signColour(value: number): string {
	return value > 0 ? POSITIVE : value < 0 ? NEGATIVE : MUTED;
}

/** Dark text on light cells and white on dark ones, so values stay readable on any colour. */
export function textColourOn(background: string): string {
	return lab(background).l < 58 ? '#ffffff' : INK;
}
