import { parseName } from '../engine/quantity';
import { indexOf, offsetOf, sliceOf } from '../engine/tensor';
import { eventAt, type Trace } from '../engine/trace';
import { inStep } from './cursor';
import { sampleOf } from './quantity';

/**
 * What the flatten picture shows: the feature maps of one sample and the vector they become,
 * with the source cell (channel, row, column) of the selected vector element.
 */
export interface FlattenFrame {
	layer: number;
	sample: number;
	/** [channels, height, width] of the feature maps */
	shape: [number, number, number];
	mapName: string;
	map: Float64Array | null;
	vectorName: string;
	vector: Float64Array | null;
	/** which of the two is the current event's tensor */
	current: 'map' | 'vector';
	/** the selected vector position and the cell it comes from */
	selected: number | null;
	source: [number, number, number] | null;
}

/** The cell of a C×H×W feature map that position k of the flattened vector holds (row-major: channel, row, column). */
export function flattenSource(k: number, shape: readonly [number, number, number]): [number, number, number] {
	const [c, i, j] = indexOf(shape, k);
	return [c, i, j];
}

export function flattenFrame(trace: Trace, seq: number, index: readonly number[] | null): FlattenFrame | null {
	const event = eventAt(trace, seq);
	const q = parseName(event.name);
	if (!q || q.layer === null) return null;
	const layer = Math.max(q.layer, 1);
	const plan = trace.setup.layers[layer - 1];
	if (!plan || plan.type !== 'flatten' || plan.inputShape.length !== 3) return null;
	const shape: [number, number, number] = [plan.inputShape[0], plan.inputShape[1], plan.inputShape[2]];
	const sample = sampleOf(event.name, index);
	const current = q.layer === layer - 1 ? 'map' : 'vector';
	const mapName = `A[${layer - 1}]`;
	const mapEvent = current === 'map' ? event : inStep(trace, seq, mapName);
	const vectorName = current === 'vector' ? event.name : `A[${layer}]`;
	const vectorEvent = current === 'vector' ? event : inStep(trace, seq, vectorName);
	let selected: number | null = null;
	if (index && index.length === 2 && current === 'vector') selected = index[1];
	if (index && index.length === 4 && current === 'map') selected = offsetOf(shape, index.slice(1));
	return {
		layer,
		sample,
		shape,
		mapName,
		map: mapEvent ? (sliceOf(mapEvent.value, [sample])?.data ?? null) : null,
		vectorName,
		vector: vectorEvent ? (sliceOf(vectorEvent.value, [sample])?.data ?? null) : null,
		current,
		selected,
		source: selected === null ? null : flattenSource(selected, shape)
	};
}
