import { run, type Trace } from '../../../src/lib/engine';

export const XOR = { X: [[0, 0], [0, 1], [1, 0], [1, 1]], Y: [[0], [1], [1], [0]] };

/** A 2-2-1 sigmoid network learning XOR in shuffled mini-batches of 2: 40 steps whose regions differ. */
export function xorNetworkRun(seed: number): Trace {
	return run({
		model: {
			input: 2,
			layers: [
				{ type: 'dense', units: 2, activation: 'sigmoid', W: [[4, 4], [-4, -4]], b: [-2, 6] },
				{ type: 'dense', units: 1, activation: 'sigmoid', W: [[3, 3]], b: [-4] }
			]
		},
		loss: 'binary_cross_entropy',
		optimizer: { type: 'sgd', lr: 1 },
		data: XOR,
		training: { epochs: 20, batch_size: 2, shuffle: true, seed }
	});
}
