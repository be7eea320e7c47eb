/**
 * Grading in the course's terms: an answer written as the course writes it is right. Each row is
 * (course, the convention it is about, exercise, question, the answer as the course prints it, the
 * verdict), with the courses' published numbers where the exercise uses them (tests/fixtures/courses);
 * the answers of the other rows are computed here by hand, in the course's layout, never by the
 * grader's own layout code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NestedNumbers } from '../../../src/lib/engine/tensor';
import { findEvent } from '../../../src/lib/engine/trace';
import { parseExercise, type ChoiceQuestion, type Exercise, type ValueQuestion } from '../../../src/lib/exercises/exercise';
import { gradeAnswers, type QuestionReport, type Verdict } from '../../../src/lib/exercises/grade';
import { answerKey } from '../../../src/lib/exercises/key';
import { parseAsk } from '../../../src/lib/exercises/question';
import { drawVariant, type Variant } from '../../../src/lib/exercises/variant';
import { PROFILES, profileOf } from '../../../src/lib/profiles';
import type { CourseId } from '../../../src/lib/topics';
import { loadFixture, PROJECT_ROOT } from '../../helpers';
import { feedbackText } from '../../../src/lib/exercises/feedback-text';

type Matrix = number[][];
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const transpose = (m: Matrix): Matrix => m[0].map((_, j) => m.map((row) => row[j]));
/** As a French course prints a number: a decimal comma. */
const fr = (x: number): string => String(Number(x.toFixed(6))).replace('.', ',');
/** A matrix as printed, one line per row, entries separated by spaces. */
const lines = (m: Matrix): string => m.map((row) => row.map(fr).join(' ')).join('\n');

function exerciseOf(text: string, file: string): Exercise {
	const parsed = parseExercise(text, file);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	return parsed.exercise;
}
const library = (name: string): Exercise => exerciseOf(readFileSync(join(PROJECT_ROOT, 'exercises', `${name}.yaml`), 'utf8'), `${name}.yaml`);

function variantOf(exercise: Exercise, student = 'course'): Variant {
	const drawn = drawVariant(exercise, student);
	if (!drawn.ok) throw new Error(`${exercise.id}: ${drawn.message}`);
	return drawn.variant;
}

function grade(exercise: Exercise, variant: Variant, question: string, answer: string): QuestionReport {
	const report = gradeAnswers(exercise, variant, { [question]: answer }).questions.find((q) => q.id === question);
	if (!report) throw new Error(`no question ${question}`);
	return report;
}

const layers = (v: Variant): { W: Matrix; b: number[] }[] => (v.scenario.model as { layers: { W: Matrix; b: number[] }[] }).layers;
const rows = (v: Variant, key: 'X' | 'Y'): Matrix => (v.scenario.data as Record<'X' | 'Y', Matrix>)[key];

/** The course's published value of an event, from its fixture. */
function published(fixture: string, step: number, name: string): NestedNumbers {
	const { expect: rowsOf } = loadFixture(fixture) as { expect: { step: number; name: string; value: NestedNumbers }[] };
	const row = rowsOf.find((r) => r.step === step && r.name === name);
	if (!row) throw new Error(`${fixture}: no ${name} at step ${step}`);
	return row.value;
}

/** 004: an n × m image and an a × b filter give (n − a + 1) × (m − b + 1), by the course's formula. */
function outputOfFirstFilter(v: Variant): number[] {
	const model = v.scenario.model as { input: number[]; layers: { kernel: number[] }[] };
	const [, n, m] = model.input;
	const [a, b] = model.layers[0].kernel;
	return [n - a + 1, m - b + 1];
}

/** 003: Z^{[1]} = W^{[1]}X + b^{[1]} with X one column per instance: n^{[1]} × m. */
function z1Columns(v: Variant): Matrix {
	const [{ W, b }] = layers(v);
	const X = transpose(rows(v, 'X'));
	return W.map((w, j) => X[0].map((_, i) => w.reduce((sum, wk, k) => sum + wk * X[k][i], b[j])));
}

interface Row {
	course: CourseId;
	/** the convention of the profile the row is about */
	convention: string;
	exercise: string;
	question: string;
	answer: (v: Variant) => string;
	verdict: Verdict;
	/** the answer is right in another layout: the message says so */
	note?: RegExp;
}

