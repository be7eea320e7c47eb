import type { ScenarioIssue } from '$lib/engine/scenario/issues';
import { at, isInside } from '$lib/engine/tensor';
import { eventAt, type Trace } from '$lib/engine/trace';
import { parseDecimal } from '$lib/format/decimal';
import { explain, plainWriting, quantitySymbol, texNumber, type Locale, type Notation, type Writing } from '$lib/formulas';
import { convertPasted } from '$lib/keras/paste';
import type { LessonView } from '$lib/lessons';
import { isProfileId, PROFILES, type ProfileId } from '$lib/profiles';
import { windowFrame } from '$lib/viz/grid';
import type { RunReply } from '$lib/worker/protocol';
import { counterpart, differingPositions, mistakeWrites, nextDifference } from './compare';
import { move, slideCell, type Move, type Slide } from './cursor';
import type { MistakeOption } from './mistakes';
import { packScenario, unpackScenario } from './share';
import { STARTER_SCENARIO } from './starter';
import type { ReplayState } from './url-state';
import { valuePath } from './value-path';

/** A lesson of the library by its id (null for none): the page asks the server, the tests read the library. */
export type FetchLesson = (id: string) => Promise<LessonView | null>;

/** runInWorker's signature (run-client.ts): the page passes the worker, the tests the engine in-process. */
export type RunScenario = (text: string, onProgress?: (done: number) => void, mistake?: string, onPreview?: (reply: RunReply) => void) => Promise<RunReply>;

/**
 * Whether `text` is `lesson`'s scenario changed (it keeps at least half of the lesson's lines)
 * rather than a scenario of one's own pasted over it.
 */
export function editsLesson(lesson: LessonView, text: string): boolean {
	const lines = (t: string) => t.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
	const own = new Set(lines(text));
	const theirs = lines(lesson.source);
	return theirs.filter((line) => own.has(line)).length * 2 >= theirs.length;
}

/**
 * The replay's state and its transitions: which scenario runs (a lesson's, a file's, a pasted
 * one), its trace and the float32 preview that may come first, the position, the selected and lit
 * elements, the course's words, playback and the mistake run beside the right run. The page
 * draws it and owns only what needs the browser (URL, keyboard, clipboard, timer).
 */
export class ReplaySession {
	readonly locale: Locale;
	readonly #run: RunScenario;
	readonly #fetchLesson: FetchLesson;
	#lessonRequest = 0;

	lesson = $state.raw<LessonView | null>(null);
	/** the scenario text being replayed (a lesson's, a file's or a pasted one) */
	source = $state(STARTER_SCENARIO);
	/** a pasted or opened scenario, packed for the link (null for a lesson as written) */
	packed = $state<string | null>(null);
	trace = $state.raw<Trace | null>(null);
	issues = $state.raw<ScenarioIssue[]>([]);
	running = $state(false);
	/** while a large run's float64 values are computed: the device that drew its float32 preview */
	preliminary = $state<string | null>(null);
	/** fraction of the run's steps done, while it runs */
	progress = $state(0);
	editing = $state(false);
	/** changes whenever the editor must show a text that reached the scenario from outside it */
	editorVersion = $state(0);
	seq = $state(0);
	index = $state.raw<number[] | null>(null);
	/** the course whose words the replay uses: a lesson's own, or the one the reader chose */
	profileId = $state<ProfileId>('neutral');
	/** a bare notation from a link made before profiles, until the reader picks a profile */
	bareNotation = $state<Notation | null>(null);
	digits = $state(4);
	playing = $state(false);
	speed = $state(4);
	/** the catalogue's mistakes that change something in this run, and the one chosen (its code) */
	mistakes = $state.raw<MistakeOption[]>([]);
	mistake = $state<string | null>(null);
	/** the chosen mistake's run, and the right run it stands beside */
	mistakeRun = $state.raw<{ base: Trace; code: string; trace: Trace } | null>(null);
	/** no later event where the two runs part ways (after "next difference" found none) */
	agreeAfter = $state<number | null>(null);
	/** the entries a link lights (a student's wrong ones), on the event it opened */
	lit = $state.raw<number[][]>([]);
	litSeq = $state<number | null>(null);
	conventionsOpen = $state(false);
	valueError = $state('');
	/** the exercise page that opened this replay ("Show me this step"), kept in the link for the way back */
	from = $state<string | null>(null);

