import { summarize, type ModelSummary } from '../engine/summary';
import { channelsLast } from './layout';

/** The Keras class each Stepwise layer type is written as. */
export function kerasClass(type: string, mode?: string): string {
	switch (type) {
		case 'conv2d':
			return 'Conv2D';
		case 'pool':
			return mode === 'avg' ? 'AveragePooling2D' : 'MaxPooling2D';
		case 'flatten':
			return 'Flatten';
		default:
			return 'Dense';
	}
}

/** The stem of Keras's automatic layer names: `dense`, then `dense_1`, `dense_2`… */
const NAME_STEM: Record<string, string> = { Dense: 'dense', Conv2D: 'conv2d', MaxPooling2D: 'max_pooling2d', AveragePooling2D: 'average_pooling2d', Flatten: 'flatten' };

const LINE_LENGTH = 65;
/** Where the columns end, as Keras 2 computes them for a Sequential model: [.45, .85, 1] × 65. */
const POSITIONS = [29, 55, 65];

/** A row: the first field after a space, each next one where the column before ends, cut to leave a space between them. */
function row(fields: string[]): string {
	let line = ' ';
	fields.forEach((field, i) => {
		line = `${line}${field}`.slice(0, POSITIONS[i] - (i < POSITIONS.length - 1 ? 1 : 0)).padEnd(POSITIONS[i]);
	});
	return line;
}

/**
 * The table Keras's `model.summary()` prints for the same model (TensorFlow 2's layout):
 * automatic layer names, output shapes channels-last with None for the batch, Param #, and
 * the totals. Pool layers' mode picks MaxPooling2D or AveragePooling2D when `modes` gives it.
 */
function kerasSummaryTable(summary: ModelSummary, modes: (string | undefined)[] = []): string {
	const counts = new Map<string, number>();
	const lines = [`Model: "sequential"`, '_'.repeat(LINE_LENGTH), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(LINE_LENGTH)];
	summary.layers.forEach((layer, i) => {
		const className = kerasClass(layer.type, modes[i]);
		const base = NAME_STEM[className];
		const seen = counts.get(base) ?? 0;
		counts.set(base, seen + 1);
		const name = seen === 0 ? base : `${base}_${seen}`;
		const shape = `(None, ${channelsLast(layer.output_shape).join(', ')})`;
		lines.push(row([`${name} (${className})`, shape, String(layer.params)]));
		lines.push(' '.repeat(LINE_LENGTH));
	});
	const total = summary.params.toLocaleString('en');
	lines.push('='.repeat(LINE_LENGTH), `Total params: ${total}`, `Trainable params: ${total}`, 'Non-trainable params: 0', '_'.repeat(LINE_LENGTH));
	return lines.join('\n');
}

/** The Keras summary of a scenario file's model (or of a file holding only `model:`). */
export function kerasSummary(data: unknown): string {
	const summary = summarize(data);
	const layers = data !== null && typeof data === 'object' && 'model' in data ? (data as { model?: { layers?: { mode?: unknown }[] } }).model?.layers : undefined;
	const modes = (layers ?? []).map((layer) => (typeof layer?.mode === 'string' ? layer.mode : undefined));
	return kerasSummaryTable(summary, modes);
}
