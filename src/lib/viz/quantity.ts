import type { LayerPlan } from '../engine/plan';
import { isBatched, parseName } from '../engine/quantity';
import type { TraceSetup } from '../engine/trace';

/** The sample a picture shows: the selected element's, or the first of the batch. */
export function sampleOf(name: string, index: readonly number[] | null): number {
	const q = parseName(name);
	return q && isBatched(q.symbol) && index && index.length > 0 ? index[0] : 0;
}

/**
 * The layer whose picture shows an event: its own layer, layer 1 for the input A[0] and the
 * perceptron's error, the output layer for the cost when it is dense (a dense graph can show J
 * beside its output), as for a decayed learning rate `lr`. Null when no layer picture fits (a
 * divergence, an unknown name).
 */
export function layerOfEvent(setup: TraceSetup, name: string): LayerPlan | null {
	const q = parseName(name);
	if (!q || setup.layers.length === 0) return null;
	// the rate of an update under a schedule comes just before the updates: the network it moves
	if (q.symbol === 'loss' || q.symbol === 'lr') {
		const last = setup.layers[setup.layers.length - 1];
		return last.type === 'dense' ? last : null;
	}
	if (q.symbol === 'error') return setup.layers[0];
	if (q.layer === null) return null;
	return setup.layers[Math.max(q.layer, 1) - 1] ?? null;
}

/** A layer that acts unit by unit on a flat input (dropout, batch normalisation): the graph draws it as a column joined one to one. */
export function isUnitwise(plan: LayerPlan | undefined): boolean {
	return (plan?.type === 'dropout' || plan?.type === 'batchnorm') && plan.inputShape.length === 1;
}

/**
 * The run of consecutive dense layers that contains layer `layer` (1-based), through the
 * unit-wise layers between them: the graph draws columns A[first − 1] … A[last].
 */
export function denseChain(layers: readonly LayerPlan[], layer: number): { first: number; last: number } | null {
	if (layers[layer - 1]?.type !== 'dense') return null;
	const drawn = (plan: LayerPlan): boolean => plan.type === 'dense' || isUnitwise(plan);
	let first = layer;
	let last = layer;
	while (first > 1 && drawn(layers[first - 2])) first--;
	while (last < layers.length && drawn(layers[last])) last++;
	return { first, last };
}
