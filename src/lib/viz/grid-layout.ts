import type { GridView, WindowFrame } from './grid';

/** Where the grids of a sliding-window picture go, in viewBox units. */
export interface GridBox {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface WindowLayout {
	cell: number;
	width: number;
	height: number;
	input: GridBox;
	kernel: GridBox | null;
	output: GridBox;
	/** ∗ and = (convolution) or → (pooling), between the grids */
	operators: { symbol: string; x: number; y: number }[];
	/** numbers fit in the cells of this grid */
	values: { input: boolean; kernel: boolean; output: boolean };
	/** the geometry note's baseline */
	noteY: number;
}

const GAP = 64;
/** between the kernel and the feature map stacked under the input (a phone): room for ∗ and = */
const STACKED_GAP = 44;
const MARGIN = 16;
/** room for a grid's title above it and its caption (two lines) below it */
const TITLE = 40;
const CAPTION = 54;
/** the longest side of the biggest grid, in viewBox units */
const SPAN = 320;
/** the largest cell: it holds a value of 3 significant digits (−0.812) at 11 px or more */
export const MAX_CELL = 40;
/** values are written in the cells up to this many rows and columns */
export const MAX_VALUE_GRID = 12;

function defaultCell(frame: Pick<WindowFrame, 'input' | 'kernel' | 'output'>): number {
	const longest = Math.max(...[frame.input, frame.kernel, frame.output].map((g) => (g ? Math.max(g.rows, g.cols) : 0)));
	return Math.max(4, Math.min(MAX_CELL, Math.floor(SPAN / longest)));
}

/** cells smaller than this stack the grids rather than stand in a row */
const MIN_ROW_CELL = 24;

/**
 * The layout drawn at one user unit per pixel in `available` pixels, so that its text keeps its
 * size: the grids in a row where they fit with cells of MIN_ROW_CELL or more, else stacked, the
 * cells as large as the width allows (MAX_CELL at most).
 */
export function fittedWindowLayout(frame: Pick<WindowFrame, 'input' | 'kernel' | 'output'>, available: number): WindowLayout {
	const largest = defaultCell(frame);
	for (let cell = largest; cell >= Math.min(largest, MIN_ROW_CELL); cell--) {
		const row = windowLayout(frame, false, cell);
		if (row.width <= available) return row;
	}
	for (let cell = largest; cell > 4; cell--) {
		const stacked = windowLayout(frame, true, cell);
		if (stacked.width <= available) return stacked;
	}
	return windowLayout(frame, true, 4);
}

function fits(grid: GridView, cell: number): boolean {
	return grid.rows <= MAX_VALUE_GRID && grid.cols <= MAX_VALUE_GRID && cell >= 20;
}

/**
 * One cell size for every grid (a kernel cell covers an input cell). In a row: input, kernel,
 * output side by side. Stacked, for narrow screens: the input on top, kernel and output below.
 */
export function windowLayout(frame: Pick<WindowFrame, 'input' | 'kernel' | 'output'>, stacked = false, cellSize?: number): WindowLayout {
	const grids = [frame.input, frame.kernel, frame.output].filter((g): g is GridView => g !== null);
	const cell = cellSize ?? defaultCell(frame);
	const gap = stacked ? STACKED_GAP : GAP;
	const size = (g: GridView) => ({ width: g.cols * cell, height: g.rows * cell });
	const symbols = frame.kernel ? ['∗', '='] : ['→'];
	const values = { input: fits(frame.input, cell), kernel: frame.kernel ? fits(frame.kernel, cell) : false, output: fits(frame.output, cell) };

	/** Lays grids on one line from `x0`, centred on the tallest; operators sit in the gaps. */
	const line = (row: GridView[], x0: number, top: number, operators: string[], lead: boolean) => {
		const tallest = Math.max(...row.map((g) => g.rows)) * cell;
		let x = x0 + (lead ? gap : 0);
		const boxes = row.map((g) => {
			const { width, height } = size(g);
			const box = { x, y: top + (tallest - height) / 2, width, height };
			x += width + gap;
			return box;
		});
		const ops = operators.map((symbol, i) => {
			const right = boxes[lead ? i : i + 1];
			return { symbol, x: right.x - gap / 2, y: top + tallest / 2 + 8 };
		});
		return { boxes, ops, right: x - gap, bottom: top + tallest };
	};

	if (!stacked) {
		const { boxes, ops, right, bottom } = line(grids, MARGIN, TITLE, symbols, false);
		const [input, second, third] = boxes;
		return {
			cell,
			width: right + MARGIN,
			height: bottom + CAPTION,
			input,
			kernel: frame.kernel ? second : null,
			output: frame.kernel ? third : second,
			operators: ops,
			values,
			noteY: bottom + CAPTION - 6
		};
	}
	const rest = grids.slice(1);
	const lower = line(rest, MARGIN, 0, symbols.slice(-rest.length), true);
	const inputSize = size(frame.input);
	const width = Math.max(inputSize.width, lower.right - MARGIN) + 2 * MARGIN;
	const input = { x: (width - inputSize.width) / 2, y: TITLE, ...inputSize };
	// the geometry note goes under the input, before the second row
	const noteY = TITLE + inputSize.height + CAPTION - 10;
	const top = noteY + TITLE;
	const boxes = lower.boxes.map((b) => ({ ...b, y: b.y + top }));
	return {
		cell,
		width,
		height: top + lower.bottom + CAPTION - 10,
		input,
		kernel: frame.kernel ? boxes[0] : null,
		output: frame.kernel ? boxes[1] : boxes[0],
		operators: lower.ops.map((op) => ({ ...op, y: op.y + top })),
		values,
		noteY
	};
}
