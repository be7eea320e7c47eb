/// <reference lib="webworker" />
import type { Backend } from '$lib/engine/backends/backend';
import type { RunProgress, RunRequest } from './protocol';
import { runJob, transferables } from './run-job';

// gpu.js is fetched by the first run that may use it, and kept
let gpu: Promise<Backend> | null = null;
const loadGpu = (): Promise<Backend> => (gpu ??= import('$lib/engine/backends/gpu').then(({ createGpuBackend }) => createGpuBackend()));

/** Runs scenarios off the page's thread, so that a long run never freezes the replay. */
self.onmessage = (message: MessageEvent<RunRequest>) => {
	const worker = self as unknown as Worker;
	const { id } = message.data;
	void runJob(
		message.data,
		loadGpu,
		(reply) => worker.postMessage(reply, transferables(reply)),
		(step, steps) => worker.postMessage({ id, progress: { step, steps } } satisfies RunProgress)
	);
};
