import { costIsReproducible, lossAlong, type CostSetting, type ParameterElement } from '../engine/loss-along';
import { parametersOf } from '../engine/plan';
import { layerName } from '../engine/quantity';
import { offsetOf, sizeOf, takeRows } from '../engine/tensor';
import { batchRowsOf, findEvent, stepOf, type Trace, type TraceSetup } from '../engine/trace';
import { inStep } from './cursor';
import { parametersAt } from './decision-region';

/**
 * The cost against one weight (course 000's "Le bon poids"): the curve E(w) comes from the
 * engine (`lossAlong`), the points on it, their tangents and the steps between them from the
 * events. Pure data and geometry; the component draws.
 */

/** The one weight a run learns, when it learns exactly one number: the curve is drawn for it. */
export function learnedWeight(setup: TraceSetup): ParameterElement | null {
	if (setup.kind !== 'network' || !setup.loss || !setup.Y || !costIsReproducible(setup.layers)) return null;
	const learned: ParameterElement[] = [];
	for (const plan of setup.layers) {
		for (const spec of parametersOf(plan)) {
			if (!(spec.name === 'W' ? setup.update.weights : setup.update.biases)) continue;
			if (sizeOf(spec.shape) !== 1) return null;
			learned.push({ layer: plan.index, name: spec.name, index: spec.shape.map(() => 0) });
		}
	}
	return learned.length === 1 ? learned[0] : null;
}

function valueIn(trace: Trace, step: number, name: string, element: ParameterElement): number | null {
	const event = findEvent(trace, step, name);
	return event ? event.value.data[offsetOf(event.value.shape, element.index)] : null;
}

const gradientName = (element: ParameterElement): string => layerName(element.name === 'W' ? 'dW' : 'db', element.layer);
const parameterName = (element: ParameterElement): string => layerName(element.name, element.layer);

/** Where each step stood: the weight it ran with, its recorded cost and gradient. */
export interface WeightTrail {
	steps: number[];
	w: number[];
	cost: number[];
	slope: number[];
	/** the weight the last step left */
	last: number | null;
}

/** Every step's (w, E, dE/dw), read from the events: w as the step before left it, E its `loss`, dE/dw its gradient. */
export function weightTrail(trace: Trace, element: ParameterElement): WeightTrail {
	const trail: WeightTrail = { steps: [], w: [], cost: [], slope: [], last: null };
	for (let step = 1; step <= trace.steps; step++) {
		const w = valueIn(trace, step - 1, parameterName(element), element);
		const cost = findEvent(trace, step, 'loss')?.value.data[0];
		const slope = valueIn(trace, step, gradientName(element), element);
		if (w === null || cost === undefined || slope === null) break;
		trail.steps.push(step);
		trail.w.push(w);
		trail.cost.push(cost);
		trail.slope.push(slope);
	}
	trail.last = valueIn(trace, trail.steps.length, parameterName(element), element);
	return trail;
}

/**
 * Whether every step has the same curve: with one learned number the other parameters never
 * move, so the curve changes only with the batch. With the whole data in every batch, the
 * earlier steps' points lie on the current curve and can be drawn on it.
 */
export function sameCurveEveryStep(trace: Trace): boolean {
	return trace.setup.Y !== null && batchRowsOf(trace, 1).length === trace.setup.Y.shape[0];
}

/** What step `step`'s cost depends on: its parameters as the step before left them, its batch and the loss. */
export function costSettingAt(trace: Trace, step: number): CostSetting | null {
	const { loss, reduction, Y, layers } = trace.setup;
	const params = parametersAt(trace, step);
	const X = findEvent(trace, step, 'A[0]')?.value;
	if (!loss || !Y || !params || !X) return null;
	return { plans: layers, params, X, Y: takeRows(Y, Array.from(batchRowsOf(trace, step))), loss, reduction };
}

/** The curve at the cursor: which step, the weight it runs with, and what the cursor has recorded of it so far. */
export interface WeightCursor {
	step: number;
	w: number;
	/** the step's cost once the cursor has passed its `loss` */
	cost: number | null;
	/** dE/dw once the cursor has passed the gradient */
	slope: number | null;
	/** the weight after the step's update, once the cursor has passed it */
	next: number | null;
}

