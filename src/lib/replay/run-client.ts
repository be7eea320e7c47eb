import type { RunReply } from '$lib/worker/protocol';
import RunWorker from '$lib/worker/run.worker?worker';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (reply: RunReply) => void>();

/**
 * Runs scenario text in the Web Worker and resolves with its trace or its issues. A newer request
 * does not cancel an older one; the page keeps only the answer to its latest request.
 */
export function runInWorker(text: string): Promise<RunReply> {
	if (!worker) {
		worker = new RunWorker();
		worker.onmessage = (message: MessageEvent<RunReply>) => {
			pending.get(message.data.id)?.(message.data);
			pending.delete(message.data.id);
		};
	}
	const id = nextId++;
	return new Promise((resolve) => {
		pending.set(id, resolve);
		worker?.postMessage({ id, text });
	});
}
