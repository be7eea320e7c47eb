import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { LIMITS } from '../../../../src/lib/engine/limits';
import { mulberry32, type Random } from '../../../../src/lib/engine/prng';
import { ScenarioError, formatPath } from '../../../../src/lib/engine/scenario/issues';
import { parseScenarioText, readScenario } from '../../../../src/lib/engine/scenario/parse';
import { validateScenario } from '../../../../src/lib/engine/scenario/validate';
import { FIXTURES_DIR, fixtureFiles } from '../../../helpers';

/**
 * Scenario text: YAML (or JSON) syntax errors carry their line, semantic errors get the line of
 * the path they name, and hostile text (alias bombs, huge or deeply nested files) is refused
 * quickly with a ScenarioError instead of exhausting memory or the stack.
 */

type Path = (string | number)[];

/** What `fn` threw, or undefined when it returned. */
function thrownBy(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}
	return undefined;
}

/** The ScenarioError `fn` threw; fails the test for anything else. */
function scenarioError(fn: () => unknown): ScenarioError {
	const error = thrownBy(fn);
	expect(error).toBeInstanceOf(ScenarioError);
	return error as ScenarioError;
}

/** DESIGN.md's 2-2-1 network, one line per setting so that each path has its own line. */
const DENSE_YAML = `title: Backprop, one step
model:
  input: 2
  layers:
    - type: dense
      units: 2
      activation: sigmoid
      W: [[0.1, -0.2], [0.4, 0.3]]
      b: [0.1, -0.1]
    - { type: dense, units: 1, activation: sigmoid, W: [[0.5, -0.5]], b: [0.2] }
loss: half_squared_error
optimizer: { type: sgd, lr: 0.5 }
data:
  X: [[1.0, 0.5]]
  Y: [[1.0]]
training: { epochs: 1, batch_size: 1 }
`;

const CONV_YAML = `model:
  input: [1, 5, 5]
  layers:
    - { type: conv2d, filters: 1, kernel: 3, stride: 1, padding: 1, W: [[[[1, 0, 1], [0, 1, 0], [1, 0, 1]]]], b: [0] }
    - { type: pool, mode: max, size: 2, stride: 2 }
    - { type: flatten }
    - { type: dense, units: 1, activation: sigmoid, init: { weights: he, seed: 3 } }
loss: binary_cross_entropy
optimizer: { type: sgd, lr: 0.1 }
data:
  X: [[[[4, 0, 4, 3, 0], [1, 2, 7, 5, 2], [4, 8, 1, 6, 5], [1, 5, 0, 7, 8], [8, 2, 6, 3, 1]]]]
  Y: [[1]]
`;

const PERCEPTRON_YAML = `perceptron:
  w: [0.1, 0.1]
  b: null
  threshold: 0.5
  strict: true
  rule: sign
  lr: 0.1
data: { X: [[0, 0], [1, 0], [0, 1], [1, 1]], Y: [[0], [1], [1], [1]] }
training: { epochs: 2 }
`;

