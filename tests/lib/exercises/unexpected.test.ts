import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScenarioError } from '../../../src/lib/engine/scenario/issues';
import { goOnWithout } from '../../../src/lib/exercises/unexpected';

describe('the grader going on without a part (src/lib/exercises/unexpected.ts)', () => {
	afterEach(() => vi.restoreAllMocks());

	it.each([
		{ what: 'a scenario that cannot run (a mistake’s, or the student’s values)', error: new ScenarioError([{ path: ['model'], message: 'missing' }]), logged: false },
		{ what: 'a bug: a formula missing for an event', error: new Error('formulas: no formula for the event W[1] (seq 3)'), logged: true },
		{ what: 'a bug: a TypeError in the engine', error: new TypeError('x is undefined'), logged: true }
	])('$what: written to the log, $logged', ({ error, logged }) => {
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		goOnWithout('the diagnosis', error);
		expect(log).toHaveBeenCalledTimes(logged ? 1 : 0);
		if (logged) expect(log.mock.calls[0]).toEqual(['stepwise: the grader went on without the diagnosis, after an unexpected error:', error]);
	});
});
