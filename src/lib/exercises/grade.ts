/**
 * Grading a student's answers to one variant of an exercise.
 *
 * Each question is marked against the variant's run. A run question that is not right is then
 * marked again against a run that goes on from the student's own earlier wrong values (the
 * engine substitutes them: nothing is recomputed here). When that run agrees with the answer,
 * the error was carried forward: the answer earns its marks if the policy says so, and the
 * feedback names the first wrong earlier value it was computed from.
 */
import { run, type Substitution } from '../engine/run';
import { validateScenario, type Scenario } from '../engine/scenario/validate';
import type { NestedNumbers } from '../engine/tensor';
import type { Trace } from '../engine/trace';
import type { Message } from './answer';
import { engineQuestion, FACTS, withSampleForFacts, type ChoiceQuestion, type Exercise, type Localized, type ValueQuestion } from './exercise';
import { describeExpected, diagnosisText, explainCell, pointerText, symbolOf, verdictText, writingOf, type CellText } from './feedback';
import type { Mistake } from './mistakes/catalogue';
import { diagnose, MistakeRuns, type Diagnosis } from './mistakes/diagnose';
import { answerLayoutOf, cellToCourse, conventionOf, inCourseLayout, otherLayoutNote, otherLayouts, wrongLayoutNote, toCourse, toEngine, type Layout, type View } from './layout';
import { markValue, readAnswer, readChoice, type Mark } from './mark';
import { offsetOf } from '../formulas/indexing';
import { isTrivialAnswer } from './trivial';
import { expectedValue, locateAsk, parseAsk, type Expected } from './question';
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
	message: Localized;
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

const round = (points: number): number => Math.round(points * 100) / 100;

interface Marked {
	question: ValueQuestion;
	/** the student's value, or null when missing or unreadable */
	value: NestedNumbers | null;
	/** the mistake named for it, once graded */
	diagnosis?: Diagnosis | null;
	/** 0, a constant or a copy of the statement where the key is none of these: it carries nothing forward */
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
		reveal: options.reveal ?? true,
		carryForward: options.carryForward ?? exercise.policy.carryForward
	};
	const questions = exercise.questions.map((question, index): QuestionReport => {
		if (question.ask === 'choice') return gradeChoice(question as ChoiceQuestion, answers[question.id], ctx.reveal);
		return gradeValue(question as ValueQuestion, variant.expected[index] as Expected & { ok: true }, answers[question.id], ctx);
	});
	return {
		points: round(questions.reduce((sum, q) => sum + q.points, 0)),
		max: round(questions.reduce((sum, q) => sum + q.max, 0)),
		questions
	};
}

interface GradingContext {
	exercise: Exercise;
	variant: Variant;
	scenario: Scenario;
	/** the run questions marked so far, in file order */
	earlier: Marked[];
	/** the mistakes' runs, made on the first wrong answer */
	mistakes: MistakeRuns | null;
	reveal: boolean;
	carryForward: boolean;
}

function isRunQuestion(q: ValueQuestion): boolean {
	return !(FACTS as readonly string[]).includes(q.ask);
}

/**
 * Marking steps in order: read the answer in the course's layout (and, where the question accepts
 * either, in the others: the one it fits best), compare, then (for run questions) compare with the
 * student's own run. Past the comparison the answer is read back into the engine's layout
 * (layout.ts): carried-forward values and the mistakes' runs are the engine's, and the cells the
 * report names are written back as the student wrote them, its key as the course writes it.
 */
