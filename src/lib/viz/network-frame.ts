import { isBatched, parseName, type Quantity, type QuantitySymbol } from '../engine/quantity';
import { sliceOf, type Tensor } from '../engine/tensor';
import { eventAt, type Trace } from '../engine/trace';
import { inForce, inStep } from './cursor';
import { denseChain, isUnitwise, sampleOf } from './quantity';
import type { ElementRef } from './types';

/** A drawable piece of the network graph that a tensor element lands on. */
export type GraphElement =
	| { kind: 'node'; column: number; unit: number }
	/** the edge into `unit` of `column` from unit `from` of the column before */
	| { kind: 'edge'; column: number; unit: number; from: number }
	| { kind: 'bias'; column: number; unit: number }
	| { kind: 'loss' };

export type GraphKind = GraphElement['kind'];

export function elementKey(e: GraphElement): string {
	if (e.kind === 'loss') return 'loss';
	if (e.kind === 'edge') return `edge:${e.column}:${e.unit}:${e.from}`;
	return `${e.kind}:${e.column}:${e.unit}`;
}

/** Columns A[first − 1] … A[last]: column c shows layer first − 1 + c. */
export interface Chain {
	first: number;
	last: number;
}

/**
 * The graph element of element `index` of quantity `name`, or null when the graph does not
 * show it (another layer, another sample, a shape it does not draw).
 */
export function graphElementOf(name: string, index: readonly number[], chain: Chain, sample: number): GraphElement | null {
	const q = parseName(name);
	if (!q) return null;
	if (q.symbol === 'loss') return { kind: 'loss' };
	const column = columnOf(q, chain);
	if (column === null) return null;
	if (isBatched(q.symbol)) {
		if (index.length !== 2 || index[0] !== sample) return null;
		return { kind: 'node', column, unit: index[1] };
	}
	if (column < 1) return null;
	if ((q.symbol === 'W' || q.symbol === 'dW') && index.length === 2) return { kind: 'edge', column, unit: index[0], from: index[1] };
	if ((q.symbol === 'b' || q.symbol === 'db') && index.length === 1) return { kind: 'bias', column, unit: index[0] };
	return null;
}

/** What the current event writes on the graph: every element of one kind in one column. */
export interface GraphWrites {
	kind: GraphKind;
	column: number;
	/** the event's values for the shown sample: per unit (node, bias), units × inputs (edge), [J] (loss) */
	values: Float64Array;
}

export interface GraphFrame {
	chain: Chain;
	/** units per column */
	sizes: number[];
	sample: number;
	/** A of the shown sample per column, null until the cursor has reached it in this step */
	activations: (Float64Array | null)[];
	/** W and b in force at the cursor, per column (column 0 has none) */
	weights: (Tensor | null)[];
	biases: (Tensor | null)[];
	/** per column, whether its layer is frozen (trainable: false): its W and b never move */
	frozen: boolean[];
	/** per column, whether its layer acts unit by unit (dropout, batch normalisation): each unit joined to its own only */
	unitwise: boolean[];
	/** J of this step once recorded, null before (or without a loss) */
	loss: number | null;
	writes: GraphWrites | null;
	/** the selected element and its key */
	selectedElement: GraphElement | null;
	selected: string | null;
	reads: Set<string>;
	/** the lit elements (a student's wrong entries) shown here: element key → the entry, as 0.1 */
	lit: Map<string, string>;
	/** the elements of a sum shown term by term: element key → the term's number (its colour) */
	terms: Map<string, number>;
}

/** The column a quantity lands in: its layer's, the output's for the cost and the error. */
function columnOf(q: Quantity, chain: Chain): number | null {
	const layer = q.symbol === 'loss' || q.symbol === 'error' ? chain.last : q.layer;
	if (layer === null) return null;
	const column = layer - chain.first + 1;
	return column < 0 || column > chain.last - chain.first + 1 ? null : column;
}

/** What each quantity is in the graph: the batched ones are nodes; a divergence is not drawn. */
const KINDS: Record<QuantitySymbol, GraphKind | null> = {
	A: 'node',
	Z: 'node',
	dA: 'node',
	dZ: 'node',
	error: 'node',
	W: 'edge',
	dW: 'edge',
	b: 'bias',
	db: 'bias',
	loss: 'loss',
	diverged: null,
	// a dropout layer has its own picture
	M: null,
	epoch_loss: null,
	val_loss: null,
	test_loss: null,
	accuracy: null,
	val_accuracy: null,
	test_accuracy: null,
	mae: null,
	val_mae: null,
	test_mae: null,
	mse: null,
	val_mse: null,
	test_mse: null,
	early_stopping: null,
	// the learning rate of a step is a number, shown by its formula
	lr: null,
	vW: 'edge',
	mW: 'edge',
	sW: 'edge',
	vb: 'bias',
	mb: 'bias',
	sb: 'bias',
	// a batch normalisation has its own picture
	gamma: null,
	beta: null,
	dgamma: null,
	dbeta: null,
	moving_mean: null,
	moving_variance: null,
	mu: null,
	sigma2: null,
	xhat: null,
	vgamma: null,
	vbeta: null,
	mgamma: null,
	mbeta: null,
	sgamma: null,
	sbeta: null
};

