import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { explain, plainWriting } from '../../../src/lib/formulas';
import { inForce, inStep } from '../../../src/lib/viz/cursor';
import { flattenFrame, flattenSource } from '../../../src/lib/viz/flatten';
import { decimate, lossAt, lossSeries } from '../../../src/lib/viz/loss';
import { elementKey, graphElementOf, graphFrame, indexOfElement } from '../../../src/lib/viz/network-frame';
import { denseChain, layerOfEvent, sampleOf } from '../../../src/lib/viz/quantity';
import { DESIGN_EXAMPLE } from '../../helpers';

function seqOf(trace: Trace, step: number, name: string): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.seq;
}

const mlp = run(DESIGN_EXAMPLE);
const cnnScenario = {
	model: {
		input: [1, 5, 5],
		layers: [
			{ type: 'conv2d', filters: 2, kernel: 3, activation: 'relu', init: { weights: 'uniform', seed: 3 } },
			{ type: 'pool', mode: 'max', size: 2, stride: 1 },
			{ type: 'flatten' },
			{ type: 'dense', units: 3, activation: 'sigmoid' },
			{ type: 'dense', units: 1, activation: 'sigmoid' }
		]
	},
	loss: 'binary_cross_entropy',
	optimizer: { type: 'sgd', lr: 0.1 },
	data: {
		X: [[[[1, 0, 1, 0, 1], [0, 1, 0, 1, 0], [1, 0, 1, 0, 1], [0, 1, 0, 1, 0], [1, 0, 1, 0, 1]]], [[[0, 0, 1, 0, 0], [0, 0, 1, 0, 0], [1, 1, 1, 1, 1], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0]]]],
		Y: [[1], [0]]
	},
	training: { epochs: 3, batch_size: 2 }
};
const cnn = run(cnnScenario);

describe('which layer picture an event belongs to', () => {
	it.each([
		{ trace: mlp, name: 'A[0]', layer: 1, type: 'dense' },
		{ trace: mlp, name: 'loss', layer: 2, type: 'dense' },
		{ trace: run({ ...DESIGN_EXAMPLE, optimizer: { type: 'sgd', lr: { schedule: 'inverse_time', initial: 0.5, decay_rate: 1, decay_steps: 1 } } }), name: 'lr', layer: 2, type: 'dense' },
		{ trace: cnn, name: 'A[0]', layer: 1, type: 'conv2d' },
		{ trace: cnn, name: 'dA[2]', layer: 2, type: 'pool' },
		{ trace: cnn, name: 'A[3]', layer: 3, type: 'flatten' },
		{ trace: cnn, name: 'dW[4]', layer: 4, type: 'dense' }
	])('$name → layer $layer ($type)', ({ trace, name, layer, type }) => {
		expect(layerOfEvent(trace.setup, name)).toMatchObject({ index: layer, type });
	});

	it.each([
		{ layer: 4, chain: { first: 4, last: 5 } },
		{ layer: 5, chain: { first: 4, last: 5 } },
		{ layer: 1, chain: null }
	])('dense chain of layer $layer', ({ layer, chain }) => {
		expect(denseChain(cnn.setup.layers, layer)).toEqual(chain);
	});

	it('draws a dropout or batch normalisation between dense layers as a column of its own, each unit joined to its own', () => {
		const trace = run({
			model: { input: 2, layers: [{ type: 'dense', units: 3 }, { type: 'dropout', rate: 0.5 }, { type: 'batchnorm' }, { type: 'dense', units: 1 }] },
			data: { X: [[1, 2]] }
		});
		expect(denseChain(trace.setup.layers, 1)).toEqual({ first: 1, last: 4 });
		expect(denseChain(trace.setup.layers, 2)).toBeNull();
		const frame = graphFrame(trace, seqOf(trace, 1, 'A[4]'), null, [], 4);
		expect(frame?.sizes).toEqual([2, 3, 3, 3, 1]);
		expect(frame?.unitwise).toEqual([false, false, true, true, false]);
	});

	it.each([
		{ name: 'Z[1]', index: [1, 0], sample: 1 },
		{ name: 'W[1]', index: [1, 0], sample: 0 },
		{ name: 'A[1]', index: null, sample: 0 }
	])('$name $index shows sample $sample', ({ name, index, sample }) => {
		expect(sampleOf(name, index)).toBe(sample);
	});
});

describe('the cursor reads only its own step', () => {
	it('W in force during step s is W of step s − 1 until the update, then the update', () => {
		const before = inForce(cnn, seqOf(cnn, 2, 'loss'), 'W[4]');
		const after = inForce(cnn, seqOf(cnn, 2, 'b[4]'), 'W[4]');
		expect(before?.seq).toBe(seqOf(cnn, 1, 'W[4]'));
		expect(after?.seq).toBe(seqOf(cnn, 2, 'W[4]'));
		expect(inStep(cnn, seqOf(cnn, 2, 'Z[1]'), 'A[3]')).toBeUndefined();
	});
});