const rowsOfTable: Row[] = [
	// 000: the spreadsheet, one row per example (published numbers)
	{ course: '000', convention: 'instances as rows', exercise: 'perceptron-or-rows', question: 'z-row14', answer: () => fr((published('perceptron-spreadsheet-or.yaml', 10, 'Z[1]') as Matrix)[0][0]), verdict: 'right' },
	{ course: '000', convention: 'instances as rows', exercise: 'perceptron-or-rows', question: 'w-row6', answer: () => (published('perceptron-spreadsheet-or.yaml', 2, 'W[1]') as Matrix)[0].map(fr).join(' ; '), verdict: 'right' },
	// 001: an image is height × width × channels (7×7×8), as Keras writes it
	{ course: '001', convention: 'channels last', exercise: 'cnn-architecture-9x9x3', question: 'size1', answer: () => '7×7×8', verdict: 'right' },
	{ course: '001', convention: 'channels last', exercise: 'cnn-architecture-9x9x3', question: 'size1', answer: () => '7 x 7 x 8', verdict: 'right' },
	{ course: '001', convention: 'channels last', exercise: 'cnn-architecture-9x9x3', question: 'size2', answer: () => '3×3×16', verdict: 'right' },
	{ course: '001', convention: 'channels last', exercise: 'cnn-architecture-9x9x3', question: 'size1', answer: () => '8×7×7', verdict: 'right', note: /height × width × channels/ },
	{ course: '001', convention: 'channels last', exercise: 'cnn-architecture-9x9x3', question: 'size2', answer: () => '5×5×16', verdict: 'diagnosed' },
	{ course: '001', convention: 'none (a count)', exercise: 'cnn-architecture-9x9x3', question: 'params1', answer: () => '224', verdict: 'right' },
	{ course: '001', convention: 'none (a count)', exercise: 'cnn-architecture-9x9x3', question: 'params2', answer: () => '1 168', verdict: 'right' },
	{ course: '001', convention: 'channels last', exercise: 'conv-valid-course', question: 'size', answer: () => '3×3×1', verdict: 'right' },
	{ course: '001', convention: 'none (one map)', exercise: 'conv-valid-course', question: 'map', answer: () => lines((published('conv-valid.yaml', 1, 'Z[1]') as Matrix[][])[0][0]), verdict: 'right' },
	// 002: the bias is a weight w0 on x0 = 1; its update w0' = w0 − α δLoss_{w0} is b[1]'s
	{ course: '002', convention: 'w0 as bias', exercise: 'neuron-blood-count', question: 'z', answer: () => '20', verdict: 'right' },
	{ course: '002', convention: 'w0 as bias', exercise: 'neuron-blood-count', question: 'w0-new', answer: () => fr(1 - 0.1 * (published('neuron-blood-count.yaml', 1, 'db[1]') as number[])[0]), verdict: 'right' },
	// 003: one column per instance, b as an n × 1 column
	{ course: '003', convention: 'none (a count)', exercise: 'mlp-dimensions', question: 'params', answer: () => String((loadFixture('param-counts.yaml') as { counts: { params: number }[] }).counts[0].params), verdict: 'right' },
	{ course: '003', convention: 'instances as columns', exercise: 'mlp-dimensions', question: 'shape-x', answer: () => '2×10', verdict: 'right' },
	{ course: '003', convention: 'instances as columns', exercise: 'mlp-dimensions', question: 'shape-z1', answer: () => '3×10', verdict: 'right' },
	{ course: '003', convention: 'instances as columns', exercise: 'mlp-dimensions', question: 'shape-a2', answer: () => '1 × 10', verdict: 'right' },
	{ course: '003', convention: 'instances as columns', exercise: 'mlp-dimensions', question: 'shape-z1', answer: () => '10×3', verdict: 'right', note: /one column per instance/ },
	{ course: '003', convention: 'bias as column', exercise: 'mlp-dimensions', question: 'shape-b1', answer: () => '3×1', verdict: 'right' },
	{ course: '003', convention: 'bias as column', exercise: 'mlp-dimensions', question: 'shape-b1', answer: () => '3', verdict: 'right', note: /n × 1 column/ },
	{ course: '003', convention: 'none (W is n^[l] × n^[l−1] everywhere)', exercise: 'mlp-dimensions', question: 'shape-w1', answer: () => '3×2', verdict: 'right' },
	{ course: '003', convention: 'none (W is n^[l] × n^[l−1] everywhere)', exercise: 'mlp-dimensions', question: 'shape-w1', answer: () => '2×3', verdict: 'wrong' },
	{ course: '003', convention: 'instances as columns', exercise: 'mlp-forward-matrix', question: 'z1', answer: (v) => lines(z1Columns(v)), verdict: 'right' },
	{ course: '003', convention: 'instances as columns', exercise: 'mlp-forward-matrix', question: 'a1', answer: (v) => lines(z1Columns(v).map((row) => row.map(sigmoid))), verdict: 'right' },
	{ course: '003', convention: 'instances as columns', exercise: 'mlp-forward-matrix', question: 'z1', answer: (v) => lines(transpose(z1Columns(v))), verdict: 'wrong' },
	// 004: an output size written (n − a + 1) × (m − b + 1), the single channel implied: graded as if written 1 × …, its one channel right
	{ course: '004', convention: 'none (one map: height × width)', exercise: 'conv-output-size-course-004', question: 'size1', answer: (v) => outputOfFirstFilter(v).join(' × '), verdict: 'right' },
	{ course: '004', convention: 'none (one map: height × width)', exercise: 'conv-output-size-course-004', question: 'size1', answer: (v) => ['1', ...outputOfFirstFilter(v)].join(' × '), verdict: 'right' },
	{ course: '004', convention: 'none (one map: height × width)', exercise: 'conv-output-size-course-004', question: 'size1', answer: (v) => outputOfFirstFilter(v).map((n) => n + 1).join(' × '), verdict: 'partial' },
	{ course: '004', convention: 'none (one map: height × width)', exercise: 'conv-output-size-course-004', question: 'size1', answer: (v) => ['1', ...outputOfFirstFilter(v).map((n) => n + 1)].join(' × '), verdict: 'partial' },
	// 004: the worked example's deltas, one instance
	{
		course: '004',
		convention: 'none (one instance)',
		exercise: 'backprop-course-004',
		question: 'a2',
		answer: (v) => {
			const [{ W, b }] = layers(v);
			const x = rows(v, 'X')[0];
			return W.map((w, j) => fr(sigmoid(w[0] * x[0] + w[1] * x[1] + b[j]))).join(' ; ');
		},
		verdict: 'right'
	},
	{
		course: '004',
		convention: 'none (one instance)',
		exercise: 'backprop-course-004',
		question: 'delta3',
		answer: (v) => {
			const [first, second] = layers(v);
			const x = rows(v, 'X')[0];
			const a2 = first.W.map((w, j) => sigmoid(w[0] * x[0] + w[1] * x[1] + first.b[j]));
			const a3 = sigmoid(second.W[0][0] * a2[0] + second.W[0][1] * a2[1] + second.b[0]);
			return fr(a3 * (1 - a3) * (a3 - rows(v, 'Y')[0][0]));
		},
		verdict: 'right'
	}
];

