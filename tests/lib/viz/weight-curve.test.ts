import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import type { ParameterElement } from '../../../src/lib/engine/loss-along';
import { getLesson } from '../../../src/lib/lessons';
import {
	costSettingAt,
	curveRange,
	direction,
	learnedWeight,
	sameCurveEveryStep,
	tangentAt,
	tangentHalfWidth,
	weightCurve,
	weightCursor,
	wayAt,
	weightTrail
} from '../../../src/lib/viz/weight-curve';
import { DESIGN_EXAMPLE } from '../../helpers';

function lessonTrace(id: string): Trace {
	const lesson = getLesson(id);
	if (!lesson) throw new Error(`no lesson ${id}`);
	return run(lesson.scenario);
}

function seqOf(trace: Trace, step: number, name: string): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.seq;
}

const W11: ParameterElement = { layer: 1, name: 'W', index: [0, 0] };
const oneWeight = lessonTrace('gradient-descent-one-weight');
const twoMinima = lessonTrace('gradient-descent-local-minimum');

/** The course 001 lesson's cost by hand: C(w) = ½[((1 − 2w)² − 9)² + ((w + 1)² − 9)²]. */
const handCost = (w: number): number => (((1 - 2 * w) ** 2 - 9) ** 2 + ((w + 1) ** 2 - 9) ** 2) / 2;

describe('which weight the curve is drawn for', () => {
	const oneDense = (layer: Record<string, unknown>) => ({
		model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'identity', W: [[1]], b: [0], ...layer }] },
		loss: 'half_squared_error',
		optimizer: { type: 'sgd', lr: 0.1 },
		data: { X: [[2]], Y: [[6]] }
	});

	it.each([
		['gradient-descent-one-weight (w learned, b fixed)', oneWeight.setup, W11],
		['gradient-descent-local-minimum', twoMinima.setup, W11],
		['one neuron whose bias only is learned', run({ ...oneDense({}), update: { weights: false, biases: true } }).setup, { layer: 1, name: 'b', index: [0] }],
		['one neuron learning w and b: two numbers', run(oneDense({})).setup, null],
		['the DESIGN.md example: many weights', run(DESIGN_EXAMPLE).setup, null],
		['backprop-exploding: five weights', lessonTrace('backprop-exploding').setup, null],
		['a forward-only run', run({ model: oneDense({}).model, data: { X: [[2]] } }).setup, null]
	])('%s', (_label, setup, expected) => {
		expect(learnedWeight(setup)).toEqual(expected);
	});
});

describe('where each step stood on the curve, read from the events', () => {
	it('gives w, the cost and dC/dw of every step, and the weight the last step left', () => {
		const trail = weightTrail(twoMinima, W11);
		expect(trail.steps).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
		// the lesson's numbers, by hand: from w = 0.5, C = 63.28125 and dC/dw = −20.25
		expect(trail.w[0]).toBe(0.5);
		expect(trail.cost[0]).toBeCloseTo(63.28125, 12);
		expect(trail.slope[0]).toBeCloseTo(-20.25, 12);
		for (const k of [0, 4, 17]) expect(trail.cost[k]).toBeCloseTo(handCost(trail.w[k]), 10);
		// each step starts where the one before left the weight: w ← w − α dC/dw, α = 0.01
		for (let k = 1; k < trail.steps.length; k++) expect(trail.w[k]).toBeCloseTo(trail.w[k - 1] - 0.01 * trail.slope[k - 1], 12);
		expect(trail.last).toBe(findEvent(twoMinima, 30, 'W[1]')?.value.data[0]);
	});

	it('follows the cursor inside a step: the cost once the loss is passed, the slope once dW is, then the new weight', () => {
		expect(weightCursor(twoMinima, 0, W11)).toEqual({ step: 1, w: 0.5, cost: null, slope: null, next: null });
		const atLoss = weightCursor(twoMinima, seqOf(twoMinima, 1, 'loss'), W11);
		expect(atLoss?.cost).toBeCloseTo(63.28125, 12);
		expect(atLoss?.slope).toBeNull();
		const atGradient = weightCursor(twoMinima, seqOf(twoMinima, 1, 'dW[1]'), W11);
		expect(atGradient?.slope).toBeCloseTo(-20.25, 12);
		expect(atGradient?.next).toBeNull();
		const atUpdate = weightCursor(twoMinima, seqOf(twoMinima, 1, 'W[1]'), W11);
		expect(atUpdate?.next).toBeCloseTo(0.7025, 12);
		expect(weightCursor(twoMinima, seqOf(twoMinima, 2, 'loss'), W11)).toMatchObject({ step: 2, w: atUpdate?.next, next: null });
	});
});

