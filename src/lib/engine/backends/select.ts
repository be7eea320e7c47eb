import type { Backend, BackendChoice, BackendReport } from './backend';
import { referenceBackend } from './reference';

/**
 * Multiply-adds per optimizer step (forward and backward, the whole batch) from which `auto`
 * takes the gpu backend. Below it a kernel's call, copy and float32 conversion cost more than
 * the loops they replace. Measured with `npm run bench` on the 2-core machine the project runs
 * on (gpu.js's webasm backend against the float64 loops): see bench/RESULTS.md.
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
	if (requested === 'auto' && multiplyAddsPerStep < AUTO_GPU_MIN_MULTIPLY_ADDS) {
		return reference(`auto: ${formatCount(multiplyAddsPerStep)} multiply-adds a step, under the gpu threshold of ${formatCount(AUTO_GPU_MIN_MULTIPLY_ADDS)}`);
	}
	return { backend: gpu, report: { requested, name: gpu.name, device: gpu.device, note: null } };
}

function formatCount(n: number): string {
	return n >= 1e6 ? `${(n / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} M` : n.toLocaleString('en');
}
