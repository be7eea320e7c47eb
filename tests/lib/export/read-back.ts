import type { Worksheet } from 'exceljs';
import { loadExcel } from '../../../src/lib/export/write';
import { evaluateFormula } from './formula';

/** A cell as the .xlsx holds it: a number, a string, or a formula with its cached result. */
export type ReadCell = number | string | { formula: string; result: number } | undefined;

/** Opens .xlsx bytes with the library that wrote them. */
export async function readWorkbook(bytes: Uint8Array) {
	const Excel = await loadExcel();
	const workbook = new Excel.Workbook();
	await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
	return workbook;
}

export function cellOf(sheet: Worksheet, address: string): ReadCell {
	const cell = sheet.getCell(address);
	// `cell.value` drops a cached result of 0; `cell.formula` and `cell.result` keep it
	if (cell.formula) {
		const result: unknown = cell.result;
		if (typeof result !== 'number') throw new Error(`${address}: cached result ${String(result)} is not a number`);
		return { formula: cell.formula, result };
	}
	const value: unknown = cell.value;
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number' || typeof value === 'string') return value;
	throw new Error(`${address}: unexpected cell value ${JSON.stringify(value)}`);
}

/**
 * Recomputes every formula of a sheet from the cells it reads (formulas recomputed in turn, so
 * a change to one input cell flows down the sheet as in a spreadsheet). `changes` overrides
 * input cells, as a student editing the sheet would.
 */
export function recompute(sheet: Worksheet, changes: Record<string, number> = {}): Map<string, number> {
	const values = new Map<string, number>(Object.entries(changes));
	const pending = new Set<string>();
	const valueOf = (address: string): number => {
		const known = values.get(address);
		if (known !== undefined) return known;
		const cell = cellOf(sheet, address);
		if (cell === undefined) return 0; // an empty cell reads as 0, as in a spreadsheet
		if (typeof cell === 'string') throw new Error(`${address} holds text "${cell}" where a number is read`);
		if (typeof cell === 'number') return cell;
		if (pending.has(address)) throw new Error(`circular reference at ${address}`);
		pending.add(address);
		const value = evaluateFormula(cell.formula, valueOf);
		pending.delete(address);
		values.set(address, value);
		return value;
	};
	const results = new Map<string, number>();
	// top to bottom, so that each row's chain of references is already known and the recursion stays shallow
	sheet.eachRow((row) =>
		row.eachCell((cell) => {
			const read = cellOf(sheet, cell.address);
			if (typeof read === 'object') results.set(cell.address, valueOf(cell.address));
		})
	);
	return results;
}

/** Every formula cell of a sheet: address → formula and cached result. */
export function formulaCells(sheet: Worksheet): Map<string, { formula: string; result: number }> {
	const cells = new Map<string, { formula: string; result: number }>();
	sheet.eachRow((row) =>
		row.eachCell((cell) => {
			const read = cellOf(sheet, cell.address);
			if (typeof read === 'object') cells.set(cell.address, read);
		})
	);
	return cells;
}
