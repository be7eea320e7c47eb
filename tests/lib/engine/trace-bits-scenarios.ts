/**
 * Runs whose every recorded event must stay bit for bit what it was: the benchmark's tasks and a
 * few scenarios through the other paths (perceptron, strided and padded convolution, pooling,
 * batch normalisation, dropout, optimizers with states). Each run is summed up as a SHA-256 of
 * every event's step, epoch, phase, name, shape and float64 bytes, in event order.
 */
import { createHash } from 'node:crypto';
import { scenarioOf } from '../../../bench/peers/stepwise';
import { taskData, type CnnTask, type DenseTask } from '../../../bench/tasks';
import { mulberry32 } from '../../../src/lib/engine/prng';
import { run } from '../../../src/lib/engine/run';
import { validateScenario } from '../../../src/lib/engine/scenario/validate';
import { eventAt, type Trace } from '../../../src/lib/engine/trace';

export interface TraceDigest {
	events: number;
	steps: number;
	sha256: string;
}

export function digest(trace: Trace): TraceDigest {
	const hash = createHash('sha256');
	for (let seq = 0; seq < trace.length; seq++) {
		const event = eventAt(trace, seq);
		hash.update(`${event.step} ${event.epoch} ${event.phase} ${event.name} ${event.value.shape.join('x')}\n`);
		const data = event.value.data;
		hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
	}
	return { events: trace.length, steps: trace.steps, sha256: hash.digest('hex') };
}

function rows(random: ReturnType<typeof mulberry32>, count: number, width: number): number[][] {
	return Array.from({ length: count }, () => Array.from({ length: width }, () => Number((2 * random.next() - 1).toFixed(3))));
}

function image(random: ReturnType<typeof mulberry32>, channels: number, side: number): number[][][] {
	return Array.from({ length: channels }, () => rows(random, side, side));
}

function oneHot(random: ReturnType<typeof mulberry32>, count: number, classes: number): number[][] {
	return Array.from({ length: count }, () => {
		const row = new Array<number>(classes).fill(0);
		row[Math.floor(random.next() * classes)] = 1;
		return row;
	});
}

/** name → the trace of that run, computed when asked. */
export const BIT_SCENARIOS: Record<string, () => Trace> = {
	'xor-sgd': () => run(scenarioOf(taskData('xor-sgd', { steps: 400 }) as DenseTask, 'reference')),
	mlp: () => run(scenarioOf(taskData('mlp', { steps: 2 }) as DenseTask, 'reference')),
	cnn: () => run(scenarioOf(taskData('cnn', { steps: 2 }) as CnnTask, 'reference')),
	perceptron: () =>
		run(
			validateScenario({
				perceptron: { w: [0.1, -0.3, 0.2], b: 0.05, threshold: 0.1, strict: true, rule: 'delta', lr: 0.25 },
				data: { X: [[0, 0, 1], [1, 0, 1], [0, 1, 0], [1, 1, 1]], Y: [[0], [1], [0], [1]] },
				training: { epochs: 4, shuffle: true, seed: 3 }
			})
		),
	'cnn-stride-padding-pools': () => {
		const random = mulberry32(7);
		return run(
			validateScenario({
				model: {
					input: [2, 9, 9],
					layers: [
						{ type: 'conv2d', filters: 3, kernel: 3, stride: 2, padding: 1, activation: 'relu' },
						{ type: 'pool', mode: 'max', size: 2, stride: 1 },
						{ type: 'conv2d', filters: 2, kernel: [2, 3], padding: [1, 0], flip: true, activation: 'tanh' },
						{ type: 'pool', mode: 'avg', size: 2, padding: 'same' },
						{ type: 'flatten' },
						{ type: 'dense', units: 3, activation: 'softmax' }
					]
				},
				loss: 'categorical_cross_entropy',
				optimizer: { type: 'adam', lr: 0.01 },
				data: { X: Array.from({ length: 5 }, () => image(random, 2, 9)), Y: oneHot(random, 5, 3) },
				training: { epochs: 3, batch_size: 2, shuffle: true, seed: 5 }
			})
		);
	},
	'dense-batchnorm-dropout-momentum': () => {
		const random = mulberry32(11);
		return run(
			validateScenario({
				model: {
					input: 4,
					layers: [
						{ type: 'dense', units: 6, activation: 'relu', init: { weights: 'he', seed: 2 } },
						{ type: 'batchnorm' },
						{ type: 'dropout', rate: 0.3 },
						{ type: 'dense', units: 2, activation: 'sigmoid' }
					]
				},
				loss: 'mse',
				optimizer: { type: 'momentum', lr: 0.05, momentum: 0.9 },
				regularization: { l2: 0.01 },
				metrics: ['mae'],
				data: { X: rows(random, 7, 4), Y: rows(random, 7, 2) },
				training: { epochs: 3, batch_size: 3, shuffle: true, seed: 9 }
			})
		);
	}
};
