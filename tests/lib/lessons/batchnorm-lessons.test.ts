import { describe, expect, it } from 'vitest';
import { findEvent, run } from '../../../src/lib/engine';
import { getLesson } from '../../../src/lib/lessons';
import { values } from '../../helpers';

/** The numbers the two batch normalisation lessons quote, from their own scenarios. */
function traceOf(id: string) {
	const lesson = getLesson(id);
	if (!lesson) throw new Error(`no lesson ${id}`);
	return run(lesson.scenario);
}

describe('batchnorm-training', () => {
	const trace = traceOf('batchnorm-training');
	const close = (name: string, step: number, expected: number[], digits: number) =>
		values(trace, step, name).forEach((v, i) => expect(v, `${name}[${i}]`).toBeCloseTo(expected[i], digits));

	it('normalises by the batch: μ = (3, 20), σ² = (14/4, 200/4)', () => {
		close('mu[1]', 1, [3, 20], 12);
		close('sigma2[1]', 1, [3.5, 50], 12);
	});

	it('gives x̂₁₁ = −1.0689, x̂₄₁ = 1.6033 and ±1.4142 for the second feature', () => {
		const xhat = values(trace, 1, 'xhat[1]');
		expect([xhat[0], xhat[6], xhat[1], xhat[7]].map((v) => Number(v.toFixed(4)))).toEqual([-1.0689, 1.6033, -1.4142, 1.4142]);
	});

	it('takes ∂J/∂β₁ = −0.206 at the first step, so that β₁ becomes 0.103', () => {
		expect(values(trace, 1, 'dbeta[1]')[0]).toBeCloseTo(-0.206, 3);
		expect(values(trace, 1, 'beta[1]')[0]).toBeCloseTo(0.103, 3);
	});

	it('moves the moving mean to 0.03 then 0.0891 after three steps, the moving variance to 1.025', () => {
		close('moving_mean[1]', 1, [0.03, 0.2], 12);
		close('moving_variance[1]', 1, [1.025, 1.49], 12);
		expect(values(trace, 3, 'moving_mean[1]')[0]).toBeCloseTo(0.0891, 4);
	});

	it('lowers the loss at every step', () => {
		const losses = [1, 2, 3].map((step) => values(trace, step, 'loss')[0]);
		expect(losses[1]).toBeLessThan(losses[0]);
		expect(losses[2]).toBeLessThan(losses[1]);
	});
});

describe('batchnorm-evaluation', () => {
	const trace = traceOf('batchnorm-evaluation');

	it('normalises the single sample by the moving statistics: x̂ = (0.5344, 0.7071), a = (0.7413, 0.5364)', () => {
		expect(values(trace, 1, 'xhat[1]').map((v) => Number(v.toFixed(4)))).toEqual([0.5344, 0.7071]);
		expect(values(trace, 1, 'A[1]').map((v) => Number(v.toFixed(4)))).toEqual([0.7413, 0.5364]);
	});

	it('records no batch statistics and updates nothing', () => {
		expect(findEvent(trace, 1, 'mu[1]')).toBeUndefined();
		expect(findEvent(trace, 1, 'moving_mean[1]')).toBeUndefined();
	});
});

describe('cnn-batchnorm-dropout', () => {
	const trace = traceOf('cnn-batchnorm-dropout');

	it('sends the gradient to every cell of the convolution, though the pooling passes it to two of eight', () => {
		expect(values(trace, 1, 'dA[2]').filter((v) => v !== 0)).toHaveLength(2);
		expect(values(trace, 1, 'dA[1]').every((v) => v !== 0)).toBe(true);
	});

	it('counts 4 parameters for the channel’s batch normalisation, as Keras does', () => {
		const layer = trace.setup.layers[1];
		expect(layer.type).toBe('batchnorm');
		expect(['gamma[2]', 'beta[2]', 'moving_mean[2]', 'moving_variance[2]'].map((name) => values(trace, 0, name).length)).toEqual([1, 1, 1, 1]);
	});
});
