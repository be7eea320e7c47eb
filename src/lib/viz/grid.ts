import { winnerSign } from '../engine/layers/pool';
import { receptiveField, type WindowGeometry } from '../engine/layers/window';
import type { LayerPlan } from '../engine/plan';
import { parseName } from '../engine/quantity';
import { sliceOf, type Tensor } from '../engine/tensor';
import { eventAt, type Trace } from '../engine/trace';
import { inForce, inStep } from './cursor';
import { sampleOf } from './quantity';
import type { ElementRef } from './types';

/**
 * What the sliding-window picture shows for a conv2d or pool event: the padded input of one
 * sample and channel, the kernel (conv only), the output feature map, and which cells the
 * window of the selected output cell covers. Pure, so the picture and the tests agree.
 */

export type GridRole = 'input' | 'kernel' | 'output';

export interface GridCell {
	/** position in the tensor: for the input, negative or ≥ its size in the padding */
	row: number;
	col: number;
	/** null while the cursor has not reached the value in this step */
	value: number | null;
	padding: boolean;
	/** under the window of the output cell being written */
	window: boolean;
	/** under the window's next position (the stride made visible) */
	nextWindow: boolean;
	/** max pooling (or another mode that keeps one cell): the value the window keeps (the first on ties) */
	winner: boolean;
	/** the selected element of the current event */
	selected: boolean;
	/** the element's index in the current event's tensor, when the grid is that tensor */
	index: number[] | null;
}

export interface GridView {
	role: GridRole;
	/** the quantity shown, e.g. A[0], W[1], Z[1] */
	name: string;
	/** the leading indices of the slice shown: [sample, channel], [filter, channel], [sample, filter] */
	lead: number[];
	/** displayed size, padding included */
	rows: number;
	cols: number;
	/** padding before the first row and column: displayed position = position + offset */
	offset: [number, number];
	/** row-major over the displayed grid */
	cells: GridCell[];
	/** this grid is the current event's tensor */
	current: boolean;
}

export interface WindowFrame {
	mode: 'conv' | 'pool';
	layer: number;
	geometry: WindowGeometry;
	sample: number;
	channel: number;
	channels: number;
	filter: number;
	filters: number;
	input: GridView;
	kernel: GridView | null;
	output: GridView;
	/** the filter's bias in force (conv), and whether the event writes it */
	bias: { name: string; value: number | null; current: boolean; selected: boolean } | null;
	/** the output cell whose window is drawn, and the next position of the window */
	focus: [number, number] | null;
	next: [number, number] | null;
	/** sizes of the unpadded input */
	height: number;
	width: number;
}

/** The output position after (row, col) in the order the window slides, or null after the last. */
export function nextPosition(row: number, col: number, rows: number, cols: number): [number, number] | null {
	if (col + 1 < cols) return [row, col + 1];
	if (row + 1 < rows) return [row + 1, 0];
	return null;
}

function plainGrid(role: GridRole, name: string, lead: number[], rows: number, cols: number, values: Float64Array | null, current: boolean, offset: [number, number] = [0, 0]): GridView {
	const cells: GridCell[] = [];
	const [top, left] = offset;
	const height = rows - 2 * top;
	const width = cols - 2 * left;
	for (let r = 0; r < rows; r++) {
		for (let c = 0; c < cols; c++) {
			const row = r - top;
			const col = c - left;
			const padding = row < 0 || row >= height || col < 0 || col >= width;
			cells.push({
				row,
				col,
				value: padding ? 0 : values ? values[row * width + col] : null,
				padding,
				window: false,
				nextWindow: false,
				winner: false,
				selected: false,
				index: current && !padding ? [...lead, row, col] : null
			});
		}
	}
	return { role, name, lead, rows, cols, offset, cells, current };
}

function cellAt(grid: GridView, row: number, col: number): GridCell | undefined {
	const r = row + grid.offset[0];
	const c = col + grid.offset[1];
	if (r < 0 || r >= grid.rows || c < 0 || c >= grid.cols) return undefined;
	return grid.cells[r * grid.cols + c];
}