	/** the latest run asked for; only its replies are shown */
	#latestRun = 0;
	/** the latest run whose float64 trace is on screen: its preview, however late, is never shown */
	#finalRun = 0;
	#latestMistakeRun = 0;
	/** the text the trace on screen was run from */
	#traceSource = '';

	readonly writing = $derived<Writing>(this.bareNotation ? plainWriting(this.bareNotation) : PROFILES[this.profileId]);
	readonly event = $derived(this.trace ? eventAt(this.trace, this.seq) : null);
	/** the current event's formula, and the selected element's, in the chosen course's words */
	readonly formula = $derived.by(() => (this.trace ? explain(this.trace, this.seq, { profile: this.writing, digits: this.digits, locale: this.locale }) : null));
	/** the event's quantity as the course writes it */
	readonly eventSymbol = $derived(this.event ? quantitySymbol(this.event.name, this.writing) : null);
	readonly element = $derived(this.formula && this.index && !this.preliminary ? this.formula.element(this.index) : null);
	/** where the selected number sits in the file, when it is a given (initial weight, input) the reader may change */
	readonly editablePath = $derived(this.trace && this.event && this.index ? valuePath(this.trace, this.event, this.index) : null);
	readonly litHere = $derived(this.seq === this.litSeq ? this.lit : []);
	readonly chosenMistake = $derived(this.mistakes.find((option) => option.code === this.mistake) ?? null);
	/** the mistake's run, once it stands beside the run on screen */
	readonly paired = $derived(
		this.trace && this.chosenMistake && this.mistakeRun && this.mistakeRun.base === this.trace && this.mistakeRun.code === this.chosenMistake.code ? this.mistakeRun.trace : null
	);
	readonly beside = $derived(this.trace && this.paired ? counterpart(this.trace, this.paired, this.seq) : undefined);
	readonly compare = $derived(this.paired ? { value: this.beside?.value ?? null } : null);
	readonly differing = $derived(this.event && this.beside ? differingPositions(this.event.value, this.beside.value).length : this.event ? this.event.value.data.length : 0);
	/** the selected element as the mistake computes it: its formula where the engine computed it in the mistake's run, else the value the mistake wrote */
	readonly mistakeElement = $derived.by(() => {
		const { paired, chosenMistake, element, index, beside } = this;
		if (!paired || !chosenMistake || !element || !index) return null;
		const title = chosenMistake.title[this.locale];
		if (beside && !mistakeWrites(chosenMistake, beside.name)) {
			const f = explain(paired, beside.seq, { profile: this.writing, digits: this.digits, locale: this.locale }).element(index);
			if (f) return { title, symbolic: f.symbolic, substituted: f.substituted };
		}
		const value = beside && isInside(beside.value.shape, index) ? texNumber(at(beside.value, index), { digits: this.digits, locale: this.locale }) : '—';
		return { title, symbolic: null, substituted: `${element.lhs} = ${value}` };
	});
	/** a lesson whose text the reader changed (its title is marked so) */
	readonly lessonChanged = $derived(this.lesson !== null && this.source !== this.lesson.source);
	/** a convolution or pooling output cell is selected: its receptive field is drawn, and the arrows slide it */
	readonly windowShown = $derived(this.trace !== null && this.index !== null && !this.preliminary && (windowFrame(this.trace, this.seq, this.index)?.focus ?? null) !== null);

	constructor(options: { run: RunScenario; lessons: FetchLesson; locale: Locale }) {
		this.#run = options.run;
		this.#fetchLesson = options.lessons;
		this.locale = options.locale;
	}

	/** Where the reader is, for the link (url-state.ts). */
	get urlState(): ReplayState {
		return {
			lesson: this.lesson?.id ?? null,
			scenario: this.packed,
			seq: this.seq,
			index: this.index,
			lit: this.litHere.length > 0 ? this.litHere : null,
			mistake: this.mistake,
			// a bare notation from a link stands for itself, until the reader picks a profile
			profile: this.bareNotation ? null : this.profileId,
			notation: this.bareNotation,
			digits: this.digits,
			from: this.from
		};
	}

