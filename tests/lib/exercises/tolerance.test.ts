import { describe, expect, it } from 'vitest';
import { decimalsOf, judge, judgeTensor, sigDigitsOf, widestError, writtenSpread, ZERO_ABS, type Tolerance, type Verdict } from '../../../src/lib/exercises/tolerance';

const ok: Verdict = { correct: true };
const no: Verdict = { correct: false };
const precision: Verdict = { correct: false, reason: 'precision' };

describe('judge', () => {
	it.each<[number, number, Tolerance, Verdict]>([
		// abs: boundary included, just beyond refused, float noise forgiven
		[0.5, 0.495, { abs: 0.005 }, ok],
		[0.5, 0.505, { abs: 0.005 }, ok],
		[0.5001, 0.495, { abs: 0.005 }, no],
		[0.1 + 0.2, 0.3, { abs: 0 }, ok],
		[0.3, 0.1 + 0.2, { abs: 0 }, ok],
		[0.30001, 0.3, { abs: 0 }, no],
		[-0.5933, -0.593276, { abs: 0.0001 }, ok],
		[0.593276, -0.593276, { abs: 0.0001 }, no],
		[1e6 + 0.5, 1e6, { abs: 0.5 }, ok],
		// rel: relative to |e|, for negatives too; e = 0 falls back to ZERO_ABS
		[101, 100, { rel: 0.01 }, ok],
		[99, 100, { rel: 0.01 }, ok],
		[101.01, 100, { rel: 0.01 }, no],
		[-101, -100, { rel: 0.01 }, ok],
		[-102, -100, { rel: 0.01 }, no],
		[0, 0, { rel: 0.01 }, ok],
		[ZERO_ABS, 0, { rel: 0.5 }, ok],
		[1e-6, 0, { rel: 0.5 }, no],
		[0, 1e-17, { rel: 0.01 }, ok],
		// decimals: the rounded value and anything within ½·10^−n; truncation only when it is the rounding
		[0.5933, 0.593276, { decimals: 4 }, ok],
		[0.5932, 0.593276, { decimals: 4 }, no],
		[0.593276, 0.593276, { decimals: 4 }, ok],
		[0.59, 0.593276, { decimals: 4 }, precision],
		[0.6, 0.593276, { decimals: 4 }, precision],
		[0.5, 0.593276, { decimals: 4 }, no],
		[0.5932, 0.59325, { decimals: 4 }, ok],
		[0.5933, 0.59325, { decimals: 4 }, ok],
		[0.5934, 0.59325, { decimals: 4 }, no],
		[-0.5933, -0.593276, { decimals: 4 }, ok],
		[-0.59, -0.593276, { decimals: 4 }, precision],
		[1, 0.99996, { decimals: 4 }, ok],
		[3, 2.6, { decimals: 0 }, ok],
		[2, 2.6, { decimals: 0 }, no],
		[0.5, 0.5, { decimals: 4 }, ok],
		// sig: half a unit of the n-th significant digit of e
		[0.5933, 0.593276, { sig: 4 }, ok],
		[0.5932, 0.593276, { sig: 4 }, no],
		[0.59, 0.593276, { sig: 4 }, precision],
		[1200, 1234, { sig: 2 }, ok],
		[1300, 1234, { sig: 2 }, no],
		[1000, 1234, { sig: 2 }, precision],
		[0.000123, 0.00012345, { sig: 3 }, ok],
		[0.000124, 0.00012345, { sig: 3 }, no],
		[10, 9.9996, { sig: 2 }, ok],
		[-1.23e5, -123456, { sig: 3 }, ok],
		[0, 0, { sig: 3 }, ok],
		[0.001, 0, { sig: 3 }, no],
		// not a number
		[Number.NaN, 0.5, { abs: 1 }, no],
		[Number.POSITIVE_INFINITY, 0.5, { abs: 1 }, no]
	])('%d for %d with %j', (answer, expected, tolerance, verdict) => {
		expect(judge(answer, expected, tolerance)).toEqual(verdict);
	});

	it.each<Tolerance>([{ abs: -1 }, { rel: Number.NaN }, { decimals: 1.5 }, { decimals: -1 }, { sig: 0 }, { sig: 16 }])(
		'throws for the author error %j',
		(tolerance) => expect(() => judge(1, 1, tolerance)).toThrow(RangeError)
	);
});

