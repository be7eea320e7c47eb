/**
 * The practice pages' server side: a student's variant (`?n=` gives the student id
 * `practice-${n}`), the page data, which holds no expected value, and checking, which grades on
 * the server and adds a replay link per question. The route files only wire these functions.
 */
import { error } from '@sveltejs/kit';
import { stringify } from 'yaml';
import type { ExerciseCard, ExerciseGroup, FieldReport, InputShape, PracticeData, PracticeField, PracticeReport, Sketch } from '$lib/pages/exercises';
import { findEvent } from '$lib/engine/trace';
import type { Exercise, Localized } from '$lib/exercises/exercise';
import { symbolOf, writingOf } from '$lib/exercises/feedback';
import { gradeAnswers, type QuestionReport } from '$lib/exercises/grade';
import { kindOf } from '$lib/exercises/kinds';
import { cellToEngine, inCourseLayout, type View } from '$lib/exercises/layout';
import { parseAsk } from '$lib/exercises/question';
import { renderStatement } from '$lib/exercises/statement';
import { drawVariant, type Variant } from '$lib/exercises/variant';
import { profileOf } from '$lib/profiles';
import { packScenario } from '$lib/replay/share';
import { exerciseReturn } from '$lib/replay/back-link';
import { DEFAULT_STATE, formatState } from '$lib/replay/url-state';
import { TOPICS } from '$lib/topics';
import { cardPicture } from '$lib/viz/card-picture';
import { getExercise, listExercises } from './exercise-library';
import { controlMessage } from './forms';
import { controlCharacter } from './text';

/** As the answer parser bounds one answer. */
export const MAX_ANSWER_CHARS = 2000;
/** No exercise has this many questions; a form with more is not ours. */
export const MAX_ANSWERS = 50;
/** Cells of one grid answer, beyond any matrix the courses ask. */
const MAX_CELLS = 400;

export type Refusal = { ok: false; message: Localized };

/** `?n=` as a practice number: a positive whole number, else 1. */
export function readN(param: string | null): number {
	return param !== null && /^[1-9]\d{0,5}$/.test(param) ? Number(param) : 1;
}

export function studentOf(n: number): string {
	return `practice-${n}`;
}

/** The library by topic, in the lessons' order; empty topics left out. */
export function listPractice(): ExerciseGroup[] {
	const cards = listExercises().map(
		(e): ExerciseCard & { topic: string } => ({
			id: e.id,
			title: e.title,
			topic: e.topic,
			questions: e.questions.length,
			points: e.questions.reduce((sum, q) => sum + q.points, 0),
			picture: cardPicture(e.scenario)
		})
	);
	return TOPICS.map((topic) => ({
		topic: { id: topic.id, title: { ...topic.title } },
		exercises: cards.filter((c) => c.topic === topic.id).map(({ topic: _, ...card }) => card)
	})).filter((group) => group.exercises.length > 0);
}

function exerciseOr404(id: string): Exercise {
	const exercise = getExercise(id);
	if (!exercise) error(404, `No exercise "${id}"`);
	return exercise;
}

// Drawing a variant runs the engine; a page and its checks ask for the same few again and again.
const variants = new Map<string, Variant>();

function variantOf(exercise: Exercise, n: number): Variant {
	const key = `${exercise.id}\u0000${n}`;
	const known = variants.get(key);
	if (known) return known;
	const drawn = drawVariant(exercise, studentOf(n));
	if (!drawn.ok) error(500, `Exercise "${exercise.id}" has no numbers for practice ${n}: ${drawn.message}`);
	if (variants.size >= 200) variants.delete(variants.keys().next().value as string);
	variants.set(key, drawn.variant);
	return drawn.variant;
}

/** The dimensions of a shape that are not 1 (a batch of one sample answers as a vector). */
function squeeze(shape: readonly number[]): number[] {
	return shape.filter((d) => d !== 1);
}

/** An n × 1 value (003's b^{[l]}, or one instance's column): a grid of one column, as the course writes it. */
const isColumn = (shape: readonly number[]): boolean => shape.length === 2 && shape[1] === 1 && shape[0] > 1;

