import type { RunProgress, RunReply } from '$lib/worker/protocol';
import RunWorker from '$lib/worker/run.worker?worker';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (reply: RunReply) => void; onProgress?: (done: number) => void }>();

/**
 * Runs scenario text in the Web Worker and resolves with its trace or its issues; `onProgress`
 * hears the fraction of steps done. A newer request does not cancel an older one; the page keeps
 * only the answer to its latest request.
 */
export function runInWorker(text: string, onProgress?: (done: number) => void): Promise<RunReply> {
	if (!worker) {
		worker = new RunWorker();
		worker.onmessage = (message: MessageEvent<RunReply | RunProgress>) => {
			const data = message.data;
			const waiting = pending.get(data.id);
			if ('progress' in data) {
				waiting?.onProgress?.(data.progress.step / data.progress.steps);
				return;
			}
			waiting?.resolve(data);
			pending.delete(data.id);
		};
	}
	const id = nextId++;
	return new Promise((resolve) => {
		pending.set(id, { resolve, onProgress });
		worker?.postMessage({ id, text });
	});
}
