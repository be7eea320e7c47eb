/// <reference types="vite/client" />
/**
 * The lesson library: one YAML file per lesson in ./library, each a scenario from the seed courses
 * with a title, a one-sentence summary and an explanation in French and English.
 *
 * Pure TypeScript for the browser, Node and Web Workers alike. Vite (and vitest) bundle the files
 * through `import.meta.glob`; a plain Node process without Vite can build the same library from
 * texts it read itself with `buildLibrary`.
 */
import { Document, isMap, isSeq, parse, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { NOTATIONS, type Notation } from '../formulas/types';
import type { Localized } from '../locale';
import { COURSES, TOPIC_IDS, type CourseId, type TopicId } from '../topics';

export { COURSES, TOPICS, TOPIC_IDS, type CourseId, type TopicId } from '../topics';


export { NOTATIONS, type Notation };
export type { Localized };

export interface Lesson {
	/** kebab-case, equal to the file name without `.yaml` */
	id: string;
	topic: TopicId;
	/** position in the library */
	order: number;
	/** the seed course whose notation and conventions the lesson follows */
	course: CourseId;
	notation: Notation;
	title: Localized;
	/** one sentence, for the library card */
	summary: Localized;
	/** a few short paragraphs of Markdown with TeX in $…$ */
	explanation: Localized;
	/** the scenario as written in the file (plain data, for `run`) */
	scenario: unknown;
	/** the scenario re-serialised as YAML text, for showing and editing */
	source: string;
}

const text = z.string().trim().min(1, 'must not be empty');
const localized = z.strictObject({ fr: text, en: text });

export const lessonFileSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id such as perceptron-or'),
	topic: z.enum(TOPIC_IDS),
	order: z.int().min(1),
	// quoted in YAML: an unquoted 004 would be read as the number 4
	course: z.enum(COURSES),
	notation: z.enum(NOTATIONS),
	title: localized,
	summary: localized,
	explanation: localized,
	scenario: z.record(z.string(), z.unknown())
});

export type LessonFile = z.infer<typeof lessonFileSchema>;

/** A lesson file that cannot be read: names the file and the path inside it. */
export class LessonError extends Error {
	constructor(
		readonly file: string,
		message: string
	) {
		super(`${file}: ${message}`);
		this.name = 'LessonError';
	}
}

/** The file's base name without `.yaml`: `./library/perceptron-or.yaml` → `perceptron-or`. */
export function lessonIdOf(path: string): string {
	return (path.split('/').pop() ?? path).replace(/\.ya?ml$/, '');
}

/** Parses and validates one lesson file; its id must equal its file name. */
export function parseLessonFile(path: string, content: string): Lesson {
	let data: unknown;
	try {
		data = parse(content);
	} catch (error) {
		throw new LessonError(path, `not valid YAML: ${(error as Error).message}`);
	}
	const parsed = lessonFileSchema.safeParse(data);
	if (!parsed.success) {
		const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`);
		throw new LessonError(path, issues.join('; '));
	}
	const file = parsed.data;
	const expected = lessonIdOf(path);
	if (file.id !== expected) throw new LessonError(path, `id: expected "${expected}" (the file name), got "${file.id}"`);
	return { ...file, source: scenarioSource(file.scenario) };
}

/** Builds the library from { path: text } pairs; refuses duplicate ids. Sorted as `listLessons`. */
export function buildLibrary(files: Record<string, string>): Lesson[] {
	return checkLibrary(Object.entries(files).map(([path, content]) => parseLessonFile(path, content)));
}

function checkLibrary(lessons: Lesson[]): Lesson[] {
	const seen = new Set<string>();
	for (const lesson of lessons) {
		if (seen.has(lesson.id)) throw new LessonError(lesson.id, 'two lesson files share this id');
		seen.add(lesson.id);
	}
	return lessons.sort(compareLessons);
}

function compareLessons(a: Lesson, b: Lesson): number {
	return TOPIC_IDS.indexOf(a.topic) - TOPIC_IDS.indexOf(b.topic) || a.order - b.order || a.id.localeCompare(b.id);
}

/** Longest flow mapping or mixed list kept on one line in `source`. */
const FLOW_WIDTH = 100;
/** Longest list of numbers (a data set, an image, a weight tensor) kept on one line. */
const NUMBERS_FLOW_WIDTH = 240;

/**
 * The scenario as YAML text in the style of the files: vectors, matrix rows and short mappings
 * stay on one line (`W: [[0.1, -0.2], [0.4, 0.3]]`), larger structures open into block style,
 * one sample or one layer per line where that fits.
 */
export function scenarioSource(scenario: unknown): string {
	const doc = new Document(scenario);
	if (doc.contents) layout(doc.contents as YamlNode, true);
	return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function layout(node: YamlNode, top: boolean): void {
	if (!isMap(node) && !isSeq(node)) return;
	const value: unknown = node.toJSON();
	if (!top && flowWidth(value) <= (isNumbers(value) ? NUMBERS_FLOW_WIDTH : FLOW_WIDTH)) {
		node.flow = true;
		return;
	}
	node.flow = false;
	if (isMap(node)) for (const pair of node.items) layout(pair.value as YamlNode, false);
	else for (const item of node.items) layout(item as YamlNode, false);
}

function isNumbers(value: unknown): boolean {
	return Array.isArray(value) && value.every((v) => typeof v === 'number' || isNumbers(v));
}

/** Length of a value written in flow style, roughly as `yaml` writes it. */
function flowWidth(value: unknown): number {
	if (Array.isArray(value)) return value.reduce<number>((n, v) => n + flowWidth(v) + 2, 2);
	if (value !== null && typeof value === 'object') {
		return Object.entries(value).reduce<number>((n, [k, v]) => n + k.length + 2 + flowWidth(v) + 2, 2);
	}
	return String(value).length;
}

let library: Lesson[] | null = null;

function bundledFiles(): Record<string, string> {
	try {
		return import.meta.glob('./library/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
	} catch {
		// Outside Vite `import.meta.glob` does not exist; such callers use buildLibrary.
		return {};
	}
}

/** The files parsed ahead by `warmLessons`, by path. */
const parsedAhead = new Map<string, Lesson>();

/** Every lesson, sorted by topic (in TOPICS order), then by `order`. */
export function listLessons(): Lesson[] {
	library ??= checkLibrary(Object.entries(bundledFiles()).map(([path, content]) => parsedAhead.get(path) ?? parseLessonFile(path, content)));
	return [...library];
}

/**
 * Reads the lessons when the server starts, one file at a time with requests served in between
 * (at once, it held the event loop for a second or more on a busy machine): `pause` resolves when
 * the next file may be read. A request that needs them before the end reads the files not parsed yet.
 */
export async function warmLessons(pause: () => Promise<void>): Promise<void> {
	for (const [path, content] of Object.entries(bundledFiles())) {
		await pause();
		if (library) return;
		parsedAhead.set(path, parseLessonFile(path, content));
	}
	listLessons();
}

export function getLesson(id: string): Lesson | undefined {
	return listLessons().find((lesson) => lesson.id === id);
}

/** The lessons of one topic, in order. */
export function lessonsOfTopic(topic: TopicId): Lesson[] {
	return listLessons().filter((lesson) => lesson.topic === topic);
}

/** What the replay needs of a lesson, as plain JSON: the library stays on the server. */
export type LessonView = Pick<Lesson, 'id' | 'topic' | 'course' | 'notation' | 'title' | 'explanation' | 'source'>;

export function lessonView({ id, topic, course, notation, title, explanation, source }: Lesson): LessonView {
	return { id, topic, course, notation, title, explanation, source };
}
