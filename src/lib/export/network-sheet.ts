import type { ActivationName } from '../engine/activations';
import type { DensePlan } from '../engine/plan';
import { isParameter, layerName, parseName, type LayerSymbol, type StateSymbol } from '../engine/quantity';
import { batchRowsOf, eventAt, findEvent, type Trace, type TraceEvent } from '../engine/trace';
import type { Tensor } from '../engine/tensor';
import { newSheet, ref, rowRange, setCell, type Cell, type SheetSpec } from './sheet';
import type { WorkbookText } from './text';

/** Where a matrix was written: its first value is at (row, column); row i, column j at (row + i, column + j). */
interface Placed {
	row: number;
	column: number;
	columns: number;
}

/** The first column of every matrix; column A holds the row labels. */
const FIRST = 2;

/** A = f(Z) as a spreadsheet formula on the cell `z`; softmax also reads its row `row`. */
export function activationFormula(activation: ActivationName, z: string, row: string): string {
	switch (activation) {
		case 'square':
			return `(${z})^2`;
		case 'identity':
			return z;
		case 'step':
			return `IF(${z}>=0,1,0)`;
		case 'sigmoid':
			return `1/(1+EXP(-${z}))`;
		case 'tanh':
			return `TANH(${z})`;
		case 'relu':
			return `MAX(0,${z})`;
		case 'softplus':
			return `LN(1+EXP(${z}))`;
		case 'softmax':
			// SUMPRODUCT takes EXP of the whole row without an array formula, in every spreadsheet
			return `EXP(${z})/SUMPRODUCT(EXP(${row}))`;
	}
}

/** Writes the rows of a scalar, a vector (one value a row, as b lines up with W) or a matrix. */
class SheetWriter {
	row = 1;
	readonly sheet: SheetSpec;

	constructor(name: string) {
		this.sheet = newSheet(name);
	}

	put(row: number, column: number, cell: Cell): void {
		setCell(this.sheet, row, column, cell);
	}

	heading(label: string): void {
		this.put(this.row, 1, label);
		this.sheet.bold.add(this.row);
		this.row++;
	}

	/**
	 * A labelled block: the label row, then one row per tensor row; `cell(i, j, value)` may turn a
	 * value into a formula. A second tensor (b beside W) goes one column after the first.
	 */
	block(
		label: string,
		tensor: Tensor,
		rowLabel: (i: number) => string,
		cell: (i: number, j: number, value: number) => Cell = (_i, _j, value) => value,
		beside?: { label: string; tensor: Tensor }
	): { main: Placed; beside?: Placed } {
		const [rows, columns] = matrixShape(tensor);
		this.put(this.row, 1, label);
		const besideColumn = FIRST + columns + 1;
		if (beside) this.put(this.row, besideColumn, beside.label);
		const top = this.row + 1;
		for (let i = 0; i < rows; i++) {
			this.put(top + i, 1, rowLabel(i));
			for (let j = 0; j < columns; j++) this.put(top + i, FIRST + j, cell(i, j, tensor.data[i * columns + j]));
		}
		const main = { row: top, column: FIRST, columns };
		if (!beside) {
			this.row = top + rows + 1;
			return { main };
		}
		const [besideRows, besideColumns] = matrixShape(beside.tensor);
		for (let i = 0; i < besideRows; i++) {
			for (let j = 0; j < besideColumns; j++) this.put(top + i, besideColumn + j, beside.tensor.data[i * besideColumns + j]);
		}
		this.row = top + Math.max(rows, besideRows) + 1;
		return { main, beside: { row: top, column: besideColumn, columns: besideColumns } };
	}
}

/** Rows × columns as a block shows them: a vector is one column, a scalar one cell. */
function matrixShape(tensor: Tensor): [number, number] {
	const { shape } = tensor;
	if (shape.length === 0) return [1, 1];
	if (shape.length === 1) return [shape[0], 1];
	return [shape[0], tensor.data.length / shape[0]];
}

/**
 * How the sheet names quantities and numbers layers: the engine's code names by default, or a
 * course's symbols (w⁽²⁾, ∂C/∂w⁽²⁾) and layer numbers when the replay shows that course's words.
 */
export interface QuantityNames {
	quantity: (name: string) => string;
	inputLayer: 0 | 1;
}

