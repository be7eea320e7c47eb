import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { litCells, nextPosition, readCells, windowFrame, type GridView } from '../../../src/lib/viz/grid';
import { loadFixture } from '../../helpers';

function traceOf(file: string): Trace {
	return run((loadFixture(file) as { scenario: unknown }).scenario);
}

function seqOf(trace: Trace, step: number, name: string): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.seq;
}

/** `row,col` of the cells of `grid` that satisfy `test`, in tensor coordinates (negative in the padding). */
function cells(grid: GridView, test: (cell: GridView['cells'][number]) => boolean): string[] {
	return grid.cells.filter(test).map((c) => `${c.row},${c.col}`);
}

const padded = traceOf('conv-padding-1.yaml');
const strided = traceOf('conv-stride-2.yaml');
const pooled = traceOf('pool-max-2x2.yaml');

describe('windowFrame: which input cells the window of the selected output cell covers', () => {
	it.each([
		{
			what: 'padding 1, corner (0,0): the window hangs over the padding',
			trace: padded,
			index: [0, 0, 0, 0],
			window: ['-1,-1', '-1,0', '-1,1', '0,-1', '0,0', '0,1', '1,-1', '1,0', '1,1'],
			next: ['-1,0', '-1,1', '-1,2', '0,0', '0,1', '0,2', '1,0', '1,1', '1,2']
		},
		{
			what: 'padding 1, end of a row: the next window starts the next row',
			trace: padded,
			index: [0, 0, 0, 4],
			window: ['-1,3', '-1,4', '-1,5', '0,3', '0,4', '0,5', '1,3', '1,4', '1,5'],
			next: ['0,-1', '0,0', '0,1', '1,-1', '1,0', '1,1', '2,-1', '2,0', '2,1']
		},
		{
			what: 'stride 2, (0,0): the next window is 2 columns to the right',
			trace: strided,
			index: [0, 0, 0, 0],
			window: ['0,0', '0,1', '0,2', '1,0', '1,1', '1,2', '2,0', '2,1', '2,2'],
			next: ['0,2', '0,3', '0,4', '1,2', '1,3', '1,4', '2,2', '2,3', '2,4']
		},
		{
			what: 'stride 2, last cell (1,1): no next window',
			trace: strided,
			index: [0, 0, 1, 1],
			window: ['2,2', '2,3', '2,4', '3,2', '3,3', '3,4', '4,2', '4,3', '4,4'],
			next: []
		}
	])('$what', ({ trace, index, window, next }) => {
		const frame = windowFrame(trace, seqOf(trace, 1, 'Z[1]'), index);
		expect(frame).not.toBeNull();
		if (!frame) return;
		expect(cells(frame.input, (c) => c.window)).toEqual(window);
		expect(cells(frame.input, (c) => c.nextWindow)).toEqual(next);
	});

	it.each([
		{ trace: padded, rows: 7, padding: 24 },
		{ trace: strided, rows: 5, padding: 0 }
	])('the input grid is $rows×$rows with $padding padding cells, each 0', ({ trace, rows, padding }) => {
		const frame = windowFrame(trace, seqOf(trace, 1, 'Z[1]'), [0, 0, 0, 0]);
		expect(frame?.input.rows).toBe(rows);
		expect(frame?.input.cols).toBe(rows);
		const pads = frame?.input.cells.filter((c) => c.padding) ?? [];
		expect(pads.length).toBe(padding);
		expect(pads.every((c) => c.value === 0 && c.index === null)).toBe(true);
	});

	it.each([
		{ trace: padded, index: [0, 0, 1, 2], value: 24 },
		{ trace: padded, index: [0, 0, 0, 0], value: 6 },
		{ trace: strided, index: [0, 0, 1, 0], value: 24 }
	])('output cell $index is the one written and selected, value $value (the course example)', ({ trace, index, value }) => {
		const frame = windowFrame(trace, seqOf(trace, 1, 'Z[1]'), index);
		const selected = frame?.output.cells.filter((c) => c.selected) ?? [];
		expect(selected.map((c) => [c.row, c.col])).toEqual([[index[2], index[3]]]);
		expect(selected[0].value).toBe(value);
		expect(selected[0].index).toEqual(index);
		expect(frame?.output.current).toBe(true);
		expect(frame?.focus).toEqual([index[2], index[3]]);
	});

	it('shows the kernel of the filter with the bias, and numbers the current tensor only', () => {
		const frame = windowFrame(padded, seqOf(padded, 1, 'Z[1]'), [0, 0, 2, 2]);
		expect(frame?.kernel?.cells.map((c) => c.value)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1]);
		expect(frame?.kernel?.cells.every((c) => c.index === null)).toBe(true);
		expect(frame?.input.cells.every((c) => c.index === null)).toBe(true);
		expect(frame?.bias?.value).toBe(0);
	});

	it('selects a kernel cell for a W event (init, step 0) and draws no window', () => {
		const frame = windowFrame(padded, seqOf(padded, 0, 'W[1]'), [0, 0, 1, 2]);
		expect(frame?.kernel?.current).toBe(true);
		expect(frame?.kernel?.cells.filter((c) => c.selected).map((c) => c.index)).toEqual([[0, 0, 1, 2]]);
		expect(frame?.focus).toBeNull();
		// nothing of step 1 is known yet at step 0
		expect(frame?.input.cells.filter((c) => !c.padding).every((c) => c.value === null)).toBe(true);
	});

	it('lets the input A[0] be selected cell by cell when it is the current event', () => {
		const frame = windowFrame(padded, seqOf(padded, 1, 'A[0]'), [0, 0, 2, 1]);
		expect(frame?.input.current).toBe(true);
		expect(frame?.input.cells.filter((c) => c.selected).map((c) => [c.row, c.col, c.value])).toEqual([[2, 1, 8]]);
		// the feature map is not computed yet at A[0]
		expect(frame?.output.cells.every((c) => c.value === null)).toBe(true);
	});
});

