import { eventAt, findEvent, kindOf, stepOf, type Trace, type TraceEvent } from '../engine/trace';

/**
 * Reading the trace at a cursor without scanning it: only the cursor's step (tens of events)
 * and, for parameters, the step before it.
 */

/** The event `name` of the cursor's step recorded at or before the cursor, if any. */
export function inStep(trace: Trace, seq: number, name: string): TraceEvent | undefined {
	const nameId = trace.names.indexOf(name);
	if (nameId < 0 || seq < 0 || seq >= trace.length) return undefined;
	const first = trace.stepStart[stepOf(trace, seq)];
	for (let i = seq; i >= first; i--) if (kindOf(trace, i).name === nameId) return eventAt(trace, i);
	return undefined;
}

/**
 * The value of a parameter in force at the cursor: this step's update if the cursor has passed
 * it, else the value the step before it left (W[l] in force during step s is W[l] of step s − 1).
 */
export function inForce(trace: Trace, seq: number, name: string): TraceEvent | undefined {
	if (seq < 0 || seq >= trace.length) return undefined;
	return inStep(trace, seq, name) ?? findEvent(trace, stepOf(trace, seq) - 1, name);
}
