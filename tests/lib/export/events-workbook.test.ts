import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventAt, run } from '../../../src/lib/engine';
import { ExportTooLargeError, traceWorkbook, workbookLayout, workbookSpec } from '../../../src/lib/export';
import { loadFixture, PROJECT_ROOT } from '../../helpers';
import { cellOf, readWorkbook } from './read-back';

const conv = (loadFixture('conv-stride-2.yaml') as { scenario: unknown }).scenario;

describe('the values-only workbook (any other trace)', () => {
	it('has one "events" sheet: step, epoch, phase, name, shape, first index, then the values as numbers', async () => {
		const trace = run(conv);
		expect(workbookLayout(trace)).toBe('events');
		const workbook = await readWorkbook(await traceWorkbook(trace, 'en'));
		expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['events']);
		const sheet = workbook.worksheets[0];
		expect(sheet.getRow(1).values).toEqual([undefined, 'step', 'epoch', 'phase', 'name', 'shape', 'first index', 'values']);
		expect(sheet.rowCount).toBe(trace.length + 1);
		for (let seq = 0; seq < trace.length; seq++) {
			const event = eventAt(trace, seq);
			const row = seq + 2;
			expect([cellOf(sheet, `A${row}`), cellOf(sheet, `B${row}`), cellOf(sheet, `D${row}`), cellOf(sheet, `F${row}`)]).toEqual([
				event.step,
				event.epoch,
				event.name,
				0
			]);
			expect(cellOf(sheet, `E${row}`)).toBe(event.value.shape.join('×'));
			event.value.data.forEach((value, k) => expect(cellOf(sheet, sheet.getCell(row, 7 + k).address)).toBe(value));
		}
		expect(cellOf(sheet, 'C2')).toBe('initialisation');
	});

	it('speaks French: "événements", "étape", "propagation avant"', () => {
		const sheet = workbookSpec(run(conv), 'fr').sheets[0];
		expect(sheet.name).toBe('événements');
		expect(sheet.rows[0].slice(0, 4)).toEqual(['étape', 'époque', 'phase', 'nom']);
		expect(sheet.rows.some((row) => row[2] === 'propagation avant')).toBe(true);
	});

	it('continues a tensor of more than 1,000 values on further rows, each saying where it starts; a large network is values only', () => {
		const trace = run({ model: { input: 2, layers: [{ type: 'dense', units: 1100, activation: 'identity' }] }, data: { X: [[1, 2]] } });
		expect(workbookLayout(trace)).toBe('events');
		const rows = workbookSpec(trace, 'en').sheets[0].rows.filter((row) => row[3] === 'W[1]');
		expect(rows.map((row) => row[5])).toEqual([0, 1000, 2000]);
		expect(rows.map((row) => row.length - 6)).toEqual([1000, 1000, 200]);
		expect(rows[1][6]).toBe(trace.values[1000]);
	});

	it('refuses a workbook no spreadsheet would open, with a message pointing to the JSON', () => {
		const trace = run({
			perceptron: { w: [0.1, 0.1], b: null, threshold: 0.5, strict: true, rule: 'sign', lr: 0.1 },
			data: { X: [[0, 0], [1, 0], [0, 1], [1, 1]], Y: [[0], [1], [1], [1]] },
			training: { epochs: 10_000 }
		});
		expect(() => workbookSpec(trace, 'fr')).toThrow(ExportTooLargeError);
		expect(() => workbookSpec(trace, 'fr')).toThrow(/JSON/);
	});
});

describe('the .xlsx library stays out of the page’s first load', () => {
	it('is imported only dynamically (or for types) by src/lib/export and the export menu', () => {
		const dir = join(PROJECT_ROOT, 'src/lib/export');
		const files = [...readdirSync(dir).map((f) => join(dir, f)), join(PROJECT_ROOT, 'src/lib/components/replay/ExportMenu.svelte')];
		for (const file of files) {
			const source = readFileSync(file, 'utf8');
			for (const line of source.split('\n').filter((l) => /from ['"]exceljs['"]/.test(l))) {
				expect(line, file).toMatch(/^import type /);
			}
		}
		expect(readFileSync(join(dir, 'write.ts'), 'utf8')).toContain("await import('exceljs')");
	});
});
