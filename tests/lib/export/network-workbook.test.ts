import type { Worksheet } from 'exceljs';
import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { traceWorkbook, workbookLayout } from '../../../src/lib/export';
import { PROFILES } from '../../../src/lib/profiles';
import { DESIGN_EXAMPLE } from '../../helpers';
import { cellOf, formulaCells, readWorkbook, recompute } from './read-back';

async function sheetOf(trace: Trace, locale: 'fr' | 'en' = 'fr'): Promise<Worksheet> {
	const workbook = await readWorkbook(await traceWorkbook(trace, locale));
	return workbook.worksheets[0];
}

/** The first row whose column A starts with `label`, after row `from`. */
function rowOf(sheet: Worksheet, label: string, from = 1): number {
	for (let row = from; row <= sheet.rowCount; row++) {
		const value = sheet.getCell(row, 1).value;
		if (typeof value === 'string' && value.startsWith(label)) return row;
	}
	throw new Error(`no row ${label}`);
}

/** The formula cells of the block labelled `label` (its rows follow the label), row by row. */
function block(sheet: Worksheet, label: string, rows: number, columns: number, from = 1) {
	const top = rowOf(sheet, label, from) + 1;
	return Array.from({ length: rows }, (_, i) =>
		Array.from({ length: columns }, (_, j) => {
			const cell = cellOf(sheet, sheet.getCell(top + i, 2 + j).address);
			if (typeof cell !== 'object') throw new Error(`${label}[${i}][${j}] is not a formula`);
			return cell;
		})
	);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

describe('the small dense network workbook', () => {
	it('writes Z[1] = SUMPRODUCT(W row, A row) + b and A[1] = 1/(1+EXP(−z)) with the engine’s values cached (2-2-1)', async () => {
		const trace = run(DESIGN_EXAMPLE);
		expect(workbookLayout(trace)).toBe('network');
		const sheet = await sheetOf(trace);
		expect(sheet.name).toBe('réseau');
		const Z = findEvent(trace, 1, 'Z[1]')?.value.data ?? [];
		const A = findEvent(trace, 1, 'A[1]')?.value.data ?? [];
		const z = block(sheet, 'Z[1]', 1, 2)[0];
		const a = block(sheet, 'A[1]', 1, 2)[0];
		z.forEach((cell, j) => {
			expect(cell.formula).toMatch(/^SUMPRODUCT\([A-Z]+\d+:[A-Z]+\d+,[A-Z]+\d+:[A-Z]+\d+\)\+[A-Z]+\d+$/);
			expect(Math.abs(cell.result - Z[j])).toBeLessThanOrEqual(1e-12);
		});
		a.forEach((cell, j) => {
			expect(cell.formula).toBe(`1/(1+EXP(-${sheet.getCell(rowOf(sheet, 'Z[1]') + 1, 2 + j).address}))`);
			expect(Math.abs(cell.result - A[j])).toBeLessThanOrEqual(1e-12);
		});
		// the formulas read W[1], b[1] and A[0] as the engine had them
		const wRow = rowOf(sheet, 'W[1]') + 1;
		expect(z[0].formula).toBe(`SUMPRODUCT(B${wRow}:C${wRow},B${rowOf(sheet, 'A[0]') + 1}:C${rowOf(sheet, 'A[0]') + 1})+E${wRow}`);
		expect([cellOf(sheet, `B${wRow}`), cellOf(sheet, `C${wRow}`), cellOf(sheet, `E${wRow}`)]).toEqual([0.1, -0.2, 0.1]);
	});

	it('every formula recomputes to its cached result, and the backward pass and update are the engine’s values', async () => {
		const trace = run(DESIGN_EXAMPLE);
		const sheet = await sheetOf(trace);
		const cells = formulaCells(sheet);
		expect(cells.size).toBe(6); // Z[1], A[1] (2 each), Z[2], A[2]
		const values = recompute(sheet);
		for (const [address, { formula, result }] of cells) expect(close(values.get(address) ?? NaN, result), `${address} = ${formula}`).toBe(true);
		const dW1 = findEvent(trace, 1, 'dW[1]')?.value.data ?? [];
		const top = rowOf(sheet, 'dW[1]') + 1;
		expect([cellOf(sheet, `B${top}`), cellOf(sheet, `C${top}`), cellOf(sheet, `B${top + 1}`), cellOf(sheet, `C${top + 1}`)]).toEqual([...dW1]);
		const W1 = findEvent(trace, 1, 'W[1]')?.value.data ?? [];
		const after = rowOf(sheet, 'W[1] · après') + 1;
		expect(cellOf(sheet, `B${after}`)).toBe(W1[0]);
	});

	it('writes the rate of each update under a learning-rate schedule, before the update, and a frozen layer’s weights unchanged', async () => {
		const model = DESIGN_EXAMPLE.model as { input: number; layers: Record<string, unknown>[] };
		const trace = run({
			...DESIGN_EXAMPLE,
			model: { ...model, layers: [{ ...model.layers[0], trainable: false }, model.layers[1]] },
			optimizer: { type: 'sgd', lr: { schedule: 'inverse_time', initial: 0.5, decay_rate: 1, decay_steps: 1 } },
			training: { epochs: 2 }
		});
		const sheet = await sheetOf(trace, 'en');
		const first = rowOf(sheet, 'lr · learning rate');
		const second = rowOf(sheet, 'lr · learning rate', first + 1);
		expect([cellOf(sheet, `B${first + 1}`), cellOf(sheet, `B${second + 1}`)]).toEqual([0.5, 0.25]);
		expect(first).toBeLessThan(rowOf(sheet, 'W[2] · after', first));
		const kept = rowOf(sheet, 'W[1] · after', second) + 1;
		expect([cellOf(sheet, `B${kept}`), cellOf(sheet, `C${kept}`)]).toEqual([0.1, -0.2]);
	});

	it('writes every activation as its formula, over batches and epochs, each step reading the weights the step before left', async () => {
		const trace = run({
			model: {
				input: 3,
				layers: [
					{ type: 'dense', units: 4, activation: 'tanh', init: { weights: 'uniform', seed: 3 } },
					{ type: 'dense', units: 3, activation: 'relu', init: { weights: 'uniform', bias: 'uniform', seed: 4 } },
					{ type: 'dense', units: 3, activation: 'softplus', init: { weights: 'uniform', seed: 5 } },
					{ type: 'dense', units: 2, activation: 'step', init: { weights: 'uniform', seed: 6 } },
					{ type: 'dense', units: 3, activation: 'identity', init: { weights: 'uniform', seed: 7 } },
					{ type: 'dense', units: 3, activation: 'softmax', init: { weights: 'uniform', seed: 8 } }
				]
			},
			loss: 'categorical_cross_entropy',
			optimizer: { type: 'sgd', lr: 0.3 },
			data: {
				X: [[0.5, -1, 2], [1, 0.25, -0.5], [-2, 1, 0]],
				Y: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
			},
			training: { epochs: 2, batch_size: 2 }
		});
		expect(workbookLayout(trace)).toBe('network');
		const sheet = await sheetOf(trace, 'en');
		expect(sheet.name).toBe('network');
		const formulas = [...formulaCells(sheet).values()].map((cell) => cell.formula);
		for (const pattern of [/^TANH\(/, /^MAX\(0,/, /^LN\(1\+EXP\(/, /^IF\([A-Z]+\d+>=0,1,0\)$/, /^[A-Z]+\d+$/, /^EXP\([A-Z]+\d+\)\/SUMPRODUCT\(EXP\(/]) {
			expect(formulas.some((f) => pattern.test(f)), String(pattern)).toBe(true);
		}
		const values = recompute(sheet);
		for (const [address, { formula, result }] of formulaCells(sheet)) {
			expect(close(values.get(address) ?? NaN, result), `${address} = ${formula}: ${values.get(address)} vs ${result}`).toBe(true);
		}
		// step 3 (epoch 2) reads W[1] as step 2's update left it
		const step3 = rowOf(sheet, 'Step 3 · epoch 2');
		const wRow = rowOf(sheet, 'W[1]', step3) + 1;
		expect(cellOf(sheet, `B${wRow}`)).toBe(findEvent(trace, 2, 'W[1]')?.value.data[0]);
		// a batch of two samples: Z[1] has a row per sample, labelled with the sample's number
		const zRow = rowOf(sheet, 'Z[1]', rowOf(sheet, 'Step 1')) + 1;
		expect([sheet.getCell(zRow, 1).value, sheet.getCell(zRow + 1, 1).value]).toEqual(['sample 1', 'sample 2']);
	});

	it('changing an input in the sheet recomputes the forward pass as the engine would', async () => {
		const sheet = await sheetOf(run(DESIGN_EXAMPLE));
		const input = rowOf(sheet, 'A[0]') + 1;
		const other = run({ ...DESIGN_EXAMPLE, data: { X: [[-0.5, 2]], Y: [[1]] } });
		const values = recompute(sheet, { [`B${input}`]: -0.5, [`C${input}`]: 2 });
		const a2 = block(sheet, 'A[2]', 1, 1)[0][0];
		const address = sheet.getCell(rowOf(sheet, 'A[2]') + 1, 2).address;
		expect(a2.formula).toContain('EXP');
		expect(close(values.get(address) ?? NaN, findEvent(other, 1, 'A[2]')?.value.data[0] ?? NaN)).toBe(true);
	});

	it.each([
		['004', ['z⁽²⁾ = w⁽²⁾·a⁽¹⁾ + b⁽²⁾', 'w⁽³⁾ · avant', 'C · ', '∂C/∂w⁽²⁾', 'couche 2 (sigmoid)']],
		['003', ['Z[1] = W[1]·A[0] + b[1]', 'W[2] · avant', 'J · ', '∂J/∂W[1]', 'couche 1 (sigmoid)']]
	] as const)('labels its blocks in the words of course %s when the replay shows them', async (profile, labels) => {
		const trace = run(DESIGN_EXAMPLE);
		const workbook = await readWorkbook(await traceWorkbook(trace, 'fr', { writing: PROFILES[profile] }));
		const sheet = workbook.worksheets[0];
		for (const label of labels) expect(rowOf(sheet, label)).toBeGreaterThan(0);
		// the formulas are the same whatever the words
		const values = recompute(sheet);
		for (const [address, { result }] of formulaCells(sheet)) expect(close(values.get(address) ?? NaN, result)).toBe(true);
	});
});
