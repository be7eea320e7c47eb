/**
 * Comparisons that a student doing the sum by hand would agree with: 0.1 + 0.2 compared
 * with 0.3 is equal, not greater, so float noise never flips a threshold unit.
 */
const RELATIVE_NOISE = 1e-9;

export function nearlyEqual(a: number, b: number): boolean {
	return Math.abs(a - b) <= RELATIVE_NOISE * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * nearlyEqual(value, 0) in two comparisons (the noise is below 1), for every finite value and NaN:
 * ReLU′ asks it at every cell of a feature map. An infinity is not near 0 (nearlyEqual finds it equal to anything).
 */
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
	// x − x is 0 for a finite x and NaN otherwise: four sums of those, side by side, tell first
	// whether any entry is not finite (every recorded value is checked, and almost always all are)
	let probe0 = 0;
	let probe1 = 0;
	let probe2 = 0;
	let probe3 = 0;
	let i = 0;
	for (; i + 3 < values.length; i += 4) {
		probe0 += values[i] - values[i];
		probe1 += values[i + 1] - values[i + 1];
		probe2 += values[i + 2] - values[i + 2];
		probe3 += values[i + 3] - values[i + 3];
	}
	for (; i < values.length; i++) probe0 += values[i] - values[i];
	if (probe0 + probe1 + probe2 + probe3 === 0) return 0;
	let count = 0;
	for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) count++;
	return count;
}
