/** The exercise commands of `stepwise`: check, variant and grade. Each returns its exit code. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError, formatIssue } from '../lib/engine/scenario/issues';
import { checkExerciseText, checkLessonText, isLessonText } from '../lib/exercises/check';
import { unexercisedMistakes } from '../lib/exercises/coverage';
import { parseExercise, type Exercise } from '../lib/exercises/exercise';
import { gradeAnswers, type Answers } from '../lib/exercises/grade';
import { feedbackText } from '../lib/exercises/feedback-text';
import { renderStatement } from '../lib/exercises/statement';
import { answerKey } from '../lib/exercises/key';
import { drawVariant, type Variant } from '../lib/exercises/variant';
import { formatNumber } from '../lib/format/number';
import { profileOf } from '../lib/profiles';
import type { CliOptions } from './args';

export const LIBRARY_DIR = 'exercises';

function read(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new ScenarioError([{ path: [], message: `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : 'unreadable'}` }]);
	}
}

/** An exercise given as a file, or as the id of a library exercise. */
export function exerciseFile(name: string): string {
	if (existsSync(name) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) return name;
	return join(LIBRARY_DIR, `${name}.yaml`);
}

/** The .yaml files named, folders read one level deep, in order. */
function filesOf(paths: string[]): string[] {
	return paths.flatMap((path) => {
		if (existsSync(path) && statSync(path).isDirectory()) {
			return readdirSync(path)
				.filter((f) => /\.ya?ml$/.test(f))
				.sort()
				.map((f) => join(path, f));
		}
		return [path];
	});
}

function located(file: string, issue: { line?: number; path: (string | number)[]; message: string }): string {
	return `${issue.line ? `${file}:${issue.line}` : file}: ${issue.path.length ? formatIssue(issue) : issue.message}`;
}

/**
 * The line after the files': the catalogue's mistakes that none of the exercises that passed can
 * exercise. A report, not a failure: a teacher's folder of three exercises need not cover them all.
 */
export function coverageLine(exercises: readonly Exercise[]): string {
	const missing = unexercisedMistakes(exercises);
	return missing.length === 0 ? 'every mistake of the catalogue can occur in these exercises' : `mistakes no exercise can exercise: ${missing.join(', ')}`;
}

export function checkCommand(options: CliOptions): number {
	const files = filesOf(options.paths);
	let failed = 0;
	const passed: Exercise[] = [];
	for (const file of files) {
		let text: string;
		try {
			text = read(file);
		} catch (error) {
			failed++;
			process.stdout.write(`${file}: ${(error as ScenarioError).issues[0].message}\n`);
			continue;
		}
		if (isLessonText(text)) {
			const lesson = checkLessonText(text, file);
			if (lesson.ok) process.stdout.write(`${file}: ok (lesson)\n`);
			else {
				failed++;
				for (const issue of lesson.issues) process.stdout.write(`${located(file, issue)}\n`);
			}
			continue;
		}
		const result = checkExerciseText(text, file);
		if (result.ok) {
			if (result.exercise) passed.push(result.exercise);
			const redraws = result.rejected > 0 ? `, ${result.rejected} degenerate draws redrawn` : '';
			process.stdout.write(`${file}: ok (${result.variants} variant${result.variants === 1 ? '' : 's'}${redraws})\n`);
		} else {
			failed++;
			for (const issue of result.issues) process.stdout.write(`${located(file, issue)}\n`);
		}
	}
	if (passed.length > 0) process.stdout.write(`${coverageLine(passed)}\n`);
	process.stdout.write(`check: ${files.length} file${files.length === 1 ? '' : 's'}, ${files.length - failed} ok, ${failed} with issues\n`);
	return failed > 0 || files.length === 0 ? 1 : 0;
}

function loadExercise(name: string): Exercise {
	const file = exerciseFile(name);
	const parsed = parseExercise(read(file), file);
	if (!parsed.ok) throw new ScenarioError(parsed.issues);
	return parsed.exercise;
}

