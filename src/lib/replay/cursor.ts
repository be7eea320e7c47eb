import type { Trace } from '$lib/engine/trace';

/**
 * Moves through a trace: by event, by phase, by step and by epoch. Each move is a pure function
 * from a position (the event's seq) to another, so the page, the keyboard and the tests agree.
 */
export type Move =
	| 'first'
	| 'last'
	| 'next-event'
	| 'previous-event'
	| 'next-phase'
	| 'previous-phase'
	| 'next-step'
	| 'previous-step'
	| 'next-epoch'
	| 'previous-epoch';

function clamp(trace: Trace, seq: number): number {
	return Math.max(0, Math.min(trace.length - 1, seq));
}

/** The first event of the run of events that share `seq`'s step and phase. */
function phaseStart(trace: Trace, seq: number): number {
	let start = seq;
	while (start > 0 && trace.step[start - 1] === trace.step[seq] && trace.phase[start - 1] === trace.phase[seq]) start--;
	return start;
}

function stepOf(trace: Trace, seq: number): number {
	return trace.step[clamp(trace, seq)];
}

/** First event of the step that starts epoch `epoch`, found by bisection over steps. */
function epochStart(trace: Trace, epoch: number): number {
	let low = 0;
	let high = trace.steps;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (trace.epoch[trace.stepStart[middle]] < epoch) low = middle + 1;
		else high = middle;
	}
	return trace.stepStart[low];
}

export function move(trace: Trace, seq: number, to: Move): number {
	if (trace.length === 0) return 0;
	const here = clamp(trace, seq);
	switch (to) {
		case 'first':
			return 0;
		case 'last':
			return trace.length - 1;
		case 'next-event':
			return clamp(trace, here + 1);
		case 'previous-event':
			return clamp(trace, here - 1);
		case 'next-phase': {
			let next = here;
			while (next < trace.length - 1 && trace.step[next] === trace.step[here] && trace.phase[next] === trace.phase[here]) next++;
			return next;
		}
		case 'previous-phase': {
			const start = phaseStart(trace, here);
			return start === here ? phaseStart(trace, clamp(trace, here - 1)) : start;
		}
		case 'next-step': {
			const step = stepOf(trace, here);
			return step >= trace.steps ? trace.length - 1 : trace.stepStart[step + 1];
		}
		case 'previous-step': {
			const start = trace.stepStart[stepOf(trace, here)];
			return start === here ? trace.stepStart[Math.max(0, stepOf(trace, here) - 1)] : start;
		}
		case 'next-epoch': {
			const epoch = trace.epoch[here];
			const start = epochStart(trace, epoch + 1);
			return clamp(trace, start >= trace.length ? trace.length - 1 : start);
		}
		case 'previous-epoch': {
			const start = epochStart(trace, trace.epoch[here]);
			return start === here ? epochStart(trace, Math.max(0, trace.epoch[here] - 1)) : start;
		}
	}
}

/** The first event of step `step` (clamped to the run). */
export function seqOfStep(trace: Trace, step: number): number {
	return clamp(trace, trace.stepStart[Math.max(0, Math.min(step, trace.steps))]);
}
