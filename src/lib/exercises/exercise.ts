/**
 * Exercise files: a scenario, questions that point at its run (or at facts of its model), and
 * per-student `vary` rules (read here, applied by variant.ts). Pure TypeScript.
 *
 * `parseExercise` reads and validates a file and never throws: every problem comes back with the
 * path it is about (`questions[1].tolerance.decimals: …`) and its line. `checkExercise` runs the
 * scenario and resolves every question, so a question that names nothing is found before a
 * student meets it.
 */
import { z } from 'zod';
import { run } from '../engine/run';
import type { Trace } from '../engine/trace';
import { parseScenarioText, readText } from '../engine/scenario/parse';
import { ScenarioError, formatIssue, type ScenarioIssue } from '../engine/scenario/issues';
import { validateScenario } from '../engine/scenario/validate';
import { summarize } from '../engine/summary';
import { translateZodIssues } from '../engine/scenario/zod-issues';
import { FACTS, isFactAsk, type Expected, type Fact } from './question';
import { kindOf, KINDS } from './kinds';
import { factIssues } from './kinds/fact';
import { NOTATIONS, type Notation } from '../formulas/types';
import type { Localized } from '../locale';
import { PROFILES } from '../profiles';
import { COURSES, TOPIC_IDS, type CourseId, type TopicId } from '../topics';
import { DEGENERACY_CODES, type DegeneracyCode } from './degenerate';
import { placeholdersOf } from './statement';
import { ANSWER_LAYOUTS, type AnswerLayout } from './layout';
import { checkTolerance, type Tolerance } from './tolerance';
import { readVary, targetPath, valueAt, type VaryTarget } from './vary';

export { NOTATIONS, type Notation };
const TOLERANCE_KINDS = ['abs', 'rel', 'decimals', 'sig'] as const;

export type { Localized };

/** What a student is told after grading: `key` adds the expected value and its formula to the verdict. */
export const FEEDBACKS = ['key', 'verdict'] as const;
export type Feedback = (typeof FEEDBACKS)[number];

export interface Policy {
	/** an answer right given the student's own earlier wrong answers earns its marks */
	carryForward: boolean;
	/** ... even when those earlier answers were trivial (0, a constant, a copy of the statement) */
	carryTrivial: boolean;
	feedback: Feedback;
}

export const DEFAULT_POLICY: Policy = { carryForward: true, carryTrivial: false, feedback: 'key' };
/** As the courses ask: "4 décimales". Facts (sizes, counts) are exact. */
export const DEFAULT_TOLERANCE: Tolerance = { decimals: 4 };

interface Asked {
	/** `q1`, `q2`, … in file order unless the file names it */
	id: string;
	points: number;
	feedback: Feedback;
	hints?: Localized[];
}

/** What value and fact questions share: answered with numbers, marked within a tolerance. */
interface Numeric extends Asked {
	/** which layouts are right (layout.ts); the default depends on the question */
	layout?: AnswerLayout;
	tolerance: Tolerance;
}

/**
 * A quantity read from the run at a step (`ask: "dW[1][0][1]"`). The fact fields are declared
 * absent so that code reading either numeric kind may read them without narrowing.
 */
export interface ValueQuestion extends Numeric {
	kind: 'value';
	ask: string;
	step: number;
	layer?: undefined;
	of?: undefined;
	samples?: undefined;
}

/** A fact of the model (`ask: output_size`), the same at every step. */
export interface FactQuestion extends Numeric {
	kind: 'fact';
	ask: Fact;
	step?: undefined;
	layer?: number;
	of?: string;
	samples?: number;
}

export interface ChoiceQuestion extends Asked {
	kind: 'choice';
	ask: 'choice';
	prompt: Localized;
	options: Localized[];
	/** 0-based index into `options` */
	answer: number;
}

export type NumericQuestion = ValueQuestion | FactQuestion;
export type ExerciseQuestion = NumericQuestion | ChoiceQuestion;
/**
 * What kind a question is, derived from its `ask` when the file is read (the file has no `kind`):
 * each kind is one module of kinds/, and code that differs by kind switches on this.
 */
