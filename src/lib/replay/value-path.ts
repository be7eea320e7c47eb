import { batchRowsOf, type Trace, type TraceEvent } from '$lib/engine/trace';
import type { ScenarioPath } from './conventions';

/**
 * Where in the scenario file a selected number comes from, when the reader may change it there:
 * an initial weight or bias (step 0) or an input of the data (A[0]). Paths are relative to the
 * scenario; `scenario:`-wrapped files are handled by setNumber.
 */
export function valuePath(trace: Trace, event: TraceEvent, index: number[]): ScenarioPath | null {
	const layer = /^([Wb])\[(\d+)\]$/.exec(event.name);
	if (layer && event.phase === 'init') {
		const [, kind, number] = layer;
		if (trace.setup.kind === 'perceptron') return kind === 'W' ? ['perceptron', 'w', index[1]] : ['perceptron', 'b'];
		return ['model', 'layers', Number(number) - 1, kind, ...index];
	}
	if (event.name === 'A[0]') {
		const rows = batchRowsOf(trace, event.step);
		const sample = rows[index[0]];
		return sample === undefined ? null : ['data', 'X', sample, ...index.slice(1)];
	}
	return null;
}