const CODE_NAMES: QuantityNames = { quantity: (name) => (name === 'loss' ? 'J' : name), inputLayer: 0 };

/** What the sheet writes beside a quantity in the same block: a weight matrix's bias, a weight gradient's bias gradient. */
const BESIDE: Record<LayerSymbol | StateSymbol, LayerSymbol | StateSymbol | null> = {
	W: 'b',
	dW: 'db',
	b: null,
	db: null,
	A: null,
	Z: null,
	dA: null,
	dZ: null,
	M: null,
	vW: 'vb',
	mW: 'mb',
	sW: 'sb',
	vb: null,
	mb: null,
	sb: null,
	// γ and β as W and b: the shift beside the scale
	gamma: 'beta',
	dgamma: 'dbeta',
	vgamma: 'vbeta',
	mgamma: 'mbeta',
	sgamma: 'sbeta',
	beta: null,
	dbeta: null,
	vbeta: null,
	mbeta: null,
	sbeta: null,
	moving_mean: 'moving_variance',
	moving_variance: null,
	mu: 'sigma2',
	sigma2: null,
	xhat: null
};

/** The name written beside event `name` (W[2] → b[2]); null where nothing is. */
function besideOf(name: string): string | null {
	const q = parseName(name);
	if (!q || q.layer === null) return null;
	const symbol = BESIDE[q.symbol];
	return symbol && layerName(symbol, q.layer);
}

/**
 * A small dense network, one block per step. The forward pass is live: Z[l] is
 * SUMPRODUCT(row j of W[l], row of the sample in A[l−1]) + b[l]_j and A[l] = f(Z[l]), formulas
 * whose cached results are the engine's numbers. Samples are rows (the trace's batch-first
 * layout), so both ranges of SUMPRODUCT lie along a row, which every spreadsheet accepts
 * without array formulas. The loss, backward pass and update are the engine's values.
 */
export function networkSheet(trace: Trace, text: WorkbookText, title: string, names: QuantityNames = CODE_NAMES): SheetSpec {
	const name = names.quantity;
	const layers = trace.setup.layers as DensePlan[];
	const out = new SheetWriter(text.networkSheet);
	out.heading(title ? `${text.networkTitle} · ${title}` : text.networkTitle);
	out.put(out.row, 1, text.learningRate);
	out.put(out.row++, FIRST, trace.setup.lr);
	if (trace.setup.loss) {
		out.put(out.row, 1, text.loss);
		out.put(out.row++, FIRST, `${trace.setup.loss} (${text.reduction} ${trace.setup.reduction})`);
	}
	for (const layer of layers) {
		out.put(out.row, 1, text.layer(layer.index + names.inputLayer, layer.activation));
		out.put(out.row++, FIRST, `${layer.inputShape[0]} → ${layer.units}`);
	}
	out.put(out.row++, 1, text.forwardNote);
	out.row++;

	for (let step = 1; step <= trace.steps; step++) {
		const samples = batchRowsOf(trace, step);
		const sampleLabel = (i: number) => `${text.sample} ${samples[i] + 1}`;
		const unitLabel = (j: number) => text.unit(j + 1);
		const epoch = trace.stepEpoch[step];
		out.heading(text.stepHeading(step, epoch, Array.from(samples, (s) => s + 1)));
		// where A[l] and Z[l] of this step were written, for the formulas that read them
		const activations = new Map<number, Placed>();
		const zs = new Map<number, Placed>();
		for (let seq = trace.stepStart[step]; seq < trace.stepStart[step + 1]; seq++) {
			const event = eventAt(trace, seq);
			const q = parseName(event.name);
			const l = q?.layer ?? 0;
			if (event.phase === 'forward' && event.name === 'A[0]') {
				activations.set(0, out.block(`${name('A[0]')} · ${text.inputs}`, event.value, sampleLabel).main);
			} else if (event.phase === 'forward' && q?.symbol === 'Z') {
				const placed = weightsBefore(out, trace, step, l, text, unitLabel, name);
				const input = activations.get(l - 1);
				if (!input) throw new Error(`A[${l - 1}] missing before ${event.name}`);
				const z = (i: number, j: number, value: number): Cell => ({
					formula: `SUMPRODUCT(${rowRange(placed.W.row + j, placed.W.column, placed.W.column + placed.W.columns - 1)},${rowRange(input.row + i, input.column, input.column + input.columns - 1)})+${ref(placed.b.row + j, placed.b.column)}`,
					result: value
				});
				zs.set(l, out.block(`${name(`Z[${l}]`)} = ${name(`W[${l}]`)}·${name(`A[${l - 1}]`)} + ${name(`b[${l}]`)}`, event.value, sampleLabel, z).main);
			} else if (event.phase === 'forward' && q?.symbol === 'A') {
				const zPlaced = zs.get(l);
				if (!zPlaced) throw new Error(`Z[${l}] missing before ${event.name}`);
				const activation = layers[l - 1].activation;
				const a = (i: number, j: number, value: number): Cell => ({
					formula: activationFormula(
						activation,
						ref(zPlaced.row + i, zPlaced.column + j),
						rowRange(zPlaced.row + i, zPlaced.column, zPlaced.column + zPlaced.columns - 1)
					),
					result: value
				});
				activations.set(l, out.block(`${name(`A[${l}]`)} = ${activation}(${name(`Z[${l}]`)})`, event.value, sampleLabel, a).main);
			} else if (event.phase === 'loss') {
				const Y = trace.setup.Y;
				if (Y) out.block(text.targets, batchTargets(Y, samples), sampleLabel);
				out.block(`${name('loss')} · ${text.loss}`, event.value, () => '');
			} else if (seq > trace.stepStart[step] && besideOf(eventAt(trace, seq - 1).name) === event.name) {
				// already written beside its W or dW
			} else {
				writePlain(out, trace, seq, event, text, sampleLabel, unitLabel, name);
			}
		}
		out.row++;
	}
	// wide enough for 10 significant digits of the engine's numbers
	const columns = out.sheet.rows.reduce((most, row) => Math.max(most, row.length), 0);
	for (let column = FIRST; column <= columns; column++) out.sheet.widths.set(column, 13);
	out.sheet.widths.set(1, 24);
	return out.sheet;
}

