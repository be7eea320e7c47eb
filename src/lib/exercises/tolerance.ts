/**
 * Judging a numeric answer against the expected value, the way a course states precision.
 *
 * Rules (every bound also allows float noise: 8 ulps of the larger magnitude, at least of 1,
 * so that 0.1 + 0.2 is 0.3 even with `{ abs: 0 }`):
 * - `abs`: |a − e| ≤ abs.
 * - `rel`: |a − e| ≤ rel·|e|; when e is exactly 0 no relative bound exists, so |a| ≤ ZERO_ABS (1e-9).
 * - `decimals: n` ("rounded to n decimals"): |a − e| ≤ ½·10^−n, i.e. the correctly rounded value and
 *   anything as close. A truncated value passes only when it is also the rounded one
 *   (0.5933 passes for 0.593276 at 4 decimals, 0.5932 does not).
 * - `sig: n` (n significant digits): |a − e| ≤ ½ unit of the n-th significant digit of e;
 *   for e = 0, |a| ≤ ZERO_ABS.
 * An answer refused under `decimals`/`sig` but written with fewer digits than asked, and right
 * at the precision it was written with (0.59 for 0.593276 at 4 decimals), is still wrong, with
 * `reason: 'precision'` so that feedback can say "give 4 decimals" instead of "wrong".
 */
import { flattenNested, indexOf, shapeLabel, type NestedNumbers } from '../engine/tensor';

export type Tolerance = { abs: number } | { rel: number } | { decimals: number } | { sig: number };

export interface Verdict {
	correct: boolean;
	/** the answer is right only at the fewer digits it was given with */
	reason?: 'precision';
}

/** The absolute bound used by `rel` and `sig` when the expected value is exactly zero. */
export const ZERO_ABS = 1e-9;

function noise(a: number, e: number): number {
	return 8 * Number.EPSILON * Math.max(1, Math.abs(a), Math.abs(e));
}

/** Throws for a tolerance an exercise author got wrong: it is the file that must be fixed, not the answer. */
export function checkTolerance(tolerance: Tolerance): void {
	if ('abs' in tolerance || 'rel' in tolerance) {
		const bound = 'abs' in tolerance ? tolerance.abs : tolerance.rel;
		if (!Number.isFinite(bound) || bound < 0) throw new RangeError(`tolerance ${JSON.stringify(tolerance)}: the bound must be a number ≥ 0`);
		return;
	}
	const digits = 'decimals' in tolerance ? tolerance.decimals : tolerance.sig;
	const least = 'decimals' in tolerance ? 0 : 1;
	if (!Number.isInteger(digits) || digits < least || digits > 15) {
		throw new RangeError(`tolerance ${JSON.stringify(tolerance)}: the digits must be a whole number from ${least} to 15`);
	}
}

export function judge(answer: number, expected: number, tolerance: Tolerance): Verdict {
	checkTolerance(tolerance);
	if (!Number.isFinite(answer) || !Number.isFinite(expected)) return { correct: answer === expected };
	const diff = Math.abs(answer - expected);
	const within = (bound: number): boolean => diff <= bound + noise(answer, expected);
	if (within(widestError(expected, tolerance))) return { correct: true };
	if ('decimals' in tolerance) {
		const given = decimalsOf(answer);
		// a bare 0 is not a rounding of 0.14, it is a wrong value
		return answer !== 0 && given < tolerance.decimals && within(halfUnit(-given)) ? { correct: false, reason: 'precision' } : { correct: false };
	}
	if ('sig' in tolerance && expected !== 0) {
		const given = sigDigitsOf(answer);
		return given > 0 && given < tolerance.sig && within(halfUnit(leadingExponent(expected) - given + 1)) ? { correct: false, reason: 'precision' } : { correct: false };
	}
	return { correct: false };
}

/** The widest error the tolerance accepts around `expected` (float noise aside). */
export function widestError(expected: number, tolerance: Tolerance): number {
	if ('abs' in tolerance) return tolerance.abs;
	if ('rel' in tolerance) return expected === 0 ? ZERO_ABS : tolerance.rel * Math.abs(expected);
	if ('decimals' in tolerance) return halfUnit(-tolerance.decimals);
	return expected === 0 ? ZERO_ABS : halfUnit(leadingExponent(expected) - tolerance.sig + 1);
}

/**
 * How far from what a student wrote the value they kept on their calculator may be: half a unit
 * of the last digit written (0.0088 stands for [0.00875, 0.00885]), no wider than the question's
 * tolerance (a value written with fewer digits than asked was not rounded that far).
 */
