import katex from 'katex';
import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { eventAt, findEvent, run, stepOf, type Trace } from '../../../src/lib/engine';
import { explain, plainWriting, toLatex, type FormulaOptions, type Notation } from '../../../src/lib/formulas';
import { TRACE_CASES } from './scenarios';

const OPTIONS: FormulaOptions = { profile: plainWriting('bracket'), digits: 4, locale: 'en' };

/** Every index of a shape, in row-major order; large tensors give a spread-out sample of them. */
function indicesOf(shape: number[], limit = 120): number[][] {
	const size = shape.reduce((a, b) => a * b, 1);
	const stride = Math.max(1, Math.floor(size / limit));
	const out: number[][] = [];
	for (let offset = 0; offset < size; offset += stride) out.push(unravel(shape, offset));
	if (size > 0 && (size - 1) % stride !== 0) out.push(unravel(shape, size - 1));
	return out;
}

function unravel(shape: number[], offset: number): number[] {
	const index = new Array<number>(shape.length);
	for (let axis = shape.length - 1; axis >= 0; axis--) {
		index[axis] = offset % shape[axis];
		offset = Math.floor(offset / shape[axis]);
	}
	return index;
}

function valueAt(data: Float64Array, shape: number[], index: number[]): number {
	return data[index.reduce((offset, i, axis) => offset * shape[axis] + i, 0)];
}

/** Both languages in one notation (the numbers and notes change), the other notations' symbols in English. */
const ALL_OPTIONS: FormulaOptions[] = [
	{ profile: plainWriting('bracket'), digits: 4, locale: 'en' },
	{ profile: plainWriting('bracket'), digits: 4, locale: 'fr' },
	...(['paren', 'layer'] as Notation[]).map((notation): FormulaOptions => ({ profile: plainWriting(notation), digits: 4, locale: 'en' }))
];

/** TeX already compiled: the same string recurs across events, notations and traces. */
const compiled = new Set<string>();

/**
 * KaTeX parses and builds the formula, and throws on any error. MathML output only: the same
 * parser, without the HTML layout, which is 3 times faster for these thousands of strings
 * (student-checks.test.ts renders its strings to HTML too).
 */
function compiles(tex: string): void {
	if (compiled.has(tex)) return;
	expect(() => katex.renderToString(tex, { throwOnError: true, strict: 'error', output: 'mathml' }), tex).not.toThrow();
	compiled.add(tex);
}

/** `expression` evaluated by mathjs equals `value` to 1e-9 relative (1e-12 absolute near 0). */
function expectEvaluatesTo(expression: string, value: number, where: string): void {
	const result: unknown = evaluate(expression);
	expect(typeof result, `${where}: ${expression}`).toBe('number');
	const tolerance = 1e-9 * Math.max(Math.abs(value), 1e-3);
	expect(Math.abs((result as number) - value), `${where}: ${expression} = ${String(result)}, the trace holds ${value}`).toBeLessThanOrEqual(tolerance);
}

describe.each(TRACE_CASES.map((c) => [c.name, c] as const))('every event of %s', (_name, { scenario }) => {
	const trace: Trace = run(scenario);

	it('gives each element a formula whose mathjs expression evaluates to the recorded value', () => {
		for (let seq = 0; seq < trace.length; seq++) {
			const event = eventAt(trace, seq);
			const formula = explain(trace, seq, OPTIONS);
			const where = `${event.name} of step ${event.step}`;
			expect(formula.caption.en.length, where).toBeGreaterThan(0);
			expect(formula.caption.fr.length, where).toBeGreaterThan(0);
			for (const index of indicesOf(event.value.shape)) {
				const element = formula.element(index);
				expect(element, `${where} ${JSON.stringify(index)}`).not.toBeNull();
				if (!element) continue;
				expect(element.index).toEqual(index);
				expect(element.value).toBe(valueAt(event.value.data, event.value.shape, index));
				expect(element.substituted.startsWith('= '), element.substituted).toBe(true);
				expectEvaluatesTo(element.expression, element.value, `${where} ${JSON.stringify(index)}`);
				for (const r of element.reads) {
					const target = findEvent(trace, r.step, r.name);
					expect(target, `${where} reads ${r.name} of step ${r.step}`).toBeDefined();
					expect(r.index.every((i, axis) => i >= 0 && i < (target?.value.shape[axis] ?? 0)), `${where} reads ${r.name}${JSON.stringify(r.index)}`).toBe(true);
				}
			}
		}
	});

	it('answers null for an index outside the tensor', () => {
		for (let seq = 0; seq < trace.length; seq++) {
			const { shape } = eventAt(trace, seq).value;
			const formula = explain(trace, seq, OPTIONS);
			if (shape.length > 0) expect(formula.element([...shape])).toBeNull();
			if (shape.length > 0) expect(formula.element(shape.map(() => -1))).toBeNull();
			expect(formula.element([...shape.map(() => 0), 0])).toBeNull();
			if (shape.length > 0) expect(formula.element(shape.map(() => 0.5))).toBeNull();
		}
	});

	it('writes TeX that KaTeX compiles, in every notation and both languages', () => {
		// the TeX of a step differs from the next one's only by its numbers, unless its batch is smaller
		const batch = (step: number): number => trace.batchStart[step + 1] - trace.batchStart[step];
		const steps = new Set([0, 1, batch(trace.steps) === batch(1) ? 1 : trace.steps]);
		for (let seq = 0; seq < trace.length; seq++) {
			const { shape } = eventAt(trace, seq).value;
			if (!steps.has(stepOf(trace, seq))) continue;
			for (const options of ALL_OPTIONS) {
				const formula = explain(trace, seq, options);
				compiles(formula.symbolic);
				// the first and the last element hold every kind of term of the event
				for (const index of [shape.map(() => 0), shape.map((d) => d - 1)]) {
					const element = formula.element(index);
					if (!element) throw new Error(`no element ${JSON.stringify(index)}`);
					compiles(element.symbolic);
					compiles(element.substituted);
					if (options.profile.notation === 'bracket') compiles(toLatex(element));
				}
			}
		}
	});
});
