import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Backend } from '../../../src/lib/engine/backends/backend';
import { createGpuBackend } from '../../../src/lib/engine/backends/gpu';
import { eventAt, type Trace } from '../../../src/lib/engine/trace';
import { getLesson, lessonView } from '../../../src/lib/lessons';
import type { Move, Slide } from '../../../src/lib/replay/cursor';
import { ReplaySession, type RunScenario } from '../../../src/lib/replay/session.svelte';
import { packScenario } from '../../../src/lib/replay/share';
import { formatState, parseState, type ReplayState, DEFAULT_STATE } from '../../../src/lib/replay/url-state';
import type { RunReply } from '../../../src/lib/worker/protocol';
import { runJob } from '../../../src/lib/worker/run-job';
import { DESIGN_EXAMPLE } from '../../helpers';

// gpu.js's kernels as where it finds WebGL: a scenario asking for gpu gets a float32 preview first
const gpu = createGpuBackend();
const onGraphicsProcessor: Backend = Object.create(gpu, { hardware: { value: 'gpu' } });

/** The run worker's replies to one request, from the engine run in-process. */
async function replies(text: string, mistake?: string): Promise<RunReply[]> {
	const received: RunReply[] = [];
	await runJob({ id: 1, text, mistake }, async () => onGraphicsProcessor, (reply) => received.push(reply), () => undefined);
	return received;
}

/** The library, as the server gives the page a lesson. */
const lessons = async (id: string) => {
	const lesson = getLesson(id);
	return lesson ? lessonView(lesson) : null;
};

/** A worker answering every request at once: the preview (if any), then the final run. */
const immediate: RunScenario = async (text, _progress, mistake, onPreview) => {
	const all = await replies(text, mistake);
	for (const reply of all.slice(0, -1)) onPreview?.(reply);
	return all[all.length - 1];
};

interface Request {
	text: string;
	preview: RunReply | undefined;
	final: RunReply;
	sendPreview: () => void;
	sendFinal: () => void;
}

/** A worker whose replies the test sends, in whatever order it likes. */
function manual(): { run: RunScenario; requests: Request[] } {
	const requests: Request[] = [];
	const run: RunScenario = async (text, _progress, mistake, onPreview) => {
		const all = await replies(text, mistake);
		return new Promise((resolve) => {
			const final = all[all.length - 1];
			const preview = all.length > 1 ? all[0] : undefined;
			requests.push({ text, preview, final, sendPreview: () => preview && onPreview?.(preview), sendFinal: () => resolve(final) });
		});
	};
	return { run, requests };
}

