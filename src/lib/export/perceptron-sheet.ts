import { batchRowsOf, findEvent, type Trace, type TraceEvent } from '../engine/trace';
import { newSheet, ref, rowRange, setCell, type Cell, type SheetSpec } from './sheet';
import type { WorkbookText } from './text';

/** Row 4 holds the initial weights and step s is row 4 + s, as in course 000's sheet (its row 14 is step 10). */
export const PERCEPTRON_FIRST_ROW = 5;
/** Above this many inputs the weighted sum is a SUMPRODUCT instead of x1*w1+x2*w2+… */
const EXPLICIT_PRODUCTS = 4;

/** Where each column of the perceptron table is (1-based). */
export interface PerceptronColumns {
	x: (i: number) => number;
	w: (i: number) => number;
	b: number | null;
	sum: number;
	output: number;
	expected: number;
	correction: number;
	newW: (i: number) => number;
	newB: number | null;
	step: number;
	epoch: number;
	sample: number;
	/** the parameters block: labels in `parameterLabels`, values beside them */
	parameterLabels: number;
	parameterValues: number;
	/** rows of the learning rate and the threshold in the parameters block */
	learningRateRow: number;
	thresholdRow: number;
}

export function perceptronColumns(inputs: number, bias: boolean): PerceptronColumns {
	const sum = 2 * inputs + (bias ? 2 : 1);
	const correction = sum + 3;
	const last = correction + inputs + (bias ? 1 : 0);
	return {
		x: (i) => i,
		w: (i) => inputs + i,
		b: bias ? 2 * inputs + 1 : null,
		sum,
		output: sum + 1,
		expected: sum + 2,
		correction,
		newW: (i) => correction + i,
		newB: bias ? correction + inputs + 1 : null,
		step: last + 1,
		epoch: last + 2,
		sample: last + 3,
		parameterLabels: last + 5,
		parameterValues: last + 6,
		learningRateRow: 1,
		thresholdRow: 2
	};
}

interface PerceptronStep {
	step: number;
	epoch: number;
	sample: number;
	x: TraceEvent;
	z: number;
	output: number;
	error: number;
	W: TraceEvent;
	b: TraceEvent | undefined;
}

/** The recorded steps, stopping at the first one the run did not finish. */
function perceptronSteps(trace: Trace, bias: boolean): PerceptronStep[] {
	const steps: PerceptronStep[] = [];
	for (let step = 1; step <= trace.steps; step++) {
		const x = findEvent(trace, step, 'A[0]');
		const z = findEvent(trace, step, 'Z[1]');
		const output = findEvent(trace, step, 'A[1]');
		const error = findEvent(trace, step, 'error');
		const W = findEvent(trace, step, 'W[1]');
		const b = bias ? findEvent(trace, step, 'b[1]') : undefined;
		const sample = batchRowsOf(trace, step)[0];
		if (!x || !z || !output || !error || !W || (bias && !b) || sample === undefined) break;
		const epoch = trace.stepEpoch[step];
		steps.push({ step, epoch, sample, x, z: z.value.data[0], output: output.value.data[0], error: error.value.data[0], W, b });
	}
	return steps;
}

/**
 * Course 000's spreadsheet perceptron, one row per step: inputs, weights before, weighted sum,
 * output, expected y, correction y − ŷ and new weights. Everything the course computes is a
 * formula on the row's cells and the parameters block, and each row's weights are the previous
 * row's new weights, so changing the learning rate or the threshold replays the whole table as
 * the course does; the cached results are the engine's numbers.
 */