export function writtenSpread(written: number, tolerance: Tolerance): number {
	if (!Number.isFinite(written)) return 0;
	return Math.min(halfUnit(-decimalsOf(written)), widestError(written, tolerance));
}

/** ½·10^k, the widest error of a value correctly rounded at the digit of weight 10^k. */
function halfUnit(k: number): number {
	return 0.5 * 10 ** k;
}

/** Exponent of the leading digit: 3 for 1234, −2 for 0.0593. Corrected for log10's rounding near powers of ten. */
function leadingExponent(x: number): number {
	const e = Math.floor(Math.log10(Math.abs(x)));
	if (10 ** (e + 1) <= Math.abs(x)) return e + 1;
	if (10 ** e > Math.abs(x)) return e - 1;
	return e;
}

/** Digits and exponent of the shortest decimal that reads back as x (what the student typed, for a parsed number). */
function decimalParts(x: number): { digits: string; exponent: number } {
	const [mantissa, exp = '0'] = Math.abs(x).toExponential().split('e');
	return { digits: mantissa.replace('.', ''), exponent: Number(exp) };
}

/** Decimals written: 2 for 0.59, 0 for 12, 7 for 5e-7. */
export function decimalsOf(x: number): number {
	if (!Number.isFinite(x) || x === 0) return 0;
	const { digits, exponent } = decimalParts(x);
	return Math.max(0, digits.length - 1 - exponent);
}

/** Significant digits written: 4 for 0.5933, 2 for 1200 (trailing zeros of a whole number do not count). */
export function sigDigitsOf(x: number): number {
	if (!Number.isFinite(x) || x === 0) return 0;
	return decimalParts(x).digits.replace(/0+$/, '').length;
}

export interface CellVerdict extends Verdict {
	/** where the cell is, 0-based, in the expected value's shape */
	index: number[];
	answer: number;
	expected: number;
}

export type TensorVerdict =
	| { ok: true; correct: boolean; cells: CellVerdict[]; wrong: number[][] }
	| { ok: false; correct: false; message: string };

/** Shape of nested lists, or null when they are ragged or hold something else than numbers. */
export function shapeOfNested(value: NestedNumbers): number[] | null {
	if (typeof value === 'number') return [];
	if (!Array.isArray(value) || value.length === 0) return Array.isArray(value) ? [0] : null;
	const inner = shapeOfNested(value[0]);
	if (inner === null) return null;
	for (const item of value) {
		const shape = shapeOfNested(item);
		if (shape === null || shape.join() !== inner.join()) return null;
	}
	return [value.length, ...inner];
}

/**
 * Judges a vector or matrix answer cell by cell, so feedback can point at the wrong cells.
 * Dimensions of size 1 are ignored when comparing shapes: a batch of one sample, [[0.1, 0.45]],
 * may be answered [0.1, 0.45], and a 1×1 value by a number. Any other difference is a shape
 * message, not a verdict per cell.
 */
export function judgeTensor(answer: NestedNumbers, expected: NestedNumbers, tolerance: Tolerance): TensorVerdict {
	checkTolerance(tolerance);
	const expectedShape = shapeOfNested(expected);
	if (expectedShape === null) throw new RangeError('the expected value is not a regular tensor');
	const answerShape = shapeOfNested(answer);
	if (answerShape === null) return { ok: false, correct: false, message: 'the answer is not a regular vector or matrix: its rows differ in length' };
	const squeeze = (shape: number[]): string => shape.filter((d) => d !== 1).join();
	if (squeeze(answerShape) !== squeeze(expectedShape)) {
		return { ok: false, correct: false, message: `expected ${describeShape(expectedShape)}, got ${describeShape(answerShape)}` };
	}
	const a = flattenNested(answer);
	const e = flattenNested(expected);
	const cells = e.map((value, i): CellVerdict => ({ index: indexOf(expectedShape, i), answer: a[i], expected: value, ...judge(a[i], value, tolerance) }));
	const wrong = cells.filter((cell) => !cell.correct).map((cell) => cell.index);
	return { ok: true, correct: wrong.length === 0, cells, wrong };
}

function describeShape(shape: readonly number[]): string {
	if (shape.length === 0) return 'a number';
	if (shape.length === 1) return `a vector of ${shape[0]}`;
	return `a ${shapeLabel(shape)} ${shape.length === 2 ? 'matrix' : 'tensor'}`;
}
