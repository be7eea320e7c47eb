import { describe, expect, it } from 'vitest';
import type { Backend, DenseLayer } from '../../../src/lib/engine/backends/backend';
import { referenceBackend } from '../../../src/lib/engine/backends/reference';
import type { Tensor } from '../../../src/lib/engine/tensor';
import { RegionCache, regionOutput, showable, type AsyncView, type RegionOutput } from '../../../src/lib/viz/decision-region';
import { xorNetworkRun } from './xor-network';

const trace = xorNetworkRun(3);
const output = regionOutput(trace.setup) as RegionOutput;

/**
 * A backend standing for gpu.js: each asynchronous forward pass waits until the test releases
 * it, in any order, and returns the float64 values passed through `distort`.
 */
function pendingBackend(distort: (values: Float64Array) => Float64Array = (v) => v) {
	const pending: { layers: readonly DenseLayer[]; release: () => void }[] = [];
	const backend: Backend = {
		...referenceBackend,
		name: 'gpu',
		forwardBatchAsync(layers, X): Promise<Tensor> {
			return new Promise((resolve) => {
				pending.push({
					layers,
					release: () => {
						const exact = referenceBackend.forwardBatch(layers, X);
						resolve({ shape: exact.shape, data: distort(exact.data) });
					}
				});
			});
		}
	};
	return { backend, pending };
}

/** What the picture does with an asynchronous result: keeps it only if it is showable on screen now. */
function arrive(shown: AsyncView | null, result: AsyncView, screen: { cache: RegionCache; step: number }): AsyncView | null {
	return showable(result, screen.cache, screen.step) ? result : shown;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the decision region’s asynchronous grid', () => {
	it('shows only the view of the step on screen when views arrive out of order', async () => {
		const { backend, pending } = pendingBackend();
		const cache = new RegionCache(trace, output, backend, 16);
		const results: AsyncView[] = [];
		for (const step of [5, 7]) void cache.atAsync(step).then((view) => results.push({ cache, step, view }));
		pending[1].release();
		pending[0].release();
		await settle();
		expect(results.map((r) => r.step)).toEqual([7, 5]);
		let shown: AsyncView | null = null;
		for (const result of results) shown = arrive(shown, result, { cache, step: 7 });
		expect(shown?.step).toBe(7);
		expect(showable(shown, cache, 7)?.correct).toBe(new RegionCache(trace, output).at(7)?.correct);
		// back on step 5 the late view is not on screen: the float64 one is drawn until step 5's arrives again
		expect(showable(shown, cache, 5)).toBeNull();
	});

	it('never shows a preview’s view for the final run that replaced it', async () => {
		const { backend, pending } = pendingBackend();
		const preview = new RegionCache(xorNetworkRun(4), output, backend, 16);
		const final = new RegionCache(trace, output, backend, 16);
		const results: AsyncView[] = [];
		void preview.atAsync(40).then((view) => results.push({ cache: preview, step: 40, view }));
		void final.atAsync(40).then((view) => results.push({ cache: final, step: 40, view }));
		pending[1].release();
		pending[0].release();
		await settle();
		let shown: AsyncView | null = null;
		for (const result of results) shown = arrive(shown, result, { cache: final, step: 40 });
		expect(shown?.cache).toBe(final);
		expect(showable(shown, preview, 40)).toBeNull();
	});

	it.each([
		{ case: 'every cell read as class 1 (all blue)', distort: (v: Float64Array) => v.map(() => 0.99) },
		{ case: 'every cell read as class 0', distort: (v: Float64Array) => v.map(() => 0.01) },
		{ case: 'another step’s values', distort: (v: Float64Array) => v.map((x) => 1 - x) }
	])('falls back to the float64 grid when the gpu grid’s classes at the points are wrong: $case', async ({ distort }) => {
		const { backend, pending } = pendingBackend(distort);
		const cache = new RegionCache(trace, output, backend, 16);
		for (const step of [1, 20, 40]) {
			const view = cache.atAsync(step);
			pending[pending.length - 1].release();
			expect(await view).toBeNull();
		}
	});

	it.each([1, 10, 20, 40])('counts the points classified right as the float64 forward pass does, at step %i', async (step) => {
		// float32-like noise that moves no point across the threshold
		const { backend, pending } = pendingBackend((v) => v.map((x) => x + 1e-7));
		const cache = new RegionCache(trace, output, backend, 16);
		const view = cache.atAsync(step);
		pending[0].release();
		const exact = new RegionCache(trace, output).at(step);
		const fine = await view;
		expect(fine?.correct).toBe(exact?.correct);
		expect(fine?.predicted).toEqual(exact?.predicted);
		expect(Array.from(fine?.grid.atPoints ?? [])).toEqual(Array.from(exact?.grid.atPoints ?? []));
	});
});
