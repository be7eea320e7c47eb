import { formatNumber } from '../lib/format/number';
import type { ModelSummary } from '../lib/engine/summary';
import { eventAt, type Phase, type Trace, type TraceEvent } from '../lib/engine/trace';
import { shapeLabel, toNested, type NestedNumbers } from '../lib/engine/tensor';

/** Values shown per event before the report abbreviates (the JSON always has them all). */
const SHOWN_VALUES = 64;

function nestedText(value: NestedNumbers): string {
	return Array.isArray(value) ? `[${value.map(nestedText).join(', ')}]` : formatNumber(value);
}

function valueText(event: TraceEvent): string {
	const { shape, data } = event.value;
	if (data.length <= SHOWN_VALUES) return nestedText(toNested(shape, data));
	const first = Array.from(data.subarray(0, 8), (v) => formatNumber(v)).join(', ');
	return `${first}, … (${data.length.toLocaleString('en')} values; --json prints them all)`;
}

const PHASE_LABEL: Record<Phase, string> = {
	init: 'init',
	forward: 'forward',
	loss: 'loss',
	backward: 'backward',
	update: 'update',
	diverged: 'DIVERGED',
	evaluate: 'evaluate'
};

function backendLabel(trace: Trace): string {
	const { name, device } = trace.setup.backend;
	return name === 'reference' ? 'reference backend, float64' : `gpu backend, ${device}, float32`;
}

/** The readable per-step report of `stepwise trace`: each event's phase, name, shape and values. */
export function traceReport(trace: Trace, selected: number[], title: string | undefined): string {
	const lines: string[] = [];
	const heading = `${title ? `${title}: ` : ''}${trace.steps} step${trace.steps === 1 ? '' : 's'}, ${trace.length} events (${backendLabel(trace)})`;
	lines.push(heading);
	let currentStep = -1;
	const nameWidth = Math.max(4, ...trace.names.map((n) => n.length));
	for (const seq of selected) {
		const event = eventAt(trace, seq);
		if (event.step !== currentStep) {
			currentStep = event.step;
			lines.push('', event.step === 0 ? 'step 0 (initial values)' : `step ${event.step} (epoch ${event.epoch})`);
		}
		if (event.phase === 'diverged' && trace.diverged) {
			lines.push(`  DIVERGED  ${trace.diverged.message}`);
			continue;
		}
		lines.push(
			`  ${PHASE_LABEL[event.phase].padEnd(9)} ${event.name.padEnd(nameWidth)}  ${shapeLabel(event.value.shape).padEnd(9)} ${valueText(event)}`
		);
	}
	return lines.join('\n');
}

/** The readable model summary of `stepwise info`. */
export function infoReport(summary: ModelSummary): string {
	const rows = summary.layers.map((layer) => [String(layer.index), layer.type, shapeLabel(layer.output_shape), layer.params.toLocaleString('en')]);
	const header = ['layer', 'type', 'output (per sample)', 'parameters'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
	return [line(header), ...rows.map(line), '', `total parameters: ${summary.params.toLocaleString('en')}`].join('\n');
}
