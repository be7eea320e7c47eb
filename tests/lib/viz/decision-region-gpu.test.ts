import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine';
import { createGpuBackend } from '../../../src/lib/engine/backends/gpu';
import { referenceBackend } from '../../../src/lib/engine/backends/reference';
import { GPU_GRID_SIZE, GRID_SIZE, RegionCache, regionOutput } from '../../../src/lib/viz/decision-region';

/** A 2-4-1 tanh/sigmoid network trained a few steps on four points: its region is a picture, drawn on gpu.js. */
const trace = run({
	model: { input: 2, layers: [{ type: 'dense', units: 4, activation: 'tanh', init: { seed: 3 } }, { type: 'dense', units: 1, activation: 'sigmoid', init: { seed: 4 } }] },
	loss: 'binary_cross_entropy',
	optimizer: { type: 'sgd', lr: 0.5 },
	data: { X: [[0, 0], [0, 1], [1, 0], [1, 1]], Y: [[0], [1], [1], [1]] },
	training: { epochs: 5, batch_size: 4 }
});

describe('the decision region on the gpu backend', () => {
	const output = regionOutput(trace.setup);
	if (!output) throw new Error('the network should have a decision region');
	const reference = new RegionCache(trace, output);
	const gpu = new RegionCache(trace, output, createGpuBackend(), GRID_SIZE);

	it('draws a finer grid than the float64 loops do', () => {
		expect(reference.size).toBe(GRID_SIZE);
		expect(new RegionCache(trace, output, createGpuBackend()).size).toBe(GPU_GRID_SIZE);
	});

	it.each([0, 3, 5])('gives the reference’s outputs at step %i within float32, and the same classes at the points', (step) => {
		const [r, g] = [reference.at(step), gpu.at(step)];
		expect(r && g).toBeTruthy();
		if (!r || !g) return;
		r.grid.values.forEach((v, i) => expect(Math.abs(g.grid.values[i] - v)).toBeLessThanOrEqual(1e-4 + 1e-3 * Math.abs(v)));
		expect(g.predicted).toEqual(r.predicted);
	});
});

describe('the gpu backend’s asynchronous forward passes', () => {
	it('gives each of several concurrent calls of the same shapes its own values', async () => {
		const gpu = createGpuBackend();
		const X = { shape: [64, 2], data: Float64Array.from({ length: 128 }, (_, i) => Math.sin(i)) };
		const networks = [1, -2, 3, -0.5].map((scale) => [
			{ W: { shape: [4, 2], data: Float64Array.from([1, -1, 0.5, 2, -1, 0.3, 0.7, -0.2], (w) => w * scale) }, b: { shape: [4], data: new Float64Array([0.1, -0.2, 0.3, 0]) }, activation: 'tanh' as const },
			{ W: { shape: [1, 4], data: Float64Array.from([1, -2, 0.5, 1], (w) => w * scale) }, b: { shape: [1], data: new Float64Array([scale / 4]) }, activation: 'sigmoid' as const }
		]);
		const results = await Promise.all(networks.map((layers) => gpu.forwardBatchAsync(layers, X)));
		results.forEach((result, k) => {
			const exact = referenceBackend.forwardBatch(networks[k], X);
			exact.data.forEach((v, i) => expect(Math.abs(result.data[i] - v)).toBeLessThanOrEqual(1e-4));
		});
	});
});