export function perceptronSheet(trace: Trace, text: WorkbookText, title: string): SheetSpec {
	const settings = trace.setup.perceptron;
	const targets = trace.setup.Y;
	if (!settings || !targets) throw new Error('perceptronSheet needs a perceptron trace');
	const n = trace.setup.layers[0].inputShape[0];
	const col = perceptronColumns(n, settings.bias);
	const sheet = newSheet(text.perceptronSheet);
	const put = (row: number, column: number, cell: Cell) => setCell(sheet, row, column, cell);
	const lr = ref(col.learningRateRow, col.parameterValues, true);
	const threshold = ref(col.thresholdRow, col.parameterValues, true);

	put(1, 1, title ? `${text.perceptronTitle} · ${title}` : text.perceptronTitle);
	put(col.learningRateRow, col.parameterLabels, text.learningRate);
	put(col.learningRateRow, col.parameterValues, trace.setup.lr);
	put(col.thresholdRow, col.parameterLabels, text.threshold);
	put(col.thresholdRow, col.parameterValues, settings.threshold);
	put(3, col.parameterLabels, text.outputRule(settings.strict));
	put(4, col.parameterLabels, text.rule);
	put(4, col.parameterValues, settings.rule === 'sign' ? text.ruleSign : text.ruleDelta);

	put(2, col.x(1), text.inputs);
	put(2, col.w(1), text.weightsBefore);
	put(2, col.newW(1), text.weightsAfter);
	const headings: [number, string][] = [
		[col.sum, text.weightedSum],
		[col.output, text.output],
		[col.expected, text.expected],
		[col.correction, text.correction],
		[col.step, text.step],
		[col.epoch, text.epoch],
		[col.sample, text.sample]
	];
	for (let i = 1; i <= n; i++) headings.push([col.x(i), `x${i}`], [col.w(i), `w${i}`], [col.newW(i), `w${i}'`]);
	if (col.b !== null && col.newB !== null) headings.push([col.b, 'b'], [col.newB, "b'"]);
	for (const [column, heading] of headings) {
		put(3, column, heading);
		sheet.widths.set(column, Math.max(8, heading.length + 2));
	}
	sheet.widths.set(col.parameterLabels, 22);
	sheet.bold = new Set([1, 2, 3]);
	sheet.freeze = { rows: 3, columns: 0 };

	// row 4: the initial weights, in the new-weights columns so that row 5 reads them like any other row
	const initialW = findEvent(trace, 0, 'W[1]');
	const initialB = findEvent(trace, 0, 'b[1]');
	put(4, col.x(1), text.initialisation);
	for (let i = 1; i <= n; i++) put(4, col.newW(i), initialW?.value.data[i - 1] ?? 0);
	if (col.newB !== null) put(4, col.newB, initialB?.value.data[0] ?? 0);

	let previousW = initialW?.value.data ?? new Float64Array(n);
	let previousB = initialB?.value.data[0] ?? 0;
	for (const s of perceptronSteps(trace, settings.bias)) {
		const row = PERCEPTRON_FIRST_ROW + s.step - 1;
		const at = (column: number) => ref(row, column);
		for (let i = 1; i <= n; i++) {
			put(row, col.x(i), s.x.value.data[i - 1]);
			put(row, col.w(i), { formula: ref(row - 1, col.newW(i)), result: previousW[i - 1] });
		}
		// the bias first, as the engine adds it: the same float sums as the engine's
		const bias = col.b !== null && col.newB !== null ? `${at(col.b)}+` : '';
		if (col.b !== null && col.newB !== null) put(row, col.b, { formula: ref(row - 1, col.newB), result: previousB });
		const products =
			n <= EXPLICIT_PRODUCTS
				? Array.from({ length: n }, (_, k) => `${at(col.x(k + 1))}*${at(col.w(k + 1))}`).join('+')
				: `SUMPRODUCT(${rowRange(row, col.x(1), col.x(n))},${rowRange(row, col.w(1), col.w(n))})`;
		put(row, col.sum, { formula: `${bias}${products}`, result: s.z });
		put(row, col.output, { formula: `IF(${at(col.sum)}${settings.strict ? '>' : '>='}${threshold},1,0)`, result: s.output });
		put(row, col.expected, targets.data[s.sample]);
		put(row, col.correction, { formula: `${at(col.expected)}-${at(col.output)}`, result: s.error });
		for (let i = 1; i <= n; i++) {
			const input = settings.rule === 'delta' ? `*${at(col.x(i))}` : '';
			put(row, col.newW(i), { formula: `${at(col.w(i))}+${lr}*${at(col.correction)}${input}`, result: s.W.value.data[i - 1] });
		}
		if (col.b !== null && col.newB !== null && s.b) {
			put(row, col.newB, { formula: `${at(col.b)}+${lr}*${at(col.correction)}`, result: s.b.value.data[0] });
			previousB = s.b.value.data[0];
		}
		put(row, col.step, s.step);
		put(row, col.epoch, s.epoch);
		put(row, col.sample, s.sample + 1);
		previousW = s.W.value.data;
	}
	return sheet;
}