describe('digits written', () => {
	it.each<[number, number, number]>([
		[0.59, 2, 2],
		[0.5933, 4, 4],
		[12, 0, 2],
		[1200, 0, 2],
		[5e-7, 7, 1],
		[-0.0593, 4, 3],
		[0, 0, 0]
	])('%d: %d decimals, %d significant digits', (x, decimals, sig) => {
		expect(decimalsOf(x)).toBe(decimals);
		expect(sigDigitsOf(x)).toBe(sig);
	});
});

describe('judgeTensor', () => {
	it('says which cells of a matrix are wrong', () => {
		const r = judgeTensor(
			[
				[0.1, 0.45],
				[0.52, 0.6]
			],
			[
				[0.1, 0.45],
				[0.525, 0.6106]
			],
			{ abs: 0.001 }
		);
		expect(r.ok && r.correct).toBe(false);
		if (!r.ok) return;
		expect(r.wrong).toEqual([[1, 0], [1, 1]]);
		expect(r.cells.map((c) => c.correct)).toEqual([true, true, false, false]);
		expect(r.cells[2]).toEqual({ index: [1, 0], answer: 0.52, expected: 0.525, correct: false });
	});

	it('carries the precision reason per cell', () => {
		const r = judgeTensor([0.5933, 0.61], [0.593276, 0.610639], { decimals: 4 });
		expect(r.ok && r.cells.map((c) => c.reason)).toEqual([undefined, 'precision']);
	});

	it('accepts a right matrix, and ignores dimensions of size 1 (one sample, a 1×1 value)', () => {
		expect(judgeTensor([[1, 2]], [[1, 2]], { abs: 0 })).toMatchObject({ ok: true, correct: true, wrong: [] });
		expect(judgeTensor([0.1, 0.45], [[0.1, 0.45]], { abs: 0 })).toMatchObject({ ok: true, correct: true });
		expect(judgeTensor(0.5, [[0.5]], { abs: 0 })).toMatchObject({ ok: true, correct: true });
		const r = judgeTensor([0.1, 0.4], [[0.1, 0.45]], { abs: 0 });
		expect(r.ok && r.wrong).toEqual([[0, 1]]);
	});

	it.each<[Parameters<typeof judgeTensor>[0], Parameters<typeof judgeTensor>[1], RegExp]>([
		[[[1, 2, 3]], [[1, 2], [3, 4]], /^expected a 2×2 matrix, got a 1×3 matrix$/],
		[[1, 2, 3], [[1, 2], [3, 4]], /^expected a 2×2 matrix, got a vector of 3$/],
		[1, [1, 2], /^expected a vector of 2, got a number$/],
		[[[1, 2], [3]], [[1, 2], [3, 4]], /rows differ in length/]
	])('shape mismatch: %j for %j', (answer, expected, message) => {
		const r = judgeTensor(answer, expected, { abs: 0.1 });
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toMatch(message);
	});
});

describe('how far a kept value may be from what the student wrote', () => {
	it.each<[string, number, Tolerance, number]>([
		['0,0088 at 4 decimals: [0,00875 ; 0,00885]', 0.0088, { decimals: 4 }, 0.00005],
		['0,088 for 0,0880 (a zero left out): no wider than 4 decimals allow', 0.088, { decimals: 4 }, 0.00005],
		['0,09 where 4 decimals are asked: not rounded that far', 0.09, { decimals: 4 }, 0.00005],
		['0,12345 written with more digits than asked', 0.12345, { decimals: 4 }, 0.000005],
		['an integer where values are exact: nothing', 1, { abs: 0 }, 0],
		['1,25 under abs 0,01', 1.25, { abs: 0.01 }, 0.005],
		['0,593 at 3 significant digits', 0.593, { sig: 3 }, 0.0005],
		['12,5 under rel 1 %', 12.5, { rel: 0.01 }, 0.05]
	])('%s', (_, written, tolerance, spread) => {
		expect(writtenSpread(written, tolerance)).toBeCloseTo(spread, 15);
	});

	it('is the bound judge uses', () => {
		expect(widestError(0.5933, { decimals: 4 })).toBeCloseTo(0.00005, 15);
		expect(widestError(0, { rel: 0.1 })).toBe(ZERO_ABS);
		expect(widestError(1234, { sig: 2 })).toBeCloseTo(50, 10);
	});
});
