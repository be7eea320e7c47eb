/**
 * Exercise files: a scenario, questions that point at its run (or at facts of its model), and
 * per-student `vary` rules kept as data (variation is not applied here). Pure TypeScript.
 *
 * `parseExercise` reads and validates a file and never throws: every problem comes back with the
 * path it is about (`questions[1].tolerance.decimals: …`) and its line. `checkExercise` runs the
 * scenario and resolves every question, so a question that names nothing is found before a
 * student meets it.
 */
import { z } from 'zod';
import { run } from '../engine/run';
import { parseScenarioText, readText } from '../engine/scenario/parse';
import { ScenarioError, formatIssue, type ScenarioIssue } from '../engine/scenario/issues';
import { validateScenario } from '../engine/scenario/validate';
import { translateZodIssues } from '../engine/scenario/zod-issues';
import { expectedValue, type Expected, type Question } from './question';
import { checkTolerance, type Tolerance } from './tolerance';

export const NOTATIONS = ['bracket', 'paren', 'layer'] as const;
export type Notation = (typeof NOTATIONS)[number];
export const FACTS = ['output_size', 'param_count', 'shape'] as const;
const TOLERANCE_KINDS = ['abs', 'rel', 'decimals', 'sig'] as const;

export interface Localized {
	fr: string;
	en: string;
}

/** A question read from the run (`ask: "dW[1][0][1]"`) or a fact of the model (`ask: output_size`). */
export interface ValueQuestion {
	ask: string;
	step?: number;
	layer?: number;
	of?: string;
	samples?: number;
	points: number;
	tolerance?: Tolerance;
	hints?: Localized[];
}

export interface ChoiceQuestion {
	ask: 'choice';
	prompt: Localized;
	options: Localized[];
	/** 0-based index into `options` */
	answer: number;
	points: number;
	hints?: Localized[];
}

export type ExerciseQuestion = ValueQuestion | ChoiceQuestion;

export interface Exercise {
	/** kebab-case, equal to the file name without `.yaml` */
	id: string;
	title: Localized;
	statement: Localized;
	topic: string;
	notation: Notation;
	/** the scenario as written (plain data, validated by the engine; for `run`) */
	scenario: Record<string, unknown>;
	/** per-student variation rules, kept as written */
	vary?: Record<string, unknown>;
	questions: ExerciseQuestion[];
	/** 1-based line of each question in the file, when known */
	lines?: (number | undefined)[];
}

export type ExerciseIssue = ScenarioIssue;
export type ParseResult = { ok: true; exercise: Exercise } | { ok: false; issues: ExerciseIssue[] };
export type CheckResult = { ok: true; expected: (Expected | null)[] } | { ok: false; issues: ExerciseIssue[] };

// a refinement, not .min(1): its message is kept as written (too_small would speak of a number)
const text = z.string().trim().refine((s) => s.length > 0, 'must not be empty');
const localized = z.strictObject({ fr: text, en: text });
const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case name such as backprop-221');
const points = z.number().positive().finite().default(1);
const hints = z.array(localized).optional();

export const exerciseFileSchema = z.strictObject({
	id: kebab,
	title: localized,
	statement: localized,
	topic: kebab,
	notation: z.enum(NOTATIONS),
	scenario: z.record(z.string(), z.unknown()),
	vary: z.record(z.string(), z.unknown()).optional(),
	// each question is read by its own schema below, chosen by its `ask`
	questions: z.array(z.unknown()).min(1)
});

export const valueQuestionSchema = z.strictObject({
	ask: text,
	step: z.int().min(0).optional(),
	layer: z.int().min(0).optional(),
	of: text.optional(),
	samples: z.int().min(1).optional(),
	points,
	tolerance: z.unknown().optional(),
	hints
});

