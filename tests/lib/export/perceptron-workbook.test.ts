import type { Worksheet } from 'exceljs';
import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { traceWorkbook, workbookLayout } from '../../../src/lib/export';
import { loadFixture } from '../../helpers';
import { cellOf, formulaCells, readWorkbook, recompute } from './read-back';

interface PerceptronFixture {
	scenario: { perceptron: Record<string, unknown>; data: unknown; training: unknown };
}

const fixture = (file: string) => (loadFixture(file) as PerceptronFixture).scenario;
const OR = fixture('perceptron-spreadsheet-or.yaml');

async function sheetOf(trace: Trace, locale: 'fr' | 'en' = 'fr'): Promise<Worksheet> {
	const workbook = await readWorkbook(await traceWorkbook(trace, locale, { title: 'OU' }));
	expect(workbook.worksheets).toHaveLength(1);
	return workbook.worksheets[0];
}

/** The address of the parameter labelled `label` in rows 1–4 (its value is the next cell). */
function parameter(sheet: Worksheet, label: string): string {
	for (let row = 1; row <= 4; row++) {
		const cells = sheet.getRow(row);
		for (let column = 1; column <= sheet.columnCount; column++) {
			if (cells.getCell(column).value === label) return cells.getCell(column + 1).address;
		}
	}
	throw new Error(`no parameter ${label}`);
}

function expectFormulasMatch(sheet: Worksheet): number {
	const cells = formulaCells(sheet);
	const recomputed = recompute(sheet);
	for (const [address, { formula, result }] of cells) {
		expect(recomputed.get(address), `${address} = ${formula}`).toBe(result);
	}
	return cells.size;
}