export function weightCursor(trace: Trace, seq: number, element: ParameterElement): WeightCursor | null {
	const step = Math.max(1, stepOf(trace, seq));
	const w = valueIn(trace, step - 1, parameterName(element), element);
	if (w === null || step > trace.steps) return null;
	// at init the cursor is before step 1: nothing of it is recorded yet
	const reached = (name: string): number | null => {
		if (stepOf(trace, seq) < 1) return null;
		const event = inStep(trace, seq, name);
		return event ? event.value.data[offsetOf(event.value.shape, element.index)] : null;
	};
	const updated = inStep(trace, seq, parameterName(element));
	return {
		step,
		w,
		cost: reached('loss'),
		slope: reached(gradientName(element)),
		next: updated && updated.phase === 'update' ? updated.value.data[offsetOf(updated.value.shape, element.index)] : null
	};
}

/** How far the curve may reach beyond the weights the run visited, in widths of their span. */
const REACH = 4;

/**
 * The weights drawn: those the run visited, widened on each side until the cost climbs above
 * the highest cost the run recorded (by a quarter), so that a minimum the run never reached shows
 * too, as long as it lies below the run's own costs. At most REACH spans out on each side.
 */
export function curveRange(trail: WeightTrail, costAt: (ws: Float64Array) => Float64Array): [number, number] {
	// a diverged run may have left a weight that is not finite: the curve is drawn around the others
	const visited = (trail.last === null ? trail.w : [...trail.w, trail.last]).filter(Number.isFinite);
	if (visited.length === 0) return [-1, 1];
	let lo = Math.min(...visited);
	let hi = Math.max(...visited);
	const span = Math.max(hi - lo, 0.5);
	const finite = trail.cost.filter(Number.isFinite);
	const top = finite.length ? Math.max(...finite) : 0;
	const ceiling = top > 0 ? top * 1.25 : 1;
	const probe = span / 16;
	const probes = Math.ceil((REACH * span) / probe);
	const outward = (from: number, sign: number): number => {
		const ws = Float64Array.from({ length: probes }, (_, k) => from + sign * probe * (k + 1));
		const costs = costAt(ws);
		const above = costs.findIndex((c) => !(c <= ceiling));
		return above < 0 ? ws[ws.length - 1] : ws[above];
	};
	lo = outward(lo, -1);
	hi = outward(hi, 1);
	return [lo, hi];
}

/** `points` weights evenly over the range, and the step's cost at each, by the engine. */
export function weightCurve(setting: CostSetting, element: ParameterElement, range: [number, number], points = 161): { w: Float64Array; cost: Float64Array } {
	const [lo, hi] = range;
	const w = Float64Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
	return { w, cost: lossAlong(setting, element, w) };
}

/** The tangent at (w, E) with the recorded slope, `half` on each side of w: its two ends. */
export function tangentAt(w: number, cost: number, slope: number, half: number): [[number, number], [number, number]] {
	return [
		[w - half, cost - slope * half],
		[w + half, cost + slope * half]
	];
}

/**
 * The half-width, in units of w, that gives a tangent of slope `slope` the drawn length `length`
 * on each side of its point, whatever the slope: a steep tangent stays inside the picture.
 * `perW` and `perCost` are the drawing's units per unit of w and of the cost.
 */
export function tangentHalfWidth(slope: number, perW: number, perCost: number, length: number): number {
	return length / Math.hypot(perW, perCost * slope);
}

/** Which way the recorded gradient sends the weight: course 000's "increase here, decrease there, do nothing". */
export function direction(slope: number): 'increase' | 'decrease' | 'stay' {
	return slope < 0 ? 'increase' : slope > 0 ? 'decrease' : 'stay';
}

/**
 * Which way the weight goes at the cursor. Plain gradient descent goes against the slope, so the
 * way shows as soon as the slope is recorded; momentum, RMSprop, Adam or weight decay carry more
 * than the slope (momentum moves a weight whose slope is 0), so theirs is read from the update.
 */
export function wayAt(setup: TraceSetup, element: ParameterElement, cursor: WeightCursor): 'increase' | 'decrease' | 'stay' | null {
	const againstSlope = setup.optimizer.type === 'sgd' && (setup.l2 === 0 || element.name === 'b');
	if (againstSlope) return cursor.slope === null ? null : direction(cursor.slope);
	return cursor.next === null ? null : direction(cursor.w - cursor.next);
}
