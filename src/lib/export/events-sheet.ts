import { PHASES, scanEvents, type Trace } from '../engine/trace';
import { shapeLabel } from '../engine/tensor';
import { newSheet, setCell, type SheetSpec } from './sheet';
import type { WorkbookText } from './text';

/**
 * Values per row: a longer tensor goes on as many rows as it needs, each saying where it starts.
 * Well under the 1,024 columns of older LibreOffice versions.
 */
export const VALUES_PER_ROW = 1000;
const FIRST_VALUE = 7;

/** Every event, one row each (more for a large tensor): step, epoch, phase, name, shape, then the values row-major. */
export function eventsSheet(trace: Trace, text: WorkbookText): SheetSpec {
	const sheet = newSheet(text.eventsSheet);
	const headings = [text.step, text.epoch, text.phase, text.name, text.shape, text.firstIndex, text.values];
	headings.forEach((heading, i) => {
		setCell(sheet, 1, i + 1, heading);
		sheet.widths.set(i + 1, Math.max(8, heading.length + 2));
	});
	sheet.widths.set(3, 20);
	sheet.bold.add(1);
	sheet.freeze = { rows: 1, columns: 0 };
	let row = 2;
	scanEvents(trace, (_seq, kind, step, start) => {
		const shape = trace.shapes[kind.shape];
		const size = kind.size;
		for (let first = 0; first < size; first += VALUES_PER_ROW) {
			setCell(sheet, row, 1, step);
			setCell(sheet, row, 2, trace.stepEpoch[step]);
			setCell(sheet, row, 3, text.phases[PHASES[kind.phase]]);
			setCell(sheet, row, 4, trace.names[kind.name]);
			setCell(sheet, row, 5, shape.length === 0 ? '' : shapeLabel(shape));
			setCell(sheet, row, 6, first);
			const end = Math.min(size, first + VALUES_PER_ROW);
			for (let k = first; k < end; k++) setCell(sheet, row, FIRST_VALUE + k - first, trace.values[start + k]);
			row++;
		}
	});
	return sheet;
}