	/** Opens what a link asks for; resolves once its run is on screen (or refused). */
	async restore(state: ReplayState): Promise<void> {
		this.digits = state.digits;
		this.from = state.from;
		if (state.index) this.index = state.index;
		if (state.lit) {
			this.lit = state.lit;
			this.litSeq = state.seq;
		}
		if (state.mistake) {
			this.mistake = state.mistake;
			this.conventionsOpen = true;
		}
		const profile = () => {
			if (state.profile) {
				this.profileId = state.profile;
				this.bareNotation = null;
			} else if (state.notation) this.bareNotation = state.notation;
		};
		// the lesson first (its course's words), then the link's own choice of words over them
		if (state.lesson) await this.openLesson(state.lesson, state.seq, false);
		profile();
		if (state.scenario) {
			// a link's scenario opens on its picture and formula; the editor waits until asked (or until the text has issues)
			const text = await unpackScenario(state.scenario);
			if (text === null) return;
			this.packed = state.scenario;
			await this.start(text, state.seq);
		} else if (!state.lesson) this.editing = true;
		else if (this.lesson) await this.start(this.lesson.source, state.seq);
	}

	/**
	 * Runs `text`; keeps the previous run on screen if the new one is refused. A float32 preview
	 * shows until the float64 run replaces it, and only while it stands for the latest request:
	 * one that comes after its own final run, or answers an older request, is dropped.
	 */
	async start(text: string, position = 0): Promise<void> {
		this.source = text;
		this.running = true;
		this.progress = 0;
		const id = ++this.#latestRun;
		let previewed = false;
		const reply = await this.#run(
			text,
			(done) => {
				if (id === this.#latestRun && id !== this.#finalRun) this.progress = done;
			},
			undefined,
			(preview) => {
				if (id !== this.#latestRun || id === this.#finalRun || !preview.ok) return;
				// a float32 preview of a large run: shown at once, its numbers kept out of the formulas
				this.trace = preview.trace;
				this.preliminary = preview.trace.setup.backend.device;
				if (!previewed) this.seq = Math.min(position, preview.trace.length - 1);
				else this.seq = Math.min(this.seq, preview.trace.length - 1);
				previewed = true;
				this.progress = 0;
			}
		);
		if (id !== this.#latestRun) return;
		this.#finalRun = id;
		this.running = false;
		this.preliminary = null;
		if (!reply.ok) {
			this.issues = reply.issues;
			this.editing = true;
			return;
		}
		this.issues = [];
		this.trace = reply.trace;
		this.#traceSource = text;
		this.mistakes = reply.mistakes;
		// where the reader went while the preview showed, the final run keeps
		this.seq = Math.min(previewed ? this.seq : position, reply.trace.length - 1);
		if (this.index && !this.fits(this.index)) this.index = null;
		// a link's entries that do not address the event it opened are dropped, not drawn
		if (this.litSeq !== null && this.litSeq !== this.seq) this.litSeq = null;
		this.lit = this.litSeq === null ? [] : this.lit.filter((entry) => this.fits(entry));
		if (this.mistake && !this.mistakes.some((option) => option.code === this.mistake)) this.mistake = null;
		await this.runMistake();
	}

	/** Runs the chosen mistake beside the run on screen. */
	async runMistake(): Promise<void> {
		const id = ++this.#latestMistakeRun;
		const base = this.trace;
		const code = this.mistake;
		this.agreeAfter = null;
		if (!base || !code) {
			this.mistakeRun = null;
			return;
		}
		const reply = await this.#run(this.#traceSource, undefined, code);
		if (id !== this.#latestMistakeRun) return;
		this.mistakeRun = reply.ok ? { base, code, trace: reply.trace } : null;
	}

	/** The reader's course: the same events in its words (a bare notation from a link gives way). */
	chooseProfile(value: string): void {
		if (!isProfileId(value)) return;
		this.profileId = value;
		this.bareNotation = null;
	}

	chooseMistake(code: string | null): Promise<void> {
		this.mistake = code;
		return this.runMistake();
	}

	goToDifference(): void {
		if (!this.trace || !this.paired) return;
		const next = nextDifference(this.trace, this.paired, this.seq);
		if (next === null) this.agreeAfter = this.seq;
		else this.seek(next);
	}

	/** A run of other text: the entries a link lit were the old run's. */
	forgetLit(): void {
		this.lit = [];
		this.litSeq = null;
	}

	/** Opens a lesson of the library (fetched first: the page does not carry the library); one that does not exist changes nothing. */
	async openLesson(id: string, position = 0, run = true): Promise<void> {
		const request = ++this.#lessonRequest;
		const found = await this.#fetchLesson(id);
		// a lesson asked for later won: it is the one the reader wants
		if (!found || request !== this.#lessonRequest) return;
		this.lesson = found;
		this.packed = null;
		this.profileId = found.course;
		this.bareNotation = null;
		this.editing = false;
		this.editorVersion++;
		if (run) await this.start(found.source, position);
	}

	/** A lesson chosen from the menu: a new run, without the entries a link lit. */
	chooseLesson(id: string): Promise<void> {
		this.forgetLit();
		return this.openLesson(id);
	}

	/** A change made outside the editor (conventions, a value): the editor follows it; a lesson stays open, changed. */
	runChanged(text: string): Promise<void> {
		this.#showInEditor(text);
		return this.runEdited(text);
	}

	/** A scenario opened from a file is one's own: the lesson on screen closes. */
	openFile(text: string): Promise<void> {
		this.editing = true;
		this.#showInEditor(text);
		return this.runEdited(text, true);
	}

	/**
	 * Runs changed text at the same position, packed into the link. A lesson stays open when the
	 * text is its own changed; a scenario of one's own (a file, Keras code, another text pasted
	 * over) does not keep its title and explanation.
	 */
	async runEdited(text: string, own = false): Promise<void> {
		// Keras code (pasted or opened) becomes the scenario's YAML, which the editor then shows
		const pasted = await convertPasted(text);
		if (pasted.kind === 'refused') {
			this.issues = pasted.issues;
			this.editing = true;
			return;
		}
		const yaml = pasted.kind === 'keras' ? pasted.yaml : text;
		if (pasted.kind === 'keras') this.#showInEditor(yaml);
		this.forgetLit();
		const packed = await packScenario(yaml);
		this.packed = packed;
		if (this.lesson && (own || pasted.kind === 'keras' || !editsLesson(this.lesson, yaml))) this.lesson = null;
		await this.start(yaml, this.seq);
	}

	/** A text that reached the scenario from outside the editor: the editor starts again from it. */
	#showInEditor(text: string): void {
		this.source = text;
		this.editorVersion++;
	}

	async changeValue(input: string): Promise<void> {
		const path = this.editablePath;
		if (!path) return;
		// the YAML editing code is fetched by the first change, not with the replay
		const { setNumber } = await import('./conventions');
		const parsed = parseDecimal(input);
		if (!parsed.ok) {
			this.valueError = parsed.message;
			return;
		}
		const edit = setNumber(this.source, path, parsed.value);
		this.valueError = edit.ok ? '' : edit.message;
		if (edit.ok) await this.runChanged(edit.text);
	}

	/** Whether `candidate` addresses an element of the current event's tensor. */
	fits(candidate: number[]): boolean {
		return this.event !== null && isInside(this.event.value.shape, candidate);
	}

	go(to: Move): void {
		if (!this.trace) return;
		this.seek(move(this.trace, this.seq, to));
	}

	seek(position: number): void {
		this.seq = position;
		if (this.index && !this.fits(this.index)) this.index = null;
	}

	select(index: number[] | null): void {
		this.index = index;
	}

	/** Slides the convolution window to the next output cell (see cursor.ts); false when no window is shown. */
	slide(to: Slide): boolean {
		if (!this.windowShown || !this.event || !this.index) return false;
		this.index = slideCell(this.event.value.shape, this.index, to);
		return true;
	}

	/** One beat of playback: the next event, or a stop at the last one. */
	tick(): void {
		if (!this.trace || this.seq >= this.trace.length - 1) this.playing = false;
		else this.go('next-event');
	}

	togglePlaying(): void {
		this.playing = !this.playing;
	}
}
