/**
 * Requests take turns: one begins its work per turn of the event loop, with a few empty turns
 * in between. libuv accepts one new connection per turn (since 1.45, libuv#3696), so a turn that
 * ran every request read in it (each a few milliseconds of synchronous SQLite and grading) let
 * a class's new connections wait in the kernel's accept queue for seconds, unseen by the server
 * and by its load shedding. An empty turn costs a few microseconds and accepts one connection:
 * connections are accepted faster than requests are answered, and the requests waiting are in
 * this queue, where their wait can be estimated and a write refused at once (saturation.ts).
 */

/** Empty turns after each request let in: connections are accepted this many times faster than requests are answered. */
export const EMPTY_TURNS = 8;
/** The weight of the last interval between two requests let in, in the running estimate. */
const SMOOTHING = 0.2;

export type Schedule = (next: () => void) => void;

export class Turns {
	private readonly waiting: (() => void)[] = [];
	/** work nobody waits for (the libraries read after a start): let in only at a turn when no request waits */
	private readonly background: (() => void)[] = [];
	private pumping = false;
	/** when the last request was let in while others waited (performance.now()), or null */
	private lastLetIn: number | null = null;
	/** the running estimate of the time between two requests let in back to back, in ms */
	private intervalMs = 0;

	constructor(
		private readonly schedule: Schedule = (next) => void setImmediate(next),
		private readonly now: () => number = () => performance.now(),
		private readonly emptyTurns = EMPTY_TURNS
	) {}

	/** Resolves when this request's turn has come: at once (within this turn) when none waits. */
	enter(): Promise<void> {
		return this.queue(this.waiting);
	}

	/** Resolves at a turn when no request waits. */
	idle(): Promise<void> {
		return this.queue(this.background);
	}

	private queue(line: (() => void)[]): Promise<void> {
		return new Promise((resolve) => {
			line.push(resolve);
			if (!this.pumping) {
				this.pumping = true;
				this.schedule(this.letOneIn);
			}
		});
	}

	/** How long a request entering now would wait for its turn, from the requests ahead of it. */
	get expectedWaitMs(): number {
		return this.waiting.length * this.intervalMs;
	}

	get requestsWaiting(): number {
		return this.waiting.length;
	}

	private readonly letOneIn = (): void => {
		const request = this.waiting.shift();
		const now = this.now();
		if (this.lastLetIn !== null) this.intervalMs += SMOOTHING * (now - this.lastLetIn - this.intervalMs);
		// its work runs now, in the microtasks after this callback, before the loop turns again
		(request ?? this.background.shift())?.();
		if (this.waiting.length === 0 && this.background.length === 0) {
			this.pumping = false;
			this.lastLetIn = null;
			return;
		}
		// the time between two requests is measured only when nothing else ran between them
		this.lastLetIn = request && this.waiting.length > 0 ? now : null;
		this.skip(this.emptyTurns);
	};

	private skip(turns: number): void {
		this.schedule(turns === 0 ? this.letOneIn : () => this.skip(turns - 1));
	}
}
