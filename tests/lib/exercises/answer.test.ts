import { describe, expect, it } from 'vitest';
import { ANSWER_LIMITS, parseAnswer, type Expect, type FailReason } from '../../../src/lib/exercises/answer';
import { unreadableText } from '../../../src/lib/exercises/feedback-text';

const sig = 1 / (1 + Math.exp(-0.45));

// [input, expected kind, value]: numbers, vectors and matrices as students type them.
const accepted: [string, Expect, number | number[] | number[][]][] = [
	['0,5933', 'number', 0.5933],
	['0.5933', 'number', 0.5933],
	['-0,25', 'number', -0.25],
	['5.933e-1', 'number', 0.5933],
	['5,933e-1', 'number', 0.5933],
	['5,933E-1', 'number', 0.5933],
	['\u22120.5', 'number', -0.5],
	['\u2212 0,5', 'number', -0.5],
	['.5', 'number', 0.5],
	['  42  ', 'number', 42],
	['1e-400', 'number', 0],
	['2e+3', 'number', 2000],
	['3/4', 'number', 0.75],
	['-3/4', 'number', -0.75],
	['1/(1+exp(-0.45))', 'number', sig],
	['1/(1+exp(-0,45))', 'number', sig],
	['1 / (1 + exp(\u22120,45))', 'number', sig],
	['2^3', 'number', 8],
	['2**3', 'number', 8],
	['2^3^2', 'number', 512],
	['-2^2', 'number', -4],
	['2^-1', 'number', 0.5],
	['(1+2)*3', 'number', 9],
	['1+2*3', 'number', 7],
	['2×3', 'number', 6],
	['6÷4', 'number', 1.5],
	['2·0,5', 'number', 1],
	['e', 'number', Math.E],
	['pi', 'number', Math.PI],
	['π/2', 'number', Math.PI / 2],
	['ln(e)', 'number', 1],
	['log(e^2)', 'number', 2],
	['LN(1)', 'number', 0],
	['sqrt(2)', 'number', Math.SQRT2],
	['tanh(0,5)', 'number', Math.tanh(0.5)],
	['exp(1)', 'number', Math.E],
	['1 234,5', 'number', 1234.5],
	['1\u202f234\u202f567', 'number', 1234567],
	['--1', 'number', 1],
	['[0.5]', 'number', 0.5],
	['[0.5, 0.25]', 'vector', [0.5, 0.25]],
	['[0.5,0.25]', 'vector', [0.5, 0.25]],
	['(0,5 ; 0,25)', 'vector', [0.5, 0.25]],
	['0,5 ; 0,25', 'vector', [0.5, 0.25]],
	['[0,5; 0,25]', 'vector', [0.5, 0.25]],
	['[1, 2, 3]', 'vector', [1, 2, 3]],
	['1 2 3', 'vector', [1, 2, 3]],
	['1 -2 3/4', 'vector', [1, -2, 0.75]],
	['0,5', 'vector', [0.5]],
	['[1/(1+exp(-0.45)), tanh(0.1)]', 'vector', [sig, Math.tanh(0.1)]],
	['1\n2\n3', 'vector', [1, 2, 3]],
	['[[1, 2], [3, 4]]', 'matrix', [[1, 2], [3, 4]]],
	['[[1,2],[3,4]]', 'matrix', [[1, 2], [3, 4]]],
	['[[-1,1]]', 'matrix', [[-1, 1]]],
	['[[0,1]]', 'vector', [0, 1]],
	['[[0.5, -1], [2e-1, 3/4]]', 'matrix', [[0.5, -1], [0.2, 0.75]]],
	['1 2\n3 4', 'matrix', [[1, 2], [3, 4]]],
	['1; 2 | 3; 4', 'matrix', [[1, 2], [3, 4]]],
	['0,5; 1,5\n\n-2; 2,5\n', 'matrix', [[0.5, 1.5], [-2, 2.5]]],
	['[0,5; 1] | [2; 3]', 'matrix', [[0.5, 1], [2, 3]]],
	['1 (2+1)\n-1 2^2', 'matrix', [[1, 3], [-1, 4]]],
	['[1, 2]', 'matrix', [[1, 2]]],
	['7', 'matrix', [[7]]],
	// Signs, the functions of the course.
	['+0,5', 'number', 0.5],
	['+ 2', 'number', 2],
	['sigmoid(0.45)', 'number', sig],
	['σ(0,45)', 'number', sig],
	['Sigmoid(0.45)', 'number', sig],
	['2 × σ(0.45)', 'number', 2 * sig],
	['sigmoid(-1000)', 'number', 0],
	['sigmoid(1000)', 'number', 1],
	['relu(-2)', 'number', 0],
	['relu(0,5)', 'number', 0.5],
	['relu(0,5)', 'vector', [0.5]],
	['relu(3) - relu(-3)', 'number', 3],
	['tanh(relu(-1))', 'number', 0],
	// Precedence and associativity survive the trip through mathjs.
	['1 - -2', 'number', 3],
	['2*-3', 'number', -6],
	['-(1+2)^2', 'number', -9],
	['2^-2^2', 'number', 1 / 16],
	['(2^3)^2', 'number', 64],
	['2/2/2', 'number', 0.5],
	['2-(3-4)', 'number', 3],
	['.5+.5', 'number', 1],
	// Thousands separators: several separators with groups of three, or no-break/thin spaces.
	['1,234.5', 'number', 1234.5],
	['1.234,5', 'number', 1234.5],
	['1,234', 'number', 1.234],
	['1.234', 'number', 1.234],
	['1,234,567', 'number', 1234567],
	['1.234.567,89', 'number', 1234567.89],
	['12,345.678', 'number', 12345.678],
	['1,234.5e-3', 'number', 1.2345],
	['1 234 567', 'number', 1234567],
	['-1 234,5', 'number', -1234.5],
	['1\u00a0234,5', 'number', 1234.5],
	['1\u2009234\u2009567', 'number', 1234567],
	['1\u00a0234,5; 2', 'vector', [1234.5, 2]],
	['1.234,5; 2,5', 'vector', [1234.5, 2.5]],
	['0.5; 0,25', 'vector', [0.5, 0.25]],
	// Spreadsheet pastes: tabs between cells, line breaks between rows.
	['0,1\t0,2\n0,3\t0,4\n', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['0,1\t0,2\r\n0,3\t0,4\r\n', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['0,1\t0,2\t\n0,3\t0,4\t\n', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['0.1\t0.2\n0.3\t0.4', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['1 234,5\t2\n3\t-4', 'matrix', [[1234.5, 2], [3, -4]]],
	['1,234.5\t2', 'vector', [1234.5, 2]],
	['0,1\t0,2\t0,3', 'vector', [0.1, 0.2, 0.3]],
	['0,1\n0,2\n0,3\n', 'vector', [0.1, 0.2, 0.3]],
	['0,1\r\n0,2\r\n', 'vector', [0.1, 0.2]],
	// Matrices with rows separated by `;` or line breaks when commas separate entries.
	['[[0.1, 0.2], [0.3, 0.4]]', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['[[0.1, 0.2],\n [0.3, 0.4]]', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['[\n[1, 2],\n[3, 4]\n]', 'matrix', [[1, 2], [3, 4]]],
	['[0.1, 0.2; 0.3, 0.4]', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['0.1, 0.2; 0.3, 0.4', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['0.1, 0.2\n0.3, 0.4', 'matrix', [[0.1, 0.2], [0.3, 0.4]]],
	['1, 2; 3, 4', 'matrix', [[1, 2], [3, 4]]],
	['0,1; 0,2\n0,3; 0,4', 'matrix', [[0.1, 0.2], [0.3, 0.4]]]
];

// [input, expected kind, reason]: refused inputs, hostile ones included.
const refused: [string, Expect, FailReason][] = [
	['', 'number', 'empty'],
	['   \n ', 'number', 'empty'],
	['[]', 'vector', 'empty'],
	['import("fs")', 'number', 'not-allowed'],
	['evaluate("1")', 'number', 'not-allowed'],
	['parse("1")', 'number', 'not-allowed'],
	['createUnit("x")', 'number', 'not-allowed'],
	['f(x)=x', 'number', 'not-allowed'],
	['a=1', 'number', 'not-allowed'],
	['x', 'number', 'not-allowed'],
	['"text"', 'number', 'not-allowed'],
	["'text'", 'number', 'not-allowed'],
	['5 cm', 'number', 'not-allowed'],
	['det([1])', 'number', 'not-allowed'],
	['{1}', 'number', 'not-allowed'],
	['1%', 'number', 'not-allowed'],
	['2pi', 'number', 'syntax'],
	['1/0', 'number', 'not-finite'],
	['0/0', 'number', 'not-finite'],
	['log(0)', 'number', 'not-finite'],
	['sqrt(-1)', 'number', 'not-finite'],
	['1e400', 'number', 'not-finite'],
	['9^9^9^9', 'number', 'not-finite'],
	['10^400', 'number', 'not-finite'],
	['exp(1000)', 'number', 'not-finite'],
	['NaN', 'number', 'not-finite'],
	['Infinity', 'number', 'not-finite'],
	['-inf', 'number', 'not-finite'],
	['∞', 'number', 'not-finite'],
	['1'.repeat(100_000), 'number', 'too-long'],
	['('.repeat(10_000) + '1' + ')'.repeat(10_000), 'number', 'too-long'],
	['('.repeat(500) + '1' + ')'.repeat(500), 'number', 'too-long'],
	['-'.repeat(1000) + '1', 'number', 'too-long'],
	['2^'.repeat(900) + '2', 'number', 'too-long'],
	['[1, [2]]', 'vector', 'shape'],
	['[[[1]]]', 'matrix', 'shape'],
	['[[1, 2], [3]]', 'matrix', 'shape'],
	['1 2\n3', 'matrix', 'shape'],
	['[1, 2]', 'number', 'syntax'],
	['[1; 2]', 'number', 'shape'],
	['1; 2', 'number', 'shape'],
	['1 2\n3 4', 'vector', 'shape'],
	['1 + [2]', 'number', 'shape'],
	['[1,2]', 'vector', 'syntax'],
	['1,2,3', 'vector', 'syntax'],
	['0,5, 2', 'number', 'syntax'],
	['1 2', 'number', 'syntax'],
	['12 34', 'number', 'syntax'],
	['1 - 2', 'vector', 'syntax'],
	['(1+2', 'number', 'syntax'],
	['1+', 'number', 'syntax'],
	['1.', 'number', 'syntax'],
	['exp 1', 'number', 'syntax'],
	['1;;2', 'vector', 'syntax'],
	['[1; 2', 'vector', 'syntax'],
	['[1; 2] 3', 'vector', 'syntax'],
	// Hostile or out-of-vocabulary input: names are looked up in a whitelist, never evaluated.
	['import({})', 'number', 'not-allowed'],
	['evaluate("1+1")', 'number', 'not-allowed'],
	['simplify("x")', 'number', 'not-allowed'],
	['x = 3', 'number', 'not-allowed'],
	['"abc"', 'number', 'not-allowed'],
	['{}', 'number', 'not-allowed'],
	['__proto__', 'number', 'not-allowed'],
	['constructor', 'number', 'not-allowed'],
	['toString', 'number', 'not-allowed'],
	['sin(1)', 'number', 'not-allowed'],
	['Σ(1)', 'number', 'not-allowed'],
	['1 ? 2 : 3', 'number', 'not-allowed'],
	['1:3', 'number', 'not-allowed'],
	['2 == 2', 'number', 'not-allowed'],
	['[1,2]+[3,4]', 'vector', 'syntax'],
	['[1, 2]+[3, 4]', 'vector', 'syntax'],
	['sigmoid(1, 2)', 'number', 'syntax'],
	['sigmoid(1, 2)', 'vector', 'syntax'],
	['exp', 'number', 'syntax'],
	['relu()', 'number', 'syntax'],
	['1 + 2)', 'number', 'syntax'],
	['1e999999', 'number', 'not-finite'],
	['log(-1)', 'number', 'not-finite'],
	['(-8)^(1/3)', 'number', 'not-finite'],
	['1/(1/0)', 'number', 'not-finite'],
	['exp(1000) - exp(1000)', 'number', 'not-finite'],
	['('.repeat(100_000), 'number', 'too-long'],
	// Numbers that no thousands rule can read.
	['1,23.4', 'number', 'syntax'],
	['1.234.5', 'number', 'syntax'],
	['1,5,5', 'number', 'syntax'],
	['1234,567.8', 'number', 'syntax'],
	['1 234.567,8', 'number', 'syntax'],
	// Spreadsheet pastes with a hole or a ragged row.
	['0,1\t\t0,2', 'vector', 'syntax'],
	['0,1\t0,2\n0,3', 'matrix', 'shape'],
	['[0.1, 0.2; 0.3]', 'matrix', 'shape']
];

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

describe('parseAnswer reads what students type', () => {
	it('is checked on at least 80 accepted answers', () => expect(accepted.length).toBeGreaterThanOrEqual(80));

	it.each(accepted)('reads %j when a %s is expected', (input, kind, want) => {
		const r = parseAnswer(input, kind);
		if (!r.ok) throw new Error(`refused: ${r.reason} ${unreadableText(r.why, 'en')} at ${r.at}`);
		expect(r.kind).toBe(kind);
		if (r.kind === 'number') {
			expect(close(r.value, want as number)).toBe(true);
		} else if (r.kind === 'vector') {
			const w = want as number[];
			expect(r.values).toHaveLength(w.length);
			r.values.forEach((v, i) => expect(close(v, w[i]), `entry ${i}: ${v}`).toBe(true));
		} else {
			const w = want as number[][];
			expect(r.rows.map((row) => row.length)).toEqual(w.map((row) => row.length));
			r.rows.forEach((row, i) => row.forEach((v, j) => expect(close(v, w[i][j])).toBe(true)));
		}
	});
});

describe('parseAnswer refuses what it cannot read (invalid is not wrong)', () => {
	it('is checked on at least 80 refused answers', () => expect(refused.length).toBeGreaterThanOrEqual(80));

	it.each(refused.map(([s, k, r]) => [s.length > 60 ? `${s.slice(0, 20)}… (${s.length} chars)` : s, k, r, s] as const))(
		'refuses %j when a %s is expected, as %s',
		(_label, kind, reason, input) => {
			const r = parseAnswer(input, kind);
			expect(r.ok).toBe(false);
			if (r.ok) return;
			expect(r.reason).toBe(reason);
			expect(unreadableText(r.why, 'fr').trim().length).toBeGreaterThan(0);
			expect(unreadableText(r.why, 'en').trim().length).toBeGreaterThan(0);
			if (r.at !== undefined) {
				expect(r.at).toBeGreaterThanOrEqual(0);
				expect(r.at).toBeLessThanOrEqual(input.length);
			}
		}
	);
});

describe('parseAnswer explains its refusals', () => {
	it('names the refused token and where it is', () => {
		const r = parseAnswer('1 + import("fs")', 'number');
		expect(r).toMatchObject({ ok: false, reason: 'not-allowed', at: 4 });
		if (!r.ok) {
			expect(unreadableText(r.why, 'en')).toContain('import');
			expect(unreadableText(r.why, 'fr')).toContain('import');
		}
	});

	it('points at the failing operator', () => {
		expect(parseAnswer('2 + 1/0', 'number')).toMatchObject({ ok: false, reason: 'not-finite', at: 5 });
	});

	// [input, expected kind, the part the message must quote, its offset]
	const unreadable: [string, Expect, string, number][] = [
		['1 + import("fs")', 'number', 'import', 4],
		['0,5 + x', 'number', 'x', 6],
		['2 # 3', 'number', '#', 2],
		['"abc"', 'number', '"', 0],
		['5 cm', 'number', 'cm', 2],
		['1,23.4', 'number', '1,23.4', 0],
		['1e999999', 'number', '1e999999', 0],
		['1 2', 'number', '2', 2],
		['exp 1', 'number', 'exp', 4],
		['1 + )', 'number', ')', 4],
		['[1; 2] 3', 'vector', '3', 7],
		['1;;2', 'vector', ';', 2],
		['sigmoid(1, 2)', 'vector', 'sigmoid', 9],
		['2 + 1/0', 'number', '1/0', 5],
		['1 + log(-1)', 'number', 'log(-1)', 4],
		['(-8)^(1/3)', 'number', '(-8)^(1/3)', 4],
		['[1,2]', 'vector', '[1,2]', 2]
	];

	it.each(unreadable)('quotes the part of %j it could not read (as a %s): %j at %i', (input, kind, part, at) => {
		const r = parseAnswer(input, kind);
		expect(r).toMatchObject({ ok: false, at });
		if (r.ok) return;
		expect(unreadableText(r.why, 'fr')).toContain(`« ${part} »`);
		expect(unreadableText(r.why, 'en')).toContain(`"${part}"`);
	});

	it('says a missing entry is missing, before which separator', () => {
		const r = parseAnswer('0,1\t\t0,2', 'vector');
		expect(r).toMatchObject({ ok: false, reason: 'syntax', at: 4 });
		if (!r.ok) expect(unreadableText(r.why, 'en')).toMatch(/^Missing entry before "\t"/);
	});

	it('says that a function takes a single argument', () => {
		const r = parseAnswer('sigmoid(1, 2)', 'number');
		expect(r).toMatchObject({ ok: false, reason: 'syntax', at: 9 });
		if (!r.ok) expect(unreadableText(r.why, 'fr')).toBe('« sigmoid » prend un seul argument.');
	});

	// The length bound is checked before any parsing, so these never reach mathjs or the stack limit.
	it('refuses a 100,000-character paste and 10,000 nested parentheses as too long', () => {
		for (const input of ['9'.repeat(100_000), '('.repeat(10_000) + '1' + ')'.repeat(10_000), 'exp('.repeat(25_000)]) {
			expect(parseAnswer(input, 'number')).toMatchObject({ ok: false, reason: 'too-long' });
		}
	});

	it('refuses nesting too deep for the bound even within the length limit, without a stack overflow', () => {
		for (const input of ['exp('.repeat(60) + '1' + ')'.repeat(60), 'σ(-'.repeat(60) + '1' + ')'.repeat(60)]) {
			expect(parseAnswer(input, 'number')).toMatchObject({ ok: false, reason: 'too-long' });
		}
	});

	it('evaluates a long sum of entries within the bounds', () => {
		const r = parseAnswer(Array(400).fill('0,5').join('+'), 'number');
		expect(r).toEqual({ ok: true, kind: 'number', value: 200 });
	});

	it('refuses over-long input before doing any work', () => {
		const r = parseAnswer('1;'.repeat(ANSWER_LIMITS.maxLength), 'vector');
		expect(r).toMatchObject({ ok: false, reason: 'too-long' });
	});

	it('accepts the longest allowed input and many entries', () => {
		const n = ANSWER_LIMITS.maxLength / 2;
		const r = parseAnswer('1;'.repeat(n - 1) + '1', 'vector');
		expect(r.ok && r.kind === 'vector' ? r.values.length : -1).toBe(n);
	});

	it('accepts nesting within the depth bound', () => {
		const r = parseAnswer('('.repeat(20) + '1' + ')'.repeat(20), 'number');
		expect(r).toEqual({ ok: true, kind: 'number', value: 1 });
	});

	it('never accepts Infinity or NaN on random hostile strings', () => {
		const alphabet = ['9', '^', '(', ')', '-', '/', '0', 'e', 'exp', ';', ',', '.', '[', ']', ' ', '\n', '*'];
		let seed = 12345;
		const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		for (let k = 0; k < 2000; k++) {
			let s = '';
			const len = 1 + Math.floor(rand() * 30);
			for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
			for (const kind of ['number', 'vector', 'matrix'] as const) {
				const r = parseAnswer(s, kind);
				if (!r.ok) continue;
				const values = r.kind === 'number' ? [r.value] : r.kind === 'vector' ? r.values : r.rows.flat();
				for (const v of values) expect(Number.isFinite(v), s).toBe(true);
			}
		}
	});
});
