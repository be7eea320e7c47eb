import { describe, expect, it } from 'vitest';
import { planModel, type LayerPlan } from '../../../src/lib/engine/plan';
import type { NestedNumbers } from '../../../src/lib/engine/tensor';
import { factGivenEarlier, type EarlierSize, type FactAsked } from '../../../src/lib/exercises/facts-carried';

/** conv 8×8 k3 s1 p0 (2 filters) → max pool 2 s2 → flatten → dense 10: sizes [2, 6, 6], [2, 3, 3], 18, 10. */
const SMALL = planModel({
	input: [1, 8, 8],
	layers: [
		{ type: 'conv2d', filters: 2, kernel: 3, stride: 1, padding: 0 },
		{ type: 'pool', mode: 'max', size: 2, stride: 2 },
		{ type: 'flatten' },
		{ type: 'dense', units: 10 }
	]
});

/** exercises/cnn-architecture-9x9x3.yaml: sizes [8, 7, 7], [16, 3, 3], 144, 1; parameters 224, 1168, 0, 145. */
const COURSE = planModel({
	input: [3, 9, 9],
	layers: [
		{ type: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 0 },
		{ type: 'conv2d', filters: 16, kernel: 3, stride: 2, padding: 0 },
		{ type: 'flatten' },
		{ type: 'dense', units: 1 }
	]
});

/** conv 9×9 k3 s1 p1 → conv k3 s2 p0: the padded first conv keeps 9, so the second gives 4. */
const PADDED = planModel({
	input: [1, 9, 9],
	layers: [
		{ type: 'conv2d', filters: 1, kernel: 3, stride: 1, padding: 1 },
		{ type: 'conv2d', filters: 1, kernel: 3, stride: 2, padding: 0 }
	]
});

/** exercises/mlp-dimensions.yaml: 2 → 3 → 1, 9 + 4 = 13 parameters. */
const MLP = planModel({ input: 2, layers: [{ type: 'dense', units: 3 }, { type: 'dense', units: 1 }] });

const size = (layer: number, value: NestedNumbers | null): EarlierSize => ({ ask: 'output_size', layer, value });
const outputSize = (layer: number): FactAsked => ({ ask: 'output_size', layer });
const params = (layer?: number): FactAsked => (layer === undefined ? { ask: 'param_count' } : { ask: 'param_count', layer });

