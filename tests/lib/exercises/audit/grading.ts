/**
 * An audit of the grader's fairness to a student who makes one catalogued mistake throughout an
 * exercise: for each library exercise, a few students' variants and each mistake that applies,
 * the student's whole sheet is computed at full precision (the mistake's rerun, its derived
 * value substituted event after event so that later values follow from the student's own, or its
 * fact), each answer is rounded only when written, as the question's tolerance asks, with a
 * decimal comma, and the sheet is graded. The counts say how often the mistake is named, how
 * often another one is, and which honest answers earn less than full marks.
 *
 * A measuring tool, not part of the app: the unit test (audit.test.ts) and the command
 * (`npm run -s audit:grading`, cli.ts) both use it. It imports no test runner.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantityOf } from '../../../../src/lib/engine/quantity';
import { run, type Substitution } from '../../../../src/lib/engine/run';
import { validateScenario, type Scenario } from '../../../../src/lib/engine/scenario/validate';
import type { NestedNumbers } from '../../../../src/lib/engine/tensor';
import { eventAt, type Trace } from '../../../../src/lib/engine/trace';
import { parseExercise, withSampleForFacts, type Exercise, type NumericQuestion } from '../../../../src/lib/exercises/exercise';
import { engineQuestion } from '../../../../src/lib/exercises/kinds';
import { FACTS } from '../../../../src/lib/exercises/question';
import { gradeAnswers, type QuestionReport, type Verdict } from '../../../../src/lib/exercises/grade';
import { toCourse, viewOf } from '../../../../src/lib/exercises/layout';
import { markValue } from '../../../../src/lib/exercises/mark';
import { MISTAKES, type Mistake } from '../../../../src/lib/exercises/mistakes/catalogue';
import { MistakeRuns } from '../../../../src/lib/exercises/mistakes/diagnose';
import { expectedValue, parseAsk } from '../../../../src/lib/exercises/question';
import type { Tolerance } from '../../../../src/lib/exercises/tolerance';
import { drawVariant, type Variant } from '../../../../src/lib/exercises/variant';
import { profileOf } from '../../../../src/lib/profiles';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const LIBRARY_DIR = join(ROOT, 'exercises');

/** The library's exercises, in file order. */
export function libraryExercises(dir = LIBRARY_DIR): Exercise[] {
	return readdirSync(dir)
		.filter((file) => file.endsWith('.yaml'))
		.sort()
		.map((file) => {
			const parsed = parseExercise(readFileSync(join(dir, file), 'utf8'), file);
			if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.issues)}`);
			return parsed.exercise;
		});
}

const isFact = (q: NumericQuestion): boolean => (FACTS as readonly string[]).includes(q.ask);
const valueQuestions = (exercise: Exercise): NumericQuestion[] => exercise.questions.filter((q): q is NumericQuestion => q.ask !== 'choice');

/** The scenario the grader runs for a variant (grade.ts: the variant's numbers, a sample of zeros for facts). */
export const scenarioOf = (exercise: Exercise, variant: Variant): Scenario => validateScenario(withSampleForFacts(exercise, variant.scenario));

/** The codes of the mistakes that give, for some question of the variant, a value other than the key (diagnose.ts). */
export function applicableMistakes(exercise: Exercise, variant: Variant): Mistake[] {
	const runs = new MistakeRuns(scenarioOf(exercise, variant), variant.trace);
	const codes = new Set<string>();
	exercise.questions.forEach((q, i) => {
		const key = variant.expected[i];
		if (q.ask === 'choice' || !key?.ok) return;
		for (const { mistake } of runs.valuesFor(q as NumericQuestion, key.value)) codes.add(mistake.code);
	});
	return MISTAKES.filter((m) => codes.has(m.code));
}

const sameData = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

/**
 * The student's run for a `derive` mistake: each event the mistake concerns, in event order, gets
 * the value the mistake derives from the run so far (the student's own earlier values), and the
 * run goes on from it.
 */
export function derivedRun(scenario: Scenario, right: Trace, mistake: Mistake): Trace | null {
	if (!mistake.derive) return null;
	const substitutions: Substitution[] = [];
	let trace = right;
	for (let seq = 0; seq < trace.length; seq++) {
		const event = eventAt(trace, seq);
		const quantity = quantityOf(event.name);
		if (!quantity || !mistake.quantities.includes(quantity)) continue;
		const derived = mistake.derive(trace, event.name, event.step);
		if (!derived || sameData(derived.data, event.value.data) || derived.data.length !== event.value.data.length) continue;
		substitutions.push({ step: event.step, name: event.name, offset: 0, values: Array.from(derived.data) });
		try {
			trace = run(scenario, { substitutions });
		} catch {
			return null;
		}
		if (trace.diverged) return null;
	}
	return trace;
}

/** The student's run for a `rerun` mistake: the changed scenario with its options. */
export function rerunOf(scenario: Scenario, mistake: Mistake): Trace | null {
	const changed = mistake.rerun?.(scenario) ?? null;
	if (!changed) return null;
	try {
		const trace = run(changed, mistake.runOptions?.(changed));
		return trace.diverged ? null : trace;
	} catch {
		return null;
	}
}

/**
 * The values, at full precision and in the engine's layout, that a student making `mistake`
 * throughout computes for each value question (null where the mistake leaves the student
 * nothing to compute, e.g. a cell that no longer exists).
 */
export function fullPrecisionSheet(exercise: Exercise, variant: Variant, mistake: Mistake): (NestedNumbers | null)[] {
	const scenario = scenarioOf(exercise, variant);
	const studentTrace = mistake.derive ? derivedRun(scenario, variant.trace, mistake) : mistake.rerun ? rerunOf(scenario, mistake) : variant.trace;
	return exercise.questions.map((q, i) => {
		if (q.ask === 'choice') return null;
		const question = q as NumericQuestion;
		const key = variant.expected[i];
		if (question.ask === 'output_size' || question.ask === 'param_count') {
			const fact = mistake.fact?.(variant.trace.setup.layers, question.ask, question.layer) ?? null;
			if (fact !== null) return fact;
			return key?.ok ? key.value : null;
		}
		if (isFact(question)) return key?.ok ? key.value : null;
		if (!studentTrace) return null;
		// a convention applied throughout that leaves a quantity off its list (rows-columns-swapped's W):
		// which way round the student writes that matrix is not determined, so the cell is left blank
		const quantity = parseAsk(question.ask)?.quantity.symbol;
		if (mistake.everyEntry && mistake.rerun && (!quantity || !mistake.quantities.includes(quantity))) return null;
		const value = expectedValue(studentTrace, engineQuestion(question));
		return value.ok ? value.value : null;
	});
}

/** The number of decimals a value is written with under a tolerance (null: as the calculator shows it). */
function decimalsFor(x: number, tolerance: Tolerance): number | null {
	if ('decimals' in tolerance) return tolerance.decimals;
	const lead = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
	if ('sig' in tolerance) return Math.max(0, tolerance.sig - 1 - lead);
	// abs and rel: the digit of the bound's size, whose rounding error is a tenth of the bound or less
	if ('abs' in tolerance) return tolerance.abs > 0 ? Math.max(0, Math.ceil(-Math.log10(tolerance.abs))) : null;
	return tolerance.rel > 0 ? Math.max(0, Math.ceil(-Math.log10(tolerance.rel)) - lead) : null;
}

/** A number rounded as the tolerance asks, and as a French student writes it: a decimal comma. */
export function writeNumber(x: number, tolerance: Tolerance, wholeAsIs = false): { text: string; value: number } {
	const decimals = wholeAsIs && Number.isInteger(x) ? 0 : decimalsFor(x, tolerance);
	const fixed = decimals === null ? String(x) : x.toFixed(Math.min(decimals, 100));
	// −0,0000 is written 0,0000
	const text = (/^-0(\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed).replace('.', ',');
	return { text, value: Number(fixed) };
}

function squeeze(value: NestedNumbers): NestedNumbers {
	if (!Array.isArray(value)) return value;
	const items = value.map(squeeze);
	return items.length === 1 ? items[0] : items;
}

const mapNumbers = (value: NestedNumbers, f: (x: number) => number): NestedNumbers => (Array.isArray(value) ? value.map((v) => mapNumbers(v, f)) : f(value));

/**
 * A value written as a French student writes it (decimal commas; entries separated by ` ; `, rows
 * by line breaks; a size as `4×4×8`), with the number it then stands for, or null where it cannot
 * be written as a number, a vector or a matrix.
 */
export function writeValue(value: NestedNumbers, tolerance: Tolerance, shape = false): { text: string; value: NestedNumbers } | null {
	// a whole number (a size, a count, a perceptron's weight) is written without decimals
	const one = (x: number) => writeNumber(x, tolerance, true);
	if (shape && Array.isArray(value) && value.every((x) => typeof x === 'number')) {
		return { text: (value as number[]).map((x) => String(x)).join('×'), value };
	}
	const written = mapNumbers(value, (x) => one(x).value);
	const squeezed = squeeze(value);
	if (!Array.isArray(squeezed)) return { text: one(squeezed).text, value: written };
	if (squeezed.every((x) => typeof x === 'number')) return { text: (squeezed as number[]).map((x) => one(x).text).join(' ; '), value: written };
	if (squeezed.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'))) {
		return { text: (squeezed as number[][]).map((row) => row.map((x) => one(x).text).join(' ; ')).join('\n'), value: written };
	}
	return null;
}

/** A sheet as the student writes it: each answer's text and the value it stands for, in the course's layout. */
export interface WrittenAnswer {
	question: NumericQuestion;
	index: number;
	/** in the engine's layout, at full precision */
	full: NestedNumbers;
	text: string;
	/** the written number(s), in the course's layout */
	written: NestedNumbers;
	/** the key in the course's layout */
	key: NestedNumbers;
	/** differs from the key beyond the tolerance (or by its shape) */
	mistaken: boolean;
	/** has another shape than the key: no diagnosis or carried-forward credit is possible */
	otherShape: boolean;
}

/**
 * Writes each value of a full-precision sheet as a student does, in the course's layout; null
 * entries are left unanswered. `unrounded`: every digit the calculator shows instead (to tell
 * which unfair cases the rounding alone causes).
 */
export function writeSheet(exercise: Exercise, variant: Variant, sheet: readonly (NestedNumbers | null)[], unrounded = false): WrittenAnswer[] {
	const layout = profileOf(exercise.course).layout;
	const answers: WrittenAnswer[] = [];
	exercise.questions.forEach((q, index) => {
		const full = sheet[index];
		const right = variant.expected[index];
		if (q.ask === 'choice' || full === null || full === undefined || !right?.ok) return;
		const question = q as NumericQuestion;
		const inCourse = toCourse(viewOf(layout, question, full), full);
		const key = toCourse(viewOf(layout, question, right.value), right.value);
		const written = writeValue(inCourse, unrounded ? { abs: 0 } : question.tolerance, question.ask === 'output_size' || question.ask === 'shape');
		if (!written) throw new Error(`${exercise.id}, ${question.id}: ${JSON.stringify(inCourse)} cannot be written as a number, a vector or a matrix`);
		const mark = markValue(written.value, key, question.tolerance);
		const otherShape = Boolean(mark.shapeMessage);
		answers.push({ question, index, full, text: written.text, written: written.value, key, mistaken: otherShape || mark.score < 1, otherShape });
	});
	return answers;
}

/** One graded answer that the audit found unfair, or that the harness could not write. */
export interface Case {
	exercise: string;
	student: string;
	mistake: string;
	question: string;
	verdict: Verdict;
	points: number;
	max: number;
	/** the diagnosis or the carried-forward pointer's mistake, where the report names one */
	code?: string;
	/** the answer has another shape than the key (a window's size changed): marked wrong by its shape */
	otherShape?: true;
	/** for an answer not credited: its verdict and points when the whole sheet is written unrounded */
	unrounded?: { verdict: Verdict; points: number; code?: string };
	answer: string;
	key: string;
}

export interface AuditCounts {
	exercises: number;
	variants: number;
	/** exercises × students whose variant could not be drawn */
	undrawn: string[];
	sheets: number;
	answers: number;
	/** questions the student's run leaves nothing to answer (the cell asked no longer exists): left blank */
	blank: number;
	mistaken: number;
	/** mistaken answers diagnosed as the mistake, carried forward from it, or carried forward with full marks */
	diagnosedRight: number;
	/** a diagnosis (or a carried-forward pointer's mistake) other than the mistake made, or any diagnosis of an answer within tolerance */
	wrongCodes: Case[];
	/** mistaken answers that several mistakes explain, the mistake made among those said */
	amongAlternatives: Case[];
	/** mistaken answers neither diagnosed as the mistake, said among alternatives, nor carried forward with full marks */
	notCredited: Case[];
	/** answers within tolerance of the key that were not graded right: the harness wrote them badly */
	unfairRight: Case[];
}

export interface AuditOptions {
	students?: readonly string[];
	exercises?: readonly Exercise[];
	/** only these mistake codes (default: every mistake of the catalogue) */
	mistakes?: readonly string[];
}

export const DEFAULT_STUDENTS = ['alice', 'bob', 'chloé'] as const;

const keyText = (a: WrittenAnswer): string => writeValue(a.key, a.question.tolerance, a.question.ask === 'output_size' || a.question.ask === 'shape')?.text ?? JSON.stringify(a.key);

function caseOf(exercise: Exercise, student: string, mistake: Mistake, a: WrittenAnswer, report: QuestionReport): Case {
	const code = report.diagnosis?.code ?? report.pointer?.mistake;
	return {
		exercise: exercise.id,
		student,
		mistake: mistake.code,
		question: a.question.id,
		verdict: report.verdict,
		points: report.points,
		max: report.max,
		...(code ? { code } : {}),
		...(a.otherShape ? { otherShape: true as const } : {}),
		answer: a.text,
		key: keyText(a)
	};
}

/** Grades one student's sheet for one mistake and adds what it shows to the counts. */
export function auditSheet(exercise: Exercise, variant: Variant, mistake: Mistake, counts: AuditCounts): void {
	const sheet = fullPrecisionSheet(exercise, variant, mistake);
	counts.blank += exercise.questions.filter((q, i) => q.ask !== 'choice' && sheet[i] === null).length;
	const answers = writeSheet(exercise, variant, sheet);
	const texts = Object.fromEntries(answers.map((a) => [a.question.id, a.text]));
	const report = gradeAnswers(exercise, variant, texts);
	counts.sheets++;
	const notCredited: Case[] = [];
	for (const a of answers) {
		const graded = report.questions[a.index];
		counts.answers++;
		const c = caseOf(exercise, variant.student, mistake, a, graded);
		const named = graded.diagnosis?.code ?? graded.pointer?.mistake;
		const alternatives = graded.alternatives ?? [];
		if (!a.mistaken) {
			if (graded.diagnosis || alternatives.length > 0 || (named && named !== mistake.code)) counts.wrongCodes.push(c);
			if (graded.verdict !== 'right') counts.unfairRight.push(c);
			continue;
		}
		counts.mistaken++;
		if ((named && named !== mistake.code) || (alternatives.length > 0 && !alternatives.includes(mistake.code))) counts.wrongCodes.push(c);
		const full = graded.points === graded.max;
		const diagnosed = graded.verdict === 'diagnosed' && graded.diagnosis?.code === mistake.code;
		const carried = graded.verdict === 'carried_forward' && (graded.pointer?.mistake === mistake.code || full);
		// two mistakes give this value (a size without padding or without the + 1): both are said
		const among = alternatives.includes(mistake.code);
		if (diagnosed || carried) counts.diagnosedRight++;
		if (among) counts.amongAlternatives.push(c);
		if (!diagnosed && !among && !(graded.verdict === 'carried_forward' && full)) notCredited.push(c);
	}
	if (notCredited.length === 0) return;
	// the same sheet with every digit: which of these the rounding alone causes
	const unrounded = writeSheet(exercise, variant, sheet, true);
	const again = gradeAnswers(exercise, variant, Object.fromEntries(unrounded.map((a) => [a.question.id, a.text])));
	for (const c of notCredited) {
		const graded = again.questions.find((q) => q.id === c.question);
		const code = graded?.diagnosis?.code ?? graded?.pointer?.mistake;
		if (graded) c.unrounded = { verdict: graded.verdict, points: graded.points, ...(code ? { code } : {}) };
		counts.notCredited.push(c);
	}
}

/** The audit over the library (or the given exercises), for a few students each, and every mistake that applies. */
export function auditGrading(options: AuditOptions = {}): AuditCounts {
	const exercises = options.exercises ?? libraryExercises();
	const students = options.students ?? DEFAULT_STUDENTS;
	const counts: AuditCounts = { exercises: exercises.length, variants: 0, undrawn: [], sheets: 0, answers: 0, blank: 0, mistaken: 0, diagnosedRight: 0, wrongCodes: [], amongAlternatives: [], notCredited: [], unfairRight: [] };
	for (const exercise of exercises) {
		if (valueQuestions(exercise).length === 0) continue;
		for (const student of students) {
			const drawn = drawVariant(exercise, student);
			if (!drawn.ok) {
				counts.undrawn.push(`${exercise.id} (${student}): ${drawn.message}`);
				continue;
			}
			counts.variants++;
			for (const mistake of applicableMistakes(exercise, drawn.variant)) {
				if (options.mistakes && !options.mistakes.includes(mistake.code)) continue;
				auditSheet(exercise, drawn.variant, mistake, counts);
			}
		}
	}
	return counts;
}

const oneLine = (text: string): string => text.replace(/\n/g, ' | ');

/** Diagnosed as the mistake, or carried forward with full marks, once the sheet is written unrounded. */
const creditedUnrounded = ({ unrounded, mistake, max }: Case): boolean =>
	unrounded !== undefined && ((unrounded.verdict === 'diagnosed' && unrounded.code === mistake) || (unrounded.verdict === 'carried_forward' && unrounded.points === max));

/** The counts, a table of the unfair cases by exercise and mistake, and each case, as the command prints them. */
export function formatAudit(counts: AuditCounts): string {
	const lines: string[] = [];
	lines.push(`exercises ${counts.exercises}, variants ${counts.variants}, sheets ${counts.sheets}, answers ${counts.answers} (and ${counts.blank} left blank)`);
	lines.push(`mistaken answers                       ${counts.mistaken}`);
	lines.push(`  diagnosed with the right code        ${counts.diagnosedRight}`);
	lines.push(`  said among several that give it      ${counts.amongAlternatives.length}`);
	lines.push(`wrong codes                            ${counts.wrongCodes.length}`);
	lines.push(`honest carried-forward not credited    ${counts.notCredited.length}`);
	lines.push(`  of which of another shape than the key ${counts.notCredited.filter((c) => c.otherShape).length}`);
	lines.push(`  of which credited when written unrounded ${counts.notCredited.filter(creditedUnrounded).length}`);
	lines.push(`right answers not graded right         ${counts.unfairRight.length}`);
	if (counts.undrawn.length > 0) lines.push(`variants not drawn: ${counts.undrawn.join('; ')}`);
	const table = new Map<string, Map<Verdict, number>>();
	for (const c of counts.notCredited) {
		const row = `${c.exercise}  ${c.mistake}`;
		const cells = table.get(row) ?? new Map<Verdict, number>();
		cells.set(c.verdict, (cells.get(c.verdict) ?? 0) + 1);
		table.set(row, cells);
	}
	if (table.size > 0) {
		lines.push('', 'not credited, by exercise and mistake:');
		for (const [row, cells] of [...table].sort(([a], [b]) => a.localeCompare(b))) {
			lines.push(`  ${row}: ${[...cells].map(([verdict, n]) => `${verdict} ${n}`).join(', ')}`);
		}
	}
	const list = (title: string, cases: readonly Case[]) => {
		if (cases.length === 0) return;
		lines.push('', `${title}:`);
		for (const c of cases) {
			lines.push(
				`  ${c.exercise}  ${c.student}  ${c.mistake}  ${c.question}: ${c.verdict} ${c.points}/${c.max}${c.code ? ` (${c.code})` : ''}${c.otherShape ? ' [other shape]' : ''}${c.unrounded ? `; unrounded: ${c.unrounded.verdict} ${c.unrounded.points}/${c.max}${c.unrounded.code ? ` (${c.unrounded.code})` : ''}` : ''}; answer ${oneLine(c.answer)}; key ${oneLine(c.key)}`
			);
		}
	};
	list('wrong codes', counts.wrongCodes);
	list('not credited', counts.notCredited);
	list('right answers not graded right', counts.unfairRight);
	return lines.join('\n');
}