/** Lets pending promises settle (the engine's runs, the session's continuations). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function until(condition: () => boolean): Promise<void> {
	for (let i = 0; i < 200 && !condition(); i++) await settle();
	expect(condition()).toBe(true);
}

const where = (session: ReplaySession) => {
	const e = session.event;
	return e ? `${e.step} ${e.phase} ${e.name}` : null;
};

// 2 epochs of 2 one-sample steps, as cursor.test.ts moves through it: 4 init events, then 18 events a step
const TWO_EPOCHS = stringify({ ...DESIGN_EXAMPLE, data: { X: [[1, 0.5], [0, 1]], Y: [[1], [0]] }, training: { epochs: 2, batch_size: 1 } });
const ON_GPU = stringify({ ...DESIGN_EXAMPLE, backend: 'gpu' });

async function opened(text: string): Promise<ReplaySession> {
	const session = new ReplaySession({ lessons, run: immediate, locale: 'en' });
	await session.start(text);
	return session;
}

describe('moving through a run', () => {
	it.each<[number, Move, string]>([
		[0, 'next-event', '0 init b[1]'],
		[1, 'next-step', '1 forward A[0]'],
		[12, 'next-step', '2 forward A[0]'],
		[30, 'previous-step', '2 forward A[0]'],
		[9, 'next-phase', '1 backward dA[2]'],
		[6, 'next-epoch', '3 forward A[0]'],
		[70, 'previous-epoch', '3 forward A[0]'],
		[33, 'last', '4 update b[2]'],
		[33, 'first', '0 init W[1]']
	])('from event %i, %s → %s', async (seq, to, expected) => {
		const session = await opened(TWO_EPOCHS);
		session.seek(seq);
		session.go(to);
		expect(where(session)).toBe(expected);
	});

	it('keeps the selected element where it fits the new event, and drops it where it does not', async () => {
		const session = await opened(TWO_EPOCHS);
		session.select([1, 0]);
		session.go('next-event');
		// b[1] has 2 entries, none at [1, 0]
		expect(session.index).toBeNull();
		session.seek(0);
		session.select([1, 1]);
		session.go('next-epoch');
		// A[0] of a one-sample step is 1 × 2
		expect(session.index).toBeNull();
		session.select([0, 1]);
		session.go('next-event');
		expect(where(session)).toBe('1 forward Z[1]');
		expect(session.index).toEqual([0, 1]);
	});

	it('plays event by event and stops at the last one', async () => {
		const session = await opened(TWO_EPOCHS);
		const last = session.trace!.length - 1;
		session.seek(last - 3);
		session.togglePlaying();
		const seen: number[] = [];
		while (session.playing) {
			session.tick();
			seen.push(session.seq);
		}
		expect(seen).toEqual([last - 2, last - 1, last, last]);
		expect(where(session)).toBe('4 update b[2]');
	});
});

describe('a float32 preview and the float64 run it stands for', () => {
	it('shows the preview at once, its numbers kept out of the formulas, then the final run in its place', async () => {
		const { run, requests } = manual();
		const session = new ReplaySession({ lessons, run, locale: 'en' });
		const started = session.start(ON_GPU, 2);
		await until(() => requests.length === 1);
		const [request] = requests;
		expect(request.preview).toMatchObject({ ok: true, exact: false });
		session.select([0, 0]);
		request.sendPreview();
		expect(session.trace?.setup.backend.name).toBe('gpu');
		expect(session.preliminary).not.toBeNull();
		expect(session.seq).toBe(2);
		expect(session.element).toBeNull();
		request.sendFinal();
		await started;
		expect(session.trace?.setup.backend.name).toBe('reference');
		expect(session.preliminary).toBeNull();
		expect(session.running).toBe(false);
		expect(session.element?.value).toBe(session.event?.value.data[0]);
	});

	it('keeps the event the reader jumped to while the preview showed', async () => {
		const { run, requests } = manual();
		const session = new ReplaySession({ lessons, run, locale: 'en' });
		const started = session.start(ON_GPU);
		await until(() => requests.length === 1);
		requests[0].sendPreview();
		session.go('last');
		requests[0].sendFinal();
		await started;
		expect(session.trace?.setup.backend.name).toBe('reference');
		expect(where(session)).toBe('1 update b[2]');
	});

	// two requests, A then B (another text): whatever the order their replies come in, nothing of A
	// shows once B is asked, and no preview shows once its own final run has come
	type Message = 'A preview' | 'A final' | 'B preview' | 'B final';
	it.each<[Message[]]>([
		[['A preview', 'A final', 'B preview', 'B final']],
		[['B preview', 'A preview', 'B final', 'A final']],
		[['B final', 'B preview', 'A final', 'A preview']],
		[['A final', 'B final', 'A preview', 'B preview']],
		[['B preview', 'B final', 'A preview', 'A final']],
		[['A preview', 'B final', 'B preview', 'A final']]
	])('%j ends on B’s final run and never shows a stale reply', async (order) => {
		const { run, requests } = manual();
		const session = new ReplaySession({ lessons, run, locale: 'en' });
		const a = session.start(ON_GPU);
		await until(() => requests.length === 1);
		const b = session.start(ON_GPU.replace('lr: 0.5', 'lr: 0.25'));
		await until(() => requests.length === 2);
		const [requestA, requestB] = requests;
		const label = new Map<Trace, string>();
		for (const [name, request] of [['A', requestA], ['B', requestB]] as const) {
			if (request.preview?.ok) label.set(request.preview.trace, `${name} preview`);
			if (request.final.ok) label.set(request.final.trace, `${name} final`);
		}
		const sent: Message[] = [];
		for (const message of order) {
			const request = message.startsWith('A') ? requestA : requestB;
			if (message.endsWith('preview')) request.sendPreview();
			else request.sendFinal();
			sent.push(message);
			await settle();
			const shown = session.trace ? label.get(session.trace) : undefined;
			expect(shown ?? 'nothing', `after ${sent.join(', ')}`).not.toMatch(/^A/);
			if (sent.includes('B final')) expect(shown).toBe('B final');
		}
		await Promise.all([a, b]);
		expect(session.preliminary).toBeNull();
		expect(session.running).toBe(false);
	});
});

describe('a mistake run beside the right run', () => {
	const MISTAKE = 'missing-activation-derivative';

	it('pairs the chosen mistake with the run on screen, and lets it go when unchosen', async () => {
		const session = await opened(TWO_EPOCHS);
		expect(session.mistakes.map((option) => option.code)).toContain(MISTAKE);
		await session.chooseMistake(MISTAKE);
		expect(session.paired).not.toBeNull();
		expect(session.mistakeRun?.base).toBe(session.trace);
		// δ[1] without σ′ differs; Z[1] of the first step does not
		const seqOf = (name: string) => Array.from({ length: session.trace!.length }, (_, s) => s).find((s) => eventAt(session.trace!, s).name === name && eventAt(session.trace!, s).step === 1)!;
		session.seek(seqOf('Z[1]'));
		expect(session.differing).toBe(0);
		session.seek(seqOf('dZ[1]'));
		expect(session.differing).toBe(2);
		await session.chooseMistake(null);
		expect(session.paired).toBeNull();
		expect(session.compare).toBeNull();
	});

	it('drops a pairing that no longer matches the run on screen, and a mistake that does not apply to it', async () => {
		const { run, requests } = manual();
		const session = new ReplaySession({ lessons, run, locale: 'en' });
		const send = async () => {
			await until(() => requests.some((r) => !('sent' in r)));
			const request = requests.find((r) => !('sent' in r))!;
			Object.assign(request, { sent: true });
			request.sendFinal();
		};
		let done = session.start(TWO_EPOCHS);
		await send();
		await done;
		done = session.chooseMistake(MISTAKE);
		await send();
		await done;
		const first = session.paired;
		expect(first).not.toBeNull();
		// another run (lr changed): the old pairing is not shown beside it, the mistake runs again
		done = session.start(TWO_EPOCHS.replace('lr: 0.5', 'lr: 0.25'));
		await send();
		await until(() => requests.length === 4);
		expect(session.mistake).toBe(MISTAKE);
		expect(session.paired).toBeNull();
		await send();
		await done;
		expect(session.paired).not.toBeNull();
		expect(session.paired).not.toBe(first);
		expect(session.mistakeRun?.base).toBe(session.trace);
		// a perceptron has no σ′ to forget
		done = session.openLesson('perceptron-or');
		await send();
		await done;
		expect(session.mistake).toBeNull();
		expect(session.paired).toBeNull();
	});
});

const scenario = await packScenario(TWO_EPOCHS);

describe('the link', () => {
	it.each<[string, Partial<ReplayState>]>([
		['a lesson at an element, in its course', { lesson: 'backprop-deep-2221', seq: 22, index: [0, 0], profile: '004' }],
		['a lesson in another course, with more digits', { lesson: 'backprop-deltas', seq: 11, index: [0, 0], profile: '003', digits: 7 }],
		['a pasted scenario in a bare notation', { scenario, seq: 30, index: [0, 1], profile: null, notation: 'paren' }],
		['a student’s wrong entries with their mistake', { scenario, seq: 16, index: [0, 1], lit: [[0, 0], [0, 1]], mistake: 'missing-activation-derivative', profile: '003' }],
		['a lesson changed by the reader', { lesson: 'backprop-deep-2221', scenario, seq: 5, profile: 'neutral' }]
	])('%s: state → query → state', async (_label, partial) => {
		const state: ReplayState = { ...DEFAULT_STATE, ...partial };
		const query = formatState(state);
		const session = new ReplaySession({ lessons, run: immediate, locale: 'fr' });
		await session.restore(parseState(new URLSearchParams(query)));
		expect(session.urlState).toEqual(state);
		expect(formatState(session.urlState)).toBe(query);
	});

	it('opens a link’s scenario on its picture and formula, the editor folded, unless the scenario has issues', async () => {
		const session = new ReplaySession({ lessons, run: immediate, locale: 'en' });
		await session.restore({ ...DEFAULT_STATE, scenario, seq: 16 });
		expect(session.editing).toBe(false);
		expect(session.formula).not.toBeNull();
		const broken = new ReplaySession({ lessons, run: immediate, locale: 'en' });
		await broken.restore({ ...DEFAULT_STATE, scenario: await packScenario('model: { input: 2, layers: [ { type: dense, units: -1 } ] }\n') });
		expect(broken.editing).toBe(true);
		expect(broken.issues.length).toBeGreaterThan(0);
	});
});

const KERAS =
	"model = Sequential()\nmodel.add(Dense(2, activation='sigmoid', input_dim=2))\nmodel.add(Dense(1, activation='sigmoid'))\nmodel.compile(optimizer=SGD(learning_rate=0.5), loss='mse')\nmodel.fit(np.array([[1, 0.5]]), np.array([1]), batch_size=1, shuffle=False)\n";

describe('whose scenario it is', () => {
	const lesson = getLesson('perceptron-or')!;

	it('opens the lesson picked last when an earlier pick arrives after it', async () => {
		let releaseFirst = () => undefined as void;
		const slow = new Promise<void>((release) => (releaseFirst = release));
		const late = async (id: string) => {
			if (id === 'perceptron-and') await slow;
			return lessons(id);
		};
		const session = new ReplaySession({ lessons: late, run: immediate, locale: 'en' });
		const first = session.chooseLesson('perceptron-and');
		await session.chooseLesson('perceptron-or');
		releaseFirst();
		await first;
		expect(session.lesson?.id).toBe('perceptron-or');
		expect(session.source).toBe(lesson.source);
	});

	it.each<[string, (session: ReplaySession) => Promise<void>, string | null, boolean]>([
		['the lesson as written', async () => undefined, 'perceptron-or', false],
		['its learning rate changed in the editor', (s) => s.runEdited(lesson.source.replace('lr: 0.1', 'lr: 0.2')), 'perceptron-or', true],
		['its convention changed in the panel', (s) => s.runChanged(lesson.source.replace('strict: true', 'strict: false')), 'perceptron-or', true],
		['another scenario pasted over it', (s) => s.runEdited(TWO_EPOCHS), null, false],
		['its own text opened from a file', (s) => s.openFile(lesson.source), null, false],
		['Keras code pasted over it', (s) => s.runEdited(KERAS), null, false]
	])('%s', async (_label, act, lessonId, changed) => {
		expect(lesson.source).toContain('lr: 0.1');
		expect(lesson.source).toContain('strict: true');
		const session = new ReplaySession({ lessons, run: immediate, locale: 'en' });
		await session.openLesson('perceptron-or');
		await act(session);
		expect(session.issues).toEqual([]);
		expect(session.lesson?.id ?? null).toBe(lessonId);
		expect(session.lessonChanged).toBe(changed);
	});
});

describe('sliding the convolution window', () => {
	// conv-valid: one 3 × 3 feature map (a 5 × 5 input and a 3 × 3 kernel), channels first
	const slides: [string, Slide[], number[]][] = [
		['along the row', ['next-cell'], [0, 0, 0, 1]],
		['on to the next row at its end', ['next-cell', 'next-cell', 'next-cell'], [0, 0, 1, 0]],
		['back to the previous row', ['next-cell', 'next-cell', 'next-cell', 'previous-cell'], [0, 0, 0, 2]],
		['a row down, then up', ['row-down', 'row-down', 'row-down', 'row-up'], [0, 0, 1, 0]],
		['over the whole map, and no further', Array<Slide>(12).fill('next-cell'), [0, 0, 2, 2]],
		['no further back than the first cell', ['previous-cell', 'row-up'], [0, 0, 0, 0]]
	];
	it.each(slides)('%s', async (_label, moves, expected) => {
		const session = new ReplaySession({ lessons, run: immediate, locale: 'en' });
		await session.openLesson('conv-valid');
		const seq = Array.from({ length: session.trace!.length }, (_, s) => s).find((s) => eventAt(session.trace!, s).name === 'Z[1]')!;
		session.seek(seq);
		expect(session.event?.value.shape).toEqual([1, 1, 3, 3]);
		expect(session.slide('next-cell')).toBe(false);
		session.select([0, 0, 0, 0]);
		expect(session.windowShown).toBe(true);
		for (const to of moves) expect(session.slide(to)).toBe(true);
		expect(session.index).toEqual(expected);
	});

	it('does not slide where no window is drawn (a dense layer’s values)', async () => {
		const session = await opened(TWO_EPOCHS);
		session.seek(5);
		session.select([0, 0]);
		expect(session.windowShown).toBe(false);
		expect(session.slide('next-cell')).toBe(false);
		expect(session.index).toEqual([0, 0]);
	});
});

describe('the editor', () => {
	it('starts again from a text that reached the scenario from outside it (Keras code read as YAML, a file), not from what it showed before', async () => {
		const session = new ReplaySession({ lessons, run: immediate, locale: 'en' });
		const before = session.editorVersion;
		const done = session.runEdited(KERAS);
		await until(() => session.editorVersion > before);
		expect(session.source).toContain('# Read from Keras code');
		await done;
		expect(session.trace).not.toBeNull();
		const version = session.editorVersion;
		void session.openFile(TWO_EPOCHS);
		expect(session.editorVersion).toBe(version + 1);
		expect(session.source).toBe(TWO_EPOCHS);
	});
});