export const choiceQuestionSchema = z.strictObject({
	ask: z.literal('choice'),
	prompt: localized,
	options: z.array(localized).min(2),
	answer: z.int().min(0),
	points,
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
	if (!top.success) issues.push(...translateZodIssues(top.error.issues, exerciseFileSchema, data));
	if (isRecord(data) && typeof data.id === 'string' && !issues.some((i) => i.path[0] === 'id')) {
		const expected = exerciseIdOf(file);
		if (data.id !== expected) issues.push({ path: ['id'], message: `expected "${expected}" (the file name), got "${data.id}"` });
	}
	// the scenario, by the engine's own rules (readText locates its issues under `scenario`)
	if (isRecord(data) && isRecord(data.scenario) && !('model' in data) && !('perceptron' in data)) {
		try {
			readText(source, validateScenario);
		} catch (error) {
			if (!(error instanceof ScenarioError)) throw error;
			issues.push(...error.issues);
		}
	}
	const questions: ExerciseQuestion[] = [];
	if (isRecord(data) && Array.isArray(data.questions)) {
		data.questions.forEach((input, i) => {
			const read = readQuestion(input);
			if ('issues' in read) issues.push(...read.issues.map((issue) => ({ ...issue, path: ['questions', i, ...issue.path] })));
			else questions.push(read.question);
		});
	}
	if (issues.length > 0 || !top.success) {
		return { ok: false, issues: issues.map((issue) => ({ ...issue, line: issue.line ?? parsed.lineOf(issue.path) })) };
	}
	const { vary, ...rest } = top.data;
	const exercise: Exercise = {
		...rest,
		...(vary === undefined ? {} : { vary }),
		questions,
		lines: questions.map((_, i) => parsed.lineOf(['questions', i]))
	};
	return { ok: true, exercise };
}

type Read = { question: ExerciseQuestion } | { issues: ExerciseIssue[] };

function readQuestion(input: unknown): Read {
	if (isRecord(input) && input.ask === 'choice') {
		const result = choiceQuestionSchema.safeParse(input);
		if (!result.success) return { issues: translateZodIssues(result.error.issues, choiceQuestionSchema, input) };
		const q = result.data;
		if (q.answer >= q.options.length) {
			const n = q.options.length;
			return { issues: [{ path: ['answer'], message: `expected an option index from 0 to ${n - 1} (0-based, ${n} options), got ${q.answer}` }] };
		}
		return { question: { ...q, ask: 'choice', ...(q.hints ? { hints: q.hints } : {}) } as ChoiceQuestion };
	}
	const result = valueQuestionSchema.safeParse(input);
	if (!result.success) return { issues: translateZodIssues(result.error.issues, valueQuestionSchema, input) };
	const q = result.data;
	const issues: ExerciseIssue[] = [];
	const ask = q.ask.trim();
	const isFact = (FACTS as readonly string[]).includes(ask);
	if (!isFact && q.step === undefined) issues.push({ path: ['step'], message: `missing; "${ask}" is read from the run at a step (0: init, 1: the first update)` });
	if (!isFact) {
		for (const key of ['layer', 'of', 'samples'] as const) {
			if (q[key] !== undefined) issues.push({ path: [key], message: `only for the facts ${FACTS.join(', ')}; "${ask}" is read from the run` });
		}
	}
	if (ask === 'output_size' && q.layer === undefined) issues.push({ path: ['layer'], message: 'missing; output_size needs a layer (1-based, 0: the input)' });
	if (ask === 'shape' && q.of === undefined) issues.push({ path: ['of'], message: 'missing; shape needs the name of a tensor, such as of: "Z[1]"' });
	let tolerance: Tolerance | undefined;
	if (q.tolerance !== undefined) {
		const read = readTolerance(q.tolerance);
		if (typeof read === 'string') issues.push({ path: ['tolerance'], message: read });
		else if ('path' in read) issues.push({ path: ['tolerance', ...read.path], message: read.message });
		else tolerance = read;
	}
	if (issues.length > 0) return { issues };
	const { tolerance: _, hints: h, ...rest } = q;
	const question: ValueQuestion = { ...rest, ask };
	if (tolerance) question.tolerance = tolerance;
	if (h) question.hints = h;
	return { question };
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

/** The engine question of a value question. */
function engineQuestion(q: ValueQuestion): Question {
	switch (q.ask) {
		case 'output_size':
			return { ask: 'output_size', layer: q.layer ?? 0 };
		case 'param_count':
			return q.layer === undefined ? { ask: 'param_count' } : { ask: 'param_count', layer: q.layer };
		case 'shape':
			return q.samples === undefined ? { ask: 'shape', of: q.of ?? '' } : { ask: 'shape', of: q.of ?? '', samples: q.samples };
		default:
			return { ask: q.ask, step: q.step ?? 1 };
	}
}

/**
 * Runs the scenario and resolves every question. Choice questions need no run (their entry in
 * `expected` is null). Never throws: a scenario that cannot run is reported under `scenario`.
 */
export function checkExercise(exercise: Exercise): CheckResult {
	let trace;
	try {
		trace = run(exercise.scenario);
	} catch (error) {
		if (error instanceof ScenarioError) return { ok: false, issues: error.issues.map((i) => ({ ...i, path: ['scenario', ...i.path] })) };
		return { ok: false, issues: [{ path: ['scenario'], message: error instanceof Error ? error.message : String(error) }] };
	}
	const issues: ExerciseIssue[] = [];
	const expected = exercise.questions.map((q, i): Expected | null => {
		if (q.ask === 'choice') return null;
		const value = expectedValue(trace, engineQuestion(q as ValueQuestion));
		if (!value.ok) {
			const line = exercise.lines?.[i];
			issues.push({ path: ['questions', i, 'ask'], message: value.message, ...(line === undefined ? {} : { line }) });
		}
		return value;
	});
	return issues.length > 0 ? { ok: false, issues } : { ok: true, expected };
}

/** One issue a line, `path: message`, for a person or a test. */
export function formatExerciseIssues(issues: readonly ExerciseIssue[]): string {
	return issues.map(formatIssue).join('\n');
}
