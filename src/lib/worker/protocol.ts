import type { ScenarioIssue } from '$lib/engine/scenario/issues';
import type { Trace } from '$lib/engine/trace';
import type { MistakeOption } from '$lib/replay/mistakes';

/** Messages between the page and the run worker: plain data, structured-cloned. */
export interface RunRequest {
	id: number;
	text: string;
	/** run the scenario as a student making this mistake of the catalogue would (its code) */
	mistake?: string;
}

/**
 * A run's trace; for the right run, the mistakes that change something in it. `exact` is false
 * for a float32 preview from the gpu backend, which the float64 run then replaces.
 */
export type RunReply = { id: number; ok: true; trace: Trace; exact: boolean; mistakes: MistakeOption[] } | { id: number; ok: false; issues: ScenarioIssue[] };

/** Sent during a long run: how many of its steps are done. */
export interface RunProgress {
	id: number;
	progress: { step: number; steps: number };
}
