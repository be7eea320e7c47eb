import { describeModel } from '../engine/scenario/validate';
import { parametersOf } from '../engine/plan';
import type { LAYER_TYPES } from '../engine/scenario/schema';
import { summarize, type ModelSummary } from '../engine/summary';
import { sizeOf } from '../engine/tensor';
import { channelsLast } from './layout';

type LayerType = (typeof LAYER_TYPES)[number];

/** The Keras class each Stepwise layer is written as; min pooling, which Keras lacks, is named as the courses name it. */
export function kerasClass(type: LayerType | 'perceptron', mode?: string): string {
	switch (type) {
		case 'dense':
		case 'perceptron':
			return 'Dense';
		case 'conv2d':
			return 'Conv2D';
		case 'pool':
			return mode === 'avg' ? 'AveragePooling2D' : mode === 'min' ? 'MinPooling2D' : 'MaxPooling2D';
		case 'flatten':
			return 'Flatten';
		case 'dropout':
			return 'Dropout';
		case 'batchnorm':
			return 'BatchNormalization';
	}
}

/** The stem of Keras's automatic layer names: `dense`, then `dense_1`, `dense_2`… */
function nameStem(className: string): string {
	return className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

const LINE_LENGTH = 65;
/** Where the columns end, as Keras 2 computes them for a Sequential model: [.45, .85, 1] × 65. */
const POSITIONS = [29, 55, 65];

/**
 * A row as TensorFlow 2.9+ prints it: each field cut to its column less two spaces, what is left
 * wrapped onto the next lines (`batch_normalization (BatchN` / `ormalization)`), or cut after a
 * `),` where one falls inside.
 */
function row(fields: string[]): string[] {
	const left = [...fields];
	const lines: string[] = [];
	while (left.some((field) => field.length > 0)) {
		let line = '';
		left.forEach((field, col) => {
			const start = col > 0 ? POSITIONS[col - 1] : 0;
			const space = col !== POSITIONS.length - 1 ? 2 : 0;
			let cutoff = POSITIONS[col] - start - space;
			const fits = field.slice(0, cutoff);
			const breaks = ['),', '},', '],', "',"].filter((mark) => fits.includes(mark)).map((mark) => fits.indexOf(mark) + mark.length);
			if (breaks.length > 0) cutoff = Math.min(...breaks);
			line += `${col === 0 ? ' ' : ''}${field.slice(0, cutoff)}${' '.repeat(space)}`;
			left[col] = field.slice(cutoff);
			line = line.padEnd(POSITIONS[col]);
		});
		lines.push(line);
	}
	return lines;
}

/**
 * The table Keras's `model.summary()` prints for the same model (TensorFlow 2's layout):
 * automatic layer names, output shapes channels-last with None for the batch, Param #, and
 * the totals. Pool layers' mode picks MaxPooling2D or AveragePooling2D when `modes` gives it.
 */
function kerasSummaryTable(summary: ModelSummary, modes: (string | undefined)[], trainable: number): string {
	const counts = new Map<string, number>();
	const lines = [`Model: "sequential"`, '_'.repeat(LINE_LENGTH), ...row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(LINE_LENGTH)];
	summary.layers.forEach((layer, i) => {
		const className = kerasClass(layer.type as LayerType | 'perceptron', modes[i]);
		const base = nameStem(className);
		const seen = counts.get(base) ?? 0;
		counts.set(base, seen + 1);
		const name = seen === 0 ? base : `${base}_${seen}`;
		const shape = `(None, ${channelsLast(layer.output_shape).join(', ')})`;
		lines.push(...row([`${name} (${className})`, shape, String(layer.params)]));
		lines.push(' '.repeat(LINE_LENGTH));
	});
	const count = (n: number): string => n.toLocaleString('en');
	lines.push('='.repeat(LINE_LENGTH), `Total params: ${count(summary.params)}`, `Trainable params: ${count(trainable)}`, `Non-trainable params: ${count(summary.params - trainable)}`, '_'.repeat(LINE_LENGTH));
	return lines.join('\n');
}

/** The Keras summary of a scenario file's model (or of a file holding only `model:`). */
export function kerasSummary(data: unknown): string {
	const summary = summarize(data);
	const layers = data !== null && typeof data === 'object' && 'model' in data ? (data as { model?: { layers?: { mode?: unknown }[] } }).model?.layers : undefined;
	const modes = (layers ?? []).map((layer) => (typeof layer?.mode === 'string' ? layer.mode : undefined));
	return kerasSummaryTable(summary, modes, trainableCount(data));
}

/** What the optimizer may train, as Keras counts it: not a frozen layer's weights, nor a batch normalisation's moving statistics. */
function trainableCount(data: unknown): number {
	const model = describeModel(data);
	if (model.kind !== 'network') return model.inputs + (model.bias ? 1 : 0);
	const layers = (data as { model: { layers: { trainable?: unknown }[] } }).model.layers;
	return model.plans.reduce((sum, plan, i) => {
		if (layers[i]?.trainable === false) return sum;
		return sum + parametersOf(plan).reduce((n, spec) => n + (spec.update === null ? 0 : sizeOf(spec.shape)), 0);
	}, 0);
}
