import { ACTIVATIONS, type ActivationName } from '../engine/activations';
import { parseName } from '../engine/quantity';
import { at, isInside } from '../engine/tensor';
import { eventAt, type Trace } from '../engine/trace';
import { inStep } from './cursor';
import { sampleOf } from './quantity';

/** The activations drawn with their derivative: the entry-wise ones the courses plot. */
export const DRAWN = ['sigmoid', 'tanh', 'relu', 'softplus'] as const;
export type DrawnActivation = (typeof DRAWN)[number];

function isDrawn(name: ActivationName): name is DrawnActivation {
	return (DRAWN as readonly string[]).includes(name);
}

/** The unit the cursor is on: its layer's activation and its z once the cursor has computed it. */
export interface ActivationPoint {
	activation: DrawnActivation;
	layer: number;
	unit: number;
	z: number | null;
}

/** For an event of a dense layer with a drawn activation (Z, A, dA, dZ), the unit it shows: the selected one, else the first. */
export function activationPoint(trace: Trace, seq: number, index: readonly number[] | null): ActivationPoint | null {
	const event = eventAt(trace, seq);
	const q = parseName(event.name);
	if (!q || q.layer === null || q.layer < 1 || !['Z', 'A', 'dA', 'dZ'].includes(q.symbol)) return null;
	const plan = trace.setup.layers[q.layer - 1];
	if (plan?.type !== 'dense' || !isDrawn(plan.activation)) return null;
	const sample = sampleOf(event.name, index);
	const unit = index && index.length === 2 ? index[1] : 0;
	const Z = inStep(trace, seq, `Z[${q.layer}]`);
	const z = Z && isInside(Z.value.shape, [sample, unit]) ? at(Z.value, [sample, unit]) : null;
	return { activation: plan.activation, layer: q.layer, unit, z };
}

/** f(z) and f′(z) on `points` values of z over [−span, span], computed by the engine's own activation. */
export function activationCurve(trace: Trace, name: DrawnActivation, span: number, points = 121): { z: Float64Array; f: Float64Array; slope: Float64Array } {
	const z = Float64Array.from({ length: points }, (_, i) => -span + (2 * span * i) / (points - 1));
	return { z, ...activationAtPoints(trace, name, z) };
}

/** f and f′ at the given z, by the engine's forward and backward (with ∂J/∂a = 1). */
export function activationAtPoints(trace: Trace, name: DrawnActivation, z: Float64Array): { f: Float64Array; slope: Float64Array } {
	const activation = ACTIVATIONS[name];
	const f = new Float64Array(z.length);
	const slope = new Float64Array(z.length);
	activation.forward(z, f, z.length);
	activation.backward(z, f, new Float64Array(z.length).fill(1), slope, z.length, trace.setup.conventions);
	return { f, slope };
}

/** The z range drawn: at least [−4, 4], wide enough for the current z. */
export function spanFor(z: number | null): number {
	return z === null || !Number.isFinite(z) ? 4 : Math.max(4, Math.ceil(Math.abs(z) + 1));
}