export type QuestionKind = ExerciseQuestion['kind'];

export interface Exercise {
	/** kebab-case, equal to the file name without `.yaml` */
	id: string;
	title: Localized;
	statement: Localized;
	topic: TopicId;
	course?: CourseId;
	notation: Notation;
	/** the scenario as written (plain data, validated by the engine; for `run`) */
	scenario: Record<string, unknown>;
	/** per-student variation rules, kept as written */
	vary?: Record<string, unknown>;
	/** the same rules, read: where each writes in the scenario */
	varyTargets: VaryTarget[];
	/** degeneracy checks the author turned off */
	allow: DegeneracyCode[];
	policy: Policy;
	questions: ExerciseQuestion[];
	/** 1-based line of each question in the file, when known */
	lines?: (number | undefined)[];
}

export type ExerciseIssue = ScenarioIssue;
export type ParseResult = { ok: true; exercise: Exercise } | { ok: false; issues: ExerciseIssue[] };
export type CheckResult = { ok: true; expected: (Expected | null)[]; trace: Trace } | { ok: false; issues: ExerciseIssue[] };

// a refinement, not .min(1): its message is kept as written (too_small would speak of a number)
const text = z.string().trim().refine((s) => s.length > 0, 'must not be empty');
const localized = z.strictObject({ fr: text, en: text });
const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case name such as backprop-221');
const points = z.number().positive().finite().default(1);
const hints = z.array(localized).optional();
const questionId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a short name such as q1 or delta-2');
const feedback = z.enum(FEEDBACKS).optional();

export const exerciseFileSchema = z.strictObject({
	id: kebab,
	title: localized,
	statement: localized,
	topic: z.enum(TOPIC_IDS),
	/** the seed course whose example or conventions the exercise follows */
	course: z.enum(COURSES).optional(),
	notation: z.enum(NOTATIONS),
	scenario: z.record(z.string(), z.unknown()),
	/** degeneracies the author asks about on purpose (course 000's z = θ with a strict threshold) */
	allow: z.array(z.enum(DEGENERACY_CODES)).optional(),
	vary: z.record(z.string(), z.unknown()).optional(),
	/** defaults of every question */
	tolerance: z.unknown().optional(),
	policy: z.strictObject({ carry_forward: z.boolean().optional(), carry_trivial: z.boolean().optional(), feedback }).optional(),
	// each question is read by its own schema below, chosen by its `ask`
	questions: z.array(z.unknown()).min(1)
});

export const valueQuestionSchema = z.strictObject({
	id: questionId.optional(),
	ask: text,
	step: z.int().min(0).optional(),
	layer: z.int().min(0).optional(),
	of: text.optional(),
	samples: z.int().min(1).optional(),
	layout: z.enum(ANSWER_LAYOUTS).optional(),
	points,
	tolerance: z.unknown().optional(),
	feedback,
	hints
});

export const choiceQuestionSchema = z.strictObject({
	id: questionId.optional(),
	ask: z.literal('choice'),
	prompt: localized,
	options: z.array(localized).min(2),
	answer: z.int().min(0),
	points,
	feedback,
	hints
});

