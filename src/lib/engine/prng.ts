/**
 * Seeded pseudo-random numbers, so that the same scenario always gives the same trace.
 * mulberry32 is the generator the benchmark tasks of BENCH.md are defined with.
 */
export interface Random {
	/** Uniform in [0, 1). */
	next(): number;
}

export function mulberry32(seed: number): Random {
	let state = seed | 0;
	return {
		next() {
			state = (state + 0x6d2b79f5) | 0;
			let t = Math.imul(state ^ (state >>> 15), 1 | state);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		}
	};
}

/** Standard normal draw (Box–Muller), using two uniform draws. */
export function normal(random: Random): number {
	const u = 1 - random.next(); // in (0, 1], so the log is finite
	const v = random.next();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A seeded Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, random: Random): number[] {
	const order = Array.from({ length: n }, (_, i) => i);
	for (let i = n - 1; i > 0; i--) {
		const j = Math.floor(random.next() * (i + 1));
		[order[i], order[j]] = [order[j], order[i]];
	}
	return order;
}