describe('graphFrame of the 2-2-1 example (DESIGN.md)', () => {
	it('shows the sizes, A of the sample and the weights in force', () => {
		const frame = graphFrame(mlp, seqOf(mlp, 1, 'loss'), null, [], 2);
		expect(frame?.sizes).toEqual([2, 2, 1]);
		expect(Array.from(frame?.activations[0] ?? [])).toEqual([1, 0.5]);
		expect(frame?.activations[2]?.[0]).toBeCloseTo(0.5392, 4);
		expect(Array.from(frame?.weights[1]?.data ?? [])).toEqual([0.1, -0.2, 0.4, 0.3]);
		expect(frame?.loss).not.toBeNull();
	});

	it('does not show what the cursor has not computed yet', () => {
		const frame = graphFrame(mlp, seqOf(mlp, 1, 'Z[1]'), [0, 1], [], 1);
		expect(frame?.activations[1]).toBeNull();
		expect(frame?.activations[2]).toBeNull();
		expect(frame?.loss).toBeNull();
	});

	it.each([
		{ name: 'Z[1]', layer: 1, index: [0, 1], kind: 'node', column: 1, selected: 'node:1:1', back: [0, 1] },
		{ name: 'A[0]', layer: 1, index: [0, 0], kind: 'node', column: 0, selected: 'node:0:0', back: [0, 0] },
		{ name: 'dW[2]', layer: 2, index: [0, 1], kind: 'edge', column: 2, selected: 'edge:2:0:1', back: [0, 1] },
		{ name: 'W[1]', layer: 1, index: [1, 0], kind: 'edge', column: 1, selected: 'edge:1:1:0', back: [1, 0] },
		{ name: 'db[1]', layer: 1, index: [1], kind: 'bias', column: 1, selected: 'bias:1:1', back: [1] },
		{ name: 'loss', layer: 2, index: [], kind: 'loss', column: 2, selected: 'loss', back: [] }
	])('$name $index writes $kind elements of column $column, selects $selected', ({ name, layer, index, kind, column, selected, back }) => {
		const frame = graphFrame(mlp, seqOf(mlp, 1, name), index, [], layer);
		expect(frame?.writes?.kind).toBe(kind);
		expect(frame?.writes?.column).toBe(column);
		expect(frame?.selected).toBe(selected);
		const element = graphElementOf(name, index, { first: 1, last: 2 }, 0);
		expect(element && elementKey(element)).toBe(selected);
		if (element) expect(indexOfElement(element, 0)).toEqual(back);
	});

	it('highlights the reads of the shown sample only', () => {
		const frame = graphFrame(mlp, seqOf(mlp, 1, 'Z[1]'), [0, 1], [
			{ step: 1, name: 'A[0]', index: [0, 0] },
			{ step: 0, name: 'W[1]', index: [1, 0] },
			{ step: 0, name: 'b[1]', index: [1] },
			{ step: 1, name: 'A[0]', index: [3, 0] }
		], 1);
		expect([...(frame?.reads ?? [])].sort()).toEqual(['bias:1:1', 'edge:1:1:0', 'node:0:0']);
	});

	it('lights each term of a hidden ∂J/∂a with its number: the edge w_jk and the neuron j above', () => {
		const net = run({
			model: {
				input: 2,
				layers: [
					{ type: 'dense', units: 2, activation: 'sigmoid', W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1] },
					{ type: 'dense', units: 2, activation: 'sigmoid', W: [[0.5, -0.5], [0.25, 0.75]], b: [0.2, -0.3] }
				]
			},
			loss: 'half_squared_error',
			optimizer: { type: 'sgd', lr: 0.5 },
			data: { X: [[1, 0.5]], Y: [[1, 0]] }
		});
		const seq = seqOf(net, 1, 'dA[1]');
		const element = explain(net, seq, { profile: plainWriting('bracket'), digits: 4, locale: 'en' }).element([0, 1]);
		const frame = graphFrame(net, seq, [0, 1], element?.reads ?? [], 1, [], element?.terms ?? []);
		expect(Object.fromEntries(frame?.terms ?? [])).toEqual({ 'edge:2:0:1': 0, 'node:2:0': 0, 'edge:2:1:1': 1, 'node:2:1': 1 });
		// the other hidden unit's edges are not part of this sum
		expect(frame?.terms.has('edge:2:0:0')).toBe(false);
		expect(graphFrame(net, seq, [0, 1], [], 1)?.terms.size).toBe(0);
	});

	it('starts a CNN graph at the flatten output', () => {
		const frame = graphFrame(cnn, seqOf(cnn, 1, 'Z[4]'), [1, 2], [], 4);
		expect(frame?.sizes).toEqual([8, 3, 1]);
		expect(frame?.sample).toBe(1);
		expect(frame?.activations[0]?.length).toBe(8);
		expect(frame?.selected).toBe('node:1:2');
	});

	it('marks the columns of frozen layers (trainable: false), counted from the chain’s first layer', () => {
		expect(graphFrame(mlp, seqOf(mlp, 1, 'loss'), null, [], 2)?.frozen).toEqual([false, false, false]);
		const model = DESIGN_EXAMPLE.model as { input: number; layers: Record<string, unknown>[] };
		const hiddenFrozen = run({ ...DESIGN_EXAMPLE, model: { ...model, layers: [{ ...model.layers[0], trainable: false }, model.layers[1]] } });
		expect(graphFrame(hiddenFrozen, seqOf(hiddenFrozen, 1, 'W[1]'), null, [], 1)?.frozen).toEqual([false, true, false]);
		const cnnModel = cnnScenario.model as { input: number[]; layers: Record<string, unknown>[] };
		const headFrozen = run({ ...cnnScenario, model: { ...cnnModel, layers: cnnModel.layers.map((l, i) => (i === 3 ? { ...l, trainable: false } : l)) } });
		expect(graphFrame(headFrozen, seqOf(headFrozen, 1, 'Z[4]'), null, [], 4)?.frozen).toEqual([false, true, false]);
	});
});