/** The file's base name without `.yaml`: `exercises/backprop-221.yaml` → `backprop-221`. */
export function exerciseIdOf(file: string): string {
	return (file.split(/[\\/]/).pop() ?? file).replace(/\.ya?ml$/, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses and validates an exercise file; `file` is its path or name (the id must equal its base name). */
export function parseExercise(source: string, file: string): ParseResult {
	try {
		return parseUnsafe(source, file);
	} catch (error) {
		if (error instanceof ScenarioError) return { ok: false, issues: error.issues };
		return { ok: false, issues: [{ path: [], message: error instanceof Error ? error.message : String(error) }] };
	}
}

function parseUnsafe(source: string, file: string): ParseResult {
	const parsed = parseScenarioText(source); // throws a ScenarioError with the line for bad YAML
	const data = parsed.data;
	const issues: ExerciseIssue[] = [];
	const top = exerciseFileSchema.safeParse(data);
	if (!top.success) issues.push(...translateZodIssues(top.error.issues, exerciseFileSchema, data).map((issue) => courseIssue(issue, data)));
	if (isRecord(data) && typeof data.id === 'string' && !issues.some((i) => i.path[0] === 'id')) {
		const expected = exerciseIdOf(file);
		if (data.id !== expected) issues.push({ path: ['id'], message: `expected "${expected}" (the file name), got "${data.id}"` });
	}
	let defaults: QuestionDefaults = { tolerance: DEFAULT_TOLERANCE, feedback: DEFAULT_POLICY.feedback };
	if (top.success && top.data.tolerance !== undefined) {
		const read = readTolerance(top.data.tolerance);
		if (typeof read === 'string') issues.push({ path: ['tolerance'], message: read });
		else if ('path' in read) issues.push({ path: ['tolerance', ...read.path], message: read.message });
		else defaults = { ...defaults, tolerance: read };
	}
	if (top.success && top.data.policy?.feedback) defaults = { ...defaults, feedback: top.data.policy.feedback };
	const questions: ExerciseQuestion[] = [];
	if (isRecord(data) && Array.isArray(data.questions)) {
		data.questions.forEach((input, i) => {
			const read = readQuestion(input, `q${i + 1}`, defaults);
			if ('issues' in read) issues.push(...read.issues.map((issue) => ({ ...issue, path: ['questions', i, ...issue.path] })));
			else questions.push(read.question);
		});
	}
	// the scenario, by the engine's own rules (readText locates its issues under `scenario`);
	// one that only facts are asked about may be a model without data
	if (isRecord(data) && isRecord(data.scenario) && !('model' in data) && !('perceptron' in data)) {
		const factsOnly = questions.every((q) => !KINDS[q.kind].readsRun);
		try {
			if (factsOnly && !('data' in data.scenario)) readText(source, summarize);
			else readText(source, validateScenario);
		} catch (error) {
			if (!(error instanceof ScenarioError)) throw error;
			issues.push(...error.issues);
		}
	}
	const seen = new Map<string, number>();
	questions.forEach((q, i) => {
		const first = seen.get(q.id);
		if (first !== undefined) issues.push({ path: ['questions', i, 'id'], message: `"${q.id}" is already the id of question ${first + 1}` });
		else seen.set(q.id, i);
	});
	let varyTargets: VaryTarget[] = [];
	if (top.success && top.data.vary) {
		const read = readVary(top.data.vary, top.data.scenario);
		if ('issues' in read) issues.push(...read.issues.map((issue) => ({ ...issue, path: ['vary', ...issue.path] })));
		else varyTargets = read.targets;
	}
	if (top.success) issues.push(...placeholderIssues(top.data.statement, top.data.scenario));
	if (issues.length > 0 || !top.success) {
		return { ok: false, issues: issues.map((issue) => ({ ...issue, line: issue.line ?? parsed.lineOf(issue.path) })) };
	}
	const { vary, policy, allow, course, tolerance: _tolerance, ...rest } = top.data;
	const exercise: Exercise = {
		...rest,
		...(course === undefined ? {} : { course }),
		allow: allow ?? [],
		...(vary === undefined ? {} : { vary }),
		varyTargets,
		policy: { carryForward: policy?.carry_forward ?? DEFAULT_POLICY.carryForward, carryTrivial: policy?.carry_trivial ?? DEFAULT_POLICY.carryTrivial, feedback: defaults.feedback },
		questions,
		lines: questions.map((_, i) => parsed.lineOf(['questions', i]))
	};
	return { ok: true, exercise };
}

/** The message of a course that is no course: which profiles there are, and the quotes a number needs. */
export function courseIssue(issue: ExerciseIssue, data: unknown): ExerciseIssue {
	if (issue.path.length !== 1 || issue.path[0] !== 'course' || data === null || typeof data !== 'object') return issue;
	const value: unknown = (data as Record<string, unknown>).course;
	const quoted = typeof value === 'number' ? `; quote it ("${String(value).padStart(3, '0')}"): unquoted, YAML reads it as the number ${value}` : '';
	return { ...issue, message: `names no course profile: expected one of ${COURSES.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(value)}${quoted}` };
}

/**
 * A file that names its course writes the course's notation: its formulas and feedback follow the
 * course's profile. Checked for authors (check.ts), not when a stored text is read again: an
 * assignment stored before the rule must still open.
 */
export function notationIssue(course: CourseId | undefined, notation: Notation): ExerciseIssue | null {
	if (course === undefined || PROFILES[course].notation === notation) return null;
	return { path: ['notation'], message: `course ${course} writes the ${PROFILES[course].notation} notation; got ${notation} (change one or the other)` };
}

/** Every `{{name}}` of the statement must name a value of the scenario (W[1], lr, model.input…). */
function placeholderIssues(statement: Localized, scenario: Record<string, unknown>): ExerciseIssue[] {
	const issues: ExerciseIssue[] = [];
	for (const locale of ['fr', 'en'] as const) {
		for (const key of placeholdersOf(statement[locale])) {
			const path = targetPath(key, scenario);
			if (!path || valueAt(scenario, path) === undefined) {
				issues.push({ path: ['statement', locale], message: `{{${key}}} names no value of the scenario; expected W[1], b[1], A[0], Y, lr, a scenario path, maybe with indices` });
			}
		}
	}
	return issues;
}

interface QuestionDefaults {
	tolerance: Tolerance;
	feedback: Feedback;
}

type Read = { question: ExerciseQuestion } | { issues: ExerciseIssue[] };

function readQuestion(input: unknown, defaultId: string, defaults: QuestionDefaults): Read {
	if (isRecord(input) && input.ask === 'choice') {
		const result = choiceQuestionSchema.safeParse(input);
		if (!result.success) return { issues: translateZodIssues(result.error.issues, choiceQuestionSchema, input) };
		const q = result.data;
		if (q.answer >= q.options.length) {
			const n = q.options.length;
			return { issues: [{ path: ['answer'], message: `expected an option index from 0 to ${n - 1} (0-based, ${n} options), got ${q.answer}` }] };
		}
		const { hints: h, ...rest } = q;
		const question: ChoiceQuestion = { ...rest, kind: 'choice', id: q.id ?? defaultId, ask: 'choice', feedback: q.feedback ?? defaults.feedback };
		if (h) question.hints = h;
		return { question };
	}
	const result = valueQuestionSchema.safeParse(input);
	if (!result.success) return { issues: translateZodIssues(result.error.issues, valueQuestionSchema, input) };
	const q = result.data;
	const issues: ExerciseIssue[] = [];
	const ask = q.ask.trim();
	const isFact = isFactAsk(ask);
	if (!isFact && q.step === undefined) issues.push(missingStep(ask));
	if (!isFact) {
		for (const key of ['layer', 'of', 'samples'] as const) {
			if (q[key] !== undefined) issues.push({ path: [key], message: `only for the facts ${FACTS.join(', ')}; "${ask}" is read from the run` });
		}
	}
	if (isFactAsk(ask)) issues.push(...factIssues(ask, q));
	// facts are whole numbers: exact unless the file says otherwise
	let tolerance: Tolerance = isFact ? { abs: 0 } : defaults.tolerance;
	if (q.tolerance !== undefined) {
		const read = readTolerance(q.tolerance);
		if (typeof read === 'string') issues.push({ path: ['tolerance'], message: read });
		else if ('path' in read) issues.push({ path: ['tolerance', ...read.path], message: read.message });
		else tolerance = read;
	}
	if (issues.length > 0) return { issues };
	const { tolerance: _, hints: h, step, layer, of, samples, ...rest } = q;
	const common = { ...rest, id: q.id ?? defaultId, tolerance, feedback: q.feedback ?? defaults.feedback, ...(h ? { hints: h } : {}) };
	if (isFactAsk(ask)) return { question: { ...common, kind: 'fact', ask, ...(layer === undefined ? {} : { layer }), ...(of === undefined ? {} : { of }), ...(samples === undefined ? {} : { samples }) } };
	// said above; checked again here so that a value question's step is a number
	if (step === undefined) return { issues: [missingStep(ask)] };
	return { question: { ...common, kind: 'value', ask, step } };
}

function missingStep(ask: string): ExerciseIssue {
	return { path: ['step'], message: `missing; "${ask}" is read from the run at a step (0: init, 1: the first update)` };
}

/** `{ abs: 0.005 }`, `{ rel: 0.01 }`, `{ decimals: 4 }` or `{ sig: 3 }`; else why not. */
function readTolerance(input: unknown): Tolerance | string | { path: string[]; message: string } {
	const expected = `expected one of { abs: … }, { rel: … }, { decimals: … }, { sig: … }`;
	if (!isRecord(input)) return `${expected}, got ${JSON.stringify(input) ?? String(input)}`;
	const keys = Object.keys(input);
	const unknown = keys.find((key) => !(TOLERANCE_KINDS as readonly string[]).includes(key));
	if (unknown !== undefined) return { path: [unknown], message: `unknown key "${unknown}"; expected abs, rel, decimals or sig` };
	if (keys.length !== 1) return `${expected}: exactly one key, got ${keys.length === 0 ? 'none' : keys.join(' and ')}`;
	const key = keys[0] as (typeof TOLERANCE_KINDS)[number];
	const value = input[key];
	if (typeof value !== 'number') return { path: [key], message: `expected a number, got ${JSON.stringify(value) ?? String(value)}` };
	const tolerance = { [key]: value } as Tolerance;
	try {
		checkTolerance(tolerance);
	} catch (error) {
		const message = error instanceof Error ? error.message.replace(/^tolerance \{[^}]*\}: /, '') : String(error);
		return { path: [key], message: `${message}, got ${value}` };
	}
	return tolerance;
}

/** A zero sample in the model's input shape, for a scenario written as `model:` alone. */
function zeroSample(input: unknown): unknown {
	if (typeof input === 'number') return new Array(input).fill(0);
	if (!Array.isArray(input) || input.length === 0) return [];
	const [size, ...rest] = input as number[];
	return Array.from({ length: size }, () => zeroSample(rest.length === 1 ? rest[0] : rest));
}

/**
 * Facts (sizes, counts, shapes) need no numbers: an exercise that asks only facts may leave out
 * `data`, and even vary the model's shapes. Its run then reads one sample of zeros.
 */
export function withSampleForFacts(exercise: Exercise, scenario: Record<string, unknown>): Record<string, unknown> {
	const factsOnly = exercise.questions.every((q) => !KINDS[q.kind].readsRun);
	if (!factsOnly || 'data' in scenario || !isRecord(scenario.model)) return scenario;
	return { ...scenario, data: { X: [zeroSample(scenario.model.input)] } };
}

/**
 * Runs the scenario (the file's, or a variant of it) and resolves every question. Choice
 * questions need no run (their entry in `expected` is null). Never throws: a scenario that
 * cannot run is reported under `scenario`.
 */
export function checkExercise(exercise: Exercise, scenario: Record<string, unknown> = exercise.scenario): CheckResult {
	let trace: Trace;
	try {
		trace = run(withSampleForFacts(exercise, scenario));
	} catch (error) {
		if (error instanceof ScenarioError) return { ok: false, issues: error.issues.map((i) => ({ ...i, path: ['scenario', ...i.path] })) };
		return { ok: false, issues: [{ path: ['scenario'], message: error instanceof Error ? error.message : String(error) }] };
	}
	const issues: ExerciseIssue[] = [];
	const expected = exercise.questions.map((q, i): Expected | null => {
		const value = kindOf(q).expected(trace, q);
		if (value && !value.ok) {
			const line = exercise.lines?.[i];
			issues.push({ path: ['questions', i, 'ask'], message: value.message, ...(line === undefined ? {} : { line }) });
		}
		return value;
	});
	return issues.length > 0 ? { ok: false, issues } : { ok: true, expected, trace };
}

/** One issue a line, `path: message`, for a person or a test. */
export function formatExerciseIssues(issues: readonly ExerciseIssue[]): string {
	return issues.map(formatIssue).join('\n');
}