function inputOf(fact: boolean, shape: readonly number[]): InputShape {
	const dims = squeeze(shape);
	if (dims.length === 0) return { kind: 'number' };
	// shapes and output sizes are written 7 × 7 × 8 (in the course’s order), not cell by cell
	if (fact || dims.length > 2) return { kind: 'text' };
	if (isColumn(shape)) return { kind: 'grid', rows: dims[0], columns: 1 };
	return dims.length === 1 ? { kind: 'grid', rows: 1, columns: dims[0] } : { kind: 'grid', rows: dims[0], columns: dims[1] };
}

/** A grid cell (row, column) as an index of the full shape, the size-1 dimensions at 0. */
function fullIndex(shape: readonly number[], row: number, column: number): number[] {
	if (isColumn(shape)) return [row, 0];
	const squeezed = squeeze(shape).length === 1 ? [column] : [row, column];
	let k = 0;
	return shape.map((d) => (d === 1 ? 0 : squeezed[k++]));
}

/** A full-shape index as its grid cell: the inverse of fullIndex. */
function cellOf(shape: readonly number[], index: readonly number[]): [number, number] {
	if (isColumn(shape)) return [index[0] ?? 0, 0];
	const kept = index.filter((_, k) => shape[k] !== 1);
	return kept.length === 1 ? [0, kept[0]] : [kept[0] ?? 0, kept[1] ?? 0];
}

function fieldOf(exercise: Exercise, variant: Variant, index: number): PracticeField {
	const q = exercise.questions[index];
	const hints = q.hints ?? [];
	if (q.kind === 'choice') {
		const { prompt, options } = kindOf(q).field(q, variant.trace, exercise);
		return { kind: 'choice', id: q.id, points: q.points, prompt, options, hints };
	}
	const expected = variant.expected[index];
	// the grid as the course writes the value (003's Z^{[1]}: one column per instance)
	const course = expected?.ok ? inCourseLayout(exercise, q, expected) : null;
	const shape = course?.shape ?? [];
	const input = inputOf(q.kind === 'fact', shape);
	const base = { kind: 'value' as const, id: q.id, points: q.points, input, hints };
	if (q.kind === 'fact') return { ...base, symbol: null, fact: kindOf(q).field(q, variant.trace, exercise).fact, afterUpdate: null, cellSymbols: [] };
	const writing = writingOf(exercise);
	const cellSymbols =
		input.kind === 'grid'
			? Array.from({ length: input.rows }, (_, r) => Array.from({ length: input.columns }, (_, c) => symbolOf(variant.trace, writing, q, course ? cellToEngine(course.view, fullIndex(shape, r, c)) : fullIndex(shape, r, c))))
			: [];
	const { symbol, afterUpdate } = kindOf(q).field(q, variant.trace, exercise);
	return { ...base, symbol, fact: null, afterUpdate, cellSymbols };
}

/** A question as a column title: what a value question asks, in the course's symbols; a choice's prompt, cut at about 40 characters outside its maths. */
export function questionLabels(exercise: Exercise): Record<string, { tex: string } | { text: Localized } | null> {
	const drawn = drawVariant(exercise, studentOf(1));
	if (!drawn.ok) return {};
	return Object.fromEntries(
		exercise.questions.map((q, i) => {
			const field = fieldOf(exercise, drawn.variant, i);
			if (field.kind === 'choice') return [q.id, { text: { fr: shortened(field.prompt.fr), en: shortened(field.prompt.en) } }];
			return [q.id, field.symbol === null ? null : { tex: field.symbol }];
		})
	);
}

/** The first words of a text up to about 40 characters, never inside a $…$ formula, with … when cut. */
function shortened(text: string): string {
	const words = text.split(' ');
	let kept = '';
	for (const word of words) {
		const next = kept === '' ? word : `${kept} ${word}`;
		if (kept !== '' && kept.length >= 40 && (kept.match(/\$/g) ?? []).length % 2 === 0) return `${kept} …`;
		kept = next;
	}
	return kept;
}

