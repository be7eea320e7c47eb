/**
 * A workbook described as plain data, independent of the library that writes the .xlsx: the
 * layouts stay testable without it, and the library is loaded only when a file is written.
 * Rows and columns are 1-based, as the spreadsheet numbers them.
 */

/** A formula (English function names, comma separators, no leading `=`) with its cached result. */
export interface FormulaCell {
	formula: string;
	/** the engine's number, shown before any recalculation */
	result: number;
}

export type Cell = number | string | FormulaCell;

export interface SheetSpec {
	name: string;
	/** rows[r - 1][c - 1] is the cell at row r, column c; holes are empty cells */
	rows: (Cell | undefined)[][];
	/** 1-based rows written in bold (headings) */
	bold: Set<number>;
	/** column widths in characters, by 1-based column */
	widths: Map<number, number>;
	/** rows (from the top) and columns (from the left) that stay in view while scrolling */
	freeze?: { rows: number; columns: number };
}

export interface WorkbookSpec {
	title: string;
	sheets: SheetSpec[];
}

export function isFormula(cell: Cell | undefined): cell is FormulaCell {
	return typeof cell === 'object';
}

export function newSheet(name: string): SheetSpec {
	return { name, rows: [], bold: new Set(), widths: new Map() };
}

export function setCell(sheet: SheetSpec, row: number, column: number, cell: Cell): void {
	while (sheet.rows.length < row) sheet.rows.push([]);
	sheet.rows[row - 1][column - 1] = cell;
}

export function cellAt(sheet: SheetSpec, row: number, column: number): Cell | undefined {
	return sheet.rows[row - 1]?.[column - 1];
}

/** 1 → A, 26 → Z, 27 → AA. */
export function columnName(column: number): string {
	let name = '';
	for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}

/** `B5`, or `$B$5` when `absolute`, as a formula names a cell. */
export function ref(row: number, column: number, absolute = false): string {
	const dollar = absolute ? '$' : '';
	return `${dollar}${columnName(column)}${dollar}${row}`;
}

/** `B5:D5`: the cells of one row from column `from` to column `to`. */
export function rowRange(row: number, from: number, to: number): string {
	return `${ref(row, from)}:${ref(row, to)}`;
}
