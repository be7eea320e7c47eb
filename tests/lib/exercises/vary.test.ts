import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/lib/engine/prng';
import { applyVary, readVary, targetPath, type VaryTarget } from '../../../src/lib/exercises/vary';

const network = { model: { input: 2, layers: [{ type: 'dense', units: 2, W: [[0.1, 0.2], [0.3, 0.4]], b: [0, 0] }] }, optimizer: { lr: 0.5 }, data: { X: [[1, 2]], Y: [[1]] } };
const perceptron = { perceptron: { w: [0.1, 0.1], b: 0, threshold: 0.5, lr: 0.1 }, data: { X: [[0, 1]], Y: [[1]] } };

describe('where a vary key writes', () => {
	const cases: [string, Record<string, unknown>, (string | number)[] | null][] = [
		['W[1]', network, ['model', 'layers', 0, 'W']],
		['b[1]', network, ['model', 'layers', 0, 'b']],
		['W[1][0][1]', network, ['model', 'layers', 0, 'W', 0, 1]],
		['A[0]', network, ['data', 'X']],
		['X', network, ['data', 'X']],
		['A[0][0][1]', network, ['data', 'X', 0, 1]],
		['Y', network, ['data', 'Y']],
		['lr', network, ['optimizer', 'lr']],
		['model.layers[0].units', network, ['model', 'layers', 0, 'units']],
		['model.input', network, ['model', 'input']],
		['validation.Y', network, ['validation', 'Y']],
		['validation.X[1][0]', network, ['validation', 'X', 1, 0]],
		['regularization.l2', network, ['regularization', 'l2']],
		['regularization.2l', network, null],
		['W[1]', perceptron, ['perceptron', 'w']],
		['W[1][0][1]', perceptron, ['perceptron', 'w', 1]],
		['b[1]', perceptron, ['perceptron', 'b']],
		['threshold', perceptron, ['perceptron', 'threshold']],
		['lr', perceptron, ['perceptron', 'lr']],
		['W[2]', perceptron, null],
		['threshold', network, null],
		['W[0]', network, null],
		['dW[1]', network, null],
		['W[01]', network, null],
		['W[1][01]', network, null],
		['X[0][1]', network, ['data', 'X', 0, 1]],
		['model..input', network, null],
		['Model.input', network, null]
	];
	it.each(cases)('%s', (key, scenario, path) => {
		expect(targetPath(key, scenario)).toEqual(path);
	});
});

function targets(vary: Record<string, unknown>, scenario: Record<string, unknown> = network): VaryTarget[] {
	const read = readVary(vary, scenario);
	if ('issues' in read) throw new Error(JSON.stringify(read.issues));
	return read.targets;
}

describe('drawing the numbers', () => {
	it('draws every element of a range on its grid, without the excluded values', () => {
		const rule = targets({ 'W[1]': { range: [-1, 1], step: 0.1, exclude: [0] } });
		const seen = new Set<number>();
		for (let seed = 0; seed < 300; seed++) {
			const { drawn } = applyVary(network, rule, mulberry32(seed));
			for (const v of (drawn['W[1]'] as number[][]).flat()) seen.add(v);
		}
		expect(seen.has(0)).toBe(false);
		expect([...seen].every((v) => v >= -1 && v <= 1 && Math.abs(v * 10 - Math.round(v * 10)) < 1e-9 && String(v).length <= 4)).toBe(true);
		expect(seen.size).toBe(20);
	});

	it('accepts the design sketch’s values: [lo, hi] with a step', () => {
		const { drawn } = applyVary(network, targets({ 'A[0]': { values: [0, 1], step: 0.5 } }), mulberry32(3));
		expect((drawn['A[0]'] as number[][])[0].every((v) => [0, 0.5, 1].includes(v))).toBe(true);
	});

	it('draws choices per element and picks whole values', () => {
		const rule = targets({ Y: { choices: [0, 1] }, 'model.layers[0].units': { pick: [3, 4] } });
		const { scenario, drawn } = applyVary(network, rule, mulberry32(7));
		expect([0, 1]).toContain((drawn.Y as number[][])[0][0]);
		expect([3, 4]).toContain((scenario.model as { layers: { units: number }[] }).layers[0].units);
	});

	it('changes one element and leaves the rest and the template as they were', () => {
		const { scenario } = applyVary(network, targets({ 'W[1][1][0]': { range: [5, 6], step: 1 } }), mulberry32(1));
		const W = (scenario.model as { layers: { W: number[][] }[] }).layers[0].W;
		expect([W[0][0], W[0][1], W[1][1]]).toEqual([0.1, 0.2, 0.4]);
		expect([5, 6]).toContain(W[1][0]);
		expect(network.model.layers[0].W[1][0]).toBe(0.3);
	});

	it('gives the same numbers for the same seed', () => {
		const rule = targets({ 'W[1]': { range: [-1, 1], step: 0.1 } });
		expect(applyVary(network, rule, mulberry32(11)).drawn).toEqual(applyVary(network, rule, mulberry32(11)).drawn);
		expect(applyVary(network, rule, mulberry32(11)).drawn).not.toEqual(applyVary(network, rule, mulberry32(12)).drawn);
	});
});

describe('rules that cannot be drawn', () => {
	const cases: [string, Record<string, unknown>, RegExp][] = [
		['a range too fine', { 'W[1]': { range: [0, 1], step: 1e-6 } }, /more than 100000 values/],
		['a range with one value left', { 'W[1]': { range: [0, 1], step: 1, exclude: [1] } }, /fewer than two values/],
		['bounds given twice', { 'W[1]': { range: [0, 1], values: [0, 1], step: 1 } }, /give the bounds once/],
		['one choice', { 'W[1]': { choices: [1] } }, /at least two numbers/],
		['a pick of one', { 'W[1]': { pick: [[1]] } }, /at least two values/],
		['no rule at all', { 'W[1]': 3 }, /expected a rule/]
	];
	it.each(cases)('%s', (_, vary, message) => {
		const read = readVary(vary, network);
		expect('issues' in read && read.issues[0].message).toMatch(message);
	});
});