function slice(t: Tensor | undefined, lead: number[]): Float64Array | null {
	return t ? (sliceOf(t, lead)?.data ?? null) : null;
}

/**
 * The picture of event `seq` of a conv2d or pool layer. `channel` picks the input channel shown
 * when the selected element does not fix it (a multi-channel input under a feature map).
 */
export function windowFrame(trace: Trace, seq: number, index: readonly number[] | null, channel = 0): WindowFrame | null {
	const event = eventAt(trace, seq);
	const q = parseName(event.name);
	if (!q || q.layer === null) return null;
	const layer = Math.max(q.layer, 1);
	const plan: LayerPlan | undefined = trace.setup.layers[layer - 1];
	if (!plan || (plan.type !== 'conv2d' && plan.type !== 'pool')) return null;
	const mode = plan.type === 'conv2d' ? 'conv' : 'pool';
	const [channels, height, width] = plan.inputShape;
	const [filters, outRows, outCols] = plan.outputShape;
	const g = plan.geometry;
	const [ph, pw] = g.padding;
	const sym = q.symbol;
	// A[0] is drawn as layer 1's input; every other event belongs to its own layer's output side
	const isInput = sym === 'A' && q.layer === 0;
	const isKernel = sym === 'W' || sym === 'dW';
	const isBias = sym === 'b' || sym === 'db';
	const isOutput = !isInput && !isKernel && !isBias;
	const at = (axis: number, fallback: number) => (index && index.length > axis ? index[axis] : fallback);

	const sample = sampleOf(event.name, index);
	// which filter (output channel) and input channel the element fixes; pooling keeps channels apart
	let filter = isOutput ? at(1, 0) : isKernel || isBias ? at(0, 0) : 0;
	let shownChannel = isKernel ? at(1, channel) : isInput ? at(1, channel) : channel;
	if (mode === 'pool') {
		if (isOutput) shownChannel = filter;
		else filter = shownChannel;
	}
	shownChannel = Math.min(Math.max(shownChannel, 0), channels - 1);
	filter = Math.min(Math.max(filter, 0), filters - 1);

	const inputName = `A[${layer - 1}]`;
	const inputEvent = isInput ? event : inStep(trace, seq, inputName);
	const input = plainGrid('input', inputName, [sample, shownChannel], height + 2 * ph, width + 2 * pw, slice(inputEvent?.value, [sample, shownChannel]), isInput, [ph, pw]);

	let kernel: GridView | null = null;
	let bias: WindowFrame['bias'] = null;
	if (mode === 'conv') {
		const kernelEvent = isKernel ? event : inForce(trace, seq, `W[${layer}]`);
		const [kh, kw] = g.kernel;
		kernel = plainGrid('kernel', kernelEvent?.name ?? `W[${layer}]`, [filter, shownChannel], kh, kw, slice(kernelEvent?.value, [filter, shownChannel]), isKernel);
		const biasEvent = isBias ? event : inForce(trace, seq, `b[${layer}]`);
		bias = {
			name: biasEvent?.name ?? `b[${layer}]`,
			value: biasEvent ? biasEvent.value.data[filter] : null,
			current: isBias,
			selected: isBias && index !== null && index[0] === filter
		};
	}

	// the feature map: the event itself, or what a parameter event is computed from or feeds
	const outputName = isOutput ? event.name : sym === 'dW' || sym === 'db' ? `dZ[${layer}]` : mode === 'conv' ? `Z[${layer}]` : `A[${layer}]`;
	const outputEvent = isOutput ? event : inStep(trace, seq, outputName);
	const output = plainGrid('output', outputName, [sample, filter], outRows, outCols, slice(outputEvent?.value, [sample, filter]), isOutput);

	let focus: [number, number] | null = null;
	let next: [number, number] | null = null;
	if (isOutput && index && index.length === 4) {
		focus = [index[2], index[3]];
		next = nextPosition(index[2], index[3], outRows, outCols);
		markWindow(input, focus, next, g, height, width, plan.type === 'pool' ? winnerSign(plan.mode) : null);
	}
	if (index) {
		const current = isInput ? input : isKernel ? kernel : isOutput ? output : null;
		const lead = current?.lead;
		if (current && lead && index.length === lead.length + 2 && lead.every((v, i) => v === index[i])) {
			const cell = cellAt(current, index[lead.length], index[lead.length + 1]);
			if (cell && !cell.padding) cell.selected = true;
		}
	}
	return { mode, layer, geometry: g, sample, channel: shownChannel, channels, filter, filters, input, kernel, output, bias, focus, next, height, width };
}