describe('an answer as the course writes it', () => {
	it('covers every course and every convention of a profile that changes grading', () => {
		expect(new Set(rowsOfTable.map((r) => r.course))).toEqual(new Set(['000', '001', '002', '003', '004']));
		for (const convention of ['instances as columns', 'bias as column', 'channels last', 'w0 as bias']) expect(rowsOfTable.some((r) => r.convention === convention), convention).toBe(true);
	});

	it.each(rowsOfTable.map((row) => [`${row.course} ${row.exercise} ${row.question}: ${row.convention}`, row] as const))('%s', (_, row) => {
		const exercise = library(row.exercise);
		expect(exercise.course).toBe(row.course);
		const variant = variantOf(exercise);
		const report = grade(exercise, variant, row.question, row.answer(variant));
		expect(report.verdict, `${row.answer(variant)}: ${feedbackText(report.message, 'en')}`).toBe(row.verdict);
		if (row.note) expect(feedbackText(report.message, 'en')).toMatch(row.note);
		else if (row.verdict === 'right') expect(feedbackText(report.message, 'en')).toBe('Right.');
	});
});

/** A one-update network of course 003 (or another course): 2 inputs, 2 units, 2 instances. */
const square = (course: CourseId, ask: string): Exercise =>
	exerciseOf(
		`id: square
title: { fr: Carré, en: Square }
statement: { fr: "Calculez.", en: "Compute." }
topic: mlp-forward
course: "${course}"
notation: ${PROFILES[course].notation}
# η = 0.5 makes ½ forgotten and the sum for the mean the same update: no mistake is asked about here
allow: [mistakes-coincide]
scenario:
  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: sigmoid, W: [[0.5, -1], [1.5, 0.5]], b: [0.1, -0.2] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.5 }
  data: { X: [[1, 2], [3, -1]], Y: [[1, 0], [0, 1]] }
  training: { epochs: 1, batch_size: 2 }
questions:
  - { id: q, ${ask} }
`,
		'square.yaml'
	);

