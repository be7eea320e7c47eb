/**
 * Where the gpu backend starts to pay: a training step of a dense layer and of a convolution,
 * growing, timed on both backends. AUTO_GPU_MIN_MULTIPLY_ADDS (engine/backends/select.ts) is
 * the size this finds on the machine the project runs on; `npm run -s bench -- --threshold`.
 */
import type { Backend } from '../src/lib/engine/backends/backend';
import { run } from '../src/lib/engine/run';
import { estimateCost, validateScenario } from '../src/lib/engine/scenario/validate';

export interface ThresholdRow {
	kind: 'dense' | 'conv2d';
	size: number;
	multiply_adds_per_step: number;
	reference_ms: number;
	gpu_ms: number;
}

function scenario(kind: 'dense' | 'conv2d', size: number): unknown {
	const samples = 16;
	if (kind === 'dense') {
		return {
			model: { input: size, layers: [{ type: 'dense', units: size, activation: 'relu' }, { type: 'dense', units: 4, activation: 'softmax' }] },
			loss: 'categorical_cross_entropy',
			optimizer: { type: 'sgd', lr: 0.1 },
			data: { X: Array.from({ length: samples }, (_, n) => Array.from({ length: size }, (_, k) => ((n * 7 + k) % 11) / 11)), Y: Array.from({ length: samples }, (_, n) => [0, 1, 2, 3].map((c) => (c === n % 4 ? 1 : 0))) },
			training: { epochs: 2 }
		};
	}
	return {
		model: { input: [1, size, size], layers: [{ type: 'conv2d', filters: 8, kernel: 3, padding: 1, activation: 'relu' }, { type: 'pool', mode: 'max', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 4, activation: 'softmax' }] },
		loss: 'categorical_cross_entropy',
		optimizer: { type: 'sgd', lr: 0.1 },
		data: { X: Array.from({ length: samples }, (_, n) => [Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => ((n + i * 3 + j) % 13) / 13))]), Y: Array.from({ length: samples }, (_, n) => [0, 1, 2, 3].map((c) => (c === n % 4 ? 1 : 0))) },
		training: { epochs: 2 }
	};
}

function time(action: () => void, runs: number): number {
	action();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		action();
		times.push(performance.now() - start);
	}
	return times.sort((a, b) => a - b)[times.length >> 1];
}

export function measureThreshold(gpu: Backend, sizes: { dense: number[]; conv2d: number[] }, runs = 3): ThresholdRow[] {
	const rows: ThresholdRow[] = [];
	for (const kind of ['dense', 'conv2d'] as const) {
		for (const size of sizes[kind]) {
			const checked = validateScenario(scenario(kind, size));
			const cost = estimateCost(checked);
			rows.push({
				kind,
				size,
				multiply_adds_per_step: Math.round(cost.multiplyAdds / cost.steps),
				reference_ms: Number(time(() => run(checked, { backend: 'reference' }), runs).toFixed(2)),
				gpu_ms: Number(time(() => run(checked, { backend: 'gpu', gpu }), runs).toFixed(2))
			});
		}
	}
	return rows;
}