/** Marks the window of `focus` and its next position; `sign`: a pooling that keeps the cell with the largest sign·value, whose winner is marked. */
function markWindow(input: GridView, focus: [number, number], next: [number, number] | null, g: WindowGeometry, height: number, width: number, sign: 1 | -1 | null): void {
	let winner: GridCell | null = null;
	for (const cell of receptiveField(focus[0], focus[1], g, height, width)) {
		const gridCell = cellAt(input, cell.row, cell.col);
		if (!gridCell) continue;
		gridCell.window = true;
		// strictly greater: the first winner wins ties, as the pooling layer does
		if (sign !== null && !cell.inPadding && gridCell.value !== null && (winner === null || sign * gridCell.value > sign * (winner.value ?? 0))) winner = gridCell;
	}
	if (winner) winner.winner = true;
	if (!next) return;
	for (const cell of receptiveField(next[0], next[1], g, height, width)) {
		const gridCell = cellAt(input, cell.row, cell.col);
		if (gridCell) gridCell.nextWindow = true;
	}
}

/**
 * The cells that the formula's reads land on, as `role:row:col` keys (rows and columns of the
 * tensor, negative in the padding). A read lands on a grid when it names the grid's quantity
 * and the slice it shows.
 */
export function readCells(frame: WindowFrame, reads: readonly ElementRef[]): Set<string> {
	const keys = new Set<string>();
	const grids = [frame.input, frame.kernel, frame.output].filter((g): g is GridView => g !== null);
	for (const read of reads) {
		for (const grid of grids) {
			if (!sameQuantity(read.name, grid.name) || read.index.length !== grid.lead.length + 2) continue;
			if (!grid.lead.every((v, i) => v === read.index[i])) continue;
			const row = read.index[grid.lead.length];
			const col = read.index[grid.lead.length + 1];
			if (cellAt(grid, row, col)) keys.add(`${grid.role}:${row}:${col}`);
		}
	}
	return keys;
}

/** W[1] read by an update is drawn on the same kernel as dW[1]'s: the picture shows one kernel. */
function sameQuantity(read: string, shown: string): boolean {
	if (read === shown) return true;
	const a = parseName(read);
	const b = parseName(shown);
	return a !== null && b !== null && a.layer === b.layer && (a.symbol === 'W' || a.symbol === 'dW') && (b.symbol === 'W' || b.symbol === 'dW');
}

/** The lit entries (a student's wrong entries) shown on the frame: cells as `role:row:col` → entry, and the bias's entry. */
export interface LitCells {
	cells: Map<string, string>;
	bias: string | null;
}

/**
 * Where the lit entries of the current event land: on the grid that is the event's tensor, in the
 * slice it shows (another sample or filter is not drawn), or on the filter's bias.
 */
export function litCells(frame: WindowFrame, lit: readonly (readonly number[])[]): LitCells {
	const cells = new Map<string, string>();
	let bias: string | null = null;
	const grid = [frame.input, frame.kernel, frame.output].find((g): g is GridView => g !== null && g.current);
	for (const entry of lit) {
		if (frame.bias?.current && entry.length === 1 && entry[0] === frame.filter) bias = entry.join('.');
		if (!grid || entry.length !== grid.lead.length + 2 || !grid.lead.every((v, i) => v === entry[i])) continue;
		const row = entry[grid.lead.length];
		const col = entry[grid.lead.length + 1];
		const cell = cellAt(grid, row, col);
		if (cell && !cell.padding) cells.set(`${grid.role}:${row}:${col}`, entry.join('.'));
	}
	return { cells, bias };
}
