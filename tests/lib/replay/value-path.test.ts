import { describe, expect, it } from 'vitest';
import { findEvent, run } from '../../../src/lib/engine';
import { readNumber } from '../../../src/lib/replay/conventions';
import { valuePath } from '../../../src/lib/replay/value-path';
import { stringify } from 'yaml';
import { DESIGN_EXAMPLE } from '../../helpers';

const shuffled = { ...DESIGN_EXAMPLE, data: { X: [[1, 0.5], [0, 1], [2, 3]], Y: [[1], [0], [1]] }, training: { epochs: 2, batch_size: 2, shuffle: true, seed: 4 } };
const perceptron = { perceptron: { w: [0.1, 0.2], b: 0.3, threshold: 0.5 }, data: { X: [[0, 1], [1, 1]], Y: [[0], [1]] } };

describe('the file position of a selected number', () => {
	it.each([
		{ scenario: shuffled, step: 0, name: 'W[1]', index: [1, 0] },
		{ scenario: shuffled, step: 0, name: 'b[2]', index: [0] },
		{ scenario: shuffled, step: 3, name: 'A[0]', index: [1, 1] },
		{ scenario: shuffled, step: 2, name: 'A[0]', index: [0, 0] },
		{ scenario: perceptron, step: 0, name: 'W[1]', index: [0, 1] },
		{ scenario: perceptron, step: 0, name: 'b[1]', index: [0] },
		{ scenario: perceptron, step: 2, name: 'A[0]', index: [0, 0] }
	])('$name at step $step, element $index, holds the number shown', ({ scenario, step, name, index }) => {
		const trace = run(scenario);
		const event = findEvent(trace, step, name);
		if (!event) throw new Error(`no ${name}`);
		const path = valuePath(trace, event, index);
		expect(path).not.toBeNull();
		const flat = index.reduce((offset, k, d) => offset * event.value.shape[d] + k, 0);
		expect(readNumber(stringify(scenario), path ?? [])).toBe(event.value.data[flat]);
	});

	it.each([
		{ step: 1, name: 'W[1]' },
		{ step: 1, name: 'Z[1]' },
		{ step: 1, name: 'loss' }
	])('is not offered for $name at step $step (computed, not given)', ({ step, name }) => {
		const trace = run(shuffled);
		const event = findEvent(trace, step, name);
		if (!event) throw new Error(`no ${name}`);
		expect(valuePath(trace, event, event.value.shape.map(() => 0))).toBeNull();
	});
});
