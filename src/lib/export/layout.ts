import type { Trace } from '../engine/trace';
import { VALUES_PER_ROW } from './events-sheet';

/** Which workbook a trace becomes. */
export type WorkbookLayout = 'perceptron' | 'network' | 'events';

/** A "small" dense network, whose forward pass the sheet writes as live formulas. */
export const SMALL_NETWORK = { units: 8, steps: 1000 } as const;
/** Rows a spreadsheet holds (Excel and LibreOffice alike), less the headings. */
const MAX_ROWS = 1_048_576 - 8;
/**
 * The library builds the whole workbook in memory, on the page's thread: 260,000 cells take
 * about 4 s and a few hundred MB. Past this, the JSON is the better export.
 */
export const MAX_CELLS = 300_000;

export class ExportTooLargeError extends Error {
	constructor(readonly cells: number) {
		super(`the workbook would hold about ${cells.toLocaleString('en')} cells (at most ${MAX_CELLS.toLocaleString('en')}); export the JSON instead`);
		this.name = 'ExportTooLargeError';
	}
}

export function workbookLayout(trace: Trace): WorkbookLayout {
	const { setup } = trace;
	if (setup.kind === 'perceptron' && setup.perceptron && setup.Y && trace.steps <= MAX_ROWS) return 'perceptron';
	const small = setup.layers.every((layer) => layer.type === 'dense' && layer.units <= SMALL_NETWORK.units && layer.inputShape[0] <= SMALL_NETWORK.units);
	// a long run of a small network is still better as values than as a refused export
	if (setup.kind === 'network' && small && trace.steps <= SMALL_NETWORK.steps && estimatedCells(trace, 'network') <= MAX_CELLS) return 'network';
	return 'events';
}

/** About how many cells the layout writes, known before building it. */
export function estimatedCells(trace: Trace, layout: WorkbookLayout): number {
	if (layout === 'perceptron') return trace.steps * (3 * trace.setup.layers[0].inputShape[0] + 9);
	// labels and weights-before blocks roughly double the values of a small network
	if (layout === 'network') return 2 * trace.values.length + 8 * trace.length;
	return trace.values.length + 6 * (trace.length + Math.ceil(trace.values.length / VALUES_PER_ROW));
}

/** Throws ExportTooLargeError when the layout would not fit in a spreadsheet. */
export function checkSize(trace: Trace, layout: WorkbookLayout): void {
	const cells = estimatedCells(trace, layout);
	const rows = layout === 'events' ? trace.length + Math.ceil(trace.values.length / VALUES_PER_ROW) : 0;
	if (cells > MAX_CELLS || rows > MAX_ROWS) throw new ExportTooLargeError(cells);
}
