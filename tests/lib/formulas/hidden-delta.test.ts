import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { at } from '../../../src/lib/engine/tensor';
import { explain, plainWriting, TERM_COLOURS, toLatex, type ElementFormula, type FormulaOptions } from '../../../src/lib/formulas';
import { uncoloured } from '../../../src/lib/formulas/latex';

const EN: FormulaOptions = { profile: plainWriting('bracket'), digits: 4, locale: 'en' };

/** A 2-2-2 network: each hidden unit feeds both output neurons, so its ∂J/∂a is a sum of two terms. */
const NET_222 = {
	model: {
		input: 2,
		layers: [
			{ type: 'dense', units: 2, activation: 'sigmoid', W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1] },
			{ type: 'dense', units: 2, activation: 'sigmoid', W: [[0.5, -0.5], [0.25, 0.75]], b: [0.2, -0.3] }
		]
	},
	loss: 'half_squared_error',
	optimizer: { type: 'sgd', lr: 0.5 },
	data: { X: [[1, 0.5]], Y: [[1, 0]] }
};

const trace = run(NET_222);

function value(t: Trace, step: number, name: string): { of(index: number[]): number } {
	const event = findEvent(t, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return { of: (index) => at(event.value, index) };
}

function hiddenDelta(k: number): ElementFormula {
	const event = findEvent(trace, 1, 'dA[1]');
	if (!event) throw new Error('no dA[1]');
	const element = explain(trace, event.seq, EN).element([0, k]);
	if (!element) throw new Error(`no element ${k}`);
	return element;
}

describe('the hidden ∂J/∂a term by term (2-2-2)', () => {
	it.each([0, 1])('unit %i: one coloured term w_jk δ_j per neuron j above, with its numbers', (k) => {
		const element = hiddenDelta(k);
		const W = value(trace, 0, 'W[2]');
		const dZ = value(trace, 1, 'dZ[2]');
		const unit = k + 1;
		expect(element.symbolic).toBe(
			`\\frac{\\partial J}{\\partial a^{[1]}_{${unit}}} = \\textcolor{${TERM_COLOURS[0]}}{w^{[2]}_{1${unit}} \\delta^{[2]}_{1}} + \\textcolor{${TERM_COLOURS[1]}}{w^{[2]}_{2${unit}} \\delta^{[2]}_{2}}`
		);
		// each term shows its weight and its δ, as the trace holds them, in its colour
		for (const j of [0, 1]) {
			const w = W.of([j, k]);
			const d = dZ.of([0, j]);
			const tex = (x: number): string => {
				const s = String(Number(x.toPrecision(4)));
				return x < 0 ? `(${s})` : s;
			};
			expect(element.substituted).toContain(`\\textcolor{${TERM_COLOURS[j]}}{${tex(w)} \\cdot ${tex(d)}}`);
		}
		// the sum of the terms is the event's value
		const sumOfTerms = W.of([0, k]) * dZ.of([0, 0]) + W.of([1, k]) * dZ.of([0, 1]);
		expect(element.value).toBeCloseTo(sumOfTerms, 12);
		expect(evaluate(element.expression) as number).toBeCloseTo(element.value, 12);
		expect(element.substituted.endsWith(`= ${Number(element.value.toPrecision(4))}`)).toBe(true);
	});

	it('gives the reads of each term, in the order of the colours', () => {
		expect(hiddenDelta(1).terms).toEqual([
			[
				{ step: 0, name: 'W[2]', index: [0, 1] },
				{ step: 1, name: 'dZ[2]', index: [0, 0] }
			],
			[
				{ step: 0, name: 'W[2]', index: [1, 1] },
				{ step: 1, name: 'dZ[2]', index: [0, 1] }
			]
		]);
	});

	it('colours nothing where the sum has one term, or more terms than colours', () => {
		const single = run({ ...NET_222, model: { input: 2, layers: [NET_222.model.layers[0], { type: 'dense', units: 1, activation: 'sigmoid', W: [[0.5, -0.5]], b: [0.2] }] }, data: { X: [[1, 0.5]], Y: [[1]] } });
		const wide = run({
			model: { input: 2, layers: [NET_222.model.layers[0], { type: 'dense', units: TERM_COLOURS.length + 1, activation: 'sigmoid', init: { weights: 'uniform', seed: 2 } }] },
			loss: 'half_squared_error',
			optimizer: { type: 'sgd', lr: 0.5 },
			data: { X: [[1, 0.5]], Y: [Array.from({ length: TERM_COLOURS.length + 1 }, () => 0)] }
		});
		for (const t of [single, wide]) {
			const event = findEvent(t, 1, 'dA[1]');
			if (!event) throw new Error('no dA[1]');
			const element = explain(t, event.seq, EN).element([0, 0]);
			expect(element?.terms).toEqual([]);
			expect(element?.substituted).not.toContain('textcolor');
		}
	});
});

describe('the LaTeX to paste', () => {
	it('leaves the colours out, keeping each term', () => {
		const tex = toLatex(hiddenDelta(0));
		expect(tex).not.toContain('textcolor');
		expect(tex).toContain('w^{[2]}_{11} \\delta^{[2]}_{1} + w^{[2]}_{21} \\delta^{[2]}_{2}');
	});

	it('matches nested braces', () => {
		expect(uncoloured('a + \\textcolor{#117a65}{w^{[2]}_{11} \\delta^{[2]}_{1}} + \\textcolor{#6a3d9a}{(-0.5)}')).toBe('a + w^{[2]}_{11} \\delta^{[2]}_{1} + (-0.5)');
	});
});