describe('flattenFrame', () => {
	it.each([
		{ k: 0, source: [0, 0, 0] },
		{ k: 3, source: [0, 1, 1] },
		{ k: 5, source: [1, 0, 1] },
		{ k: 7, source: [1, 1, 1] }
	])('position $k of the vector comes from channel, row, column $source', ({ k, source }) => {
		expect(flattenSource(k, [2, 2, 2])).toEqual(source);
		const frame = flattenFrame(cnn, seqOf(cnn, 1, 'A[3]'), [1, k]);
		expect(frame?.source).toEqual(source);
		expect(frame?.sample).toBe(1);
		const [c, i, j] = source;
		expect(frame?.vector?.[k]).toBe(frame?.map?.[(c * 2 + i) * 2 + j]);
	});
});

describe('the loss curve', () => {
	it('has one point per step, found by step', () => {
		const series = lossSeries(cnn);
		expect(Array.from(series.steps)).toEqual([1, 2, 3]);
		expect(lossAt(series, 2)).toBe(findEvent(cnn, 2, 'loss')?.value.data[0]);
		expect(lossAt(series, 9)).toBeNull();
		expect(lossSeries(mlp).steps.length).toBe(1);
	});

	it.each([
		{ n: 10, buckets: 600, points: 10 },
		{ n: 10_000, buckets: 100, points: 200 }
	])('decimates $n points to at most $points, keeping the extremes', ({ n, buckets, points }) => {
		const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i) + (i === 777 ? 50 : 0));
		const series = { steps: Int32Array.from({ length: n }, (_, i) => i + 1), values };
		const kept = decimate(series, buckets);
		expect(kept.length).toBeLessThanOrEqual(points);
		expect(Math.max(...kept.map((p) => p[1]))).toBe(Math.max(...values));
		expect(kept.map((p) => p[0])).toEqual([...kept.map((p) => p[0])].sort((a, b) => a - b));
	});
});

describe('the lit entries on the network graph', () => {
	it('lands a δ’s wrong entries on their units, and a gradient’s on its edge', () => {
		const dZ = graphFrame(mlp, seqOf(mlp, 1, 'dZ[1]'), [0, 0], [], 1, [
			[0, 0],
			[0, 1]
		]);
		expect([...(dZ?.lit ?? [])]).toEqual([
			['node:1:0', '0.0'],
			['node:1:1', '0.1']
		]);
		const dW = graphFrame(mlp, seqOf(mlp, 1, 'dW[2]'), null, [], 2, [[0, 1]]);
		expect([...(dW?.lit ?? [])]).toEqual([['edge:2:0:1', '0.1']]);
		const db = graphFrame(mlp, seqOf(mlp, 1, 'db[1]'), null, [], 1, [[1]]);
		expect([...(db?.lit ?? [])]).toEqual([['bias:1:1', '1']]);
	});

	it('draws nothing for entries of another sample or of another rank', () => {
		const frame = graphFrame(cnn, seqOf(cnn, 1, 'A[4]'), [0, 0], [], 4, [[1, 2], [0]]);
		expect(frame?.lit.size).toBe(0);
	});
});