/** The sketch beside the statement: the layers and their sizes, or the input grid. Never a computed value. */
function sketchOf(exercise: Exercise, variant: Variant): Sketch {
	const layers = variant.trace.setup.layers;
	const first = layers[0];
	if (!first) return null;
	if (layers.every((l) => l.type === 'dense') && first.inputShape.length === 1) {
		const sizes = [first.inputShape[0], ...layers.map((l) => l.outputShape[0])];
		if (sizes.some((s) => s > 8)) return null;
		const X = (variant.scenario.data as { X?: unknown } | undefined)?.X;
		const asksInput = exercise.questions.some((q) => {
			const asked = parseAsk(q.ask)?.quantity;
			return asked?.symbol === 'A' && asked.layer === 0;
		});
		const row = Array.isArray(X) && X.length === 1 && Array.isArray(X[0]) ? (X[0] as unknown[]) : null;
		const inputs = !asksInput && row && row.every((v) => typeof v === 'number') ? (row as number[]) : null;
		return { kind: 'network', sizes, activations: layers.map((l) => (l.type === 'dense' ? l.activation : 'identity')), inputs, inputLayer: writingOf(exercise).inputLayer };
	}
	if (first.inputShape.length === 3) {
		const [channels, height, width] = first.inputShape;
		return height <= 32 && width <= 32 ? { kind: 'grid', channels, height, width } : null;
	}
	return null;
}

/** The page of one exercise for practice number `n`: statement, inputs, sketch; a 404 for an unknown id. */
export function loadPractice(id: string, n: number): PracticeData {
	const exercise = exerciseOr404(id);
	const variant = variantOf(exercise, n);
	const topic = TOPICS.find((t) => t.id === exercise.topic) ?? { id: exercise.topic, title: { fr: exercise.topic, en: exercise.topic } };
	return {
		id: exercise.id,
		n,
		title: exercise.title,
		topic: { id: topic.id, title: { ...topic.title } },
		statement: { fr: renderStatement(exercise.statement.fr, variant.scenario, 'fr', profileOf(exercise.course).layout), en: renderStatement(exercise.statement.en, variant.scenario, 'en', profileOf(exercise.course).layout) },
		fields: exercise.questions.map((_, i) => fieldOf(exercise, variant, i)),
		sketch: sketchOf(exercise, variant),
		max: exercise.questions.reduce((sum, q) => sum + q.points, 0)
	};
}

const tooLong: Localized = {
	fr: `Une réponse dépasse ${MAX_ANSWER_CHARS} caractères : elle n'a pas été lue.`,
	en: `An answer is longer than ${MAX_ANSWER_CHARS} characters: it was not read.`
};
const tooMany: Localized = {
	fr: `Plus de ${MAX_ANSWERS} réponses envoyées : ce formulaire n'est pas celui de l'exercice.`,
	en: `More than ${MAX_ANSWERS} answers were sent: this is not the exercise's form.`
};

/**
 * The answers of the page's form: `q:ID` for a single field or a choice, `q:ID:ROW:COLUMN` for
 * grid cells, joined as spreadsheet cells (tabs and line breaks, so decimal commas stay
 * unambiguous). A single field, when filled, wins over the grid. Refused: too much (413), or an
 * answer with a control character other than tab and newline (400, text.ts's rule).
 */
