/**
 * Why a variant's numbers would make a question ambiguous or trivial, read from its run: the
 * generator redraws such variants. Each rule is a named check; none recomputes the maths, they
 * only look at recorded events.
 *
 * - `relu-at-zero`: a ReLU input exactly at 0, where the derivative is a convention (0, or 1 in
 *   course 003). Redrawn even when the scenario states its `conventions:`: a variant drawn onto
 *   the kink grades the convention rather than what the exercise asks, and the same variant read
 *   in another course's profile would expect the other value. An exercise about ReLU′(0) itself
 *   lists the code under `allow`;
 * - `step-at-threshold`: a weighted sum equal to a step unit's threshold (is it > or ≥?);
 * - `pool-tie`: two equal winners (maxima for max pooling) in a pooling window that keeps one
 *   cell, when a gradient flows through it (which one gets the gradient is a convention; the
 *   forward value itself is unambiguous);
 * - `zero-gradient`: an asked gradient element exactly 0, so its sign cannot be asked about;
 * - `rounds-to-zero`: an asked value that is not 0 but that the question's rounding turns into 0;
 * - `saturated`: an asked sigmoid, tanh or softmax output so close to its bound (0, ±1) that the
 *   rounding gives the bound, so the answer needs no computation;
 * - `too-large`: an asked value beyond 10⁶ (no hand computation gives it), or a diverged run;
 * - `mistakes-coincide`: two typical mistakes give the same value for a question (variant.ts asks
 *   mistakes/diagnose.ts), so naming the student's mistake would be a guess.
 */
import { nearlyEqual } from '../engine/numeric';
import { winnerSign } from '../engine/layers/pool';
import type { LayerPlan } from '../engine/plan';
import { isGradient, parseName } from '../engine/quantity';
import { findEvent, type Trace } from '../engine/trace';
import type { Expected } from './question';
import type { Tolerance } from './tolerance';

export const DEGENERACY_CODES = ['relu-at-zero', 'step-at-threshold', 'pool-tie', 'zero-gradient', 'rounds-to-zero', 'saturated', 'too-large', 'mistakes-coincide'] as const;
export type DegeneracyCode = (typeof DEGENERACY_CODES)[number];

export interface Degeneracy {
	code: DegeneracyCode;
	/** the event and element concerned: `Z[1][0][1] at step 1` */
	where: string;
}

/** What the checks need to know of an asked value. */
export interface AskedValue {
	ask: string;
	/** the event name read (`dW[1]`) and whether the question asks for one element */
	name: string;
	element: boolean;
	step: number;
	tolerance: Tolerance;
	expected: Expected;
}

const LARGEST = 1e6;

/** The first reason the variant is degenerate, or null; `allow` lists the checks an author turned off. */
export function findDegeneracy(trace: Trace, asked: readonly AskedValue[], allow: readonly DegeneracyCode[] = []): Degeneracy | null {
	return firstDegeneracy(trace, asked, (d): d is Degeneracy => d !== null && !allow.includes(d.code));
}

function firstDegeneracy(trace: Trace, asked: readonly AskedValue[], counts: (d: Degeneracy | null) => d is Degeneracy): Degeneracy | null {
	if (trace.diverged) return { code: 'too-large', where: `${trace.diverged.quantity} at step ${trace.diverged.step}` };
	const lastStep = Math.min(trace.steps, Math.max(0, ...asked.map((a) => a.step)));
	for (let step = 1; step <= lastStep; step++) {
		const found = inputsAt(trace, step, counts);
		if (found) return found;
	}
	for (const value of asked) {
		const found = askedValueIssue(trace, value);
		if (counts(found)) return found;
	}
	return null;
}

function entries(expected: Expected): number[] {
	if (!expected.ok) return [];
	const out: number[] = [];
	const walk = (v: unknown): void => {
		if (typeof v === 'number') out.push(v);
		else if (Array.isArray(v)) v.forEach(walk);
	};
	walk(expected.value);
	return out;
}

/** Ties and kinks in what the step computes, before any question is looked at. */
function inputsAt(trace: Trace, step: number, counts: (d: Degeneracy | null) => d is Degeneracy): Degeneracy | null {
	const { setup } = trace;
	if (setup.perceptron) {
		const z = findEvent(trace, step, 'Z[1]');
		const tie: Degeneracy | null = z && nearlyEqual(z.value.data[0], setup.perceptron.threshold) ? { code: 'step-at-threshold', where: `Z[1] at step ${step}` } : null;
		return counts(tie) ? tie : null;
	}
	for (const plan of setup.layers) {
		const found = layerIssue(trace, step, plan);
		if (counts(found)) return found;
	}
	return null;
}

