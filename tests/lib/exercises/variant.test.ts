import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findEvent } from '../../../src/lib/engine/trace';
import { parseExercise, type Exercise } from '../../../src/lib/exercises/exercise';
import { givenOf, renderStatement, texValue } from '../../../src/lib/exercises/statement';
import { PROFILES } from '../../../src/lib/profiles';
import { drawVariant, MAX_DRAWS, seedOf } from '../../../src/lib/exercises/variant';

function exerciseOf(text: string, file: string): Exercise {
	const parsed = parseExercise(text, file);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	return parsed.exercise;
}
const backprop = exerciseOf(readFileSync(new URL('../../../exercises/backprop-221.yaml', import.meta.url), 'utf8'), 'backprop-221.yaml');

function drawn(exercise: Exercise, student: string, seed = '') {
	const result = drawVariant(exercise, student, seed);
	if (!result.ok) throw new Error(result.message);
	return result.variant;
}

describe('per-student numbers', () => {
	it('gives a student the same numbers every time', () => {
		expect(drawn(backprop, 'alice').drawn).toEqual(drawn(backprop, 'alice').drawn);
		expect(drawn(backprop, 'alice').expected).toEqual(drawn(backprop, 'alice').expected);
	});

	it('gives different students different numbers', () => {
		const variants = Array.from({ length: 40 }, (_, i) => JSON.stringify(drawn(backprop, `student-${i}`).drawn));
		expect(new Set(variants).size).toBe(40);
	});

	it('gives another set of numbers under another assignment seed', () => {
		expect(drawn(backprop, 'alice', 'td-3').drawn).not.toEqual(drawn(backprop, 'alice').drawn);
		expect(drawn(backprop, 'alice', 'td-3').drawn).toEqual(drawn(backprop, 'alice', 'td-3').drawn);
	});

	it('keeps the parts of the seed apart', () => {
		expect(seedOf(['ab', 'c'])).not.toBe(seedOf(['a', 'bc']));
		expect(seedOf(['backprop-221', 'alice', ''])).toBe(seedOf(['backprop-221', 'alice', '']));
	});

	it('keeps the file’s own numbers when the exercise has no vary', () => {
		const fixed = exerciseOf(readFileSync(new URL('../../../exercises/conv-output-size.yaml', import.meta.url), 'utf8'), 'conv-output-size.yaml');
		const variant = drawn(fixed, 'anyone');
		expect(variant.scenario).toBe(fixed.scenario);
		expect(variant.drawn).toEqual({});
	});
});

const RELU = (range: string) => `id: relu
title: { fr: ReLU, en: ReLU }
statement: { fr: "$w = {{W[1]}}$", en: "$w = {{W[1]}}$" }
topic: activations
notation: bracket
scenario:
  model:
    input: 1
    layers:
      - { type: dense, units: 1, activation: relu, W: [[1]], b: [0] }
  data: { X: [[1]] }
vary:
  "W[1]": ${range}
  "b[1]": { range: [-1, 1], step: 1 }
questions:
  - { ask: "A[1]", step: 1 }
`;

describe('degenerate draws', () => {
	it('redraws numbers that put a ReLU input at 0, and never hands them out', () => {
		const exercise = exerciseOf(RELU('{ range: [-1, 1], step: 1 }'), 'relu.yaml');
		let rejected = 0;
		for (let i = 0; i < 100; i++) {
			const result = drawVariant(exercise, `s${i}`);
			if (!result.ok) throw new Error(result.message);
			rejected += result.rejected.length;
			expect(result.rejected.every((r) => r.code === 'relu-at-zero')).toBe(true);
			expect(findEvent(result.variant.trace, 1, 'Z[1]')?.value.data[0]).not.toBe(0);
		}
		expect(rejected).toBeGreaterThan(10);
	});

	it('says so when no draw can be used', () => {
		const exercise = exerciseOf(RELU('{ choices: [0, 0] }').replace('{ range: [-1, 1], step: 1 }', '{ choices: [0, 0] }'), 'relu.yaml');
		const result = drawVariant(exercise, 'anyone');
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.rejected).toHaveLength(MAX_DRAWS);
			expect(result.message).toBe(
				'no usable numbers in 200 draws; the last: a ReLU input is exactly 0 (its derivative is a convention there: 0, or 1 in course 003): Z[1] entry 1 at step 1 (`allow: [relu-at-zero]` accepts it)'
			);
		}
	});
});

