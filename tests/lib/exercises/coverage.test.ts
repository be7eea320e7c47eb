/**
 * Which mistakes of the catalogue a set of exercises can exercise: on small exercises, one where a
 * mistake can occur and one where it cannot, and on the whole library, which must leave none out
 * (a code added to the catalogue needs an exercise where a student can make it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exercisedMistakes, unexercisedMistakes } from '../../../src/lib/exercises/coverage';
import { parseExercise, type Exercise } from '../../../src/lib/exercises/exercise';
import { MISTAKES } from '../../../src/lib/exercises/mistakes/catalogue';
import { PROJECT_ROOT } from '../../helpers';

function parsed(text: string, file: string): Exercise {
	const result = parseExercise(text, file);
	if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.issues)}`);
	return result.exercise;
}

/** A sigmoid network 2-h-o, one sample, ½ squared error, with the file's own numbers. */
function network(hidden: 2 | 3, outputs: 1 | 2, asks: string[]): Exercise {
	const W1 = hidden === 2 ? '[[0.3, -0.2], [0.5, 0.4]]' : '[[0.3, -0.2], [0.5, 0.4], [-0.6, 0.1]]';
	const W2 = Array.from({ length: outputs }, (_, j) => `[${Array.from({ length: hidden }, (_, k) => (0.7 - 0.4 * k + 0.3 * j).toFixed(1)).join(', ')}]`).join(', ');
	return parsed(
		`id: tiny
title: { fr: Petit, en: Tiny }
statement: { fr: "Calculez.", en: "Compute." }
topic: backprop
notation: bracket
allow: [mistakes-coincide]
scenario:
  model:
    input: 2
    layers:
      - { type: dense, units: ${hidden}, activation: sigmoid, W: ${W1}, b: [${new Array(hidden).fill(0.1).join(', ')}] }
      - { type: dense, units: ${outputs}, activation: sigmoid, W: [${W2}], b: [${new Array(outputs).fill(0).join(', ')}] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.3 }
  data: { X: [[1, 0.5]], Y: [[${new Array(outputs).fill(1).join(', ')}]] }
questions:
${asks.map((ask) => `  - { ask: "${ask}", step: 1 }`).join('\n')}
`,
		'tiny.yaml'
	);
}

/** A linear neuron on four samples in batches of `batch`, its gradients summed or averaged over a batch. */
function batches(reduction: 'mean' | 'sum', batch: number): Exercise {
	return parsed(
		`id: batches
title: { fr: Lots, en: Batches }
statement: { fr: "Calculez.", en: "Compute." }
topic: training
notation: bracket
allow: [mistakes-coincide]
scenario:
  model:
    input: 1
    layers:
      - { type: dense, units: 1, activation: identity, W: [[0.5]], b: [0] }
  loss: half_squared_error
  reduction: ${reduction}
  optimizer: { type: sgd, lr: 0.1 }
  data: { X: [[0], [1], [2], [3]], Y: [[1], [3], [4], [7]] }
  training: { epochs: 1, batch_size: ${batch}, shuffle: false }
questions:
  - { ask: "dW[1][0][0]", step: 1 }
`,
		'batches.yaml'
	);
}

describe('the mistakes an exercise can exercise', () => {
	it.each([
		['dA[1] through a square W[2] (2-2-2)', network(2, 2, ['dA[1]']), 'w-not-transposed', true],
		['dA[1] through a 2 × 3 W[2] (2-3-2): W and Wᵀ differ in shape', network(3, 2, ['dA[1]']), 'w-not-transposed', false],
		['dA[1] through a 1 × 2 W[2] (2-2-1)', network(2, 1, ['dA[1]']), 'w-not-transposed', false],
		['a forward pass only, through a square W[2]', network(2, 2, ['Z[1]', 'A[2]']), 'w-not-transposed', false],
		['a square W[1] read column by column, in the forward pass', network(2, 2, ['Z[1]']), 'rows-columns-swapped', true],
		['σ′ forgotten in a hidden delta', network(2, 1, ['dZ[1]']), 'missing-activation-derivative', true],
		['a batch of 2 whose gradient is a sum', batches('sum', 2), 'mean-instead-of-sum', true],
		['a batch of 1: mean and sum are the same', batches('sum', 1), 'mean-instead-of-sum', false],
		['a batch of 2 whose gradient is a mean', batches('mean', 2), 'mean-instead-of-sum', false],
		['a batch of 2 whose gradient is a mean, summed', batches('mean', 2), 'sum-instead-of-mean', true]
	] as const)('%s: %s', (_, exercise, code, expected) => {
		expect(exercisedMistakes(exercise).has(code)).toBe(expected);
		expect(unexercisedMistakes([exercise]).includes(code)).toBe(!expected);
	});

	it('reads the whole catalogue, in its order: with no exercise, every code is left out', () => {
		expect(unexercisedMistakes([])).toEqual(MISTAKES.map((m) => m.code));
	});

	it('leaves out only what none of the exercises covers', () => {
		const covered = unexercisedMistakes([network(2, 2, ['dA[1]']), batches('sum', 2)]);
		expect(covered).not.toContain('w-not-transposed');
		expect(covered).not.toContain('mean-instead-of-sum');
		expect(covered).toContain('kernel-flipped');
	});
});

describe('the exercise library', () => {
	const DIR = join(PROJECT_ROOT, 'exercises');
	const library = readdirSync(DIR)
		.filter((f) => f.endsWith('.yaml'))
		.sort()
		.map((f) => parsed(readFileSync(join(DIR, f), 'utf8'), f));

	// a code added to the catalogue fails here until an exercise lets a student make it
	it('lets every mistake of the catalogue occur in some exercise', { timeout: 60_000 }, () => {
		expect(unexercisedMistakes(library)).toEqual([]);
	});
});
