/**
 * Two runs side by side, event by event: the right run and the one a mistake gives
 * (mistakes.ts). Which event stands beside which, and where their numbers part ways.
 */
import type { Tensor } from '../engine/tensor';
import { eventAt, findEvent, nameAt, stepOf, type Trace, type TraceEvent } from '../engine/trace';
import type { MistakeOption } from './mistakes';

/**
 * The event of `other` that stands beside event `seq` of `trace`: the same seq when both runs
 * record the same events, else the same name in the same step; undefined where the other run has
 * none (it stopped earlier, having diverged).
 */
export function counterpart(trace: Trace, other: Trace, seq: number): TraceEvent | undefined {
	const event = eventAt(trace, seq);
	if (seq < other.length && stepOf(other, seq) === event.step && nameAt(other, seq) === event.name) return eventAt(other, seq);
	return findEvent(other, event.step, event.name);
}

/** Two values part ways beyond float64 rounding: a mistake changes numbers far more than 1e-9 of their size. */
export function differ(a: number, b: number): boolean {
	if (!Number.isFinite(a) || !Number.isFinite(b)) return !Object.is(a, b);
	return Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The row-major positions where two values of the same shape part ways; every position when the shapes differ. */
export function differingPositions(right: Tensor, other: Tensor): number[] {
	const same = right.shape.length === other.shape.length && right.shape.every((d, k) => d === other.shape[k]);
	const positions: number[] = [];
	for (let k = 0; k < right.data.length; k++) if (!same || differ(right.data[k], other.data[k])) positions.push(k);
	return positions;
}

/** The next event after `seq` (or the first, from −1) where the two runs part ways, or null when they agree to the end. */
export function nextDifference(trace: Trace, other: Trace, seq: number): number | null {
	for (let s = seq + 1; s < trace.length; s++) {
		const beside = counterpart(trace, other, s);
		if (!beside || differingPositions(eventAt(trace, s).value, beside.value).length > 0) return s;
	}
	return null;
}

/**
 * Whether event `name` of a mistake's run holds a value the mistake wrote as the student does (δ
 * without σ′), not one the engine computed from the values before it: the formula of that run
 * explains every other event with its numbers.
 */
export function mistakeWrites(option: MistakeOption, name: string): boolean {
	return option.written.includes(name);
}
