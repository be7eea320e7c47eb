/** Every question kind through its module (kinds/): one row per question, one test per step a question goes through. */
import { describe, expect, it } from 'vitest';
import { parseExercise, type Exercise, type ExerciseQuestion, type QuestionKind } from '../../../src/lib/exercises/exercise';
import { gradeAnswers } from '../../../src/lib/exercises/grade';
import { answerKey } from '../../../src/lib/exercises/key';
import { KINDS, kindOf } from '../../../src/lib/exercises/kinds';
import { drawVariant, type Variant } from '../../../src/lib/exercises/variant';

/** One dense layer of 2 units on 2 inputs: W[1][0][0] = 0.5 at init; 2 outputs; 6 parameters. */
const TEXT = `id: kinds
title: { fr: Sortes, en: Kinds }
statement: { fr: "Calculez.", en: "Compute." }
topic: neuron
notation: bracket
scenario:
  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: sigmoid, W: [[0.5, -0.5], [1, 1]], b: [0.2, 0] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.5 }
  data: { X: [[1.0, 0.5]], Y: [[1.0, 0.0]] }
questions:
  - { id: w, ask: "W[1][0][0]", step: 0 }
  - { id: size, ask: output_size, layer: 1 }
  - { id: count, ask: param_count }
  - { id: c, ask: choice, prompt: { fr: "σ(0) ?", en: "σ(0)?" }, options: [{ fr: "0", en: "0" }, { fr: "1/2", en: "1/2" }], answer: 1 }
`;

function parsed(text: string): Exercise {
	const result = parseExercise(text, 'kinds.yaml');
	if (!result.ok) throw new Error(JSON.stringify(result.issues));
	return result.exercise;
}

const exercise = parsed(TEXT);
const drawn = drawVariant(exercise, 'student');
if (!drawn.ok) throw new Error(drawn.message);
const variant: Variant = drawn.variant;
const question = (id: string): ExerciseQuestion => exercise.questions.find((q) => q.id === id) ?? exercise.questions[0];

/** id, kind, whether its scenario needs data, a right answer, a wrong one, its key entry */
const ROWS: [string, QuestionKind, boolean, string, string, number | string][] = [
	['w', 'value', true, '0,5', '0,4', 0.5],
	['size', 'fact', false, '2', '7', 2],
	['count', 'fact', false, '6', '100', 6],
	['c', 'choice', false, 'B', 'A', 'B']
];

describe('each kind, from the file to the grade', () => {
	it.each(ROWS)('%s is a %s question, read from the run: %s', (id, kind, readsRun) => {
		const q = question(id);
		expect(q.kind).toBe(kind);
		expect(KINDS[kind].kind).toBe(kind);
		expect(KINDS[kind].readsRun).toBe(readsRun);
	});

	it.each(ROWS)('%s: the expected value, the key and the field', (id, kind, _readsRun, _right, _wrong, key) => {
		const q = question(id);
		const i = exercise.questions.indexOf(q);
		const expected = kindOf(q).expected(variant.trace, q);
		expect(expected).toEqual(kind === 'choice' ? null : { ok: true, value: key, shape: [] });
		expect(variant.expected[i]).toEqual(expected);
		expect(answerKey(exercise, variant)[id]).toEqual(key);
		expect(kindOf(q).field(q, variant.trace, exercise).kind).toBe(kind);
	});

	it.each(ROWS)('%s: a right answer reads and marks right, a wrong one wrong, none as missing', (id, _kind, _readsRun, right, wrong) => {
		const q = question(id);
		const module = kindOf(q);
		const expected = module.expected(variant.trace, q);
		const rightValue = q.kind === 'choice' ? q.answer : expected?.ok ? expected.value : null;
		if (rightValue === null) throw new Error(`${id} has no expected value`);
		const score = (text: string): number => {
			const read = module.read(text, q, []);
			if (!read.ok) throw new Error(`${id}: "${text}" unreadable`);
			return module.mark(read.value, rightValue, q).score;
		};
		expect(score(right)).toBe(1);
		expect(score(wrong)).toBe(0);
		expect(module.read('', q, [])).toMatchObject({ ok: false, missing: true });
		expect(gradeAnswers(exercise, variant, { [id]: right }).questions.find((r) => r.id === id)?.verdict).toBe('right');
		expect(gradeAnswers(exercise, variant, {}).questions.find((r) => r.id === id)?.verdict).toBe('missing');
	});
});

describe('the kind is derived, never written', () => {
	it('refuses a `kind` in the file: the format is unchanged', () => {
		const result = parseExercise(TEXT.replace('- { id: w,', '- { kind: value, id: w,'), 'kinds.yaml');
		expect(!result.ok && result.issues.map((issue) => issue.path.join('.'))).toEqual(['questions.0.kind']);
	});

	it.each([
		['output_size', 'layer', 'missing; output_size needs a layer (1-based, 0: the input)'],
		['shape', 'of', 'missing; shape needs the name of a tensor, such as of: "Z[1]"']
	])('refuses %s without its %s', (ask, key, message) => {
		const result = parseExercise(TEXT.replace('{ id: size, ask: output_size, layer: 1 }', `{ id: size, ask: ${ask} }`), 'kinds.yaml');
		expect(!result.ok && result.issues.map(({ path, message }) => ({ path, message }))).toEqual([{ path: ['questions', 1, key], message }]);
	});

	it('reads a fact by its ask alone: an exercise of facts and choices needs no data', () => {
		// a model alone: no data, hence no loss to compare it with and nothing to optimize
		const factsOnly = parsed(TEXT.replace(/ {2}(loss|optimizer|data): .*\n/g, '').replace(/ {2}- \{ id: w,.*\n/, ''));
		expect(factsOnly.questions.map((q) => q.kind)).toEqual(['fact', 'fact', 'choice']);
		const facts = drawVariant(factsOnly, 'student');
		expect(facts.ok && facts.variant.expected).toEqual([{ ok: true, value: 2, shape: [] }, { ok: true, value: 6, shape: [] }, null]);
	});
});
