import type { RunProgress, RunReply, RunRequest } from '$lib/worker/protocol';
import RunWorker from '$lib/worker/run.worker?worker';

let worker: Worker | null = null;
let nextId = 1;
interface Waiting {
	resolve: (reply: RunReply) => void;
	onProgress?: (done: number) => void;
	onPreview?: (reply: RunReply) => void;
}
const pending = new Map<number, Waiting>();

/**
 * Runs scenario text in the Web Worker and resolves with its trace or its issues; `onProgress`
 * hears the fraction of steps done; with `mistake` (a catalogue code), the run is the one a student
 * making that mistake would write down; `onPreview` hears a large run's float32 preview from the
 * gpu backend before the float64 run it resolves with. A newer request does not cancel an older
 * one; the page keeps only the answer to its latest request.
 */
export function runInWorker(text: string, onProgress?: (done: number) => void, mistake?: string, onPreview?: (reply: RunReply) => void): Promise<RunReply> {
	if (!worker) {
		worker = new RunWorker();
		worker.onmessage = (message: MessageEvent<RunReply | RunProgress>) => {
			const data = message.data;
			const waiting = pending.get(data.id);
			if ('progress' in data) {
				waiting?.onProgress?.(data.progress.step / data.progress.steps);
				return;
			}
			if (data.ok && !data.exact) {
				waiting?.onPreview?.(data);
				return;
			}
			waiting?.resolve(data);
			pending.delete(data.id);
		};
	}
	const id = nextId++;
	return new Promise((resolve) => {
		pending.set(id, { resolve, onProgress, onPreview });
		worker?.postMessage({ id, text, ...(mistake ? { mistake } : {}) } satisfies RunRequest);
	});
}