function layerIssue(trace: Trace, step: number, plan: LayerPlan): Degeneracy | null {
	const l = plan.index;
	if ((plan.type === 'dense' || plan.type === 'conv2d') && (plan.activation === 'relu' || plan.activation === 'step')) {
		const Z = findEvent(trace, step, `Z[${l}]`);
		const at = Z ? Z.value.data.findIndex((z) => nearlyEqual(z, 0)) : -1;
		if (Z && at >= 0) return { code: plan.activation === 'relu' ? 'relu-at-zero' : 'step-at-threshold', where: `Z[${l}] entry ${at + 1} at step ${step}` };
	}
	const sign = plan.type === 'pool' ? winnerSign(plan.mode) : null;
	if (plan.type === 'pool' && sign !== null && trace.setup.loss !== null) {
		const input = findEvent(trace, step, `A[${l - 1}]`);
		if (input && hasPoolTie(input.value.shape, input.value.data, plan, sign)) return { code: 'pool-tie', where: `the ${plan.mode} pooling of layer ${l} at step ${step}` };
	}
	return null;
}

/** Whether a window has two (nearly) equal winners, the cells with the largest `sign`·value. */
function hasPoolTie(shape: readonly number[], data: ArrayLike<number>, plan: Extract<LayerPlan, { type: 'pool' }>, sign: 1 | -1): boolean {
	const [samples, channels, height, width] = shape;
	const [kh, kw] = plan.geometry.kernel;
	const [sh, sw] = plan.geometry.stride;
	const [outH, outW] = plan.outputShape.slice(1);
	for (let plane = 0; plane < samples * channels; plane++) {
		for (let i = 0; i < outH; i++) {
			for (let j = 0; j < outW; j++) {
				let best = 0;
				let count = 0;
				for (let ki = 0; ki < kh; ki++) {
					for (let kj = 0; kj < kw; kj++) {
						const v = data[(plane * height + i * sh + ki) * width + j * sw + kj];
						if (count > 0 && nearlyEqual(v, best)) count++;
						else if (count === 0 || sign * v > sign * best) {
							best = v;
							count = 1;
						}
					}
				}
				if (count > 1) return true;
			}
		}
	}
	return false;
}

/** The smallest non-zero magnitude the question's rounding tells from 0 (0 for relative tolerances). */
function resolution(tolerance: Tolerance): number {
	if ('abs' in tolerance) return tolerance.abs;
	if ('decimals' in tolerance) return 0.5 * 10 ** -tolerance.decimals;
	return 0;
}

/** The bounds an activation's output approaches. */
function boundsOf(plan: LayerPlan | undefined): number[] {
	if (!plan || (plan.type !== 'dense' && plan.type !== 'conv2d')) return [];
	if (plan.activation === 'sigmoid' || plan.activation === 'softmax') return [0, 1];
	if (plan.activation === 'tanh') return [-1, 1];
	return [];
}

function askedValueIssue(trace: Trace, value: AskedValue): Degeneracy | null {
	const where = `${value.ask} at step ${value.step}`;
	const values = entries(value.expected);
	const res = resolution(value.tolerance);
	const q = parseName(value.name);
	const bounds = q?.symbol === 'A' ? boundsOf(trace.setup.layers[q.layer - 1]) : [];
	for (const e of values) {
		if (!Number.isFinite(e) || Math.abs(e) > LARGEST) return { code: 'too-large', where };
		if (value.element && e === 0 && q !== null && isGradient(q.symbol)) return { code: 'zero-gradient', where };
		if (e !== 0 && Math.abs(e) <= res) return { code: 'rounds-to-zero', where };
		if (bounds.some((bound) => e !== bound && Math.abs(e - bound) <= res)) return { code: 'saturated', where };
	}
	return null;
}

/** A degeneracy in words, for `check` and for authors. */
export function describeDegeneracy(d: Degeneracy): string {
	const what: Record<DegeneracyCode, string> = {
		'relu-at-zero': 'a ReLU input is exactly 0 (its derivative is a convention there: 0, or 1 in course 003)',
		'step-at-threshold': 'a weighted sum equals the threshold (> or ≥ decides)',
		'pool-tie': 'a pooling window has two equal winners, such as two maxima for max pooling (which one gets the gradient is a convention)',
		'zero-gradient': 'an asked gradient is exactly 0 (no sign to find)',
		'rounds-to-zero': 'an asked value rounds to 0 at the precision asked',
		saturated: 'an asked activation rounds to its bound (0 or ±1) at the precision asked',
		'too-large': 'a value is too large for a hand computation (or the run diverged)',
		'mistakes-coincide': 'two typical mistakes give the same value, so a diagnosis would be a guess'
	};
	return `${what[d.code]}: ${d.where}`;
}
