/**
 * Grading a student's answers to one variant of an exercise.
 *
 * Each question is marked against the variant's run. A run question that is not right is then
 * marked again against the student's own run, which goes on from their earlier wrong values as
 * they wrote them, give or take their rounding (carry.ts; the engine substitutes them: nothing
 * is recomputed here). In order, the first that explains the answer decides:
 * 1. the student's run, every cell: the error was carried forward, and the answer earns its
 *    marks if the policy says so (a mistake is never named where carrying forward explains);
 * 2. one mistake of the catalogue, every wrong cell: it is named;
 * 3. one mistake made again on the student's own earlier values (the hidden δ computed the same
 *    wrong way from their wrong output δ): it is named, with the earlier value it was made on;
 * 4. the student's run, some cells: carried forward in part.
 */
import { validateScenario, type Scenario } from '../engine/scenario/validate';
import type { NestedNumbers } from '../engine/tensor';
import type { Trace } from '../engine/trace';
import { withSampleForFacts, type Exercise, type NumericQuestion, type ValueQuestion } from './exercise';
import { explainCell, mistakeNamed, symbolOf, verdictMessage, writingOf, type CellText } from './feedback';
import type { FeedbackMessage, FeedbackPart } from './feedback-message';
import type { Mistake } from './mistakes/catalogue';
import { diagnose, diagnoseShape, explainingMistakes, MistakeRuns, soleDiagnosis, type Diagnosis, type MistakeValue } from './mistakes/diagnose';
import { widestError } from './tolerance';
import { answerLayoutOf, cellToCourse, conventionOf, inCourseLayout, otherLayoutNote, otherLayouts, wrongLayoutNote, toCourse, toEngine, type Layout, type View } from './layout';
import { markValue, nearestWithin, type Mark } from './mark';
import { rerun, StudentRun, writtenValuesOf, wrongValuesOf } from './carry';
import { factGivenEarlier } from './facts-carried';
import { isTrivialAnswer } from './trivial';
import { expectedValue, parseAsk, type Expected } from './question';
import { engineQuestion, kindOf } from './kinds';
import { gradeChoice } from './kinds/choice';
import type { Variant } from './variant';
import { profileOf } from '../profiles';

