import type { Workbook } from 'exceljs';
import { isFormula, type WorkbookSpec } from './sheet';

type ExcelModule = typeof import('exceljs');

/**
 * ExcelJS, loaded on first use: it is a large library (about 1 MB minified) that only a click on
 * "Spreadsheet" needs, so it stays out of the page's first load. Node gets the CommonJS module
 * (its exports under `default`), the browser build the UMD bundle: both shapes are accepted.
 */
export async function loadExcel(): Promise<ExcelModule> {
	const loaded = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
	return loaded.default ?? loaded;
}

/** Builds the ExcelJS workbook of a spec: values, formulas with their cached results, bold headings, widths, frozen rows. */
export function toExcel(Excel: ExcelModule, spec: WorkbookSpec): Workbook {
	const workbook = new Excel.Workbook();
	workbook.creator = 'Stepwise';
	workbook.title = spec.title;
	for (const sheet of spec.sheets) {
		const frozen = sheet.freeze;
		const worksheet = workbook.addWorksheet(sheet.name, {
			views: frozen ? [{ state: 'frozen', xSplit: frozen.columns, ySplit: frozen.rows }] : []
		});
		for (const [column, width] of sheet.widths) worksheet.getColumn(column).width = width;
		sheet.rows.forEach((cells, r) => {
			if (cells.length === 0) return;
			const row = worksheet.getRow(r + 1);
			const bold = sheet.bold.has(r + 1);
			cells.forEach((cell, c) => {
				if (cell === undefined) return;
				const target = row.getCell(c + 1);
				// numbers stay numbers, so the decimal separator is the reader's spreadsheet's own
				target.value = isFormula(cell) ? { formula: cell.formula, result: cell.result } : cell;
				// headings in bold, not the numbers that share their row (the parameters block)
				if (bold && typeof cell === 'string') target.font = { bold: true };
			});
		});
	}
	return workbook;
}

/** The .xlsx bytes of a spec. */
export async function writeXlsx(spec: WorkbookSpec): Promise<Uint8Array<ArrayBuffer>> {
	const Excel = await loadExcel();
	const buffer = await toExcel(Excel, spec).xlsx.writeBuffer();
	return new Uint8Array(buffer as ArrayBuffer);
}
