import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkExercise, parseExercise, type Exercise } from '../../../src/lib/exercises/exercise';
import { formatPath } from '../../../src/lib/engine/scenario/issues';

const read = (name: string) => readFileSync(new URL(`../../../exercises/${name}.yaml`, import.meta.url), 'utf8');

function parsed(name: string): Exercise {
	const result = parseExercise(read(name), `exercises/${name}.yaml`);
	if (!result.ok) throw new Error(result.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('\n'));
	return result.exercise;
}

describe('library exercises', () => {
	it.each(['backprop-221', 'conv-output-size'])('%s parses and every question resolves', (name) => {
		const exercise = parsed(name);
		expect(exercise.id).toBe(name);
		expect(checkExercise(exercise).ok).toBe(true);
	});

	it('conv-output-size gives [8, 7, 7] and 224 parameters', () => {
		const check = checkExercise(parsed('conv-output-size'));
		if (!check.ok) throw new Error('check failed');
		expect(check.expected.map((e) => (e?.ok ? e.value : null))).toEqual([[8, 7, 7], 224]);
	});
});

/** A small valid exercise, changed by each case. */
const VALID = `id: tiny
title: { fr: Petit, en: Tiny }
statement: { fr: "Calculez $z$.", en: "Compute $z$." }
topic: neuron
notation: bracket
scenario:
  model:
    input: 2
    layers:
      - { type: dense, units: 1, activation: sigmoid, W: [[0.5, -0.5]], b: [0.2] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.5 }
  data: { X: [[1.0, 0.5]], Y: [[1.0]] }
questions:
  - { ask: "Z[1]", step: 1, tolerance: { abs: 0.005 } }
  - { ask: choice, prompt: { fr: Vrai ?, en: True? }, options: [{ fr: oui, en: yes }, { fr: non, en: no }], answer: 1, points: 2 }
`;

