import { epochOf, kindOf, stepOf as stepOfEvent, type Trace } from '$lib/engine/trace';

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
	const first = trace.stepStart[stepOfEvent(trace, seq)];
	const phase = kindOf(trace, seq).phase;
	let start = seq;
	while (start > first && kindOf(trace, start - 1).phase === phase) start--;
	return start;
}

function stepOf(trace: Trace, seq: number): number {
	return stepOfEvent(trace, clamp(trace, seq));
}

/** First event of the step that starts epoch `epoch`, found by bisection over steps. */
function epochStart(trace: Trace, epoch: number): number {
	let low = 0;
	let high = trace.steps;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (trace.stepEpoch[middle] < epoch) low = middle + 1;
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
			const end = trace.stepStart[stepOf(trace, here) + 1];
			const phase = kindOf(trace, here).phase;
			let next = here;
			while (next < trace.length - 1 && next < end && kindOf(trace, next).phase === phase) next++;
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
			const epoch = epochOf(trace, here);
			const start = epochStart(trace, epoch + 1);
			return clamp(trace, start >= trace.length ? trace.length - 1 : start);
		}
		case 'previous-epoch': {
			const epoch = epochOf(trace, here);
			const start = epochStart(trace, epoch);
			return start === here ? epochStart(trace, Math.max(0, epoch - 1)) : start;
		}
	}
}

/** The first event of step `step` (clamped to the run). */
export function seqOfStep(trace: Trace, step: number): number {
	return clamp(trace, trace.stepStart[Math.max(0, Math.min(step, trace.steps))]);
}

/** A move of the selected cell of a feature map: along its row (on to the next row at its end), or a row up or down. */
export type Slide = 'next-cell' | 'previous-cell' | 'row-up' | 'row-down';

/**
 * The cell of a feature map one slide away from `index` (its last two axes are the row and the
 * column), so that the convolution window sweeps the whole map: after a row's last cell comes the
 * next row's first. It stays put at the map's first and last cells.
 */
export function slideCell(shape: readonly number[], index: readonly number[], to: Slide): number[] {
	const rows = shape[shape.length - 2];
	const cols = shape[shape.length - 1];
	const row = index[index.length - 2];
	const col = index[index.length - 1];
	const lead = index.slice(0, -2);
	const cell = (r: number, c: number) => [...lead, r, c];
	switch (to) {
		case 'next-cell': {
			const flat = Math.min(row * cols + col + 1, rows * cols - 1);
			return cell(Math.floor(flat / cols), flat % cols);
		}
		case 'previous-cell': {
			const flat = Math.max(row * cols + col - 1, 0);
			return cell(Math.floor(flat / cols), flat % cols);
		}
		case 'row-up':
			return cell(Math.max(row - 1, 0), col);
		case 'row-down':
			return cell(Math.min(row + 1, rows - 1), col);
	}
}
