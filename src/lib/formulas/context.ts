import type { LayerPlan } from '../engine/plan';
import type { Tensor } from '../engine/tensor';
import { batchRowsOf, findEvent, type Trace, type TraceEvent } from '../engine/trace';
import { exprNumber, texNumber, texOperand, texOperandNear, textNumber } from './numbers';
import { symbolsFor, type Symbols } from './notation';
import { leaf, type Piece } from './terms';
import type { ElementRead, FormulaOptions, Locale } from './types';

/** What every formula rule reads: the event, the trace around it, and how to write things. */
export interface Context {
	trace: Trace;
	event: TraceEvent;
	step: number;
	options: FormulaOptions;
	symbols: Symbols;
	/** the data rows of this step's samples, in batch order */
	rows: Int32Array;
	/** the value of event `name` at `step`; W[l] in force during step s is `tensor(s − 1, 'W[l]')` */
	tensor(step: number, name: string): Tensor;
	/** layer l (1-based) of the network */
	layer(l: number): LayerPlan;
	/** the sample superscript of batch position n: its data row, 1-based; null when the step reads one sample */
	sample(n: number): number | null;
	/** a number in TeX, alone */
	tex(value: number): string;
	/** a number in TeX inside a sum or a product (negatives in parentheses) */
	op(value: number): string;
	/** op, with the digits that keep a value near an integer from looking like one (ŷ near 1 in a log) */
	opNear(value: number): string;
	/** a number in mathjs syntax, full precision */
	ex(value: number): string;
	/** a number in a caption, in that caption's language */
	text(value: number, locale: Locale): string;
	/** a symbol and its value */
	leaf(symbol: string, value: number): Piece;
}

export function makeContext(trace: Trace, event: TraceEvent, options: FormulaOptions): Context {
	const rows = batchRowsOf(trace, event.step);
	return {
		trace,
		event,
		step: event.step,
		options,
		symbols: symbolsFor(options.profile),
		rows,
		tensor(step, name) {
			const found = findEvent(trace, step, name);
			// A trace from the engine always holds what a formula reads; anything else is a bug worth seeing.
			if (!found) throw new Error(`formulas: ${event.name} of step ${event.step} reads ${name} of step ${step}, which the trace lacks`);
			return found.value;
		},
		layer(l) {
			const plan = trace.setup.layers[l - 1];
			if (!plan) throw new Error(`formulas: the trace has no layer ${l}`);
			return plan;
		},
		sample: (n) => (rows.length > 1 ? rows[n] + 1 : null),
		tex: (value) => texNumber(value, options),
		op: (value) => texOperand(value, options),
		opNear: (value) => texOperandNear(value, options),
		ex: exprNumber,
		text: (value, locale) => textNumber(value, { ...options, locale }),
		leaf: (symbol, value) => leaf(symbol, value, options)
	};
}

/** An element read by a formula. */
export function read(step: number, name: string, index: number[]): ElementRead {
	return { step, name, index };
}
