import type { Backend, BackendChoice, BackendReport } from './backend';
import { referenceBackend } from './reference';

/**
 * Multiply-adds per optimizer step (forward and backward, the whole batch) from which `auto`
 * takes the gpu backend, when gpu.js runs on a graphics processor: below it a kernel's call,
 * copies and float32 conversion cost more than the loops they replace. On a machine without one
 * gpu.js falls back to WebAssembly, which `npm run -s bench -- --threshold` measured slower than
 * the float64 loops at every size (bench/RESULTS.md): `auto` then stays on the reference.
 */
export const AUTO_GPU_MIN_MULTIPLY_ADDS = 20_000_000;

/**
 * The backend a run uses. `gpu` is the gpu.js backend where the caller loaded it (it is not part
 * of the engine's bundle); a scenario asking for gpu where there is none runs on the reference,
 * and the report says so.
 */
export function chooseBackend(requested: BackendChoice, multiplyAddsPerStep: number, gpu: Backend | undefined): { backend: Backend; report: BackendReport } {
	const reference = (note: string | null) => ({
		backend: referenceBackend,
		report: { requested, name: referenceBackend.name, device: referenceBackend.device, note }
	});
	if (requested === 'reference') return reference(null);
	if (!gpu) return reference('the gpu backend is not loaded here');
	if (requested === 'auto' && gpu.hardware !== 'gpu') {
		return reference(`auto: gpu.js has no graphics processor here (${gpu.device}), where the float64 loops are faster`);
	}
	if (requested === 'auto' && multiplyAddsPerStep < AUTO_GPU_MIN_MULTIPLY_ADDS) {
		return reference(`auto: ${formatCount(multiplyAddsPerStep)} multiply-adds a step, under the gpu threshold of ${formatCount(AUTO_GPU_MIN_MULTIPLY_ADDS)}`);
	}
	return { backend: gpu, report: { requested, name: gpu.name, device: gpu.device, note: null } };
}

function formatCount(n: number): string {
	return n >= 1e6 ? `${(n / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} M` : n.toLocaleString('en');
}

/**
 * The backend of a batched forward pass (the decision region's grid): gpu wherever gpu.js is
 * loaded. Its fused weighted-sum-and-activation kernels beat the float64 loops even on gpu.js's
 * WebAssembly backend (tanh as a rational function, four lanes at once): 1.8× on BENCH.md's grid.
 */
export function chooseGridBackend(requested: BackendChoice, gpu: Backend | undefined): Backend {
	return requested !== 'reference' && gpu ? gpu : referenceBackend;
}
