import { describe, expect, it } from 'vitest';
import { EMPTY_TURNS, Turns } from '../../../src/lib/server/turns';

/** An event loop run by hand: each `turn()` runs what the previous turn scheduled, as setImmediate does. */
function loop() {
	let scheduled: (() => void)[] = [];
	let clock = 0;
	return {
		schedule: (next: () => void) => void scheduled.push(next),
		now: () => clock,
		advance: (ms: number) => (clock += ms),
		async turn(): Promise<void> {
			const due = scheduled;
			scheduled = [];
			for (const run of due) run();
			// the microtasks of the callbacks (a request's work) run before the next turn
			await Promise.resolve();
		},
		get pending(): number {
			return scheduled.length;
		}
	};
}

/** Enters `turns` and records when it was let in. */
function entering(turns: Turns, log: string[], name: string, how: 'enter' | 'idle' = 'enter'): void {
	void (how === 'enter' ? turns.enter() : turns.idle()).then(() => log.push(name));
}

describe('requests taking turns, so that new connections are accepted between them', () => {
	it('lets a request in within the turn when none waits, and then rests', async () => {
		const l = loop();
		const turns = new Turns(l.schedule, l.now);
		const log: string[] = [];
		entering(turns, log, 'a');
		await l.turn();
		expect(log).toEqual(['a']);
		expect(l.pending).toBe(0);
	});

	it(`lets one request in per ${EMPTY_TURNS + 1} turns while others wait, in the order they came`, async () => {
		const l = loop();
		const turns = new Turns(l.schedule, l.now);
		const log: string[] = [];
		for (const name of ['a', 'b', 'c']) entering(turns, log, name);
		const letInAt: number[] = [];
		for (let turn = 1; log.length < 3 && turn < 100; turn++) {
			const before = log.length;
			await l.turn();
			if (log.length > before) letInAt.push(turn);
		}
		expect(log).toEqual(['a', 'b', 'c']);
		expect(letInAt).toEqual([1, EMPTY_TURNS + 2, 2 * EMPTY_TURNS + 3]);
	});

	it('lets work nobody waits for in only at a turn when no request waits', async () => {
		const l = loop();
		const turns = new Turns(l.schedule, l.now, 0);
		const log: string[] = [];
		entering(turns, log, 'library', 'idle');
		entering(turns, log, 'a');
		entering(turns, log, 'b');
		for (let turn = 0; turn < 5; turn++) await l.turn();
		expect(log).toEqual(['a', 'b', 'library']);
	});

	it('estimates the wait of a request entering now from the time between the last requests let in', async () => {
		const l = loop();
		const turns = new Turns(l.schedule, l.now, 0);
		const log: string[] = [];
		for (let i = 0; i < 40; i++) entering(turns, log, `r${i}`);
		expect(turns.expectedWaitMs).toBe(0);
		// each request takes 10 ms of the loop
		for (let turn = 0; turn < 30; turn++) {
			await l.turn();
			l.advance(10);
		}
		expect(turns.requestsWaiting).toBe(10);
		expect(turns.expectedWaitMs).toBeGreaterThan(90);
		expect(turns.expectedWaitMs).toBeLessThanOrEqual(100);
	});

	it('does not count the pause of an idle server as a request’s time', async () => {
		const l = loop();
		const turns = new Turns(l.schedule, l.now, 0);
		const log: string[] = [];
		entering(turns, log, 'a');
		await l.turn();
		l.advance(60_000);
		entering(turns, log, 'b');
		entering(turns, log, 'c');
		await l.turn();
		expect(turns.expectedWaitMs).toBe(0);
	});
});