describe('instances as columns, where the transpose has the same shape (003)', () => {
	const W = [
		[0.5, -1],
		[1.5, 0.5]
	];
	const b = [0.1, -0.2];
	const X = [
		[1, 3],
		[2, -1]
	]; // one column per instance
	/** z_j^{(i)} = Σ_k w_jk x_k^{(i)} + b_j, or with W read column by column */
	const z = (w: Matrix): Matrix => w.map((row, j) => [0, 1].map((i) => row[0] * X[0][i] + row[1] * X[1][i] + b[j]));
	const exercise = square('003', 'ask: "Z[1]", step: 1');
	const variant = variantOf(exercise);

	it('is right written one column per instance, and its key is written so', () => {
		expect(grade(exercise, variant, 'q', lines(z(W)))).toMatchObject({ verdict: 'right' });
		expect(answerKey(exercise, variant).q).toEqual(z(W));
	});

	it('says so of the right values written one row per instance, and names no mistake', () => {
		const report = grade(exercise, variant, 'q', lines(transpose(z(W))));
		expect(report.verdict).toBe('wrong');
		expect(report.diagnosis).toBeUndefined();
		expect(feedbackText(report.message, 'en')).toMatch(/one column per instance; your answer has the right values, written with one row per instance/);
	});

	it('names rows and columns of W swapped in the course’s layout', () => {
		const report = grade(exercise, variant, 'q', lines(z(transpose(W))));
		expect(report).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'rows-columns-swapped' } });
	});

	it('accepts either layout for a whole matrix of activations when the question says so', () => {
		const either = square('003', 'ask: "Z[1]", step: 1, layout: either');
		const transposed = grade(either, variantOf(either), 'q', lines(transpose(z(W))));
		expect(transposed).toMatchObject({ verdict: 'right', message: [{ code: 'right_in_other_layout', expects: 'instance_columns', given: 'instance_rows' }] });
		expect(feedbackText(transposed.message, 'en')).toMatch(/another layout/);
	});

	it('writes b as an n × 1 column, and reads it so', () => {
		const bias = square('003', 'ask: "b[1]", step: 1');
		const v = variantOf(bias);
		const key = answerKey(bias, v).q as Matrix;
		expect(key.map((row) => row.length)).toEqual([1, 1]);
		expect(grade(bias, v, 'q', key.map((row) => fr(row[0])).join('\n'))).toMatchObject({ verdict: 'right' });
	});
});

describe('a mistake of the transpose in a course that writes instances as columns (003)', () => {
	const exercise = exerciseOf(
		`id: deep
title: { fr: Profond, en: Deep }
statement: { fr: "Calculez.", en: "Compute." }
topic: backprop
course: "003"
notation: bracket
allow: [mistakes-coincide]
scenario:
  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: sigmoid, W: [[0.5, -1], [1.5, 0.5]], b: [0.1, -0.2] }
      - { type: dense, units: 2, activation: sigmoid, W: [[1, -0.5], [0.25, 2]], b: [0, 0.3] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.5 }
  data: { X: [[1, 2], [3, -1]], Y: [[1, 0], [0, 1]] }
  training: { epochs: 1, batch_size: 2 }
questions:
  - { id: q, ask: "dA[1]", step: 1 }
`,
		'deep.yaml'
	);
	const variant = variantOf(exercise);
	const W2 = layers(variant)[1].W;
	const event = findEvent(variant.trace, 1, 'dZ[2]');
	if (!event) throw new Error('no dZ[2]');
	// δ^{[2]} one column per instance, as the course writes it
	const delta = transpose([0, 1].map((i) => [event.value.data[2 * i], event.value.data[2 * i + 1]]));
	/** dA^{[1]} = (W^{[2]})ᵀ δ^{[2]}, or W^{[2]} δ^{[2]} when the transpose is forgotten */
	const back = (w: Matrix): Matrix => [0, 1].map((k) => [0, 1].map((i) => w[0][k] * delta[0][i] + w[1][k] * delta[1][i]));

	it('is right through the transpose, written one column per instance', () => {
		expect(grade(exercise, variant, 'q', lines(back(W2)))).toMatchObject({ verdict: 'right' });
	});

	it('names W not transposed, compared in the course’s layout', () => {
		expect(grade(exercise, variant, 'q', lines(back(transpose(W2))))).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'w-not-transposed' } });
	});
});

