import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loopsPeer } from '../../bench/peers/loops';
import { tfjsPeer } from '../../bench/peers/tfjs';
import { TASK_NAMES, taskData, type TaskData, type TaskName, type TaskResult } from '../../bench/tasks';

function expectRelative(actual: number | undefined, expected: number, tolerance: number, where: string): void {
	// A missing value reads as NaN, which is never within tolerance.
	const error = Math.abs((actual ?? NaN) - expected) / Math.abs(expected);
	expect(error, `${where}: ${actual} against ${expected}`).toBeLessThan(tolerance);
}

function expectAllRelative(actual: number[], expected: number[], tolerance: number, where: string): void {
	expect(actual.length, `${where}: how many`).toBe(expected.length);
	expected.forEach((e, i) => expectRelative(actual[i], e, tolerance, `${where}[${i}]`));
}

/** The numbers a run gives to check its maths by, whichever the task. */
function checkValues(name: TaskName, result: TaskResult): number[] {
	switch (name) {
		case 'xor-sgd':
			return result.finalLoss === undefined ? [] : [result.finalLoss];
		case 'mlp':
		case 'cnn':
			return result.lossesAtStep ?? [];
		case 'grid':
			return result.frameChecksum === undefined ? [] : [result.frameChecksum];
	}
}

// BENCH.md gives 7 or 8 significant digits.
const PUBLISHED = 1e-6;
// float32 against float64, over a few steps.
const FLOAT32 = 1e-4;

const tiny = Object.fromEntries(TASK_NAMES.map((name) => [name, taskData(name, { tiny: true })])) as Record<TaskName, TaskData>;
// Full-size mlp and cnn data, trained for two steps only: the published losses are steps 1 and 2.
const twoSteps = { mlp: taskData('mlp', { steps: 2 }), cnn: taskData('cnn', { steps: 2 }) };

describe('the loops peer reproduces the losses BENCH.md publishes', () => {
	it('xor-sgd: 0.1256984 before training, 0.001238556 after 10,000 steps', async () => {
		expectRelative((await loopsPeer.run(taskData('xor-sgd', { steps: 0 }))).finalLoss, 0.1256984, PUBLISHED, 'before');
		expectRelative((await loopsPeer.run(taskData('xor-sgd'))).finalLoss, 0.001238556, PUBLISHED, 'after');
	});

	it('mlp: batch losses 2.6259407 and 3.4674734 at steps 1 and 2', async () => {
		expectAllRelative((await loopsPeer.run(twoSteps.mlp)).lossesAtStep ?? [], [2.6259407, 3.4674734], PUBLISHED, 'mlp');
	});

	it('cnn: batch losses 2.7474982 and 2.8182211 at steps 1 and 2', async () => {
		expectAllRelative((await loopsPeer.run(twoSteps.cnn)).lossesAtStep ?? [], [2.7474982, 2.8182211], PUBLISHED, 'cnn');
	});

	it.each(TASK_NAMES)('runs %s tiny, giving its check values', async (name) => {
		const result = await loopsPeer.run(tiny[name]);
		expect(result.ms).toBeGreaterThanOrEqual(0);
		expect(checkValues(name, result).length).toBeGreaterThan(0);
		expect(checkValues(name, result).every(Number.isFinite)).toBe(true);
	});
});

describe.each(['cpu', 'wasm'] as const)('TF.js %s agrees with the loops in float32', (backend) => {
	const peer = tfjsPeer(backend);
	beforeAll(() => peer.prepare?.());

	it.each(TASK_NAMES)('%s, tiny, freeing every tensor it made', async (name) => {
		const before = tf.memory().numTensors;
		const result = await peer.run(tiny[name]);
		expect(tf.memory().numTensors).toBe(before);
		expect(result.ms).toBeGreaterThanOrEqual(0);
		const expected = checkValues(name, await loopsPeer.run(tiny[name]));
		expect(expected.length).toBeGreaterThan(0);
		expectAllRelative(checkValues(name, result), expected, FLOAT32, name);
	});

	it.each(['mlp', 'cnn'] as const)('%s, full size: the batch losses of steps 1 and 2', async (name) => {
		const expected = (await loopsPeer.run(twoSteps[name])).lossesAtStep ?? [];
		expectAllRelative((await peer.run(twoSteps[name])).lossesAtStep ?? [], expected, FLOAT32, name);
	});
});
