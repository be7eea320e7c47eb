import { describe, expect, it } from 'vitest';
import { eventAt, run } from '../../../src/lib/engine';
import { move, seqOfStep, type Move } from '../../../src/lib/replay/cursor';
import { DESIGN_EXAMPLE } from '../../helpers';

// 2 epochs of 2 one-sample steps: 4 init events, then 18 events a step.
const trace = run({
	...DESIGN_EXAMPLE,
	data: { X: [[1, 0.5], [0, 1]], Y: [[1], [0]] },
	training: { epochs: 2, batch_size: 1 }
});
const where = (seq: number) => {
	const e = eventAt(trace, seq);
	return `${e.step} ${e.phase} ${e.name}`;
};

describe('moving through a trace', () => {
	it.each<[string, number, Move, string]>([
		['start', 0, 'next-event', '0 init b[1]'],
		['start', 0, 'previous-event', '0 init W[1]'],
		['init', 1, 'next-phase', '1 forward A[0]'],
		['forward', 5, 'next-phase', '1 loss loss'],
		['loss', 9, 'next-phase', '1 backward dA[2]'],
		['mid backward', 12, 'previous-phase', '1 backward dA[2]'],
		['backward start', 10, 'previous-phase', '1 loss loss'],
		['mid step 1', 12, 'next-step', '2 forward A[0]'],
		['mid step 2', 30, 'previous-step', '2 forward A[0]'],
		['step 2 start', 22, 'previous-step', '1 forward A[0]'],
		['step 1', 6, 'next-epoch', '3 forward A[0]'],
		['step 4', 70, 'previous-epoch', '3 forward A[0]'],
		['epoch 2 start', 40, 'previous-epoch', '1 forward A[0]'],
		['anywhere', 33, 'last', '4 update b[2]'],
		['anywhere', 33, 'first', '0 init W[1]']
	])('%s (%i), %s → %s', (_label, seq, to, expected) => {
		expect(where(move(trace, seq, to))).toBe(expected);
	});

	it('stays inside the run at both ends', () => {
		expect(move(trace, trace.length - 1, 'next-event')).toBe(trace.length - 1);
		expect(move(trace, trace.length - 1, 'next-step')).toBe(trace.length - 1);
		expect(move(trace, 0, 'previous-step')).toBe(0);
		expect(where(seqOfStep(trace, 99))).toBe('4 forward A[0]');
	});
});
