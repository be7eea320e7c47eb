/**
 * Comparisons that a student doing the sum by hand would agree with: 0.1 + 0.2 compared
 * with 0.3 is equal, not greater, so float noise never flips a threshold unit.
 */
const RELATIVE_NOISE = 1e-9;

export function nearlyEqual(a: number, b: number): boolean {
	return Math.abs(a - b) <= RELATIVE_NOISE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** nearlyEqual(value, 0) in two comparisons (the noise is below 1): ReLU′ asks it at every cell of a feature map. */
export function nearZero(value: number): boolean {
	return value >= -RELATIVE_NOISE && value <= RELATIVE_NOISE;
}

/** `value > threshold`, or `value ≥ threshold` when not strict, ignoring float noise. */
export function crosses(value: number, threshold: number, strict: boolean): boolean {
	if (nearlyEqual(value, threshold)) return !strict;
	return value > threshold;
}

/** How many entries are NaN or infinite. */
export function countNonFinite(values: ArrayLike<number>): number {
	let count = 0;
	for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
	return count;
}
