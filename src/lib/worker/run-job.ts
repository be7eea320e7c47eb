import type { Backend } from '$lib/engine/backends/backend';
import { AUTO_GPU_MIN_MULTIPLY_ADDS } from '$lib/engine/backends/select';
import { run } from '$lib/engine/run';
import { ScenarioError } from '$lib/engine/scenario/issues';
import { readScenario } from '$lib/engine/scenario/parse';
import { estimateCost, type Scenario } from '$lib/engine/scenario/validate';
import type { Trace } from '$lib/engine/trace';
import { applicableMistakes, mistakeTrace, type MistakeOption } from '$lib/replay/mistakes';
import type { RunReply, RunRequest } from './protocol';

/**
 * One request of the run worker. A run large enough for the gpu backend (where gpu.js has a
 * graphics processor) is answered twice: first a float32 preview from gpu.js, so that a large
 * convolution shows at once, then the float64 reference run, whose numbers the formulas show.
 * Every other run is answered once, from the reference.
 */
export async function runJob(
	request: RunRequest,
	loadGpu: () => Promise<Backend>,
	reply: (message: RunReply) => void,
	onProgress: (step: number, steps: number) => void
): Promise<void> {
	const { id, text, mistake } = request;
	try {
		const scenario = readScenario(text);
		if (mistake) {
			const trace = mistakeTrace(scenario, mistake);
			reply(trace ? answer(id, trace, true, []) : { id, ok: false, issues: [{ path: [], message: `the mistake ${mistake} changes nothing in this scenario` }] });
			return;
		}
		if (wantsGpu(scenario)) {
			const gpu = await loadGpu().catch(() => undefined);
			if (gpu && (scenario.backend === 'gpu' || gpu.hardware === 'gpu')) {
				const preview = run(scenario, { gpu, backend: 'gpu', onProgress });
				if (preview.setup.backend.name === 'gpu') reply(answer(id, preview, false, []));
			}
		}
		const trace = run(scenario, { backend: 'reference', onProgress });
		reply(answer(id, trace, true, applicableMistakes(scenario, trace)));
	} catch (error) {
		reply(
			error instanceof ScenarioError
				? { id, ok: false, issues: error.issues }
				: { id, ok: false, issues: [{ path: [], message: error instanceof Error ? error.message : String(error) }] }
		);
	}
}

/** A scenario that asks for gpu, or leaves it to auto and is above the measured threshold. */
function wantsGpu(scenario: Scenario): boolean {
	if (scenario.kind !== 'network' || scenario.backend === 'reference') return false;
	const cost = estimateCost(scenario);
	return scenario.backend === 'gpu' || cost.multiplyAdds / cost.steps >= AUTO_GPU_MIN_MULTIPLY_ADDS;
}

function answer(id: number, trace: Trace, exact: boolean, mistakes: MistakeOption[]): RunReply {
	return { id, ok: true, trace, exact, mistakes };
}

/** The trace's typed arrays, moved to the page instead of copied. */
export function transferables(reply: RunReply): ArrayBuffer[] {
	if (!reply.ok) return [];
	const t = reply.trace;
	return [t.values, t.stepStart, t.stepLayout, t.valueMarks, t.stepEpoch, t.batchRows, t.batchStart].map((a) => a.buffer as ArrayBuffer);
}
