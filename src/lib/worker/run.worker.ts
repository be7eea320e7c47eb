/// <reference lib="webworker" />
import { run } from '$lib/engine/run';
import { readScenario } from '$lib/engine/scenario/parse';
import { ScenarioError } from '$lib/engine/scenario/issues';
import type { RunProgress, RunReply, RunRequest } from './protocol';

/** Runs scenarios off the page's thread, so that a long run never freezes the replay. */
self.onmessage = (message: MessageEvent<RunRequest>) => {
	const { id, text } = message.data;
	let reply: RunReply;
	try {
		const progress = (step: number, steps: number) => (self as unknown as Worker).postMessage({ id, progress: { step, steps } } satisfies RunProgress);
		const trace = run(readScenario(text), { onProgress: progress });
		reply = { id, ok: true, trace };
		const buffers = [trace.values, trace.step, trace.epoch, trace.phase, trace.name, trace.shape, trace.offset, trace.stepStart, trace.batchRows, trace.batchStart].map((a) => a.buffer);
		(self as unknown as Worker).postMessage(reply, buffers);
		return;
	} catch (error) {
		reply =
			error instanceof ScenarioError
				? { id, ok: false, issues: error.issues }
				: { id, ok: false, issues: [{ path: [], message: error instanceof Error ? error.message : String(error) }] };
	}
	(self as unknown as Worker).postMessage(reply);
};
