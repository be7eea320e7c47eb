import { parseName } from '$lib/engine/quantity';
import { batchRowsOf, type Trace, type TraceEvent } from '$lib/engine/trace';
import type { ScenarioPath } from './conventions';

/**
 * Where in the scenario file a selected number comes from, when the reader may change it there:
 * an initial weight or bias (step 0) or an input of the data (A[0]). Paths are relative to the
 * scenario; `scenario:`-wrapped files are handled by setNumber.
 */
export function valuePath(trace: Trace, event: TraceEvent, index: number[]): ScenarioPath | null {
	const q = parseName(event.name);
	if ((q?.symbol === 'W' || q?.symbol === 'b') && event.phase === 'init') {
		if (trace.setup.kind === 'perceptron') return q.symbol === 'W' ? ['perceptron', 'w', index[1]] : ['perceptron', 'b'];
		return ['model', 'layers', q.layer - 1, q.symbol, ...index];
	}
	if (q?.symbol === 'A' && q.layer === 0) {
		const rows = batchRowsOf(trace, event.step);
		const sample = rows[index[0]];
		return sample === undefined ? null : ['data', 'X', sample, ...index.slice(1)];
	}
	return null;
}
