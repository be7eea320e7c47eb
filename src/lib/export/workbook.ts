import type { Trace } from '../engine/trace';
import { eventsSheet } from './events-sheet';
import { checkSize, workbookLayout } from './layout';
import { quantityText } from '../formulas/notation';
import type { Writing } from '../formulas/types';
import { networkSheet, type QuantityNames } from './network-sheet';
import { perceptronSheet } from './perceptron-sheet';
import type { WorkbookSpec } from './sheet';
import { WORKBOOK_TEXT, type ExportLocale } from './text';
import { writeXlsx } from './write';

/**
 * The workbook of a trace as plain data: course 000's table for a perceptron, live forward-pass
 * formulas for a small dense network, every event's values otherwise. Throws
 * ExportTooLargeError for a trace no spreadsheet would hold.
 */
export function workbookSpec(trace: Trace, locale: ExportLocale, title = '', writing?: Writing): WorkbookSpec {
	const text = WORKBOOK_TEXT[locale];
	const layout = workbookLayout(trace);
	checkSize(trace, layout);
	const sheet =
		layout === 'perceptron' ? perceptronSheet(trace, text, title) : layout === 'network' ? networkSheet(trace, text, title, writing && namesOf(writing)) : eventsSheet(trace, text);
	return { title: title || 'Stepwise', sheets: [sheet] };
}

/** A course's symbols and layer numbers for the sheet's labels. */
const namesOf = (writing: Writing): QuantityNames => ({ quantity: (name) => quantityText(name, writing) ?? name, inputLayer: writing.inputLayer });

/** The .xlsx file a student can lay beside their own spreadsheet (headings in `locale`, quantities in the course's words when `writing` is given). */
export async function traceWorkbook(trace: Trace, locale: ExportLocale, options: { title?: string; writing?: Writing } = {}): Promise<Uint8Array<ArrayBuffer>> {
	return writeXlsx(workbookSpec(trace, locale, options.title ?? '', options.writing));
}