describe('statements with the student’s numbers', () => {
	it('writes the variant’s values in TeX, with the decimal comma in French', () => {
		const variant = drawn(backprop, 'alice');
		const W = (variant.drawn['W[1]'] as number[][]).flat();
		const fr = renderStatement(backprop.statement.fr, variant.scenario, 'fr');
		const en = renderStatement(backprop.statement.en, variant.scenario, 'en');
		expect(fr).not.toContain('{{');
		expect(en).toContain(`W^{[1]} = \\begin{pmatrix} ${W[0]} & ${W[1]} \\\\ ${W[2]} & ${W[3]} \\end{pmatrix}`.replace(/-/g, '-'));
		expect(fr).toContain(`\\begin{pmatrix} ${String(W[0]).replace('.', '{,}')} & `);
	});

	it.each([
		['neutral', 'b^{[1]} = $(0{,}1 ;\\ -0{,}2)$', 'X = $\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$'],
		['003', 'b^{[1]} = $\\begin{pmatrix} 0{,}1 \\\\ -0{,}2 \\end{pmatrix}$', 'X = $\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}$']
	] as const)('writes a whole quantity in the layout of the %s profile, as its key', (profile, b, X) => {
		const scenario = { model: { input: 2, layers: [{ type: 'dense', units: 2, activation: 'sigmoid', W: [[1, 0], [0, 1]], b: [0.1, -0.2] }] }, data: { X: [[1, 2], [3, 4]] } };
		const text = 'b^{[1]} = ${{b[1]}}$, X = ${{A[0]}}$, x = ${{A[0][0]}}$';
		const written = renderStatement(text, scenario, 'fr', PROFILES[profile].layout);
		expect(written).toContain(b);
		expect(written).toContain(X);
		// one instance stays a vector in every layout
		expect(written).toContain('x = $(1 ;\\ 2)$');
	});

	it('gives the formulas of the statement that hold numbers, with the variant’s, for the answer key', () => {
		const scenario = { model: { input: 2, layers: [{ type: 'dense', units: 2, activation: 'sigmoid', W: [[1, 0], [0, 1]], b: [0.1, -0.2] }] }, data: { X: [[1, 2]], Y: [[1]] } };
		const text = 'Un réseau où $g(z) = z$ :\n$$W^{[1]} = {{W[1]}}, \\quad b^{[1]} = {{b[1]}}.$$\nEntrée : $x = {{A[0][0]}}$, cible ${{Y[0]}}$.';
		expect(givenOf(text, scenario, 'fr')).toEqual([
			'W^{[1]} = \\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}, \\quad b^{[1]} = (0{,}1 ;\\ -0{,}2)',
			'x = (1 ;\\ 2)',
			'(1)'
		]);
		expect(givenOf('Calculez $Z^{[1]}$.', scenario, 'en')).toEqual([]);
	});

	it.each([
		[0.5, 'fr', '0{,}5'],
		[[0.1, -0.2], 'fr', '(0{,}1 ;\\ -0{,}2)'],
		[[0.1, -0.2], 'en', '(0.1,\\ -0.2)'],
		[[[1, 2], [3, 4]], 'en', '\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}']
	] as const)('writes %j in %s as %s', (value, locale, tex) => {
		expect(texValue(value, locale)).toBe(tex);
	});
});

describe('an exercise that asks only facts', () => {
	const text = `id: facts
title: { fr: Tailles, en: Sizes }
statement: { fr: "Image {{model.input}}", en: "Image {{model.input}}" }
topic: convolution
notation: layer
scenario:
  model:
    input: [3, 9, 9]
    layers:
      - { type: conv2d, filters: 8, kernel: 3 }
vary:
  model.input: { pick: [[3, 9, 9], [1, 7, 7], [3, 11, 11]] }
  model.layers[0].filters: { range: [4, 16], step: 4 }
questions:
  - { ask: output_size, layer: 1 }
  - { ask: param_count, layer: 1 }
`;

	it('needs no data, and may vary the model’s shapes', () => {
		const exercise = exerciseOf(text, 'facts.yaml');
		const seen = new Set<string>();
		for (let i = 0; i < 30; i++) {
			const variant = drawn(exercise, `s${i}`);
			const [c, h] = variant.drawn['model.input'] as number[];
			const filters = variant.drawn['model.layers[0].filters'] as number;
			expect(variant.expected.map((e) => (e?.ok ? e.value : null))).toEqual([[filters, h - 2, h - 2], (9 * c + 1) * filters]);
			seen.add(JSON.stringify(variant.drawn));
		}
		expect(seen.size).toBeGreaterThan(5);
	});

	it('still needs data as soon as a question reads the run', () => {
		const parsed = parseExercise(text.replace('  - { ask: param_count, layer: 1 }', '  - { ask: "Z[1]", step: 1 }'), 'facts.yaml');
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.issues[0]).toMatchObject({ path: ['scenario', 'data'], message: expect.stringMatching(/missing/) });
	});
});