export const VERDICTS = ['right', 'partial', 'wrong', 'carried_forward', 'diagnosed', 'unreadable', 'missing'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A verdict read back from a stored report, which an older or newer version may have written. */
export const isVerdict = (value: unknown): value is Verdict => (VERDICTS as readonly unknown[]).includes(value);

export interface QuestionReport {
	id: string;
	verdict: Verdict;
	points: number;
	max: number;
	/** what the grader says, as codes with their parameters (feedback-text.ts writes it in the reader's language) */
	message: FeedbackMessage;
	/** the answer is right at the fewer digits it was written with */
	precision?: boolean;
	/** wrong cells of a tensor answer (0-based in the expected shape); never their values */
	wrong?: number[][];
	/** where an unreadable answer stops being readable (0-based character) */
	at?: number;
	/** the earlier question whose wrong value this answer was computed from (and that value's mistake, when named) */
	pointer?: { question: string; symbol: string; mistake?: string };
	/** the mistake that explains every wrong cell, and those cells */
	diagnosis?: { code: string; entries: number[][] };
	/** where several mistakes each explain every wrong cell, their codes: none is named the student's */
	alternatives?: string[];
	/** with the key: the formula as the student's mistake computes it, beside `formula` */
	mistakeFormula?: { fr: CellText; en: CellText };
	/** where the replay shows the value (what "Show me this step" opens) */
	event?: { step: number; name: string; index: number[] };
	/** only when the key may be shown: the expected value and the formula that gives it, per language */
	expected?: NestedNumbers;
	formula?: { fr: CellText; en: CellText };
}

export interface GradeReport {
	points: number;
	max: number;
	questions: QuestionReport[];
}

export interface GradeOptions {
	/** false hides every expected value and formula (an assignment before its feedback date) */
	reveal?: boolean;
	/** overrides the exercise's policy */
	carryForward?: boolean;
}

/** Answers by question id: the strings the student typed. */
export type Answers = Readonly<Record<string, string | undefined>>;

/** Points to the hundredth, as a grade book writes them: sums of thirds do not show float noise. */
export const roundPoints = (points: number): number => Math.round(points * 100) / 100;

interface Marked {
	question: NumericQuestion;
	/** the student's value, or null when missing or unreadable */
	value: NestedNumbers | null;
	/** the mistake named for it, once graded */
	diagnosis?: Diagnosis | null;
	/** the run from this answer's wrong cells alone, once made */
	alone?: Trace | null;
	/**
	 * 0, a constant or a copy of the statement where the key is none of these, and which no honest
	 * computation explains (the student's own run or a named mistake): it carries nothing forward
	 */
	trivial: boolean;
	mark: Mark | null;
}

export function gradeAnswers(exercise: Exercise, variant: Variant, answers: Answers, options: GradeOptions = {}): GradeReport {
	const ctx: GradingContext = {
		exercise,
		variant,
		scenario: validateScenario(withSampleForFacts(exercise, variant.scenario)),
		earlier: [],
		mistakes: null,
		studentRuns: new Map(),
		reveal: options.reveal ?? true,
		carryForward: options.carryForward ?? exercise.policy.carryForward
	};
	const questions = exercise.questions.map((question, index): QuestionReport => {
		switch (question.kind) {
			case 'choice':
				return gradeChoice(question, answers[question.id], ctx.reveal);
			case 'value':
			case 'fact':
				return gradeValue(question, variant.expected[index] as Expected & { ok: true }, answers[question.id], ctx);
		}
	});
	return {
		points: roundPoints(questions.reduce((sum, q) => sum + q.points, 0)),
		max: roundPoints(questions.reduce((sum, q) => sum + q.max, 0)),
		questions
	};
}

interface GradingContext {
	exercise: Exercise;
	variant: Variant;
	scenario: Scenario;
	/** the value questions marked so far, in file order */
	earlier: Marked[];
	/** the mistakes' runs, made on the first wrong answer */
	mistakes: MistakeRuns | null;
	/** the student's runs, one per set of earlier wrong values */
	studentRuns: Map<string, StudentRun | null>;
	reveal: boolean;
	carryForward: boolean;
}

/**
 * Marking steps in order: read the answer in the course's layout (and, where the question accepts
 * either, in the others: the one it fits best), compare, then (for run questions) compare with the
 * student's own run. Past the comparison the answer is read back into the engine's layout
 * (layout.ts): carried-forward values and the mistakes' runs are the engine's, and the cells the
 * report names are written back as the student wrote them, its key as the course writes it.
 */
function gradeValue(q: NumericQuestion, expected: Expected & { ok: true }, text: string | undefined, ctx: GradingContext): QuestionReport {
	const runQuestion = q.kind === 'value';
	const event = runQuestion ? eventOf(q) : undefined;
	const base = { id: q.id, max: q.points, ...(event ? { event } : {}) };
	const showKey = ctx.reveal && q.feedback === 'key';
	const layout = layoutOf(ctx.exercise);
	const course = inCourseLayout(ctx.exercise, q, expected);
	const reading = kindOf(q).read(text, q, course.shape);
	if (!reading.ok) {
		ctx.earlier.push({ question: q, value: null, mark: null, trivial: false });
		return { ...base, verdict: reading.missing ? 'missing' : 'unreadable', points: 0, message: [reading.message], ...(reading.at !== undefined ? { at: reading.at } : {}) };
	}
	// the layouts the answer is read in, the course's first; the one it fits best is the student's
	const readings = [{ layout, view: course.view }, ...(answerLayoutOf(q) === 'either' ? otherLayouts(layout, q, expected.value) : [])].map((read) => ({
		...read,
		mark: markValue(reading.value, toCourse(read.view, expected.value), q.tolerance)
	}));
	const fit = (m: Mark): number => (m.shapeMessage ? -1 : m.score);
	const best = readings.reduce((a, b) => (fit(b.mark) > fit(a.mark) ? b : a));
	const view = best.view;
	const inCourse = (cells: number[][]): number[][] => cells.map((cell) => cellToCourse(view, cell));
	const answer = toEngine(view, reading.value);
	const mark = markValue(answer, expected.value, q.tolerance);
	// a size or a count is never a copy of the statement: [2, 2, 2] is a map like any other
	const trivial = runQuestion && !ctx.exercise.policy.carryTrivial && isTrivialAnswer(answer, expected.value, ctx.variant.scenario);
	const marked: Marked = { question: q, value: answer, mark, trivial };
	ctx.earlier.push(marked);
	const convention = conventionOf(q, expected.value);
	if (best.mark.score === 1) {
		const message = best === readings[0] || !convention ? verdictMessage('right') : [otherLayoutNote(convention, layout, best.layout)];
		return { ...base, verdict: 'right', points: q.points, message };
	}
	const key = showKey ? keyOf(ctx, q, course.view, expected, ctx.variant.trace, mark) : {};
	// the right value in a layout the question does not accept: said so, not taken for a mistake
	const elsewhere = answerLayoutOf(q) === 'course' && convention ? otherLayouts(layout, q, expected.value).find((o) => markValue(reading.value, o.value, q.tolerance).score === 1) : undefined;
	if (elsewhere && convention) return { ...base, verdict: 'wrong', points: 0, message: [wrongLayoutNote(convention, layout, elsewhere.layout)], ...key };
	if (best.mark.shapeMessage || mark.shapeMessage) {
		// a map of another size than the key's, which a mistake of the catalogue gives whole
		const shaped = q.ask === 'shape' ? null : diagnoseShape(mistakeRunsOf(ctx), q, answer, expected.value);
		if (shaped) {
			marked.diagnosis = shaped;
			marked.trivial = false;
			const shapeNote = readings[0].mark.shapeMessage;
			const named: FeedbackPart = { code: 'mistake', mistake: mistakeNamed(shaped.mistake) };
			return { ...base, verdict: 'diagnosed', points: 0, message: shapeNote ? [shapeNote, named] : [named], diagnosis: { code: shaped.mistake.code, entries: [] }, ...key };
		}
		return { ...base, verdict: 'wrong', points: 0, message: readings[0].mark.shapeMessage ? [readings[0].mark.shapeMessage] : verdictMessage('wrong'), ...key };
	}
	const student = runQuestion ? studentRunFor(q, ctx) : null;
	const carried = student ? carriedForward(q, answer, mark, student, ctx) : carriedFact(q, answer, mark, ctx);
	const carriedReport = (c: Carried): QuestionReport => {
		const fully = c.mark.score === 1;
		return {
			...base,
			verdict: 'carried_forward',
			points: roundPoints(q.points * (ctx.carryForward ? c.mark.score : mark.score)),
			message: [
				{
					code: 'carried_forward',
					from: c.pointer.symbol,
					symbol: symbolOf(ctx.variant.trace, writingOf(ctx.exercise), q),
					fully,
					earnsMarks: ctx.carryForward,
					...(c.mistake ? { mistake: c.mistake.title } : {})
				}
			],
			pointer: c.pointer,
			// what is still wrong given the student's own earlier values
			...(fully ? {} : { wrong: inCourse(c.mark.wrong) }),
			...(showKey ? keyOf(ctx, q, course.view, c.expected, c.trace, c.mark) : {})
		};
	};
	if (carried && carried.mark.score === 1) {
		marked.trivial = false;
		return carriedReport(carried);
	}
	// shapes have no catalogued mistake; run questions and the other facts do, in the engine's layout
	const explaining = q.ask === 'shape' ? [] : explainingMistakes(mistakeRunsOf(ctx), q, answer, expected.value, mark.wrong);
	const diagnosis = soleDiagnosis(explaining, mark.wrong);
	const repeated = diagnosis || !student ? null : repeatedMistake(q, answer, student, ctx);
	const named = diagnosis ?? repeated?.diagnosis ?? null;
	if (named) {
		marked.diagnosis = named;
		marked.trivial = false;
		const cell = named.entries[0] ?? [];
		const { sameAs } = named.mistake;
		const onTrace = repeated ? repeated.trace : ctx.variant.trace;
		const mistakeFormula = !showKey
			? null
			: named.trace
				? explainCell(named.trace, writingOf(ctx.exercise), q, cell)
				: sameAs
					? explainCell(onTrace, writingOf(ctx.exercise), q, cell, sameAs)
					: null;
		return {
			...base,
			verdict: 'diagnosed',
			// the explanation, not the marks: only the right cells count
			points: roundPoints(q.points * mark.score),
			message: [repeated ? { code: 'mistake_again', mistake: mistakeNamed(named.mistake), on: repeated.pointer.symbol } : { code: 'mistake', mistake: mistakeNamed(named.mistake) }],
			diagnosis: { code: named.mistake.code, entries: inCourse(mark.wrong) },
			...(repeated ? { pointer: repeated.pointer } : {}),
			...(expected.shape.length > 0 ? { wrong: inCourse(mark.wrong) } : {}),
			...key,
			...(mistakeFormula ? { mistakeFormula } : {})
		};
	}
	if (carried) return carriedReport(carried);
	// where several mistakes give this value, each is said, none named as the student's
	const alternatives = explaining.map((made) => made.mistake);
	const verdict = mark.score > 0 ? 'partial' : 'wrong';
	const said = verdictMessage(verdict, {
		precision: mark.precision,
		digits: q.tolerance,
		expected: showKey ? course.value : undefined,
		wrong: inCourse(mark.wrong),
		shape: course.shape
	});
	const either = alternatives.length > 1;
	const message: FeedbackMessage = either ? [...said, { code: 'several_mistakes', titles: alternatives.map((m) => m.title) }] : said;
	return {
		...base,
		verdict,
		points: roundPoints(q.points * mark.score),
		message,
		...(either ? { alternatives: alternatives.map((m) => m.code) } : {}),
		...(mark.precision ? { precision: true } : {}),
		...(expected.shape.length > 0 ? { wrong: inCourse(mark.wrong) } : {}),
		...key
	};
}

/** The mistakes' runs on the variant's own run, made at the first answer that needs them. */
const mistakeRunsOf = (ctx: GradingContext): MistakeRuns => (ctx.mistakes ??= new MistakeRuns(ctx.scenario, ctx.variant.trace));

/** The layout the exercise's course writes its answers in. */
const layoutOf = (exercise: Exercise): Layout => profileOf(exercise.course).layout;

/** The event a run question reads, for the replay link (the page finds its seq). */
function eventOf(q: ValueQuestion): QuestionReport['event'] {
	const parsed = parseAsk(q.ask);
	return parsed ? { step: q.step, name: parsed.name, index: parsed.index } : undefined;
}

/** The expected value and the formula of the first wrong cell (or of the element asked). */
function keyOf(ctx: GradingContext, q: NumericQuestion, view: View, expected: Expected & { ok: true }, trace: Trace, mark: Mark): Pick<QuestionReport, 'expected' | 'formula'> {
	const formula = q.kind === 'value' ? explainCell(trace, writingOf(ctx.exercise), q, mark.wrong[0] ?? []) : null;
	return { expected: toCourse(view, expected.value), ...(formula ? { formula } : {}) };
}

/** The student's run from their earlier wrong values, made once per set of them; null when they have none. */
function studentRunFor(q: NumericQuestion, ctx: GradingContext): StudentRun | null {
	const written = ctx.earlier.filter((m) => m.question !== q).flatMap((m) => writtenValuesOf(ctx.variant.trace, m));
	if (!written.some((w) => w.wrong)) return null;
	const key = JSON.stringify(written.map((w) => w.substitution));
	if (!ctx.studentRuns.has(key)) {
		const trace = rerun(ctx.scenario, written.map((w) => w.substitution));
		ctx.studentRuns.set(key, trace ? new StudentRun(ctx.scenario, written, trace) : null);
	}
	return ctx.studentRuns.get(key) ?? null;
}

interface Source {
	/** the named mistake of the earlier value, when it has one */
	mistake: Mistake | undefined;
	pointer: { question: string; symbol: string; mistake?: string };
}

interface Carried extends Source {
	mark: Mark;
	expected: Expected & { ok: true };
	trace: Trace;
}

/**
 * The earlier wrong value a later answer was computed from: the first that, alone, changes the
 * question's value. Null when it depends on a trivial one: nothing computed from 0, a constant
 * or a copy of the statement that no honest computation gives earns anything downstream.
 */
function sourceOf(q: NumericQuestion, ctx: GradingContext): Source | null {
	const wrongEarlier = ctx.earlier.filter((m) => m.question !== q && wrongValuesOf(ctx.variant.trace, m).length > 0);
	if (wrongEarlier.length === 0) return null;
	const truth = ctx.variant.expected[ctx.exercise.questions.indexOf(q)];
	const dependsOn = (m: Marked): boolean => {
		if (m.alone === undefined) m.alone = rerun(ctx.scenario, wrongValuesOf(ctx.variant.trace, m));
		const value = m.alone && expectedValue(m.alone, engineQuestion(q));
		return Boolean(value?.ok && truth?.ok && JSON.stringify(value.value) !== JSON.stringify(truth.value));
	};
	if (wrongEarlier.some((m) => m.trivial && dependsOn(m))) return null;
	const source = wrongEarlier.find(dependsOn) ?? wrongEarlier[0];
	const firstWrong = source.mark?.wrong[0] ?? [];
	const symbol = symbolOf(ctx.variant.trace, writingOf(ctx.exercise), source.question, firstWrong);
	const mistake = source.diagnosis?.mistake;
	return { mistake, pointer: { question: source.question.id, symbol, ...(mistake ? { mistake: mistake.code } : {}) } };
}

/** The answer judged against the student's own run, given the rounding of what they wrote. */
function carriedForward(q: NumericQuestion, answer: NestedNumbers, mark: Mark, student: StudentRun, ctx: GradingContext): Carried | null {
	const expected = student.valueOf(q);
	if (!expected.ok) return null;
	let given = markValue(answer, expected.value, q.tolerance);
	if (given.shapeMessage) return null;
	if (given.score < 1) {
		const rounded = markValue(answer, nearestWithin(answer, expected.value, student.spreadOf(q)), q.tolerance);
		if (!rounded.shapeMessage && rounded.score > given.score) given = rounded;
	}
	if (given.score <= mark.score) return null;
	const source = sourceOf(q, ctx);
	return source ? { ...source, mark: given, expected, trace: student.trace } : null;
}

/**
 * A size or a count judged against the model planned again from the student's own earlier output
 * sizes (facts-carried.ts): the next layer sized rightly from a size without its + 1 is right.
 */
function carriedFact(q: NumericQuestion, answer: NestedNumbers, mark: Mark, ctx: GradingContext): Carried | null {
	// a perceptron without a bias counts one parameter fewer than the plans say (question.ts)
	if ((q.ask !== 'output_size' && q.ask !== 'param_count') || ctx.variant.trace.setup.perceptron) return null;
	const sizes = ctx.earlier.flatMap((m) => (m.question !== q && m.question.ask === 'output_size' ? [{ ask: 'output_size' as const, layer: m.question.layer ?? 0, value: m.value, marked: m }] : []));
	const found = factGivenEarlier(ctx.variant.trace.setup.layers, { ask: q.ask, layer: q.layer }, sizes);
	if (!found) return null;
	const given = markValue(answer, found.value, q.tolerance);
	if (given.shapeMessage || given.score <= mark.score) return null;
	const source = found.from.marked;
	const mistake = source.diagnosis?.mistake;
	const symbol = symbolOf(ctx.variant.trace, writingOf(ctx.exercise), source.question);
	const expected: Expected & { ok: true } = { ok: true, value: found.value, shape: Array.isArray(found.value) ? [found.value.length] : [] };
	return { mark: given, expected, trace: ctx.variant.trace, mistake, pointer: { question: source.question.id, symbol, ...(mistake ? { mistake: mistake.code } : {}) } };
}

/** A mistake of the catalogue made on the student's own earlier values, explaining every cell still wrong given them. */
function repeatedMistake(q: NumericQuestion, answer: NestedNumbers, student: StudentRun, ctx: GradingContext): { diagnosis: Diagnosis; trace: Trace; pointer: Source['pointer'] } | null {
	const expected = student.valueOf(q);
	if (!expected.ok) return null;
	const spread = student.spreadOf(q);
	const own = markValue(answer, nearestWithin(answer, expected.value, spread), q.tolerance);
	if (own.shapeMessage || own.score === 1) return null;
	// only a mistake near the answer is worth its runs at the ends of the student's rounding
	const near = (made: MistakeValue): boolean => markValue(answer, made.value, { rel: 0.05 }).score === 1 || markValue(answer, made.value, { abs: 20 * widestError(0, q.tolerance) }).score === 1;
	const diagnosis = diagnose(student.mistakes(), q, answer, expected.value, own.wrong, (made) => (near(made) ? student.mistakeSpread(made, q) : null));
	const source = diagnosis ? sourceOf(q, ctx) : null;
	return diagnosis && source ? { diagnosis, trace: student.trace, pointer: source.pointer } : null;
}