function variantOf(exercise: Exercise, options: CliOptions): Variant {
	const drawn = drawVariant(exercise, options.student ?? '', options.seed);
	if (!drawn.ok) throw new ScenarioError([{ path: ['vary'], message: drawn.message }]);
	return drawn.variant;
}

function valueText(value: unknown, lang: 'fr' | 'en'): string {
	if (typeof value === 'number') return formatNumber(value, 12, lang);
	if (Array.isArray(value)) return `[${value.map((v) => valueText(v, lang)).join(lang === 'fr' ? ' ; ' : ', ')}]`;
	return String(value);
}

export function variantCommand(options: CliOptions): number {
	const exercise = loadExercise(options.file);
	const variant = variantOf(exercise, options);
	if (options.key) {
		const key = answerKey(exercise, variant);
		if (options.json) process.stdout.write(`${JSON.stringify(key)}\n`);
		else for (const [id, value] of Object.entries(key)) process.stdout.write(`${id}: ${valueText(value, options.lang)}\n`);
		return 0;
	}
	const statement = renderStatement(exercise.statement[options.lang], variant.scenario, options.lang, profileOf(exercise.course).layout);
	if (options.json) {
		process.stdout.write(`${JSON.stringify({ id: exercise.id, student: variant.student, seed: variant.seed, numbers: variant.drawn, statement })}\n`);
		return 0;
	}
	const numbers = Object.entries(variant.drawn).map(([name, value]) => `  ${name} = ${valueText(value, options.lang)}`);
	const lines = [
		`${exercise.title[options.lang]} (${exercise.id}), ${options.lang === 'fr' ? 'étudiant' : 'student'} ${variant.student}`,
		'',
		statement.trim(),
		'',
		...(numbers.length > 0 ? [options.lang === 'fr' ? 'Nombres tirés :' : 'Numbers drawn:', ...numbers] : [options.lang === 'fr' ? 'Les nombres du fichier (pas de vary).' : "The file's own numbers (no vary)."])
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	return 0;
}

/** The answers file: question ids mapped to what the student typed (numbers and lists are accepted as written). */
function readAnswers(file: string, exercise: Exercise): Answers {
	let data: unknown;
	try {
		data = JSON.parse(read(file));
	} catch (error) {
		if (error instanceof ScenarioError) throw error;
		throw new ScenarioError([{ path: [], message: `${file}: not JSON: ${(error as Error).message}` }]);
	}
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new ScenarioError([{ path: [], message: `${file}: expected an object of answers by question id, such as {"q1": "0,5933"}` }]);
	}
	const ids = exercise.questions.map((q) => q.id);
	const answers: Record<string, string> = {};
	for (const [id, value] of Object.entries(data)) {
		if (!ids.includes(id)) throw new ScenarioError([{ path: [id], message: `${file}: no question "${id}" in ${exercise.id}; its questions are ${ids.join(', ')}` }]);
		if (typeof value === 'string') answers[id] = value;
		else if (typeof value === 'number' || Array.isArray(value)) answers[id] = JSON.stringify(value);
		else if (value !== null) throw new ScenarioError([{ path: [id], message: `${file}: expected the string the student typed, got ${JSON.stringify(value)}` }]);
	}
	return answers;
}

export function gradeCommand(options: CliOptions): number {
	const exercise = loadExercise(options.file);
	const variant = variantOf(exercise, options);
	const report = gradeAnswers(exercise, variant, readAnswers(options.answers ?? '', exercise));
	const lang = options.lang;
	const json = {
		points: report.points,
		max: report.max,
		questions: report.questions.map((q) => ({ id: q.id, verdict: q.verdict, points: q.points, max: q.max, message: feedbackText(q.message, lang), ...(q.diagnosis ? { diagnosis: q.diagnosis } : {}) }))
	};
	process.stdout.write(`${JSON.stringify(json)}\n`);
	return 0;
}
