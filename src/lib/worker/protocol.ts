import type { ScenarioIssue } from '$lib/engine/scenario/issues';
import type { Trace } from '$lib/engine/trace';

/** Messages between the page and the run worker: plain data, structured-cloned. */
export interface RunRequest {
	id: number;
	text: string;
}

export type RunReply = { id: number; ok: true; trace: Trace } | { id: number; ok: false; issues: ScenarioIssue[] };

/** Sent during a long run: how many of its steps are done. */
export interface RunProgress {
	id: number;
	progress: { step: number; steps: number };
}
