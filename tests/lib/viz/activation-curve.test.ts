import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { getLesson } from '../../../src/lib/lessons';
import { activationAtPoints, activationCurve, activationPoint, spanFor } from '../../../src/lib/viz/activation-curve';
import { DESIGN_EXAMPLE } from '../../helpers';

function seqOf(trace: Trace, step: number, name: string): number {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return event.seq;
}

const mlp = run(DESIGN_EXAMPLE);

describe('the activation and its derivative', () => {
	it('marks the z of the selected unit, read from the trace', () => {
		const point = activationPoint(mlp, seqOf(mlp, 1, 'A[1]'), [0, 1]);
		expect(point?.activation).toBe('sigmoid');
		expect(point?.unit).toBe(1);
		expect(point?.z).toBe(findEvent(mlp, 1, 'Z[1]')?.value.data[1]);
	});

	it('has no point for the input, the loss or a parameter', () => {
		for (const name of ['A[0]', 'loss', 'W[1]']) expect(activationPoint(mlp, seqOf(mlp, 1, name), null)).toBeNull();
	});

	it.each([
		{ name: 'sigmoid', z: 0, f: 0.5, slope: 0.25 },
		{ name: 'tanh', z: 0, f: 0, slope: 1 },
		{ name: 'relu', z: 2, f: 2, slope: 1 },
		{ name: 'softplus', z: 0, f: Math.log(2), slope: 0.5 }
	] as const)('$name: f and f′ by the engine', ({ name, z, f, slope }) => {
		const curve = activationCurve(mlp, name, 4, 9);
		const i = Array.from(curve.z).indexOf(z);
		expect(curve.f[i]).toBeCloseTo(f, 12);
		expect(curve.slope[i]).toBeCloseTo(slope, 12);
	});

	it('widens the range for a large z', () => {
		expect(spanFor(null)).toBe(4);
		expect(spanFor(-6.5)).toBe(8);
	});

	it.each(['sigmoid', 'tanh', 'relu', 'softplus'] as const)('the lesson activation-%s shows its activation at the z of the value clicked', (activation) => {
		const lesson = getLesson(`activation-${activation}`);
		if (!lesson) throw new Error(`no lesson activation-${activation}`);
		const trace = run(lesson.scenario);
		for (const name of ['Z[1]', 'A[1]']) {
			const point = activationPoint(trace, seqOf(trace, 1, name), [2, 1]);
			expect(point).toMatchObject({ activation, layer: 1, unit: 1 });
			expect(point?.z).toBe(findEvent(trace, 1, 'Z[1]')?.value.data[2 * 3 + 1]);
		}
	});

	it('activation-sigmoid: σ′ is below 0.05 once |z| is past 3, as the lesson says', () => {
		const { slope } = activationAtPoints(mlp, 'sigmoid', Float64Array.of(-3, 3, 3.5, -6));
		for (const s of slope) expect(s).toBeLessThan(0.05);
		expect(slope[1]).toBeCloseTo(0.0452, 4);
	});
});
