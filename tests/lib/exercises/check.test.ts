/**
 * `stepwise check` on what names a course: the course (and so the profile) of an exercise or a
 * lesson, and a question's `layout`, each refused with the file's line and a message that says why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExerciseText, checkLessonText, isLessonText } from '../../../src/lib/exercises/check';
import { parseExercise } from '../../../src/lib/exercises/exercise';
import { PROJECT_ROOT } from '../../helpers';

const exercise = (lines: { course?: string; question: string }): string => `id: tiny
title: { fr: Petit, en: Tiny }
statement: { fr: "Calculez.", en: "Compute." }
topic: mlp-forward
${lines.course === undefined ? '' : `course: ${lines.course}\n`}notation: bracket
allow: [mistakes-coincide]
scenario:
  model:
    input: 2
    layers:
      - { type: dense, units: 3, activation: sigmoid, W: [[0.5, -0.5], [1, 0.5], [-1, 0.5]], b: [0.2, 0, -0.1] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.3 }
  data: { X: [[1.0, 0.5], [2, -1]], Y: [[1.0, 0, 1], [0, 1, 0]] }
questions:
  - { ${lines.question} }
`;

const LESSONS = join(PROJECT_ROOT, 'src/lib/lessons/library');
const lesson = (name: string): string => readFileSync(join(LESSONS, name), 'utf8');

describe('the course of an exercise', () => {
	it.each([
		['"003"', true, null],
		['004', false, /^names no course profile: expected one of "000", "001", "002", "003", "004", got 4; quote it \("004"\): unquoted, YAML reads it as the number 4/],
		['"005"', false, /^names no course profile: expected one of .*, got "005"$/]
	] as const)('course: %s', (course, ok, message) => {
		const result = checkExerciseText(exercise({ course, question: 'ask: "Z[1]", step: 1' }), 'tiny.yaml', 1);
		expect(result.ok).toBe(ok);
		if (message) expect(result.issues).toEqual([expect.objectContaining({ path: ['course'], line: 5, message: expect.stringMatching(message) })]);
	});
});

describe('the notation of an exercise that names its course', () => {
	it.each([
		['"003"', true, null],
		['"000"', true, null],
		['"004"', false, /^course 004 writes the paren notation; got bracket/],
		['"001"', false, /^course 001 writes the layer notation; got bracket/]
	] as const)('course %s, notation bracket', (course, ok, message) => {
		const result = checkExerciseText(exercise({ course, question: 'ask: "Z[1]", step: 1' }), 'tiny.yaml', 1);
		expect(result.ok).toBe(ok);
		if (message) expect(result.issues).toEqual([expect.objectContaining({ path: ['notation'], line: 6, message: expect.stringMatching(message) })]);
		// a text an assignment stored before the rule is still read, so that its pages open
		expect(parseExercise(exercise({ course, question: 'ask: "Z[1]", step: 1' }), 'tiny.yaml').ok).toBe(true);
	});
});

describe('the layout a question accepts', () => {
	it.each([
		['a whole matrix of activations', 'ask: "Z[1]", step: 1, layout: either', null],
		['a shape of activations', 'ask: shape, of: "A[1]", layout: either', null],
		['a matrix of weights', 'ask: "W[1]", step: 1, layout: either', /W\[1\] is n\^\[l\] × n\^\[l-1\] in every course: its transpose is another matrix, and accepting it would hide rows and columns swapped/],
		['a whole bias', 'ask: "b[1]", step: 1, layout: either', /only a shape, an output size or a whole matrix of activations/],
		['the shape of W', 'ask: shape, of: "W[1]", layout: either', /the shape of W\[1\] is written the same way in every course/],
		['an element', 'ask: "Z[1][0][1]", step: 1, layout: either', /written the same way in every course/],
		['any question, course only', 'ask: "W[1]", step: 1, layout: course', null]
	] as const)('%s', (_, question, message) => {
		const result = checkExerciseText(exercise({ course: '"003"', question }), 'tiny.yaml', 1);
		if (message === null) expect(result.issues).toEqual([]);
		else expect(result.issues).toEqual([expect.objectContaining({ path: ['questions', 0, 'layout'], line: 17, message: expect.stringMatching(message) })]);
	});

	it('refuses a layout that is neither', () => {
		const result = checkExerciseText(exercise({ question: 'ask: "Z[1]", step: 1, layout: rows' }), 'tiny.yaml', 1);
		expect(result.issues).toEqual([expect.objectContaining({ path: ['questions', 0, 'layout'], line: 16 })]);
	});
});

describe('the course of a lesson', () => {
	const files = readdirSync(LESSONS).filter((f) => f.endsWith('.yaml'));

	it.each(files)('%s names a course profile', (file) => {
		expect(isLessonText(lesson(file))).toBe(true);
		expect(checkLessonText(lesson(file), file)).toEqual({ ok: true, issues: [] });
	});

	it('names the line of a course that is no course', () => {
		const text = lesson('conv-valid.yaml').replace(/^course: "001"$/m, 'course: 1');
		const line = text.split('\n').findIndex((l) => l === 'course: 1') + 1;
		const result = checkLessonText(text, 'conv-valid.yaml');
		expect(result.ok).toBe(false);
		expect(result.issues).toEqual([expect.objectContaining({ path: ['course'], line, message: expect.stringMatching(/got 1; quote it \("001"\)/) })]);
	});

	it('is not an exercise, and an exercise is not a lesson', () => {
		expect(isLessonText(readFileSync(join(PROJECT_ROOT, 'exercises/mlp-dimensions.yaml'), 'utf8'))).toBe(false);
		expect(checkLessonText(lesson('conv-valid.yaml'), 'other-name.yaml').issues).toEqual([expect.objectContaining({ path: ['id'] })]);
	});
});