describe('malformed exercises', () => {
	it('the base case is valid', () => {
		const result = parseExercise(VALID, 'tiny.yaml');
		expect(result.ok).toBe(true);
		if (result.ok) expect(checkExercise(result.exercise).ok).toBe(true);
	});

	const cases: [string, string, string, RegExp, number?][] = [
		['unknown top-level key', VALID.replace('topic:', 'topc: x\ntopic:'), 'topc', /unknown key "topc"/, 4],
		['missing title.fr', VALID.replace('title: { fr: Petit, en: Tiny }', 'title: { en: Tiny }'), 'title.fr', /missing/, 2],
		['empty statement.en', VALID.replace('en: "Compute $z$."', 'en: " "'), 'statement.en', /must not be empty/],
		['bad notation', VALID.replace('notation: bracket', 'notation: brackets'), 'notation', /expected one of .*bracket/, 5],
		['id not the file name', VALID, 'id', /expected "other" \(the file name\)/, 1],
		['id not kebab-case', VALID.replace('id: tiny', 'id: Tiny_1'), 'id', /kebab-case/],
		['unknown tolerance kind', VALID.replace('{ abs: 0.005 }', '{ absolute: 0.005 }'), 'questions[0].tolerance.absolute', /unknown key/, 15],
		['negative tolerance', VALID.replace('{ abs: 0.005 }', '{ abs: -1 }'), 'questions[0].tolerance.abs', /≥ 0/],
		['fractional decimals', VALID.replace('{ abs: 0.005 }', '{ decimals: 2.5 }'), 'questions[0].tolerance.decimals', /whole number/],
		['two tolerance kinds', VALID.replace('{ abs: 0.005 }', '{ abs: 0.1, rel: 0.1 }'), 'questions[0].tolerance', /exactly one key/],
		['tolerance not a mapping', VALID.replace('{ abs: 0.005 }', '0.005'), 'questions[0].tolerance', /expected one of/],
		['choice answer out of range', VALID.replace('answer: 1', 'answer: 2'), 'questions[1].answer', /from 0 to 1/],
		['choice with one option', VALID.replace('[{ fr: oui, en: yes }, { fr: non, en: no }]', '[{ fr: oui, en: yes }]'), 'questions[1].options', /at least 2/],
		['unknown question key', VALID.replace('step: 1,', 'step: 1, stpe: 2,'), 'questions[0].stpe', /unknown key "stpe"/],
		['tensor question without step', VALID.replace('step: 1, ', ''), 'questions[0].step', /missing/],
		['output_size without layer', VALID.replace('ask: "Z[1]", step: 1', 'ask: output_size'), 'questions[0].layer', /missing/],
		['negative points', VALID.replace('points: 2', 'points: -2'), 'questions[1].points', /more than 0/],
		['hint without en', VALID.replace('step: 1,', 'step: 1, hints: [{ fr: indice }],'), 'questions[0].hints[0].en', /missing/],
		['no questions', VALID.replace(/questions:[\s\S]*$/, 'questions: []\n'), 'questions', /at least 1/],
		['bad scenario', VALID.replace('activation: sigmoid', 'activation: sigmod'), 'scenario.model.layers[0].activation', /sigmoid/, 10],
		['YAML syntax error', VALID.replace('notation: bracket', 'notation: [bracket'), '(top level)', /line \d+/],
		['a topic of no lesson', VALID.replace('topic: neuron', 'topic: neurons'), 'topic', /expected one of .*perceptron/],
		['two questions with one id', VALID.replace('step: 1,', 'id: same, step: 1,').replace('ask: choice,', 'ask: choice, id: same,'), 'questions[1].id', /already the id of question 1/],
		['an id that is no name', VALID.replace('step: 1,', 'id: "1 a", step: 1,'), 'questions[0].id', /short name/],
		['an unknown feedback', VALID.replace('step: 1,', 'step: 1, feedback: all,'), 'questions[0].feedback', /key.*verdict/],
		['a policy key misspelt', VALID.replace('topic: neuron', 'topic: neuron\npolicy: { carry: true }'), 'policy.carry', /unknown key/],
		['vary on nothing the scenario has', VALID.replace('topic: neuron', 'topic: neuron\nvary: { "W[2]": { choices: [1, 2] } }'), 'vary.W[2]', /has no model\.layers\[1\]\.W/],
		['vary with an empty range', VALID.replace('topic: neuron', 'topic: neuron\nvary: { "W[1]": { range: [1, -1], step: 0.1 } }'), 'vary.W[1]', /is empty/],
		['vary without a step', VALID.replace('topic: neuron', 'topic: neuron\nvary: { "W[1]": { range: [-1, 1] } }'), 'vary.W[1].step', /expected number/],
		['vary choices on a name', VALID.replace('topic: neuron', 'topic: neuron\nvary: { "model.layers[0].activation": { choices: [1, 2] } }'), 'vary.model.layers[0].activation', /use pick/],
		['vary on a key that is no name', VALID.replace('topic: neuron', 'topic: neuron\nvary: { "W 1": { choices: [1, 2] } }'), 'vary.W 1', /canonical name/],
		['a placeholder naming nothing', VALID.replace('Compute $z$.', 'Compute $z$ from {{W[3]}}.'), 'statement.en', /\{\{W\[3\]\}\} names no value/],
		['not a mapping', '- 1\n- 2\n', '(top level)', /mapping/]
	];

	it.each(cases)('%s', (_, text, path, message, line) => {
		const file = _ === 'id not the file name' ? 'other.yaml' : 'tiny.yaml';
		let result: ReturnType<typeof parseExercise> | undefined;
		expect(() => (result = parseExercise(text, file))).not.toThrow();
		if (!result || result.ok) throw new Error('expected issues');
		const issue = result.issues.find((i) => formatPath(i.path) === path);
		expect(issue, result.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('\n')).toBeDefined();
		expect(issue?.message).toMatch(message);
		if (line !== undefined) expect(issue?.line).toBe(line);
	});

	const unresolved: [string, string, string, RegExp][] = [
		['a layer the model lacks', 'ask: "dW[3]", step: 1', 'questions[0].ask', /^no event dW\[3\] at step 1; the model has 1 layer$/],
		['a step the run lacks', 'ask: "Z[1]", step: 5', 'questions[0].ask', /no event Z\[1\] at step 5; the run has steps 0 to 1/],
		['an index out of range', 'ask: "W[1][0][7]", step: 1', 'questions[0].ask', /out of range/],
		['an unreadable name', 'ask: "W[1", step: 1', 'questions[0].ask', /cannot read "W\[1"/],
		['output_size of a missing layer', 'ask: output_size, layer: 4', 'questions[0].ask', /layer 4 does not exist/]
	];

	it.each(unresolved)('a question on %s does not resolve, with its path and line', (_, ask, path, message) => {
		const result = parseExercise(VALID.replace('ask: "Z[1]", step: 1', ask), 'tiny.yaml');
		if (!result.ok) throw new Error(JSON.stringify(result.issues));
		let check: ReturnType<typeof checkExercise> | undefined;
		expect(() => (check = checkExercise(result.exercise))).not.toThrow();
		if (!check || check.ok) throw new Error('expected issues');
		expect(check.issues).toHaveLength(1);
		expect(formatPath(check.issues[0].path)).toBe(path);
		expect(check.issues[0].message).toMatch(message);
		expect(check.issues[0].line).toBe(15);
	});
});