describe('YAML syntax errors', () => {
	it.each([
		{ name: 'a key indented deeper than its neighbours', text: 'model:\n  input: 2\n  layers: []\n   data: 1\n', line: 4, message: 'All mapping items must start at the same column' },
		{ name: 'a key indented less than its neighbours', text: 'model:\n  input: 2\n  layers:\n    - type: dense\n   units: 1\n', line: 5, message: 'All mapping items must start at the same column' },
		{ name: 'a tab used for indentation', text: 'title: t\nmodel:\n\tinput: 2\n', line: 3, message: 'Tabs are not allowed as indentation' },
		{ name: 'an unclosed flow mapping', text: 'title: t\nmodel: { input: 2\ndata: 1\n', line: 3, message: 'end with a }' },
		{ name: 'a JSON file with a trailing comma after the document', text: '{"model": {"input": 2,\n"layers": [{"type": "dense", "units": 1}]},\n"data": {"X": [[1, 2]]}},', line: 3, message: 'line 3:' },
		{ name: 'two YAML documents in one file', text: 'title: a\n---\ntitle: b\n', line: 2, message: 'a scenario file holds one YAML document' },
		{ name: 'a duplicate key', text: 'model:\n  input: 2\n  input: 3\n  layers: []\n', line: 3, message: 'the key "input" appears twice in one mapping' },
		{ name: 'a duplicate key in a flow mapping', text: 'title: t\nmodel: { input: 2, layers: [], input: 3 }\n', line: 2, message: 'the key "input" appears twice' },
		{ name: 'a duplicate quoted key in JSON', text: '{\n  "title": "a",\n  "title": "b"\n}\n', line: 3, message: 'the key "title" appears twice' }
	])('$name → line $line', ({ text, line, message }) => {
		const error = scenarioError(() => readScenario(text));
		expect(error.issues[0].line).toBe(line);
		expect(error.issues[0].message).toContain(`line ${line}: `);
		expect(error.issues[0].message).toContain(message);
		// the yaml library's own wording for its API ("please use YAML.parseAllDocuments()") stays out
		expect(error.message).not.toMatch(/YAML\.\w+\(|resource exhaustion|stack size/);
	});

	it('reports at most five syntax errors, each with its line', () => {
		const text = Array.from({ length: 20 }, (_, i) => `k${i}: [1, 2\n`).join('');
		const error = scenarioError(() => readScenario(text));
		expect(error.issues.length).toBeGreaterThan(0);
		expect(error.issues.length).toBeLessThanOrEqual(5);
		for (const issue of error.issues) expect(issue.line).toBeGreaterThanOrEqual(1);
	});
});

describe('semantic errors carry the line of the path they name', () => {
	it.each([
		{ name: 'a wrong W shape', find: 'W: [[0.1, -0.2], [0.4, 0.3]]', replace: 'W: [[0.1, -0.2, 0.4], [0.4, 0.3, 0.1]]', path: 'model.layers[0].W', line: 8 },
		{ name: 'a non-finite number inside W', find: '[0.4, 0.3]', replace: '[.inf, 0.3]', path: 'model.layers[0].W[1][0]', line: 8 },
		{ name: 'an unknown activation', find: 'activation: sigmoid\n', replace: 'activation: sigmoïd\n', path: 'model.layers[0].activation', line: 7 },
		{ name: 'an unknown key', find: '      b: [0.1, -0.1]', replace: '      b: [0.1, -0.1]\n      bias: 0', path: 'model.layers[0].bias', line: 10 },
		{ name: 'a missing key (located at the mapping that lacks it)', find: '      units: 2\n', replace: '', path: 'model.layers[0].units', line: 5 },
		{ name: 'a layer in flow style', find: 'W: [[0.5, -0.5]]', replace: 'W: [[0.5], [-0.5]]', path: 'model.layers[1].W', line: 10 },
		{ name: 'Y of the wrong width', find: 'Y: [[1.0]]', replace: 'Y: [[1.0, 0.0]]', path: 'data.Y', line: 15 },
		{ name: 'a top-level key', find: 'loss: half_squared_error', replace: 'loss: half_squared_eror', path: 'loss', line: 11 },
		{ name: 'a missing top-level key (located at the start of the file)', find: 'optimizer: { type: sgd, lr: 0.5 }\n', replace: '', path: 'optimizer', line: 1 }
	])('$name → $path on line $line', ({ find, replace, path, line }) => {
		expect(DENSE_YAML).toContain(find);
		const error = scenarioError(() => readScenario(DENSE_YAML.replace(find, replace)));
		expect(formatPath(error.issues[0].path)).toBe(path);
		expect(error.issues[0].line).toBe(line);
	});

	it('gives a line to every issue when there are several', () => {
		const text = DENSE_YAML.replace('[0.4, 0.3]', '[0.4, "x"]').replace('Y: [[1.0]]', 'Y: [[1.0], [0.0]]');
		const error = scenarioError(() => readScenario(text));
		expect(error.issues.map((issue) => [formatPath(issue.path), issue.line])).toEqual([
			['model.layers[0].W[1][1]', 8],
			['data.Y', 15]
		]);
	});
});

describe('JSON files', () => {
	it('reads a JSON scenario exactly as its YAML twin', () => {
		const json = JSON.stringify(parse(DENSE_YAML), null, 2);
		expect(readScenario(json)).toEqual(readScenario(DENSE_YAML));
	});

	it('locates an error in a pretty-printed JSON file', () => {
		const json = JSON.stringify(parse(DENSE_YAML.replace('Y: [[1.0]]', 'Y: [[1.0, 2.0]]')), null, 2);
		const error = scenarioError(() => readScenario(json));
		expect(formatPath(error.issues[0].path)).toBe('data.Y');
		const lines = json.split('\n');
		expect(lines[(error.issues[0].line ?? 0) - 1]).toContain('"Y"');
	});
});

describe('files that wrap the scenario under scenario: (fixtures, exercises)', () => {
	const WRAPPED = `# a fixture: the scenario and the values the course prints
scenario:
  model:
    input: 2
    layers:
      - type: dense
        units: 1
        W: [[1, 2, 3]]
  data: { X: [[1, 2]] }
expect:
  - { step: 1, name: "Z[1]", value: [[5]] }
`;

	it('locates an error under scenario.… with its line', () => {
		const error = scenarioError(() => readScenario(WRAPPED));
		expect(formatPath(error.issues[0].path)).toBe('scenario.model.layers[0].W');
		expect(error.issues[0].line).toBe(8);
		expect(error.message).toBe('scenario.model.layers[0].W: expected 1×2 (units × inputs), got 1×3');
	});

	it('reads the wrapped scenario when it is valid', () => {
		const scenario = readScenario(WRAPPED.replace('[[1, 2, 3]]', '[[1, 2]]'));
		expect(scenario.kind).toBe('network');
	});

	it('refuses a wrapper whose scenario is not a mapping, at scenario', () => {
		const error = scenarioError(() => readScenario('scenario: 5\nexpect: []\n'));
		expect(formatPath(error.issues[0].path)).toBe('scenario');
		expect(error.issues[0].line).toBe(1);
	});

	it.each(fixtureFiles().filter((file) => file !== 'param-counts.yaml'))('reads the course fixture %s from its text', (file) => {
		const text = readFileSync(join(FIXTURES_DIR, file), 'utf8');
		expect(['network', 'perceptron']).toContain(readScenario(text).kind);
	});
});

describe('hostile text is refused, never hung on or crashed by', () => {
	it('refuses an alias bomb ("billion laughs") without expanding it', () => {
		// nine levels of nine aliases would expand to 9^9 (387 million) strings
		const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
		for (let i = 1; i <= 8; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
		const error = scenarioError(() => readScenario(lines.join('\n')));
		expect(error.message).toContain('too many aliases');
	});

	it('still accepts a few aliases', () => {
		const text = `row: &row [1.0, 0.5]\n${DENSE_YAML.replace('title: Backprop, one step\n', '').replace('X: [[1.0, 0.5]]', 'X: [*row]')}`;
		// the anchor's key is not a scenario key: refused as unknown, not as an attack
		expect(formatPath(scenarioError(() => readScenario(text)).issues[0].path)).toBe('row');
	});

	it('refuses text over the size limit before parsing it', () => {
		const error = scenarioError(() => readScenario('#'.repeat(LIMITS.textLength + 1)));
		expect(error.message).toBe(
			`(top level): the file has ${(LIMITS.textLength + 1).toLocaleString('en')} characters; the limit is ${LIMITS.textLength.toLocaleString('en')}`
		);
	});

	it('refuses YAML with more values than the YAML reader can hold, and says to use JSON', () => {
		// about 1 KB per YAML node: 8 million zeros (16 MB) would need 8 GB and end the process
		const text = `data:\n  X: [${'0,'.repeat(8_000_000)}0]\n`;
		const error = scenarioError(() => readScenario(text));
		expect(error.message).toContain(`more than the ${LIMITS.yamlValues.toLocaleString('en')} a YAML file may hold; write a larger scenario as JSON`);
	});

	it('reads a large scenario written as JSON (real images), without lines', () => {
		const image = Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => (r * c) % 5));
		const data = {
			model: { input: [1, 28, 28], layers: [{ type: 'conv2d', filters: 1, kernel: 3, W: [[[[0, 1, 0], [1, -4, 1], [0, 1, 0]]]], b: [0] }] },
			data: { X: Array.from({ length: 400 }, () => [image]) }
		};
		const text = JSON.stringify(data);
		expect(text.split(',').length).toBeGreaterThan(LIMITS.yamlValues);
		expect(readScenario(text).X.shape).toEqual([400, 1, 28, 28]);
		const bad = JSON.stringify({ ...data, model: { ...data.model, input: [1, 28, 27] } });
		const error = scenarioError(() => readScenario(bad));
		expect(formatPath(error.issues[0].path)).toBe('data.X');
		expect(error.issues[0].line).toBeUndefined();
	});

	it('refuses deeply nested JSON before parsing it', () => {
		const depth = 4_000_000;
		const error = scenarioError(() => readScenario(`${'['.repeat(depth)}${']'.repeat(depth)}`));
		expect(error.message).toContain(`nested ${depth.toLocaleString('en')} deep`);
	});

	it('refuses deeply nested YAML with a message about nesting, not the stack', () => {
		const depth = 20_000;
		const error = scenarioError(() => readScenario(`data: { X: ${'['.repeat(depth)}1${']'.repeat(depth)} }\n`));
		expect(error.issues[0].message).toBe('line 1: lists or mappings nested too deeply');
		expect(error.issues[0].line).toBe(1);
	});

	it('keeps tagged values (!!binary, !!set, !!timestamp) as plain text, not Buffers or Sets', () => {
		const { data } = parseScenarioText('title: !!binary aGVsbG8=\ndescription: !!timestamp 2001-12-14\nmodel: !!set { a, b }\n');
		expect(data).toEqual({ title: 'aGVsbG8=', description: '2001-12-14', model: { a: null, b: null } });
	});
});

