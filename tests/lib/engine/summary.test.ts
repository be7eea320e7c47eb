import { describe, expect, it } from 'vitest';
import { outputShape, paramCount, ScenarioError, summarize } from '../../../src/lib/engine';

describe('model summary (stepwise info)', () => {
	it('gives each layer’s output shape per sample and its parameters, pool and flatten included', () => {
		const summary = summarize({
			model: {
				input: [3, 9, 9],
				layers: [
					{ type: 'conv2d', filters: 8, kernel: 3 },
					{ type: 'pool', mode: 'max', size: 2 },
					{ type: 'flatten' },
					{ type: 'dense', units: 10, activation: 'softmax' }
				]
			}
		});
		expect(summary).toEqual({
			layers: [
				{ index: 1, type: 'conv2d', output_shape: [8, 7, 7], params: 224 },
				{ index: 2, type: 'pool', output_shape: [8, 3, 3], params: 0 },
				{ index: 3, type: 'flatten', output_shape: [72], params: 0 },
				{ index: 4, type: 'dense', output_shape: [10], params: 730 }
			],
			params: 954
		});
	});

	it('describes a perceptron as one unit with a weight per input and its bias', () => {
		expect(summarize({ perceptron: { w: [0.1, 0.1], b: null } }).params).toBe(2);
		expect(summarize({ perceptron: { w: [0.1, 0.1, 0.3], b: 0 } })).toEqual({
			layers: [{ index: 1, type: 'perceptron', output_shape: [1], params: 4 }],
			params: 4
		});
	});

	it('counts models far too big to run, without allocating them', () => {
		expect(paramCount({ input: 262144, layers: [{ type: 'dense', units: 131072 }, { type: 'dense', units: 65536 }, { type: 'dense', units: 1 }] })).toBe(42_949_935_105);
	});

	it.each([
		{ layer: 0, shape: [1, 28, 28] },
		{ layer: 1, shape: [6, 24, 24] },
		{ layer: 2, shape: [6, 12, 12] },
		{ layer: 3, shape: [864] }
	])('outputShape(model, $layer) is $shape', ({ layer, shape }) => {
		const model = {
			input: [1, 28, 28],
			layers: [{ type: 'conv2d', filters: 6, kernel: 5 }, { type: 'pool', mode: 'avg', size: 2 }, { type: 'flatten' }]
		};
		expect(outputShape(model, layer)).toEqual(shape);
	});

	it('says which layer does not fit', () => {
		expect(() => paramCount({ input: [1, 5, 5], layers: [{ type: 'conv2d', filters: 1, kernel: 7 }] })).toThrow(
			new ScenarioError([{ path: ['model', 'layers', 0, 'kernel'], message: '7 is larger than its input 5×5' }])
		);
		expect(() => outputShape({ input: 3, layers: [{ type: 'dense', units: 2 }] }, 5)).toThrow(/layer 5 does not exist/);
	});
});
