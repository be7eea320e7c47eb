import { describe, expect, it } from 'vitest';
import { eventAt, findEvent, run, stepOf, type Trace } from '../../../src/lib/engine';
import { listLessons, getLesson } from '../../../src/lib/lessons';
import { columnOfEvent, formOf, networkOverview, shownStep } from '../../../src/lib/viz/overview';

function lessonTrace(id: string): Trace {
	const lesson = getLesson(id);
	if (!lesson) throw new Error(`no lesson ${id}`);
	return run(lesson.scenario);
}

function seqOf(trace: Trace, step: number, name: string): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.seq;
}

const cnn = lessonTrace('cnn-bars');
const mlp = lessonTrace('backprop-332');

describe('the columns of the overview', () => {
	it('gives a CNN one column per layer after its input, each in its own form', () => {
		const overview = networkOverview(cnn, seqOf(cnn, 3, 'Z[1]'));
		expect(overview?.columns.map((c) => [c.layer, c.plan?.type ?? 'input', c.form])).toEqual([
			[0, 'input', { kind: 'maps', channels: 1, height: 6, width: 6 }],
			[1, 'conv2d', { kind: 'maps', channels: 2, height: 4, width: 4 }],
			[2, 'pool', { kind: 'maps', channels: 2, height: 2, width: 2 }],
			[3, 'flatten', { kind: 'units', count: 8 }],
			[4, 'dense', { kind: 'units', count: 1 }]
		]);
		expect(overview?.columns.map((c) => c.output)).toEqual([false, false, false, false, true]);
	});

	it('gives an MLP its input and one column of units per dense layer', () => {
		const overview = networkOverview(mlp, seqOf(mlp, 1, 'A[1]'));
		expect(overview?.columns.map((c) => c.form)).toEqual([
			{ kind: 'units', count: 3 },
			{ kind: 'units', count: 3 },
			{ kind: 'units', count: 2 }
		]);
	});

	it('has no overview for a perceptron', () => {
		const perceptron = lessonTrace('perceptron-and');
		expect(networkOverview(perceptron, 2)).toBeNull();
	});

	it.each([
		[[1, 6, 6], { kind: 'maps', channels: 1, height: 6, width: 6 }],
		[[8], { kind: 'units', count: 8 }],
		[[2, 3], { kind: 'units', count: 6 }]
	])('draws a sample of shape %j as %j', (shape, form) => {
		expect(formOf(shape)).toEqual(form);
	});
});

describe('what each column shows', () => {
	it("reads each layer's A[l] of the cursor's step for the first sample", () => {
		const step = 5;
		const overview = networkOverview(cnn, seqOf(cnn, step, 'dW[1]'));
		expect(overview?.step).toBe(step);
		for (const column of overview?.columns ?? []) {
			const event = findEvent(cnn, step, `A[${column.layer}]`);
			if (!event) throw new Error(`no A[${column.layer}]`);
			const size = event.value.data.length / event.value.shape[0];
			expect([...(column.values ?? [])]).toEqual([...event.value.data.subarray(0, size)]);
		}
	});

	it('reads another sample of the batch when asked', () => {
		const overview = networkOverview(cnn, seqOf(cnn, 2, 'A[0]'), 1);
		// the second image of the lesson: a horizontal bar on its second row
		expect([...(overview?.columns[0].values ?? [])].slice(6, 12)).toEqual([1, 1, 1, 1, 1, 1]);
		expect(overview?.sample).toBe(1);
	});

	it('scales the colours of a column to its largest magnitude', () => {
		const overview = networkOverview(mlp, seqOf(mlp, 1, 'loss'));
		const output = overview?.columns[2];
		expect(output?.limit).toBe(Math.max(...[...(output?.values ?? [])].map(Math.abs)));
	});

	it('shows the first forward pass while the cursor is on the initial weights', () => {
		expect(stepOf(cnn, 0)).toBe(0);
		expect(shownStep(cnn, 0)).toBe(1);
		const overview = networkOverview(cnn, 0);
		expect(overview?.columns.every((c) => c.values !== null)).toBe(true);
	});
});

describe('which column is current', () => {
	it.each([
		['A[0]', 0],
		['Z[1]', 1],
		['dZ[1]', 1],
		['A[2]', 2],
		['dA[3]', 3],
		['dW[4]', 4],
		['loss', 4]
	])('in the CNN, %s is in column %i', (name, column) => {
		const overview = networkOverview(cnn, seqOf(cnn, 2, name));
		expect(overview?.columns.filter((c) => c.current).map((c) => c.layer)).toEqual([column]);
	});

	it.each([
		['W[1]', 1],
		['A[0]', 0],
		['dA[2]', 2],
		['loss', 2],
		['b[2]', 2]
	])('in the MLP, %s is in column %i', (name, column) => {
		const overview = networkOverview(mlp, seqOf(mlp, 1, name));
		expect(overview?.columns.filter((c) => c.current).map((c) => c.layer)).toEqual([column]);
	});

	it('marks no column for what belongs to no layer', () => {
		expect(columnOfEvent(cnn.setup, 'epoch_loss')).toBeNull();
		expect(columnOfEvent(cnn.setup, 'diverged')).toBeNull();
		expect(columnOfEvent(cnn.setup, 'W[9]')).toBeNull();
	});
});

describe('where a click on a column leads', () => {
	it("opens each layer's forward output in the cursor's step", () => {
		const step = 4;
		const overview = networkOverview(cnn, seqOf(cnn, step, 'db[1]'));
		for (const column of overview?.columns ?? []) {
			const target = eventAt(cnn, column.target ?? -1);
			expect([target.step, target.phase, target.name]).toEqual([step, 'forward', `A[${column.layer}]`]);
		}
	});

	it('opens the same layer in the step the cursor is in, not another', () => {
		const early = networkOverview(mlp, seqOf(mlp, 1, 'A[2]'));
		expect(early?.columns.map((c) => c.target)).toEqual([seqOf(mlp, 1, 'A[0]'), seqOf(mlp, 1, 'A[1]'), seqOf(mlp, 1, 'A[2]')]);
	});
});

describe('every network lesson', () => {
	const networks = listLessons().filter((lesson) => (lesson.scenario as { model?: unknown }).model !== undefined);

	it.each(networks.map((lesson) => [lesson.id, lesson]))('%s has a column per layer, each with its values and a target', (_, lesson) => {
		const trace = run(lesson.scenario);
		const overview = networkOverview(trace, trace.length - 1);
		expect(overview?.columns).toHaveLength(trace.setup.layers.length + 1);
		for (const column of overview?.columns ?? []) {
			const size = column.form.kind === 'maps' ? column.form.channels * column.form.height * column.form.width : column.form.count;
			expect(column.values?.length).toBe(size);
			expect(column.target).not.toBeNull();
		}
	});
});
