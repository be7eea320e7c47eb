import { describe, expect, it } from 'vitest';
import {
	baseOf,
	isBatched,
	isGradient,
	isParameter,
	LAYER_SYMBOLS,
	layerName,
	layerOf,
	nameOf,
	parseAddress,
	parseName,
	QUANTITY_SYMBOLS,
	quantityOf,
	splitIndices,
	STATE_SYMBOLS,
	type Quantity
} from '../../../src/lib/engine/quantity';
import { run } from '../../../src/lib/engine/run';
import { DESIGN_EXAMPLE } from '../../helpers';


/** conv, pool and flatten count as layers: names up to layer 4. */
const CNN = {
	model: {
		input: [1, 4, 4],
		layers: [
			{ type: 'conv2d', filters: 1, kernel: 3, activation: 'relu', init: { weights: 'uniform', bias: 'uniform', scale: 0.5, seed: 7 } },
			{ type: 'pool', mode: 'max', size: 2 },
			{ type: 'flatten' },
			{ type: 'dense', units: 1, activation: 'sigmoid', init: { weights: 'xavier', seed: 2 } }
		]
	},
	loss: 'binary_cross_entropy',
	optimizer: { type: 'sgd', lr: 0.1 },
	data: { X: [[[[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]]]], Y: [[1]] }
};

const PERCEPTRON = {
	perceptron: { w: [0.1, 0.1], b: 0.2, threshold: 0.5, strict: true, rule: 'delta', lr: 0.1 },
	data: { X: [[0, 0], [1, 0]], Y: [[0], [1]] },
	training: { epochs: 2 }
};

const DIVERGING = {
	model: { input: 1, layers: [{ type: 'dense', units: 1, W: [[1e200]], b: [0] }] },
	loss: 'squared_error',
	optimizer: { type: 'sgd', lr: 1 },
	data: { X: [[1e200]], Y: [[0]] }
};

describe('every name the engine records parses back to itself', () => {
	it.each([
		['an MLP (DESIGN.md’s 2-2-1 example)', DESIGN_EXAMPLE, ['W[1]', 'b[1]', 'W[2]', 'b[2]', 'A[0]', 'Z[1]', 'A[1]', 'Z[2]', 'A[2]', 'loss', 'dA[2]', 'dZ[2]', 'dW[2]', 'db[2]', 'dA[1]', 'dZ[1]', 'dW[1]', 'db[1]']],
		['a CNN', CNN, ['W[1]', 'b[1]', 'W[4]', 'b[4]', 'A[0]', 'Z[1]', 'A[1]', 'A[2]', 'A[3]', 'Z[4]', 'A[4]', 'loss', 'dA[4]', 'dZ[4]', 'dW[4]', 'db[4]', 'dA[3]', 'dA[2]', 'dA[1]', 'dZ[1]', 'dW[1]', 'db[1]']],
		['a perceptron', PERCEPTRON, ['W[1]', 'b[1]', 'A[0]', 'Z[1]', 'A[1]', 'error']],
		['a diverging run', DIVERGING, ['W[1]', 'b[1]', 'A[0]', 'diverged']]
	])('%s', (_, scenario, expected) => {
		const names = run(scenario).names;
		expect(names).toEqual(expected);
		for (const name of names) {
			const q = parseName(name);
			expect(q, name).not.toBeNull();
			if (q) expect(nameOf(q)).toBe(name);
		}
	});
});

describe('parseName', () => {
	it.each<[string, Quantity]>([
		['dZ[2]', { symbol: 'dZ', layer: 2 }],
		['A[0]', { symbol: 'A', layer: 0 }],
		['W[12]', { symbol: 'W', layer: 12 }],
		['loss', { symbol: 'loss', layer: null }],
		['error', { symbol: 'error', layer: null }],
		['diverged', { symbol: 'diverged', layer: null }]
	])('%s', (name, q) => {
		expect(parseName(name)).toEqual(q);
		expect(nameOf(q)).toBe(name);
	});

	// one rule for every reader: exactly the text the engine writes, nothing looser
	it.each(['W[01]', 'W[00]', 'W[-1]', 'W[+1]', 'W[1.0]', 'W[ 1]', ' W[1]', 'W[1] ', 'W[1', 'W1', 'W[]', 'W[x]', 'W', 'w[1]', 'dw[1]', 'Y', 'X', 'foo[1]', 'loss[0]', 'W[1][0]', 'W[99999999999999999999]', ''])(
		'%s is refused',
		(name) => {
			expect(parseName(name)).toBeNull();
			expect(quantityOf(name)).toBeNull();
			expect(layerOf(name)).toBeNull();
		}
	);

	it('parses a layer beyond the model: the range is the model’s business, not the name’s', () => {
		expect(parseName('Z[0]')).toEqual({ symbol: 'Z', layer: 0 });
	});
});

describe('parseAddress: a name followed by element indices', () => {
	it.each<[string, Quantity, number[]]>([
		['dW[1][0][1]', { symbol: 'dW', layer: 1 }, [0, 1]],
		['A[0][0][1]', { symbol: 'A', layer: 0 }, [0, 1]],
		['Z[1]', { symbol: 'Z', layer: 1 }, []],
		['loss[0]', { symbol: 'loss', layer: null }, [0]]
	])('%s', (text, quantity, index) => {
		expect(parseAddress(text)).toEqual({ quantity, index });
	});

	it.each(['W[1][01]', 'W[1][-1]', 'W[1][0', 'W[1]x', 'W[1][0] ', 'W'])('%s is refused, as the name is', (text) => {
		expect(parseAddress(text)).toBeNull();
	});

	it('splits the other names of a vary key the same way', () => {
		expect(splitIndices('X[0][1]')).toEqual({ head: 'X', indices: [0, 1] });
		expect(splitIndices('lr')).toEqual({ head: 'lr', indices: [] });
		expect(splitIndices('X[01]')).toBeNull();
	});
});

describe('what a symbol is', () => {
	it('names the gradients and their bases', () => {
		expect(QUANTITY_SYMBOLS.filter(isGradient)).toEqual(['dA', 'dZ', 'dW', 'db', 'dgamma', 'dbeta']);
		expect(baseOf('dgamma')).toBe('gamma');
		expect(baseOf('dZ')).toBe('Z');
		expect(baseOf('W')).toBe('W');
		expect(layerName('dW', 2)).toBe('dW[2]');
	});

	it('knows which tensors have one row per sample and which belong to a layer’s parameters', () => {
		// a batch normalisation's x̂ has a row per sample; its μ and σ² one value per feature
		expect(QUANTITY_SYMBOLS.filter(isBatched)).toEqual(['A', 'Z', 'dA', 'dZ', 'M', 'xhat', 'error']);
		expect([...LAYER_SYMBOLS, ...STATE_SYMBOLS].filter(isParameter)).toEqual([
			'W',
			'b',
			'dW',
			'db',
			'gamma',
			'beta',
			'dgamma',
			'dbeta',
			'moving_mean',
			'moving_variance',
			'vW',
			'vb',
			'mW',
			'mb',
			'sW',
			'sb',
			'vgamma',
			'vbeta',
			'mgamma',
			'mbeta',
			'sgamma',
			'sbeta'
		]);
	});
});