/**
 * Random damage to valid scenarios: each mutation must either still validate or be refused with
 * a ScenarioError that starts with a path. Text and data must agree: reading the mutated
 * scenario as YAML gives the same first path as validating the data, and a line for each issue.
 */
describe('random mutations of valid scenarios', () => {
	/** Delete the key, or replace its value by `value()`. */
	type Mutation = { name: 'delete' } | { name: string; value: () => unknown };

	/** A list nested `depth` deep around a number. */
	const nested = (depth: number): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => [inner], 1);

	const MUTATIONS: Mutation[] = [
		{ name: 'delete' },
		{ name: 'a string', value: () => 'hello' },
		{ name: 'an empty string', value: () => '' },
		{ name: 'null', value: () => null },
		{ name: 'a negative number', value: () => -3 },
		{ name: 'zero', value: () => 0 },
		{ name: 'a fraction', value: () => 0.25 },
		{ name: 'a huge number', value: () => 1e308 },
		{ name: 'a large whole number', value: () => 1_000_000_000 },
		{ name: 'infinity', value: () => Infinity },
		{ name: 'not a number', value: () => NaN },
		{ name: 'true', value: () => true },
		{ name: 'an empty list', value: () => [] },
		{ name: 'an empty mapping', value: () => ({}) },
		{ name: 'a mapping', value: () => ({ type: 'dense', units: 2 }) },
		{ name: 'a deeply nested list', value: () => nested(300) },
		{ name: 'a long list', value: () => new Array<number>(1000).fill(1) }
	];

	/** Every path in a document, the root excluded. */
	function pathsOf(node: unknown, prefix: Path = []): Path[] {
		if (node === null || typeof node !== 'object') return [];
		const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i): [number, unknown] => [i, v]) : Object.entries(node);
		return entries.flatMap(([key, value]) => [[...prefix, key], ...pathsOf(value, [...prefix, key])]);
	}

	function mutate(doc: unknown, path: Path, mutation: Mutation): unknown {
		const copy = structuredClone(doc);
		const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], copy);
		const key = path[path.length - 1];
		if (!('value' in mutation)) {
			if (Array.isArray(parent)) parent.splice(Number(key), 1);
			else delete (parent as Record<string | number, unknown>)[key];
		} else {
			(parent as Record<string | number, unknown>)[key] = mutation.value();
		}
		return copy;
	}

	const pick = <T>(list: readonly T[], random: Random): T => list[Math.floor(random.next() * list.length)];

	/** The outcome of validating: 'valid', or the ScenarioError; any other exception fails the test. */
	function outcome(fn: () => unknown, what: string): 'valid' | ScenarioError {
		const error = thrownBy(fn);
		if (error === undefined) return 'valid';
		if (!(error instanceof ScenarioError)) throw new Error(`${what}: threw ${String(error)}`, { cause: error });
		return error;
	}

	it('never throws anything but a ScenarioError that starts with a path', () => {
		const bases = [DENSE_YAML, CONV_YAML, PERCEPTRON_YAML].map((text) => parse(text) as unknown);
		for (const base of bases) expect(outcome(() => validateScenario(base), 'base')).toBe('valid');
		const random = mulberry32(20_240_917);
		let refused = 0;
		for (let i = 0; i < 200; i++) {
			const base = pick(bases, random);
			const path = pick(pathsOf(base), random);
			const mutation = pick(MUTATIONS, random);
			const data = mutate(base, path, mutation);
			const what = `#${i}: ${formatPath(path)} → ${mutation.name}`;

			const direct = outcome(() => validateScenario(data), what);
			const text = stringify(data);
			const fromText = outcome(() => readScenario(text), `${what} (as YAML)`);
			if (direct === 'valid') {
				expect(fromText, what).toBe('valid');
				continue;
			}
			refused++;
			const first = direct.issues[0];
			expect(first.path.length, what).toBeGreaterThan(0);
			expect(direct.message.startsWith(`${formatPath(first.path)}: `), what).toBe(true);
			expect(fromText, what).toBeInstanceOf(ScenarioError);
			const located = fromText as ScenarioError;
			expect(located.issues[0].path, what).toEqual(first.path);
			const lineCount = text.split('\n').length;
			for (const issue of located.issues) {
				expect(issue.line, `${what}: line of ${formatPath(issue.path)}`).toBeGreaterThanOrEqual(1);
				expect(issue.line, what).toBeLessThanOrEqual(lineCount);
			}
		}
		// most damage is caught; a few mutations (a fraction for a weight, a deleted optional key) stay valid
		expect(refused).toBeGreaterThan(100);
		expect(refused).toBeLessThan(200);
	});
});