export function answersFromForm(
	form: Iterable<[string, FormDataEntryValue]>
): { ok: true; answers: Record<string, string>; fields: Record<string, string> } | (Refusal & { status: 400 | 413 }) {
	const fields: Record<string, string> = {};
	const questions = new Set<string>();
	let count = 0;
	for (const [name, value] of form) {
		if (typeof value !== 'string' || !name.startsWith('q:')) continue;
		if (value.length > MAX_ANSWER_CHARS) return { ok: false, status: 413, message: tooLong };
		if (++count > MAX_ANSWERS * MAX_CELLS) return { ok: false, status: 413, message: tooMany };
		questions.add(name.split(':')[1]);
		if (questions.size > MAX_ANSWERS) return { ok: false, status: 413, message: tooMany };
		const control = controlCharacter(value);
		if (control) return { ok: false, status: 400, message: controlMessage(control) };
		fields[name] = value;
	}
	const answers: Record<string, string> = {};
	for (const id of questions) {
		const single = fields[`q:${id}`];
		if (single !== undefined && single.trim() !== '') {
			answers[id] = single;
			continue;
		}
		const cells = Object.entries(fields)
			.map(([name, value]) => ({ at: /^q:[^:]+:(\d{1,3}):(\d{1,3})$/.exec(name), value, name }))
			.filter((c) => c.at !== null && c.name.split(':')[1] === id)
			.map((c) => ({ row: Number(c.at?.[1]), column: Number(c.at?.[2]), value: c.value.trim() }));
		if (cells.length === 0 || cells.every((c) => c.value === '')) {
			answers[id] = single ?? '';
			continue;
		}
		const rows = Math.max(...cells.map((c) => c.row)) + 1;
		const columns = Math.max(...cells.map((c) => c.column)) + 1;
		const grid = Array.from({ length: rows }, () => Array.from({ length: columns }, () => ''));
		for (const c of cells) grid[c.row][c.column] = c.value;
		answers[id] = grid.map((row) => row.join('\t')).join('\n');
	}
	for (const answer of Object.values(answers)) if (answer.length > MAX_ANSWER_CHARS) return { ok: false, status: 413, message: tooLong };
	return { ok: true, answers, fields };
}

/**
 * `/replay?…` opening the variant's scenario at the question's event, on the first wrong cell if
 * any, with the wrong entries lit (`lit=`, indices of the event's tensor) and a named mistake
 * run beside the right run (`mistake=`).
 */
async function replayLink(exercise: Exercise, variant: Variant, report: QuestionReport, view: View, packed: () => Promise<string>, from: string): Promise<string | undefined> {
	const asked = report.event;
	if (!asked) return undefined;
	const event = findEvent(variant.trace, asked.step, asked.name);
	if (!event) return undefined;
	const fits = (index: readonly number[]): boolean => index.length === event.value.shape.length;
	// a number answered wrong is the element asked; an answer right given the student's own values has none
	const wrong = report.verdict === 'right' || (report.verdict === 'carried_forward' && !report.wrong) ? [] : (report.wrong ?? [[]]);
	// the report's cells are the course's; the trace's are the engine's
	const lit = wrong.map((cell) => [...asked.index, ...cellToEngine(view, cell)]).filter(fits);
	const index = lit[0] ?? asked.index;
	const state = {
		...DEFAULT_STATE,
		scenario: await packed(),
		seq: event.seq,
		// the replay in the exercise's course's words, or in its notation alone
		...(exercise.course ? { profile: exercise.course } : { notation: exercise.notation }),
		index: fits(index) ? index : null,
		lit: lit.length > 0 ? lit : null,
		mistake: report.diagnosis?.code ?? null,
		// the way back lands on the question, whose answers and feedback the page keeps
		from: exerciseReturn(`${from}#question-${report.id}`)
	};
	return `/replay?${formatState(state)}`;
}

/**
 * The reports as the page shows them: each question's wrong cells placed on its grid and, when
 * `linked`, a replay link where the key is shown (after a right answer, or when it is revealed),
 * leading back to the exercise page `from`.
 */