/** W[l] and b[l] as this step reads them: the last values of the step before (the update or the initial ones). */
function weightsBefore(out: SheetWriter, trace: Trace, step: number, l: number, text: WorkbookText, unitLabel: (j: number) => string, name: (n: string) => string) {
	const W = findEvent(trace, step - 1, `W[${l}]`);
	const b = findEvent(trace, step - 1, `b[${l}]`);
	if (!W || !b) throw new Error(`W[${l}] or b[${l}] missing before step ${step}`);
	const placed = out.block(`${name(`W[${l}]`)} · ${text.beforeUpdate}`, W.value, unitLabel, undefined, { label: name(`b[${l}]`), tensor: b.value });
	if (!placed.beside) throw new Error('b was not placed');
	return { W: placed.main, b: placed.beside };
}

/** A backward or update event as values; W and dW carry their b and db beside them. */
function writePlain(
	out: SheetWriter,
	trace: Trace,
	seq: number,
	event: TraceEvent,
	text: WorkbookText,
	sampleLabel: (i: number) => string,
	unitLabel: (j: number) => string,
	name: (n: string) => string
): void {
	const partnerName = besideOf(event.name);
	const next = seq + 1 < trace.stepStart[event.step + 1] ? eventAt(trace, seq + 1) : undefined;
	const partner = partnerName !== null && next?.name === partnerName ? next : undefined;
	// a schedule's rate is the one this step's update uses, not a value after it
	const when = event.name === 'lr' ? ` · ${text.learningRate}` : event.phase === 'update' ? ` · ${text.afterUpdate}` : '';
	const q = parseName(event.name);
	const rows = q && q.layer !== null && isParameter(q.symbol) ? unitLabel : sampleLabel;
	out.block(`${name(event.name)}${when}`, event.value, rows, undefined, partner ? { label: name(partner.name), tensor: partner.value } : undefined);
}

/** The targets of the step's samples, in batch order. */
function batchTargets(Y: Tensor, samples: Int32Array): Tensor {
	const width = Y.data.length / Y.shape[0];
	const data = new Float64Array(samples.length * width);
	samples.forEach((s, i) => data.set(Y.data.subarray(s * width, (s + 1) * width), i * width));
	return { shape: [samples.length, width], data };
}