describe('what does not change grading', () => {
	it('the learning rate’s and the cost’s symbols: 002 (α, Loss) and 004 (η, C) grade alike, each writing its own symbols', () => {
		expect(profileOf('002').layout).toEqual(profileOf('004').layout);
		const as002 = square('002', 'ask: "W[1]", step: 1');
		const as004 = square('004', 'ask: "W[1]", step: 1');
		const key = answerKey(as002, variantOf(as002)).q as Matrix;
		expect(answerKey(as004, variantOf(as004)).q).toEqual(key);
		const marks = ({ verdict, points, max, wrong, diagnosis }: QuestionReport) => ({ verdict, points, max, wrong, diagnosis });
		for (const answer of [lines(key), lines(transpose(key)), '0 0\n0 0']) {
			expect(marks(grade(as004, variantOf(as004), 'q', answer))).toEqual(marks(grade(as002, variantOf(as002), 'q', answer)));
		}
		// the feedback's formula is each course's: 004 numbers the input as layer 1 and writes η and C, 002 α and Loss
		const formula = (exercise: Exercise): string => grade(exercise, variantOf(exercise), 'q', '0 0\n0 0').formula?.en.symbolic ?? '';
		expect(formula(as004)).toMatch(/^w\^\{\(2\)\}_\{11\} \\leftarrow .*\\eta \\frac\{\\partial C\}/);
		expect(formula(as002)).toMatch(/^w\^\{\[1\]\}_\{11\} \\leftarrow .*\\alpha \\frac\{\\partial \\text\{Loss\}\}/);
	});
});

/** The engine's event, as the course lays it out, by hand: 003's activations by columns and b as a column. */
function asCourseWrites(exercise: Exercise, q: ValueQuestion, value: NestedNumbers): NestedNumbers {
	const { layout } = profileOf(exercise.course);
	const parsed = parseAsk(q.ask);
	if (!parsed || parsed.index.length > 0 || !Array.isArray(value)) return value;
	const quantity = parsed.quantity.symbol;
	const matrix = Array.isArray(value[0]) && !Array.isArray((value as NestedNumbers[][])[0][0]);
	if (layout.instances === 'columns' && ['A', 'Z', 'dA', 'dZ'].includes(quantity) && matrix) return transpose(value as Matrix);
	if (layout.bias === 'column' && ['b', 'db'].includes(quantity) && !matrix) return (value as number[]).map((x) => [x]);
	return value;
}

/** A value typed as on paper: a number with a decimal comma, a vector with ;, a matrix line by line. */
function typed(value: NestedNumbers): string {
	if (typeof value === 'number') return fr(value);
	if (value.every((x) => typeof x === 'number')) return (value as number[]).map(fr).join(' ; ');
	return lines(value as Matrix);
}

describe('every exercise of the five courses', () => {
	const courses = readdirSync(join(PROJECT_ROOT, 'exercises'))
		.filter((f) => f.endsWith('.yaml'))
		.map((f) => library(f.replace(/\.yaml$/, '')))
		.filter((e) => e.course !== undefined);

	it('names its course, and the five courses have exercises', () => {
		expect(new Set(courses.map((e) => e.course))).toEqual(new Set(['000', '001', '002', '003', '004']));
	});

	it.each(courses.map((e) => [`${e.course} ${e.id}`, e] as const))('%s: answered as the course writes it, scores full marks', (_, exercise) => {
		for (const student of ['course', 'alice']) {
			const variant = variantOf(exercise, student);
			const { layout } = profileOf(exercise.course);
			const answers: Record<string, string> = {};
			exercise.questions.forEach((question, i) => {
				if (question.ask === 'choice') {
					answers[question.id] = String.fromCharCode(65 + (question as ChoiceQuestion).answer);
					return;
				}
				const q = question as ValueQuestion;
				const expected = variant.expected[i];
				if (!expected?.ok) throw new Error(`${exercise.id} ${q.id}: no key`);
				if (q.ask === 'param_count') answers[q.id] = String(expected.value);
				else if (q.ask === 'output_size' || q.ask === 'shape') {
					// sizes as the course writes them: 001's h × w × channels, 003's n × m and n × 1
					let shape = typeof expected.value === 'number' ? [expected.value] : (expected.value as number[]);
					if (layout.channels === 'last' && shape.length === 3) shape = [shape[1], shape[2], shape[0]];
					if (layout.instances === 'columns' && q.ask === 'shape' && /^(A|Z|dA|dZ)\[/.test(q.of ?? '') && shape.length === 2) shape = [shape[1], shape[0]];
					if (layout.bias === 'column' && q.ask === 'shape' && /^d?b\[/.test(q.of ?? '')) shape = [...shape, 1];
					answers[q.id] = shape.join('×');
				} else answers[q.id] = typed(asCourseWrites(exercise, q, expected.value));
			});
			const report = gradeAnswers(exercise, variant, answers);
			const notRight = report.questions.filter((q) => q.verdict !== 'right' || feedbackText(q.message, 'en') !== 'Right.');
			expect(notRight, `${exercise.id} ${student}: ${JSON.stringify(answers)}`).toEqual([]);
			expect(report.points).toBe(report.max);
		}
	});
});