function gradeValue(q: ValueQuestion, expected: Expected & { ok: true }, text: string | undefined, ctx: GradingContext): QuestionReport {
	const runQuestion = isRunQuestion(q);
	const event = runQuestion ? eventOf(q) : undefined;
	const base = { id: q.id, max: q.points, ...(event ? { event } : {}) };
	const showKey = ctx.reveal && q.feedback === 'key';
	const layout = layoutOf(ctx.exercise);
	const course = inCourseLayout(ctx.exercise, q, expected);
	const reading = readAnswer(text, course.shape, q.ask === 'shape' || q.ask === 'output_size');
	if (!reading.ok) {
		if (runQuestion) ctx.earlier.push({ question: q, value: null, mark: null, trivial: false });
		return { ...base, verdict: reading.missing ? 'missing' : 'unreadable', points: 0, message: reading.message, ...(reading.at !== undefined ? { at: reading.at } : {}) };
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
	const trivial = !ctx.exercise.policy.carryTrivial && isTrivialAnswer(answer, expected.value, ctx.variant.scenario);
	const marked: Marked = { question: q, value: answer, mark, trivial };
	if (runQuestion) ctx.earlier.push(marked);
	const convention = conventionOf(q, expected.value);
	if (best.mark.score === 1) {
		const message = best === readings[0] || !convention ? verdictText('right') : otherLayoutNote(convention, layout, best.layout);
		return { ...base, verdict: 'right', points: q.points, message };
	}
	const key = showKey ? keyOf(ctx, q, course.view, expected, ctx.variant.trace, mark) : {};
	// the right value in a layout the question does not accept: said so, not taken for a mistake
	const elsewhere = answerLayoutOf(q) === 'course' && convention ? otherLayouts(layout, q, expected.value).find((o) => markValue(reading.value, o.value, q.tolerance).score === 1) : undefined;
	if (elsewhere && convention) return { ...base, verdict: 'wrong', points: 0, message: wrongLayoutNote(convention, layout, elsewhere.layout), ...key };
	if (best.mark.shapeMessage || mark.shapeMessage) return { ...base, verdict: 'wrong', points: 0, message: readings[0].mark.shapeMessage ?? verdictText('wrong'), ...key };
	const carried = runQuestion ? carriedForward(q, answer, mark, ctx) : null;
	if (carried) {
		const fully = carried.mark.score === 1;
		return {
			...base,
			verdict: 'carried_forward',
			points: round(q.points * (ctx.carryForward ? carried.mark.score : mark.score)),
			message: pointerText(carried.pointer.symbol, symbolOf(ctx.variant.trace, writingOf(ctx.exercise), q), ctx.carryForward, fully, carried.mistake?.title),
			pointer: carried.pointer,
			// what is still wrong given the student's own earlier values
			...(fully ? {} : { wrong: inCourse(carried.mark.wrong) }),
			...(showKey ? keyOf(ctx, q, course.view, carried.expected, carried.trace, carried.mark) : {})
		};
	}
	// shapes have no catalogued mistake; run questions and the other facts do, in the engine's layout
	const diagnosis = q.ask === 'shape' ? null : diagnose((ctx.mistakes ??= new MistakeRuns(ctx.scenario, ctx.variant.trace)), q, answer, expected.value, mark.wrong);
	marked.diagnosis = diagnosis;
	if (diagnosis) {
		const cell = diagnosis.entries[0] ?? [];
		const { sameAs } = diagnosis.mistake;
		const mistakeFormula = !showKey
			? null
			: diagnosis.trace
				? explainCell(diagnosis.trace, writingOf(ctx.exercise), q, cell)
				: sameAs
					? explainCell(ctx.variant.trace, writingOf(ctx.exercise), q, cell, sameAs)
					: null;
		return {
			...base,
			verdict: 'diagnosed',
			// the explanation, not the marks: only the right cells count
			points: round(q.points * mark.score),
			message: diagnosisText(diagnosis.mistake),
			diagnosis: { code: diagnosis.mistake.code, entries: inCourse(diagnosis.entries) },
			...(expected.shape.length > 0 ? { wrong: inCourse(mark.wrong) } : {}),
			...key,
			...(mistakeFormula ? { mistakeFormula } : {})
		};
	}
	const verdict = mark.score > 0 ? 'partial' : 'wrong';
	const message = verdictText(verdict, {
		precision: mark.precision,
		digits: q.tolerance,
		expected: showKey ? describeExpected(course.value) : undefined,
		wrong: inCourse(mark.wrong),
		shape: course.shape
	});
	return {
		...base,
		verdict,
		points: round(q.points * mark.score),
		message,
		...(mark.precision ? { precision: true } : {}),
		...(expected.shape.length > 0 ? { wrong: inCourse(mark.wrong) } : {}),
		...key
	};
}

/** The layout the exercise's course writes its answers in. */
const layoutOf = (exercise: Exercise): Layout => profileOf(exercise.course).layout;

/** The event a run question reads, for the replay link (the page finds its seq). */
function eventOf(q: ValueQuestion): QuestionReport['event'] {
	const parsed = parseAsk(q.ask);
	return parsed ? { step: q.step ?? 1, name: parsed.name, index: parsed.index } : undefined;
}

/** The expected value and the formula of the first wrong cell (or of the element asked). */
function keyOf(ctx: GradingContext, q: ValueQuestion, view: View, expected: Expected & { ok: true }, trace: Trace, mark: Mark): Pick<QuestionReport, 'expected' | 'formula'> {
	const formula = isRunQuestion(q) ? explainCell(trace, writingOf(ctx.exercise), q, mark.wrong[0] ?? []) : null;
	return { expected: toCourse(view, expected.value), ...(formula ? { formula } : {}) };
}

/** Substitutions that put the student's wrong cells of an earlier answer into the run. */
function substitutionsOf(trace: Trace, marked: Marked): Substitution[] {
	const { question, value, mark } = marked;
	const parsed = parseAsk(question.ask);
	if (!parsed || value === null || mark === null || mark.score === 1 || mark.shapeMessage) return [];
	const located = locateAsk(trace, engineQuestion(question) as { ask: string; step: number });
	if (!located) return [];
	const flat = flatten(value);
	if (flat.length !== located.size) return [];
	// Wrong cells are indexed in the expected value's shape, whose row-major order is the answer's.
	const shape = located.shape.slice(parsed.index.length);
	// only the wrong cells: the right ones stay at full precision, not at the student's rounding
	return mark.wrong.map((index) => {
		const k = offsetOf(shape, index);
		return { step: question.step ?? 1, name: parsed.name, offset: located.offset + k, values: [flat[k]] };
	});
}

function flatten(value: NestedNumbers, out: number[] = []): number[] {
	if (typeof value === 'number') out.push(value);
	else for (const item of value) flatten(item, out);
	return out;
}

interface Carried {
	/** the named mistake of the earlier value, when it has one */
	mistake: Mistake | undefined;
	mark: Mark;
	expected: Expected & { ok: true };
	trace: Trace;
	pointer: { question: string; symbol: string };
}

function rerun(ctx: GradingContext, substitutions: Substitution[]): Trace | null {
	try {
		return run(ctx.scenario, { substitutions });
	} catch {
		return null;
	}
}

/** The answer judged against the run that goes on from the student's earlier wrong values. */
function carriedForward(q: ValueQuestion, answer: NestedNumbers, mark: Mark, ctx: GradingContext): Carried | null {
	const wrongEarlier = ctx.earlier.filter((m) => m.question !== q && substitutionsOf(ctx.variant.trace, m).length > 0);
	if (wrongEarlier.length === 0) return null;
	const all = wrongEarlier.flatMap((m) => substitutionsOf(ctx.variant.trace, m));
	const trace = rerun(ctx, all);
	if (!trace) return null;
	const expected = expectedValue(trace, engineQuestion(q));
	if (!expected.ok) return null;
	const given = markValue(answer, expected.value, q.tolerance);
	if (given.shapeMessage || given.score <= mark.score) return null;
	// The earlier wrong values this answer depends on: alone, each changes its expected value.
	const truth = ctx.variant.expected[ctx.exercise.questions.indexOf(q)];
	const dependsOn = (m: Marked): boolean => {
		const alone = rerun(ctx, substitutionsOf(ctx.variant.trace, m));
		const value = alone && expectedValue(alone, engineQuestion(q));
		return Boolean(value?.ok && truth?.ok && JSON.stringify(value.value) !== JSON.stringify(truth.value));
	};
	// nothing computed from a trivial answer (0, a constant, a copy of the statement) earns marks downstream
	if (wrongEarlier.some((m) => m.trivial && dependsOn(m))) return null;
	const source = wrongEarlier.find(dependsOn) ?? wrongEarlier[0];
	const firstWrong = source.mark?.wrong[0] ?? [];
	const symbol = symbolOf(ctx.variant.trace, writingOf(ctx.exercise), source.question, firstWrong);
	const mistake = source.diagnosis?.mistake;
	return { mark: given, expected, trace, mistake, pointer: { question: source.question.id, symbol, ...(mistake ? { mistake: mistake.code } : {}) } };
}

function gradeChoice(q: ChoiceQuestion, text: string | undefined, reveal: boolean): QuestionReport {
	const base = { id: q.id, max: q.points };
	const read = readChoice(text, q);
	if (!read.ok) return { ...base, verdict: read.missing ? 'missing' : 'unreadable', points: 0, message: read.message as Message };
	if (read.option === q.answer) return { ...base, verdict: 'right', points: q.points, message: verdictText('right') };
	const letter = String.fromCharCode(65 + q.answer);
	const shown = reveal && q.feedback === 'key';
	const message = shown
		? { fr: `Faux : la bonne réponse est ${letter} (${q.options[q.answer].fr}).`, en: `Wrong: the right answer is ${letter} (${q.options[q.answer].en}).` }
		: verdictText('wrong');
	return { ...base, verdict: 'wrong', points: 0, message, ...(shown ? { expected: q.answer } : {}) };
}