/** Everything the network graph draws at cursor `seq`, read from the cursor's step only. */
export function graphFrame(
	trace: Trace,
	seq: number,
	index: readonly number[] | null,
	reads: readonly ElementRef[],
	layer: number,
	lit: readonly (readonly number[])[] = [],
	terms: readonly (readonly ElementRef[])[] = []
): GraphFrame | null {
	const layers = trace.setup.layers;
	const chain = denseChain(layers, layer);
	if (!chain) return null;
	const event = eventAt(trace, seq);
	const q = parseName(event.name);
	const sample = sampleOf(event.name, index);
	const columns = chain.last - chain.first + 2;
	const sizes: number[] = [];
	const activations: (Float64Array | null)[] = [];
	const weights: (Tensor | null)[] = [];
	const biases: (Tensor | null)[] = [];
	for (let c = 0; c < columns; c++) {
		const l = chain.first - 1 + c;
		sizes.push(c === 0 ? layers[chain.first - 1].inputShape[0] : layers[l - 1].outputShape[0]);
		const A = inStep(trace, seq, `A[${l}]`);
		activations.push(A ? (sliceOf(A.value, [sample])?.data ?? null) : null);
		weights.push(c === 0 ? null : (inForce(trace, seq, `W[${l}]`)?.value ?? null));
		biases.push(c === 0 ? null : (inForce(trace, seq, `b[${l}]`)?.value ?? null));
	}
	const lossEvent = trace.setup.loss ? inStep(trace, seq, 'loss') : undefined;

	let writes: GraphWrites | null = null;
	const kind = q ? KINDS[q.symbol] : null;
	const column = q ? columnOf(q, chain) : null;
	// a parameter lives between two columns, so it needs one on its left
	if (kind && column !== null && (kind === 'node' || kind === 'loss' || column >= 1)) {
		const values = kind === 'node' ? sliceOf(event.value, [sample])?.data : event.value.data;
		if (values) writes = { kind, column, values };
	}
	const selectedElement = index ? graphElementOf(event.name, index, chain, sample) : null;
	const readKeys = new Set<string>();
	for (const read of reads) {
		const e = graphElementOf(read.name, read.index, chain, sample);
		if (e) readKeys.add(elementKey(e));
	}
	const litKeys = new Map<string, string>();
	for (const entry of lit) {
		const e = graphElementOf(event.name, entry, chain, sample);
		if (e) litKeys.set(elementKey(e), entry.join('.'));
	}
	const termKeys = new Map<string, number>();
	terms.forEach((term, t) => {
		for (const read of term) {
			const e = graphElementOf(read.name, read.index, chain, sample);
			if (e) termKeys.set(elementKey(e), t);
		}
	});
	return {
		chain,
		sizes,
		sample,
		activations,
		weights,
		biases,
		frozen: sizes.map((_, c) => c > 0 && trace.setup.frozen.includes(chain.first - 1 + c)),
		unitwise: sizes.map((_, c) => c > 0 && isUnitwise(layers[chain.first - 2 + c])),
		loss: lossEvent ? lossEvent.value.data[0] : null,
		writes,
		selectedElement,
		selected: selectedElement ? elementKey(selectedElement) : null,
		reads: readKeys,
		lit: litKeys,
		terms: termKeys
	};
}

/** The index, in the current event's tensor, of a graph element it writes. */
export function indexOfElement(e: GraphElement, sample: number): number[] {
	if (e.kind === 'node') return [sample, e.unit];
	if (e.kind === 'edge') return [e.unit, e.from];
	if (e.kind === 'bias') return [e.unit];
	return [];
}

/** The units an element needs visible, per column, when large layers hide their middle units. */
export function pinnedUnits(e: GraphElement | null, columns: number): number[][] {
	const pins: number[][] = Array.from({ length: columns }, () => []);
	if (!e || e.kind === 'loss') return pins;
	pins[e.column]?.push(e.unit);
	if (e.kind === 'edge') pins[e.column - 1]?.push(e.from);
	return pins;
}