describe('a fact computed from the student’s own earlier sizes', () => {
	const carried: [string, readonly LayerPlan[], FactAsked, EarlierSize[], NestedNumbers][] = [
		// the case: 8 − 3 = 5 without the + 1, then ⌊(5 − 2)/2⌋ + 1 = 2 rightly from it
		['the pool’s size after a conv size without the + 1', SMALL, outputSize(2), [size(1, [2, 5, 5])], [2, 2, 2]],
		['the flattened size after it', SMALL, outputSize(3), [size(1, [2, 5, 5])], 8],
		['the dense layer’s parameters after the flatten', SMALL, params(4), [size(1, [2, 5, 5])], 8 * 10 + 10],
		['the whole model’s parameters', SMALL, params(), [size(1, [2, 5, 5])], 20 + 90],
		['a size written without its channels', SMALL, outputSize(2), [size(1, [5, 5])], [2, 2, 2]],
		['a later wrong size the student went on from', SMALL, outputSize(3), [size(1, [2, 5, 5]), size(2, [2, 4, 4])], 32],
		['the flattened size given wrong, then the dense parameters', SMALL, params(4), [size(3, 20)], 210],
		['a flattened size written as a list of one', SMALL, params(4), [size(3, [20])], 210],
		['the course’s second size without the + 1 in the first', COURSE, outputSize(2), [size(1, [8, 6, 6])], [16, 2, 2]],
		['the course’s dense parameters after it', COURSE, params(4), [size(1, [8, 6, 6])], 4 * 16 + 1],
		['the course’s total after it', COURSE, params(), [size(1, [8, 6, 6])], 224 + 1168 + 65],
		// 3 maps for 8 (the input's channels kept): the second conv's kernels then see 3 maps
		['the next conv’s parameters after wrong channels', COURSE, params(2), [size(1, [3, 7, 7])], (3 * 3 * 3 + 1) * 16],
		['a wrong input size', COURSE, outputSize(1), [size(0, [3, 8, 8])], [8, 6, 6]],
		// 7 for 9 (padding forgotten), then ⌊(7 − 3)/2⌋ + 1 = 3
		['the size after a conv whose padding was forgotten', PADDED, outputSize(2), [size(1, [1, 7, 7])], [1, 3, 3]],
		['a dense layer’s parameters after a wrong hidden size', MLP, params(2), [size(1, 4)], 4 + 1],
		['a dense network’s total after it', MLP, params(), [size(1, 4)], 9 + 5]
	];

	it.each(carried)('%s', (_, plans, question, earlier, value) => {
		const result = factGivenEarlier(plans, question, earlier);
		expect(result?.value).toEqual(value);
		expect(result?.from).toBe(earlier[0]);
	});

	const none: [string, readonly LayerPlan[], FactAsked, EarlierSize[]][] = [
		['an earlier right size', SMALL, outputSize(2), [size(1, [2, 6, 6])]],
		['a right size written without its channels', SMALL, outputSize(2), [size(1, [6, 6])]],
		// 1 × 1 maps: a 2 × 2 pool window does not fit
		['a student size the next window does not fit', SMALL, outputSize(2), [size(1, [2, 1, 1])]],
		['the same, for a fact further on', SMALL, params(4), [size(1, [2, 1, 1])]],
		['a wrong size that gives the same next size', COURSE, outputSize(2), [size(1, [8, 8, 8])]],
		['a conv’s parameters, which its own size does not change', SMALL, params(1), [size(1, [2, 5, 5])]],
		['a conv’s parameters, which the spatial size before it does not change', COURSE, params(2), [size(1, [8, 6, 6])]],
		['a size of a later layer than the one asked', SMALL, outputSize(1), [size(2, [2, 2, 2])]],
		['a size of the layer asked', SMALL, outputSize(2), [size(2, [2, 2, 2])]],
		['a right later size the student went on from', SMALL, outputSize(3), [size(1, [2, 5, 5]), size(2, [2, 3, 3])]],
		['a size that is not whole', SMALL, outputSize(2), [size(1, [2, 5.5, 5.5])]],
		['a size of the wrong rank', SMALL, outputSize(4), [size(3, [2, 3, 3])]],
		['a missing or unreadable answer', SMALL, outputSize(2), [size(1, null)]],
		['no earlier size', SMALL, outputSize(2), []],
		['the input, before which nothing comes', SMALL, outputSize(0), [size(0, [1, 7, 7])]],
		['a layer the model lacks', SMALL, params(9), [size(1, [2, 5, 5])]]
	];

	it.each(none)('none from %s', (_, plans, question, earlier) => {
		expect(factGivenEarlier(plans, question, earlier)).toBeNull();
	});
});

describe('the earlier size a carried fact points at', () => {
	it('is the first that alone changes the fact, with every one that does', () => {
		const first = size(1, [2, 5, 5]);
		const second = size(2, [2, 4, 4]);
		expect(factGivenEarlier(SMALL, outputSize(3), [first, second])).toEqual({ value: 32, from: first, dependsOn: [first, second] });
	});

	it('skips a wrong size that alone changes nothing', () => {
		// 8 maps of 8 × 8 still give 3 × 3 after the stride-2 conv; the wrong flattened size alone does change the dense count
		const harmless = size(1, [8, 8, 8]);
		const flat = size(3, 100);
		expect(factGivenEarlier(COURSE, params(4), [harmless, flat])).toEqual({ value: 101, from: flat, dependsOn: [flat] });
	});

	it('keeps the caller’s objects, so the grader gets its own question back', () => {
		const marked = { ...size(1, [2, 5, 5]), id: 'size1' };
		expect(factGivenEarlier(SMALL, outputSize(2), [marked])?.from.id).toBe('size1');
	});

	it('reads the first answer of a layer given twice', () => {
		expect(factGivenEarlier(SMALL, outputSize(2), [size(1, [2, 5, 5]), size(1, [2, 6, 6])])?.value).toEqual([2, 2, 2]);
	});
});
