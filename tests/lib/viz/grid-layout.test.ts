import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { windowFrame } from '../../../src/lib/viz/grid';
import { MAX_CELL, fittedWindowLayout, windowLayout } from '../../../src/lib/viz/grid-layout';
import { loadFixture } from '../../helpers';

function frameOf(file: string, name: string) {
	const trace: Trace = run((loadFixture(file) as { scenario: unknown }).scenario);
	const event = findEvent(trace, 1, name);
	if (!event) throw new Error(`no ${name}`);
	const frame = windowFrame(trace, event.seq, null);
	if (!frame) throw new Error('no frame');
	return frame;
}

describe('windowLayout', () => {
	it.each([
		{ file: 'conv-padding-1.yaml', name: 'Z[1]', kernel: true, cell: MAX_CELL, values: true },
		{ file: 'conv-stride-2.yaml', name: 'Z[1]', kernel: true, cell: MAX_CELL, values: true },
		{ file: 'pool-max-2x2.yaml', name: 'A[1]', kernel: false, cell: MAX_CELL, values: true }
	])('$file: one cell size, grids left to right without overlap', ({ file, name, kernel, cell, values }) => {
		const layout = windowLayout(frameOf(file, name));
		expect(layout.cell).toBe(cell);
		expect(layout.kernel !== null).toBe(kernel);
		const boxes = [layout.input, layout.kernel, layout.output].filter((b) => b !== null);
		for (let i = 1; i < boxes.length; i++) expect(boxes[i].x).toBeGreaterThan(boxes[i - 1].x + boxes[i - 1].width);
		expect(layout.operators.length).toBe(kernel ? 2 : 1);
		expect(layout.values.input).toBe(values);
		expect(layout.width).toBeGreaterThan(boxes[boxes.length - 1].x + boxes[boxes.length - 1].width);
	});

	it('stacks the input above the kernel and the feature map for narrow screens', () => {
		const frame = frameOf('conv-padding-1.yaml', 'Z[1]');
		const row = windowLayout(frame);
		const stacked = windowLayout(frame, true);
		expect(stacked.width).toBeLessThan(row.width);
		expect(stacked.kernel?.y).toBeGreaterThan(stacked.input.y + stacked.input.height);
		expect(stacked.output.y).toBeGreaterThan(stacked.input.y + stacked.input.height);
		expect(stacked.height).toBeGreaterThan((stacked.kernel?.y ?? 0) + (stacked.kernel?.height ?? 0));
	});

	it('switches to colour only for big images', () => {
		const trace = run({
			model: { input: [1, 28, 28], layers: [{ type: 'conv2d', filters: 1, kernel: 5 }] },
			data: { X: [[Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => 1))]] }
		});
		const event = findEvent(trace, 1, 'Z[1]');
		const frame = event ? windowFrame(trace, event.seq, [0, 0, 3, 3]) : null;
		if (!frame) throw new Error('no frame');
		const layout = windowLayout(frame);
		expect(layout.cell).toBeLessThan(20);
		expect(layout.values).toEqual({ input: false, kernel: false, output: false });
	});
});

describe('fittedWindowLayout: drawn at one unit per pixel of the width given', () => {
	it.each([
		{ case: 'a laptop column', available: 900, stacked: false, cell: MAX_CELL },
		{ case: 'a tablet column', available: 620, stacked: false },
		{ case: 'a 375 px phone (343 px given)', available: 343, stacked: true },
		{ case: 'a very narrow column', available: 200, stacked: true }
	])('$case: fits the width, the grids stacked on a phone', ({ available, stacked, cell }) => {
		const frame = frameOf('conv-padding-1.yaml', 'Z[1]');
		const layout = fittedWindowLayout(frame, available);
		expect(layout.width).toBeLessThanOrEqual(available);
		expect(layout.kernel !== null && layout.kernel.y > layout.input.y + layout.input.height).toBe(stacked);
		if (cell) expect(layout.cell).toBe(cell);
		// the cells are the largest that fit: one more pixel would not
		if (layout.cell < MAX_CELL) expect(windowLayout(frame, stacked, layout.cell + 1).width).toBeGreaterThan(available);
	});
});
