/** Exporting a run: the CLI's JSON document and an .xlsx workbook. Pure TypeScript; the .xlsx library loads on first use. */
export { traceJson } from './json';
export { traceWorkbook, workbookSpec } from './workbook';
export { workbookLayout, ExportTooLargeError, MAX_CELLS, type WorkbookLayout } from './layout';
export { titleSlug } from './slug';
export { WORKBOOK_TEXT, type ExportLocale } from './text';
export type { Cell, FormulaCell, SheetSpec, WorkbookSpec } from './sheet';