describe('the perceptron workbook (course 000’s spreadsheet)', () => {
	it('has the course’s columns, its initial weights in row 4 and step s in row 4 + s', async () => {
		const trace = run(OR);
		expect(workbookLayout(trace)).toBe('perceptron');
		const sheet = await sheetOf(trace);
		expect(sheet.name).toBe('perceptron');
		const headings = ['x1', 'x2', 'w1', 'w2', 'somme pondérée', 'sortie', 'sortie attendue y', 'correction y − ŷ', "w1'", "w2'"];
		headings.forEach((heading, i) => expect(sheet.getRow(3).getCell(i + 1).value).toBe(heading));
		expect(sheet.getCell('I2').value).toBe('nouveaux poids');
		expect([cellOf(sheet, 'I4'), cellOf(sheet, 'J4')]).toEqual([0.1, 0.1]);
		// every step is a row; the inputs and the expected output are numbers, never text
		expect(sheet.rowCount).toBe(4 + trace.steps);
		for (let row = 5; row <= 4 + trace.steps; row++) {
			for (const column of ['A', 'B', 'G']) expect(typeof cellOf(sheet, `${column}${row}`)).toBe('number');
		}
	});

	it('row 14 (step 10) computes the new weights 0.6 and 0.6 with formulas from the row and the learning rate', async () => {
		const sheet = await sheetOf(run(OR));
		const lr = parameter(sheet, "taux d'apprentissage");
		expect(cellOf(sheet, lr)).toBe(0.1);
		const absolute = lr.replace(/([A-Z]+)(\d+)/, '$$$1$$$2');
		expect(cellOf(sheet, 'I14')).toEqual({ formula: `C14+${absolute}*H14`, result: 0.6 });
		expect(cellOf(sheet, 'J14')).toEqual({ formula: `D14+${absolute}*H14`, result: 0.6 });
		// and the weights before are the previous row's new weights
		expect(cellOf(sheet, 'C14')).toEqual({ formula: 'I13', result: 0.5 });
		expect(cellOf(sheet, 'E14')).toEqual({ formula: 'A14*C14+B14*D14', result: 0.5 });
		expect(cellOf(sheet, 'H14')).toEqual({ formula: 'G14-F14', result: 1 });
	});

	it('writes the output as IF(sum > threshold): strictly greater, with the threshold 0.5 in the parameters', async () => {
		const sheet = await sheetOf(run(OR));
		const output = cellOf(sheet, 'F14');
		if (typeof output !== 'object') throw new Error('F14 is not a formula');
		const match = /^IF\(E14>\$([A-Z]+)\$(\d+),1,0\)$/.exec(output.formula);
		expect(match, output.formula).not.toBeNull();
		const thresholdCell = `${match?.[1]}${match?.[2]}`;
		expect(thresholdCell).toBe(parameter(sheet, 'seuil'));
		expect(cellOf(sheet, thresholdCell)).toBe(0.5);
		// z = 0.5 is not above 0.5: the course's output is 0 and so is the cached result
		expect(output.result).toBe(0);
		expect(sheet.getCell(parameter(sheet, 'seuil')).row).toBe(2);
	});

	it.each(['perceptron-spreadsheet-or.yaml', 'perceptron-spreadsheet-and.yaml', 'perceptron-spreadsheet-xor-a.yaml', 'perceptron-spreadsheet-xor-b.yaml'])(
		'%s: every formula recomputes exactly to its cached result, the engine’s number',
		async (file) => {
			const trace = run(fixture(file));
			const sheet = await sheetOf(trace);
			expect(expectFormulasMatch(sheet)).toBe(7 * trace.steps);
			for (let step = 1; step <= trace.steps; step++) {
				const row = 4 + step;
				expect(cellOf(sheet, `E${row}`)).toMatchObject({ result: findEvent(trace, step, 'Z[1]')?.value.data[0] });
				expect(cellOf(sheet, `F${row}`)).toMatchObject({ result: findEvent(trace, step, 'A[1]')?.value.data[0] });
			}
		}
	);

	it('replays the engine when the student edits the learning rate and the threshold', async () => {
		const sheet = await sheetOf(run(OR));
		const edited = { ...OR, perceptron: { ...OR.perceptron, lr: 0.25, threshold: 0.7 } };
		const expected = run(edited);
		const values = recompute(sheet, { [parameter(sheet, "taux d'apprentissage")]: 0.25, [parameter(sheet, 'seuil')]: 0.7 });
		for (let step = 1; step <= expected.steps; step++) {
			const row = 4 + step;
			const W = findEvent(expected, step, 'W[1]')?.value.data ?? [];
			expect(values.get(`F${row}`), `output, step ${step}`).toBe(findEvent(expected, step, 'A[1]')?.value.data[0]);
			expect(values.get(`I${row}`), `w1', step ${step}`).toBeCloseTo(W[0], 12);
			expect(values.get(`J${row}`), `w2', step ${step}`).toBeCloseTo(W[1], 12);
		}
	});

	it('writes a bias, the delta rule (× x) and ≥ for a non-strict threshold', async () => {
		const scenario = {
			perceptron: { w: [0.2, -0.1, 0.4], b: 0.1, threshold: 0, strict: false, rule: 'delta', lr: 0.5 },
			data: { X: [[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1]], Y: [[1], [0], [0], [1]] },
			training: { epochs: 3 }
		};
		const trace = run(scenario);
		const sheet = await sheetOf(trace, 'en');
		// x1 x2 x3 | w1 w2 w3 | b | sum | output | expected | correction | w1' w2' w3' | b'
		expect(sheet.getRow(3).values).toEqual(
			expect.arrayContaining(['x3', 'w3', 'b', 'weighted sum', 'output', 'expected y', 'correction y − ŷ', "w3'", "b'"])
		);
		expect(sheet.getCell('L2').value).toBe('new weights');
		const lr = parameter(sheet, 'learning rate').replace(/([A-Z]+)(\d+)/, '$$$1$$$2');
		const threshold = parameter(sheet, 'threshold').replace(/([A-Z]+)(\d+)/, '$$$1$$$2');
		expect(cellOf(sheet, 'H5')).toMatchObject({ formula: 'G5+A5*D5+B5*E5+C5*F5' });
		expect(cellOf(sheet, 'I5')).toMatchObject({ formula: `IF(H5>=${threshold},1,0)` });
		expect(cellOf(sheet, 'L5')).toMatchObject({ formula: `D5+${lr}*K5*A5` });
		expect(cellOf(sheet, 'O5')).toMatchObject({ formula: `G5+${lr}*K5` });
		expect(cellOf(sheet, 'O4')).toBe(0.1);
		expect(expectFormulasMatch(sheet)).toBe(11 * trace.steps);
		expect(cellOf(sheet, `O${4 + trace.steps}`)).toMatchObject({ result: findEvent(trace, trace.steps, 'b[1]')?.value.data[0] });
	});

	it('sums many inputs with SUMPRODUCT', async () => {
		const trace = run({
			perceptron: { w: [0.1, 0.2, 0.3, 0.4, 0.5], b: null, threshold: 1, strict: true, rule: 'delta', lr: 0.1 },
			data: { X: [[1, 0, 1, 0, 1], [0, 1, 0, 1, 0]], Y: [[0], [1]] },
			training: { epochs: 2 }
		});
		const sheet = await sheetOf(trace);
		expect(cellOf(sheet, 'K5')).toMatchObject({ formula: 'SUMPRODUCT(A5:E5,F5:J5)' });
		expectFormulasMatch(sheet);
	});
});