async function fieldReports(exercise: Exercise, variant: Variant, reports: readonly QuestionReport[], linked: boolean, from: string): Promise<FieldReport[]> {
	let text: Promise<string> | undefined;
	// packed once, and only if some question has an event to show
	const packed = (): Promise<string> => (text ??= packScenario(stringify(variant.scenario)));
	return Promise.all(
		reports.map(async (report, i): Promise<FieldReport> => {
			const expected = variant.expected[i];
			const q = exercise.questions[i];
			// the report's cells are the course's, as the grid
			const course = expected?.ok && q.kind !== 'choice' ? inCourseLayout(exercise, q, expected) : null;
			const shape = course?.shape ?? [];
			const shown = linked && q.feedback === 'key' && (report.verdict === 'right' || report.expected !== undefined);
			const replay = shown ? await replayLink(exercise, variant, report, course?.view ?? { kind: 'same' }, packed, from) : undefined;
			const cells = report.wrong && squeeze(shape).length > 0 ? report.wrong.map((w) => cellOf(shape, w)) : undefined;
			return { ...report, ...(replay ? { replay } : {}), ...(cells ? { cells } : {}) };
		})
	);
}

/** Bounds a JSON check request before it is parsed: 50 questions of 400 cells, each short. */
export const MAX_BODY_CHARS = 1_000_000;

/**
 * A check sent by the page's script as JSON, `{ "n": 1, "fields": { "q:z1:0:0": "0,5", … } }`:
 * the same fields as the form, read the same way.
 */
export function readCheckBody(text: string): { ok: true; n: number; fields: [string, string][] } | Refusal {
	if (text.length > MAX_BODY_CHARS) return { ok: false, message: tooLong };
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { ok: false, message: { fr: 'La requête ne se lit pas.', en: 'The request could not be read.' } };
	}
	const record = body !== null && typeof body === 'object' ? (body as { n?: unknown; fields?: unknown }) : {};
	const fields = record.fields !== null && typeof record.fields === 'object' && !Array.isArray(record.fields) ? Object.entries(record.fields as Record<string, unknown>) : [];
	return {
		ok: true,
		n: readN(typeof record.n === 'number' || typeof record.n === 'string' ? String(record.n) : null),
		fields: fields.filter((entry): entry is [string, string] => typeof entry[1] === 'string')
	};
}

/** Grades a student's answers to practice `n` on the server: the report, or why the answers were refused. */
export async function checkPractice(id: string, n: number, answers: Record<string, string>): Promise<{ ok: true; report: PracticeReport } | Refusal> {
	const exercise = exerciseOr404(id);
	const entries = Object.entries(answers);
	if (entries.length > MAX_ANSWERS) return { ok: false, message: tooMany };
	if (entries.some(([, a]) => typeof a !== 'string' || a.length > MAX_ANSWER_CHARS)) return { ok: false, message: tooLong };
	const variant = variantOf(exercise, n);
	const graded = gradeAnswers(exercise, variant, answers, { reveal: true });
	return { ok: true, report: { points: graded.points, max: graded.max, questions: await fieldReports(exercise, variant, graded.questions, true, n === 1 ? `/exercises/${id}` : `/exercises/${id}?n=${n}`) } };
}

/**
 * The page fields of any exercise and variant (an assignment's, not only practice-n): the same
 * statement, inputs and sketch as loadPractice, so never an expected value.
 */
export function exercisePage(exercise: Exercise, variant: Variant): Pick<PracticeData, 'title' | 'statement' | 'fields' | 'sketch' | 'max'> {
	return {
		title: exercise.title,
		statement: { fr: renderStatement(exercise.statement.fr, variant.scenario, 'fr', profileOf(exercise.course).layout), en: renderStatement(exercise.statement.en, variant.scenario, 'en', profileOf(exercise.course).layout) },
		fields: exercise.questions.map((_, i) => fieldOf(exercise, variant, i)),
		sketch: sketchOf(exercise, variant),
		max: exercise.questions.reduce((sum, q) => sum + q.points, 0)
	};
}

/**
 * A revealed grading report with each question's wrong cells placed on its grid, as the practice
 * check gives them; the replay links only when `linked` (the replay shows every value of the run),
 * each leading back to the exercise page `from`.
 */
export async function reportCells(exercise: Exercise, variant: Variant, report: { points: number; max: number; questions: QuestionReport[] }, linked: boolean, from: string): Promise<PracticeReport> {
	return { points: report.points, max: report.max, questions: await fieldReports(exercise, variant, report.questions, linked, from) };
}
