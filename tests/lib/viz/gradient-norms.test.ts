import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { getLesson } from '../../../src/lib/lessons';
import { gradientNorms, isDeepStack, normChart } from '../../../src/lib/viz/gradient-norms';
import { DESIGN_EXAMPLE } from '../../helpers';

function seqOf(trace: Trace, step: number, name: string): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.seq;
}

const lesson = getLesson('backprop-vanishing');
if (!lesson) throw new Error('no lesson backprop-vanishing');
const deep = run(lesson.scenario);

describe('the gradient layer by layer', () => {
	it('is drawn for deep dense stacks only', () => {
		expect(isDeepStack(deep.setup)).toBe(true);
		expect(isDeepStack(run(DESIGN_EXAMPLE).setup)).toBe(false);
		const layers = [1, 2, 3].map(() => ({ type: 'dense', units: 1, activation: 'sigmoid', W: [[0.5]], b: [0] }));
		expect(isDeepStack(run({ model: { input: 1, layers }, loss: 'squared_error', optimizer: { type: 'sgd', lr: 0.1 }, data: { X: [[1]], Y: [[1]] } }).setup)).toBe(false);
	});

	it('reads ‖dW[l]‖ of the cursor’s step, null until the cursor reaches it', () => {
		const atOutput = gradientNorms(deep, seqOf(deep, 1, 'dW[5]'));
		expect(atOutput.slice(0, 4)).toEqual([null, null, null, null]);
		expect(atOutput[4]).toBeCloseTo(0.1742, 4);
		const all = gradientNorms(deep, seqOf(deep, 1, 'dW[1]'));
		expect(all.map((n) => n ?? NaN)).toEqual(
			[1, 2, 3, 4, 5].map((l) => Math.abs(findEvent(deep, 1, `dW[${l}]`)?.value.data[0] ?? NaN))
		);
		// vanishing: each layer further down has a smaller gradient, the first 400 times smaller than the last
		for (let l = 0; l < 4; l++) expect(all[l] ?? 0).toBeLessThan(all[l + 1] ?? 0);
		expect((all[4] ?? 0) / (all[0] ?? 1)).toBeGreaterThan(400);
	});

	it('draws the bars on a log scale of whole decades: a norm 10 times smaller is one decade lower', () => {
		const box = { left: 40, right: 240, top: 20, bottom: 120 };
		const chart = normChart([0.001, 0.01, null, 0.1], box);
		expect(chart.ticks.map((t) => t.exponent)).toEqual([-1, -2, -3]);
		expect(chart.ticks.map((t) => t.y)).toEqual([20, 70, 120]);
		expect(chart.bars.map((b) => b.y)).toEqual([120, 70, 120, 20]);
		expect(chart.bars[2].norm).toBeNull();
		expect(chart.bars.map((b) => b.x)).toEqual([50, 100, 150, 200]);
		expect(chart.bars.every((b) => b.width === 30)).toBe(true);
	});

	it('keeps at most five labelled decades', () => {
		const chart = normChart([1e-9, 1], { left: 0, right: 100, top: 0, bottom: 90 });
		expect(chart.ticks.length).toBeLessThanOrEqual(5);
		expect(chart.ticks[0].exponent).toBe(0);
	});
});
