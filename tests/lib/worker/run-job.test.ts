import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Backend } from '../../../src/lib/engine/backends/backend';
import { createGpuBackend } from '../../../src/lib/engine/backends/gpu';
import { AUTO_GPU_MIN_MULTIPLY_ADDS } from '../../../src/lib/engine/backends/select';
import type { RunReply } from '../../../src/lib/worker/protocol';
import { runJob } from '../../../src/lib/worker/run-job';
import { DESIGN_EXAMPLE } from '../../helpers';

const gpu = createGpuBackend();
// the same kernels, as where gpu.js finds WebGL in the browser
const onGraphicsProcessor: Backend = Object.create(gpu, { hardware: { value: 'gpu' } });

/** A forward pass just above the threshold: 64 samples through a 512 → units dense layer. */
function large(backend?: string): string {
	const inputs = 512;
	const units = Math.ceil(AUTO_GPU_MIN_MULTIPLY_ADDS / (inputs * 64)) + 1;
	return stringify({
		...(backend ? { backend } : {}),
		model: { input: inputs, layers: [{ type: 'dense', units, activation: 'tanh', init: { weights: 'uniform', scale: 0.05 } }] },
		data: { X: Array.from({ length: 64 }, (_, n) => Array.from({ length: inputs }, (_, k) => ((n + k) % 7) / 7)) }
	});
}

async function replies(text: string, loadGpu: () => Promise<Backend>): Promise<RunReply[]> {
	const received: RunReply[] = [];
	await runJob({ id: 7, text }, loadGpu, (reply) => received.push(reply), () => undefined);
	return received;
}

describe('the run worker’s job', () => {
	it('answers a lesson-sized run once, from the float64 reference, with the mistakes that apply', async () => {
		const [reply, ...more] = await replies(stringify(DESIGN_EXAMPLE), async () => onGraphicsProcessor);
		expect(more).toEqual([]);
		expect(reply).toMatchObject({ id: 7, ok: true, exact: true });
		if (!reply.ok) return;
		expect(reply.trace.setup.backend.name).toBe('reference');
		expect(reply.mistakes.length).toBeGreaterThan(0);
	});

	it('answers a large run twice where gpu.js has a graphics processor: a float32 preview, then the float64 values', async () => {
		const [preview, exact, ...more] = await replies(large(), async () => onGraphicsProcessor);
		expect(more).toEqual([]);
		expect(preview).toMatchObject({ ok: true, exact: false });
		expect(exact).toMatchObject({ ok: true, exact: true });
		if (!preview.ok || !exact.ok) return;
		expect(preview.trace.setup.backend.name).toBe('gpu');
		expect(exact.trace.setup.backend.name).toBe('reference');
		exact.trace.values.forEach((value, i) => expect(Math.abs(preview.trace.values[i] - value)).toBeLessThanOrEqual(1e-4 + 1e-3 * Math.abs(value)));
	});

	it('does not preview on gpu.js’s WebAssembly backend under auto (slower than the loops), but does when the scenario asks for gpu', async () => {
		expect((await replies(large(), async () => gpu)).map((r) => r.ok && r.exact)).toEqual([true]);
		expect((await replies(large('gpu'), async () => gpu)).map((r) => r.ok && r.exact)).toEqual([false, true]);
	});

	it('still answers with the reference when gpu.js cannot be loaded', async () => {
		const answers = await replies(large('gpu'), () => Promise.reject(new Error('offline')));
		expect(answers).toHaveLength(1);
		expect(answers[0]).toMatchObject({ ok: true, exact: true });
	});

	it('answers a malformed scenario with its issues, once', async () => {
		const answers = await replies('model: { input: 2, layers: [ { type: dense, units: -1 } ] }\n', async () => gpu);
		expect(answers).toHaveLength(1);
		expect(answers[0].ok).toBe(false);
		if (answers[0].ok) return;
		expect(answers[0].issues[0].path.join('.')).toContain('layers');
	});
});