describe('the curve', () => {
	it.each([
		['gradient-descent-one-weight', oneWeight, true],
		['gradient-descent-local-minimum', twoMinima, true],
		['training-xor-minibatch: batches of 2 of 4 samples', lessonTrace('training-xor-minibatch'), false]
	])('%s: one curve for every step, where every batch is the whole data: %s', (_label, trace, same) => {
		expect(sameCurveEveryStep(trace)).toBe(same);
	});

	const costAt = (trace: Trace) => {
		const setting = costSettingAt(trace, 1);
		if (!setting) throw new Error('no setting');
		return (ws: Float64Array) => weightCurve(setting, W11, [ws[0], ws[ws.length - 1]], ws.length).cost;
	};

	it('course 000: reaches past the visited weights to show the minimum w = 3', () => {
		const [lo, hi] = curveRange(weightTrail(oneWeight, W11), costAt(oneWeight));
		expect(lo).toBeLessThanOrEqual(1);
		expect(hi).toBeGreaterThan(3);
	});

	it('course 001: shows both valleys, the local optimum w = −1 the run never visits included', () => {
		const range = curveRange(weightTrail(twoMinima, W11), costAt(twoMinima));
		expect(range[0]).toBeLessThan(-1);
		expect(range[1]).toBeGreaterThan(2);
		const setting = costSettingAt(twoMinima, 1);
		if (!setting) throw new Error('no setting');
		const { w, cost } = weightCurve(setting, W11, range, 401);
		for (const k of [0, 100, 250, 400]) expect(cost[k]).toBeCloseTo(handCost(w[k]), 9);
		// two valleys: the sampled curve goes down then up twice
		const valleys = [];
		for (let k = 1; k < cost.length - 1; k++) if (cost[k] < cost[k - 1] && cost[k] <= cost[k + 1]) valleys.push(w[k]);
		expect(valleys.length).toBe(2);
		expect(valleys[0]).toBeCloseTo(-1, 1);
		expect(valleys[1]).toBeCloseTo(2, 1);
	});
});

describe('a run whose weight runs away', () => {
	it.each([2, 50])('with η = %f, the range stays finite and covers the weights visited', (lr) => {
		const lesson = getLesson('gradient-descent-one-weight');
		if (!lesson) throw new Error('no lesson');
		const trace = run({ ...(lesson.scenario as Record<string, unknown>), optimizer: { type: 'sgd', lr } });
		const trail = weightTrail(trace, W11);
		const setting = costSettingAt(trace, 1);
		if (!setting) throw new Error('no setting');
		const [lo, hi] = curveRange(trail, (ws) => weightCurve(setting, W11, [ws[0], ws[ws.length - 1]], ws.length).cost);
		expect(Number.isFinite(lo) && Number.isFinite(hi)).toBe(true);
		for (const w of trail.w.filter(Number.isFinite)) {
			expect(w).toBeGreaterThanOrEqual(lo);
			expect(w).toBeLessThanOrEqual(hi);
		}
	});

	it('ignores a weight that is not finite', () => {
		const trail = { steps: [1, 2], w: [1, Infinity], cost: [8, Infinity], slope: [-4, NaN], last: NaN };
		const [lo, hi] = curveRange(trail, (ws) => ws.map((w) => (2 * w - 6) ** 2 / 2));
		expect(Number.isFinite(lo) && Number.isFinite(hi)).toBe(true);
		expect(lo).toBeLessThan(1);
		expect(hi).toBeGreaterThan(1);
	});
});

describe('the tangent and the step', () => {
	it('draws the tangent through the point with the recorded slope', () => {
		expect(tangentAt(1, 8, -4, 0.5)).toEqual([
			[0.5, 10],
			[1.5, 6]
		]);
	});

	it.each([
		[0, 10, 1, 1],
		[1, 1, 1, 10 / Math.SQRT2],
		[-20, 2, 0.1, 5 / Math.SQRT2]
	])('slope %f: the tangent is 10 units long on each side', (slope, perW, perCost, half) => {
		const width = tangentHalfWidth(slope, perW, perCost, 10);
		expect(Math.hypot(width * perW, width * slope * perCost)).toBeCloseTo(10, 12);
		expect(width).toBeCloseTo(half, 12);
	});

	it.each([
		[-20.25, 'increase'],
		[16, 'decrease'],
		[0, 'stay']
	] as const)('a slope of %f sends the weight the course’s way: %s', (slope, way) => {
		expect(direction(slope)).toBe(way);
	});

	it('gradient descent: the way shows with the slope, against it', () => {
		const atGradient = weightCursor(twoMinima, seqOf(twoMinima, 1, 'dW[1]'), W11);
		if (!atGradient) throw new Error('no cursor');
		expect(wayAt(twoMinima.setup, W11, atGradient)).toBe('increase');
		const atLoss = weightCursor(twoMinima, seqOf(twoMinima, 1, 'loss'), W11);
		if (!atLoss) throw new Error('no cursor');
		expect(wayAt(twoMinima.setup, W11, atLoss)).toBeNull();
	});

	it('momentum: at w = 3 the slope is 0 but the weight goes on to 4.08, so the way is read from the update', () => {
		const momentum = lessonTrace('optimizers-compare');
		const atGradient = weightCursor(momentum, seqOf(momentum, 3, 'dW[1]'), W11);
		if (!atGradient) throw new Error('no cursor');
		expect(atGradient.w).toBeCloseTo(3, 12);
		expect(atGradient.slope).toBeCloseTo(0, 12);
		expect(wayAt(momentum.setup, W11, atGradient)).toBeNull();
		const atUpdate = weightCursor(momentum, seqOf(momentum, 3, 'W[1]'), W11);
		if (!atUpdate) throw new Error('no cursor');
		expect(atUpdate.next).toBeCloseTo(4.08, 12);
		expect(wayAt(momentum.setup, W11, atUpdate)).toBe('increase');
	});
});
