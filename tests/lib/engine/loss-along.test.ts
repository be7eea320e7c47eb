import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { costIsReproducible, lossAlong, type ParameterElement } from '../../../src/lib/engine/loss-along';
import { getLesson } from '../../../src/lib/lessons';
import { costSettingAt } from '../../../src/lib/viz/weight-curve';
import { DESIGN_EXAMPLE } from '../../helpers';

function lessonTrace(id: string): Trace {
	const lesson = getLesson(id);
	if (!lesson) throw new Error(`no lesson ${id}`);
	return run(lesson.scenario);
}

function recorded(trace: Trace, step: number, name: string, offset = 0): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.value.data[offset];
}

/** `W[1][0][0]` → layer 1's W, element [0, 0]. */
function element(text: string): ParameterElement {
	const [name, layer, ...index] = text.split(/[[\]]+/).filter(Boolean);
	return { layer: Number(layer), name: name === 'W' ? 'W' : 'b', index: index.map(Number) };
}

/** Where the weight stood during step `step`: as the step before left it. */
function weightDuring(trace: Trace, step: number, name: string, offset: number): number {
	return recorded(trace, step - 1, name, offset);
}

// (lesson or scenario, weight, its gradient, flat offset, steps checked)
const CASES: [string, Trace, string, string, number, number[]][] = [
	['gradient-descent-one-weight', lessonTrace('gradient-descent-one-weight'), 'W[1][0][0]', 'dW[1]', 0, [1, 2, 7, 15]],
	['gradient-descent-local-minimum', lessonTrace('gradient-descent-local-minimum'), 'W[1][0][0]', 'dW[1]', 0, [1, 3, 5, 30]],
	['DESIGN.md example, a hidden weight', run(DESIGN_EXAMPLE), 'W[1][1][0]', 'dW[1]', 2, [1]],
	['DESIGN.md example, the output bias', run(DESIGN_EXAMPLE), 'b[2][0]', 'db[2]', 0, [1]],
	['training-xor-minibatch, mini-batches', lessonTrace('training-xor-minibatch'), 'W[2][0][1]', 'dW[2]', 1, [1, 2, 9]]
];

describe('the cost along one weight, by the engine', () => {
	it.each(CASES)('%s: at the weight the step ran with, it is the recorded loss', (_label, trace, text, _gradient, offset, steps) => {
		const el = element(text);
		const parameter = text.slice(0, text.indexOf(']') + 1);
		for (const step of steps) {
			const setting = costSettingAt(trace, step);
			if (!setting) throw new Error(`no setting at step ${step}`);
			const w = weightDuring(trace, step, parameter, offset);
			expect(lossAlong(setting, el, [w])[0]).toBeCloseTo(recorded(trace, step, 'loss'), 12);
		}
	});

	it.each(CASES)('%s: its slope there, by finite differences, is the recorded gradient', (_label, trace, text, gradient, offset, steps) => {
		const el = element(text);
		const parameter = text.slice(0, text.indexOf(']') + 1);
		const h = 1e-6;
		for (const step of steps) {
			const setting = costSettingAt(trace, step);
			if (!setting) throw new Error(`no setting at step ${step}`);
			const w = weightDuring(trace, step, parameter, offset);
			const [below, above] = lossAlong(setting, el, [w - h, w + h]);
			const g = recorded(trace, step, gradient, offset);
			expect(Math.abs((above - below) / (2 * h) - g)).toBeLessThan(1e-6 * Math.max(1, Math.abs(g)));
		}
	});

	it('leaves the parameters it was given as they were', () => {
		const trace = lessonTrace('gradient-descent-one-weight');
		const setting = costSettingAt(trace, 1);
		if (!setting) throw new Error('no setting');
		const before = setting.params[0]?.W?.data[0];
		lossAlong(setting, element('W[1][0][0]'), [5, 6]);
		expect(setting.params[0]?.W?.data[0]).toBe(before);
		expect(before).toBe(1);
	});

	it('gives course 000’s E = ½(2w − 6)²: 0 at the right weight 3, 8 at w = 1 and w = 5', () => {
		const trace = lessonTrace('gradient-descent-one-weight');
		const setting = costSettingAt(trace, 1);
		if (!setting) throw new Error('no setting');
		expect(Array.from(lossAlong(setting, element('W[1][0][0]'), [1, 3, 5]))).toEqual([8, 0, 8]);
	});

	it.each([
		['a dense network', [], true],
		['dropout, whose masks are drawn at training', [{ type: 'dropout', rate: 0.5, seed: 2 }], false],
		['batch normalisation, whose training statistics are the batch’s', [{ type: 'batchnorm' }], false]
	] as const)('draws the cost of %s against one weight only when a step can be recomputed', (_, middle, reproducible) => {
		const trace = run({
			model: { input: 2, layers: [{ type: 'dense', units: 2, activation: 'relu', W: [[1, 0], [0, 1]], b: [0, 0] }, ...middle, { type: 'dense', units: 1, activation: 'identity', W: [[1, 1]], b: [0] }] },
			loss: 'squared_error',
			optimizer: { type: 'sgd', lr: 0.1 },
			data: { X: [[1, 2], [2, 1]], Y: [[1], [0]] }
		});
		expect(costIsReproducible(trace.setup.layers)).toBe(reproducible);
	});

	it('refuses a network with dropout, whose cost depends on the masks drawn at training', () => {
		const trace = run({
			model: { input: 2, layers: [{ type: 'dense', units: 2, activation: 'relu', W: [[1, 0], [0, 1]], b: [0, 0] }, { type: 'dropout', rate: 0.5, seed: 2 }, { type: 'dense', units: 1, activation: 'identity', W: [[1, 1]], b: [0] }] },
			loss: 'squared_error',
			optimizer: { type: 'sgd', lr: 0.1 },
			data: { X: [[1, 2]], Y: [[1]] }
		});
		expect(costIsReproducible(trace.setup.layers)).toBe(false);
		const given = (layer: number) => {
			const [W, b] = [`W[${layer}]`, `b[${layer}]`].map((name) => findEvent(trace, 0, name)?.value);
			if (!W || !b) throw new Error(`no parameters of layer ${layer}`);
			return { W, b };
		};
		const { loss, reduction, Y, layers } = trace.setup;
		const X = findEvent(trace, 1, 'A[0]')?.value;
		if (!loss || !Y || !X) throw new Error('no cost');
		const setting = { plans: layers, params: [given(1), null, given(3)], X, Y, loss, reduction };
		expect(() => lossAlong(setting, element('W[1][0][0]'), [1])).toThrow(/dropout/);
	});
});