describe('windowFrame in pooling mode', () => {
	it.each([
		{ index: [0, 0, 0, 0], window: ['0,0', '0,1', '1,0', '1,1'], winner: '0,0', value: 4 },
		{ index: [0, 0, 1, 0], window: ['2,0', '2,1', '3,0', '3,1'], winner: '2,1', value: 8 },
		{ index: [0, 0, 1, 1], window: ['2,2', '2,3', '3,2', '3,3'], winner: '3,3', value: 7 }
	])('max pool $index: window $window keeps $winner', ({ index, window, winner, value }) => {
		const frame = windowFrame(pooled, seqOf(pooled, 1, 'A[1]'), index);
		expect(frame?.mode).toBe('pool');
		expect(frame?.kernel).toBeNull();
		if (!frame) return;
		expect(cells(frame.input, (c) => c.window)).toEqual(window);
		expect(cells(frame.input, (c) => c.winner)).toEqual([winner]);
		expect(frame.output.cells.find((c) => c.selected)?.value).toBe(value);
	});

	it('has no window without a selection, and none goes past the last position', () => {
		const frame = windowFrame(pooled, seqOf(pooled, 1, 'A[1]'), null);
		expect(frame?.input.cells.some((c) => c.window || c.nextWindow)).toBe(false);
		expect(nextPosition(1, 1, 2, 2)).toBeNull();
		expect(nextPosition(0, 1, 2, 2)).toEqual([1, 0]);
	});
});

describe('readCells: the formula reads land on their grid', () => {
	it('maps input, kernel and output reads of the shown slice, including padding zeros', () => {
		const frame = windowFrame(padded, seqOf(padded, 1, 'Z[1]'), [0, 0, 0, 0]);
		if (!frame) throw new Error('no frame');
		const keys = readCells(frame, [
			{ step: 1, name: 'A[0]', index: [0, 0, 0, 0] },
			{ step: 1, name: 'A[0]', index: [0, 0, -1, -1] },
			{ step: 0, name: 'W[1]', index: [0, 0, 2, 2] },
			{ step: 1, name: 'Z[1]', index: [0, 0, 4, 4] },
			// another sample, another quantity, outside the grid: not drawn
			{ step: 1, name: 'A[0]', index: [1, 0, 0, 0] },
			{ step: 1, name: 'A[1]', index: [0, 0, 0, 0] },
			{ step: 1, name: 'A[0]', index: [0, 0, 9, 0] }
		]);
		expect([...keys].sort()).toEqual(['input:-1:-1', 'input:0:0', 'kernel:2:2', 'output:4:4']);
	});
});

describe('litCells: a student’s wrong entries land on the grid of the event', () => {
	it('rings output cells of the shown sample and filter, and drops entries the grid does not show', () => {
		const frame = windowFrame(padded, seqOf(padded, 1, 'Z[1]'), [0, 0, 1, 1]);
		if (!frame) throw new Error('no frame');
		const lit = litCells(frame, [
			[0, 0, 1, 1],
			[0, 0, 4, 4],
			// outside the map, another sample, an index of another rank
			[0, 0, 9, 9],
			[1, 0, 0, 0],
			[0, 1]
		]);
		expect([...lit.cells]).toEqual([
			['output:1:1', '0.0.1.1'],
			['output:4:4', '0.0.4.4']
		]);
		expect(lit.bias).toBeNull();
	});

	it('rings a kernel cell of a weight event, never the input under it', () => {
		const frame = windowFrame(padded, seqOf(padded, 0, 'W[1]'), null);
		if (!frame) throw new Error('no frame');
		expect([...litCells(frame, [[0, 0, 2, 1]]).cells.keys()]).toEqual(['kernel:2:1']);
	});

	it('rings a pooled cell', () => {
		const frame = windowFrame(pooled, seqOf(pooled, 1, 'A[1]'), [0, 0, 1, 0]);
		if (!frame) throw new Error('no frame');
		expect([...litCells(frame, [[0, 0, 1, 0]]).cells.keys()]).toEqual(['output:1:0']);
	});
});
