import { describe, expect, it } from 'vitest';
import { recordingOf } from '../../bench/memory';
import { scenarioOf } from '../../bench/peers/stepwise';
import { taskData, type CnnTask, type DenseTask } from '../../bench/tasks';
import { run } from '../../src/lib/engine/run';

/** The bench times the recording by recording a run again: what it records must be the run's trace. */
describe('the recording the bench times', () => {
	it.each(['xor-sgd', 'cnn'] as const)('records %s again as the run recorded it', (task) => {
		const trace = run(scenarioOf(taskData(task, { tiny: true }) as DenseTask | CnnTask, 'reference'));
		expect(recordingOf(trace)()).toEqual(trace);
	});
});
