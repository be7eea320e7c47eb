import type { Trace } from '../engine/trace';
import { eventsSheet } from './events-sheet';
import { checkSize, workbookLayout } from './layout';
import { networkSheet } from './network-sheet';
import { perceptronSheet } from './perceptron-sheet';
import type { WorkbookSpec } from './sheet';
import { WORKBOOK_TEXT, type ExportLocale } from './text';
import { writeXlsx } from './write';

/**
 * The workbook of a trace as plain data: course 000's table for a perceptron, live forward-pass
 * formulas for a small dense network, every event's values otherwise. Throws
 * ExportTooLargeError for a trace no spreadsheet would hold.
 */
export function workbookSpec(trace: Trace, locale: ExportLocale, title = ''): WorkbookSpec {
	const text = WORKBOOK_TEXT[locale];
	const layout = workbookLayout(trace);
	checkSize(trace, layout);
	const sheet =
		layout === 'perceptron' ? perceptronSheet(trace, text, title) : layout === 'network' ? networkSheet(trace, text, title) : eventsSheet(trace, text);
	return { title: title || 'Stepwise', sheets: [sheet] };
}

/** The .xlsx file a student can lay beside their own spreadsheet (headings in `locale`). */
export async function traceWorkbook(trace: Trace, locale: ExportLocale, options: { title?: string } = {}): Promise<Uint8Array<ArrayBuffer>> {
	return writeXlsx(workbookSpec(trace, locale, options.title ?? ''));
}
