import { describe, expect, it } from 'vitest';
import { findEvent, run } from '../../../../src/lib/engine';
import { mulberry32 } from '../../../../src/lib/engine/prng';
import { values } from '../../../helpers';

/** dense 4 → 4 (identity weights, learned), dropout, dense 4 → 1: J = ½(a[3] − y)² on one sample. */
function scenario(W1: number[][], dropout: Record<string, number>, epochs = 1): unknown {
	return {
		model: {
			input: 4,
			layers: [
				{ type: 'dense', units: 4, W: W1, b: [0, 0, 0, 0] },
				{ type: 'dropout', ...dropout },
				{ type: 'dense', units: 1, W: [[0.5, -1, 0.25, 2]], b: [0.1] }
			]
		},
		loss: 'half_squared_error',
		optimizer: { type: 'sgd', lr: 0.1 },
		data: { X: [[1, 2, 3, 4]], Y: [[0.5]] },
		training: { epochs }
	};
}

const IDENTITY = [
	[1, 0, 0, 0],
	[0, 1, 0, 0],
	[0, 0, 1, 0],
	[0, 0, 0, 1]
];

/** The mask drawn by hand: a unit is kept when its uniform draw is at least the rate. */
function handMask(seed: number, rate: number, size: number): number[] {
	const random = mulberry32(seed);
	return Array.from({ length: size }, () => (random.next() >= rate ? 1 : 0));
}

describe('dropout', () => {
	const trace = run(scenario(IDENTITY, { rate: 0.5, seed: 7 }));
	const mask = handMask(7, 0.5, 4);

	it('draws its mask from its seed, keeps some units and drops others', () => {
		expect(values(trace, 1, 'M[2]')).toEqual(mask);
		expect(mask).toContain(0);
		expect(mask).toContain(1);
	});

	it('scales the kept units by 1/(1 − rate) at training (inverted dropout)', () => {
		expect(values(trace, 1, 'A[2]')).toEqual([1, 2, 3, 4].map((x, k) => x * mask[k] * 2));
	});

	it('sends the gradient back through the same mask and scale', () => {
		const a3 = 0.5 * 2 * mask[0] * 1 - 1 * 2 * mask[1] * 2 + 0.25 * 2 * mask[2] * 3 + 2 * 2 * mask[3] * 4 + 0.1;
		const dZ3 = a3 - 0.5;
		expect(values(trace, 1, 'A[3]')[0]).toBeCloseTo(a3, 12);
		const dA2 = [0.5, -1, 0.25, 2].map((w) => w * dZ3);
		expect(values(trace, 1, 'dA[2]')).toEqual(dA2);
		values(trace, 1, 'dA[1]').forEach((g, k) => expect(g).toBeCloseTo(dA2[k] * mask[k] * 2, 12));
	});

	it('agrees with finite differences of J with the mask fixed by the seed', () => {
		const dW = values(trace, 1, 'dW[1]');
		const h = 1e-6;
		for (let r = 0; r < 4; r++) {
			for (let c = 0; c < 4; c++) {
				const nudged = (delta: number) => IDENTITY.map((row, i) => row.map((w, j) => (i === r && j === c ? w + delta : w)));
				const J = (delta: number) => values(run(scenario(nudged(delta), { rate: 0.5, seed: 7 })), 1, 'loss')[0];
				const numeric = (J(h) - J(-h)) / (2 * h);
				expect(Math.abs(dW[r * 4 + c] - numeric)).toBeLessThan(1e-7);
			}
		}
	});

	it('draws the same masks from the same seed and others from another one', () => {
		const masks = (dropout: Record<string, number>, seed: number) => {
			const t = run({ ...(scenario(IDENTITY, dropout, 5) as object), training: { epochs: 5, seed } });
			return Array.from({ length: 5 }, (_, s) => values(t, s + 1, 'M[2]').join(''));
		};
		expect(masks({ rate: 0.5, seed: 3 }, 1)).toEqual(masks({ rate: 0.5, seed: 3 }, 1));
		// its own seed wins over the training seed
		expect(masks({ rate: 0.5, seed: 3 }, 1)).toEqual(masks({ rate: 0.5, seed: 3 }, 2));
		expect(masks({ rate: 0.5, seed: 3 }, 1)).not.toEqual(masks({ rate: 0.5, seed: 4 }, 1));
		// without one, the training seed draws them
		expect(masks({ rate: 0.5 }, 1)).toEqual(masks({ rate: 0.5 }, 1));
		expect(masks({ rate: 0.5 }, 1)).not.toEqual(masks({ rate: 0.5 }, 2));
		// a new mask every step
		expect(new Set(masks({ rate: 0.5, seed: 3 }, 1)).size).toBeGreaterThan(1);
	});

	it('is the identity outside training (a run without a loss), with no mask', () => {
		const evaluation = run({ model: (scenario(IDENTITY, { rate: 0.5, seed: 7 }) as { model: unknown }).model, data: { X: [[1, 2, 3, 4]] } });
		expect(values(evaluation, 1, 'A[2]')).toEqual([1, 2, 3, 4]);
		expect(findEvent(evaluation, 1, 'M[2]')).toBeUndefined();
	});

	it('refuses a rate of 1 or more', () => {
		expect(() => run(scenario(IDENTITY, { rate: 1 }))).toThrow();
	});
});
