import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { parse } from 'yaml';
import ConventionsPanel from '../../../src/lib/components/replay/ConventionsPanel.svelte';
import { CONVENTIONS, PROFILES, type Profile } from '../../../src/lib/profiles';
import { run } from '../../../src/lib/engine';
import { readScenario } from '../../../src/lib/engine/scenario/parse';
import { toNested, type NestedNumbers } from '../../../src/lib/engine/tensor';
import { findEvent, type Trace } from '../../../src/lib/engine/trace';
import {
	allowedLosses,
	applySetting,
	readNumber,
	readSettings,
	setNumber,
	type Edit,
	type NetworkSettings,
	type PerceptronSettings,
	type SettingChange,
	type Settings
} from '../../../src/lib/replay/conventions';
import { parseDecimal } from '../../../src/lib/format/decimal';
import { applicableMistakes, type MistakeOption } from '../../../src/lib/replay/mistakes';
import { STARTER_SCENARIO } from '../../../src/lib/replay/starter';
import { FIXTURES_DIR, PROJECT_ROOT } from '../../helpers';

const LESSONS_DIR = join(PROJECT_ROOT, 'src/lib/lessons/library');

function yamlFiles(dir: string, label: string): { name: string; text: string }[] {
	return readdirSync(dir)
		.filter((f) => f.endsWith('.yaml'))
		.sort()
		.map((f) => ({ name: `${label}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

const LESSONS = yamlFiles(LESSONS_DIR, 'lessons');
const FIXTURES = yamlFiles(FIXTURES_DIR, 'fixtures');
/** every real scenario file: the lessons and the courses' worked examples */
const FILES = [...LESSONS, ...FIXTURES].filter((f) => f.name !== 'fixtures/param-counts.yaml');

function file(name: string): string {
	const found = [...LESSONS, ...FIXTURES].find((f) => f.name === name);
	if (!found) throw new Error(`no file ${name}`);
	return found.text;
}

function edited(result: Edit): string {
	if (!result.ok) throw new Error(`refused: ${result.message}`);
	return result.text;
}

function traceOf(text: string): Trace {
	return run(readScenario(text));
}

function valueAt(trace: Trace, step: number, name: string): NestedNumbers {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return toNested(event.value.shape, event.value.data);
}

/** The changes worth trying on a scenario: every other value of each of its settings. */
function changesFor(settings: Settings): SettingChange[] {
	if (settings.kind === 'perceptron') {
		return [
			{ kind: 'threshold', value: settings.threshold + 0.25 },
			{ kind: 'strict', value: !settings.strict },
			{ kind: 'rule', value: settings.rule === 'delta' ? 'sign' : 'delta' },
			{ kind: 'lr', value: settings.lr * 2 },
			{ kind: 'bias', value: !settings.bias }
		];
	}
	if (settings.kind === 'none') return [];
	const changes: SettingChange[] = settings.conv.map((c) => ({ kind: 'flip', layer: c.layer, value: !c.flip }));
	const t = settings.training;
	if (t) {
		for (const loss of allowedLosses(settings)) if (loss !== t.loss) changes.push({ kind: 'loss', value: loss });
		changes.push(
			{ kind: 'reduction', value: t.reduction === 'mean' ? 'sum' : 'mean' },
			{ kind: 'lr', value: t.lr / 2 },
			{ kind: 'update-weights', value: !t.update.weights },
			{ kind: 'update-biases', value: !t.update.biases }
		);
	}
	return changes;
}

/** The settings as they should read after `change`. */
function expectedAfter(settings: NetworkSettings | PerceptronSettings, change: SettingChange): Settings {
	if (settings.kind === 'perceptron') {
		const key = change.kind as 'threshold' | 'strict' | 'rule' | 'lr' | 'bias';
		return { ...settings, [key]: change.value };
	}
	if (change.kind === 'flip') return { ...settings, conv: settings.conv.map((c) => (c.layer === change.layer ? { ...c, flip: change.value } : c)) };
	const t = settings.training as NonNullable<NetworkSettings['training']>;
	const training =
		change.kind === 'update-weights'
			? { ...t, update: { ...t.update, weights: change.value } }
			: change.kind === 'update-biases'
				? { ...t, update: { ...t.update, biases: change.value } }
				: { ...t, [change.kind]: change.value };
	return { ...settings, training };
}

/** Lines that differ between two texts, once their common first and last lines are set aside. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
	const a = before.split('\n');
	const b = after.split('\n');
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) start++;
	let end = 0;
	while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
	return { removed: a.slice(start, a.length - end), added: b.slice(start, b.length - end) };
}

/** Paths of the leaves where two plain values differ. */
function differences(a: unknown, b: unknown, path: (string | number)[] = []): string[] {
	if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
		const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
		return [...keys].flatMap((k) =>
			differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, Array.isArray(a) ? Number(k) : k])
		);
	}
	return Object.is(a, b) ? [] : [path.join('.')];
}

function commentsOf(text: string): string[] {
	return text.split('\n').flatMap((line) => /(?:^|\s)(#.*)$/.exec(line)?.[1] ?? []);
}

describe('readSettings on the real files', () => {
	it.each(FILES.map((f) => [f.name, f.text] as const))('%s has settings to edit', (_, text) => {
		const settings = readSettings(text);
		expect(settings.kind, settings.kind === 'none' ? settings.reason : '').not.toBe('none');
	});

	it('reads the spreadsheet perceptron and the lessons’ networks with their defaults', () => {
		expect(readSettings(file('fixtures/perceptron-spreadsheet-or.yaml'))).toEqual({ kind: 'perceptron', threshold: 0.5, strict: true, rule: 'sign', lr: 0.1, bias: false });
		expect(readSettings(file('lessons/backprop-deltas.yaml'))).toEqual({
			kind: 'network',
			outputActivation: 'sigmoid',
			// course 004's worked example updates the weights only
			training: { loss: 'half_squared_error', reduction: 'mean', lr: 0.5, decays: false, update: { weights: true, biases: false } },
			conv: []
		});
		expect(readSettings(file('lessons/conv-flip.yaml'))).toEqual({ kind: 'network', outputActivation: 'identity', training: null, conv: [{ layer: 0, flip: true }] });
		expect(readSettings(file('lessons/cnn-bars.yaml'))).toMatchObject({ training: { loss: 'binary_cross_entropy' }, conv: [{ layer: 0, flip: false }] });
	});

	it('leaves a text too large for the page to the editor', () => {
		const large = `perceptron: { w: [1] }\ndata:\n  X: [${'[1], '.repeat(30_000)}[1]]\n  Y: [${'[1], '.repeat(30_000)}[1]]\n`;
		expect(readSettings(large)).toEqual({ kind: 'none', reason: expect.stringMatching(/too large to edit here/) });
		expect(setNumber(large, ['data', 'X', 0, 0], 2)).toEqual({ ok: false, message: expect.stringMatching(/too large/) });
	});

	it('says why a text has nothing to edit', () => {
		expect(readSettings(file('fixtures/param-counts.yaml'))).toMatchObject({ kind: 'none', reason: expect.stringMatching(/model/) });
		expect(readSettings('title: x\nloss: [')).toEqual({ kind: 'none', reason: expect.stringMatching(/^the text is not valid YAML: line 2: /) });
		expect(readSettings('scenario:\n  perceptron: { w: [1] }\n  data: { X: [[1]], Y: [[2]] }\n')).toEqual({
			kind: 'none',
			reason: "scenario.data.Y[0][0]: a threshold unit's target is 0 or 1, got 2"
		});
		expect(readSettings('perceptron: { w: [1] }\ndata: { X: [[1]], Y: [[2]] }\n')).toEqual({ kind: 'none', reason: "data.Y[0][0]: a threshold unit's target is 0 or 1, got 2" });
	});
});

describe('allowedLosses', () => {
	const network = (outputActivation: NetworkSettings['outputActivation'], loss: NetworkSettings['training'] extends infer T ? (T extends { loss: infer L } ? L : never) : never): NetworkSettings => ({
		kind: 'network',
		outputActivation,
		training: { loss, reduction: 'mean', lr: 1, decays: false, update: { weights: true, biases: true } },
		conv: []
	});

	it.each([
		['softmax', 'categorical_cross_entropy', ['categorical_cross_entropy']],
		['sigmoid', 'half_squared_error', ['squared_error', 'half_squared_error', 'mse', 'binary_cross_entropy']],
		['identity', 'half_squared_error', ['squared_error', 'half_squared_error', 'mse']],
		['relu', 'mse', ['squared_error', 'half_squared_error', 'mse']],
		// the file's own loss stays on the menu
		['identity', 'binary_cross_entropy', ['squared_error', 'half_squared_error', 'mse', 'binary_cross_entropy']]
	] as const)('a %s output with %s offers %j', (activation, loss, expected) => {
		expect(allowedLosses(network(activation, loss))).toEqual(expected);
	});

	it('offers nothing to a perceptron or a forward-only run', () => {
		expect(allowedLosses(readSettings(file('lessons/perceptron-or.yaml')))).toEqual([]);
		expect(allowedLosses(readSettings(file('lessons/conv-valid.yaml')))).toEqual([]);
		expect(allowedLosses(readSettings(file('lessons/losses-softmax.yaml')))).toEqual(['categorical_cross_entropy']);
	});
});

describe('applySetting on the real files', () => {
	const cases = FILES.flatMap((f) => {
		const settings = readSettings(f.text);
		return changesFor(settings).map((change) => ({ name: f.name, text: f.text, settings, change, label: JSON.stringify(change) }));
	});

	it('tries every setting of every file', () => {
		expect(cases.length).toBeGreaterThan(100);
		expect(new Set(cases.map((c) => c.change.kind))).toEqual(
			new Set(['loss', 'reduction', 'lr', 'update-weights', 'update-biases', 'flip', 'threshold', 'strict', 'rule', 'bias'])
		);
	});

	it.each(cases)('$name: $label validates, runs with it and changes one line', ({ text, settings, change }) => {
		const after = edited(applySetting(text, change));
		expect(after).not.toBe(text);
		// the new value is in force and every other setting is as it was
		expect(readSettings(after)).toEqual(expectedAfter(settings as NetworkSettings | PerceptronSettings, change));
		const trace = traceOf(after);
		expect(trace.length).toBeGreaterThan(0);
		// one line changed, or one line added; comments, order and style elsewhere survive
		const { removed, added } = changedLines(text, after);
		expect(removed.length).toBeLessThanOrEqual(1);
		expect(added).toHaveLength(1);
		expect(commentsOf(after)).toEqual(commentsOf(text));
	});
});

describe('applySetting: the new convention is in force', () => {
	const OR_FILES = ['fixtures/perceptron-spreadsheet-or.yaml', 'lessons/perceptron-or.yaml'];

	it.each(OR_FILES)('%s: with z ≥ θ, step 10 (z = 0.5) fires and is no longer corrected', (name) => {
		const before = traceOf(file(name));
		expect(valueAt(before, 10, 'Z[1]')).toEqual([[0.5]]);
		expect(valueAt(before, 10, 'A[1]')).toEqual([[0]]);
		expect(valueAt(before, 10, 'W[1]')).toEqual([[0.6, 0.6]]);
		const text = edited(applySetting(file(name), { kind: 'strict', value: false }));
		expect(text).toContain('strict: false');
		const after = traceOf(text);
		expect(valueAt(after, 10, 'Z[1]')).toEqual([[0.5]]);
		expect(valueAt(after, 10, 'A[1]')).toEqual([[1]]);
		expect(valueAt(after, 10, 'error')).toEqual([[0]]);
		expect(valueAt(after, 10, 'W[1]')).toEqual([[0.5, 0.5]]);
	});

	it.each(OR_FILES)('%s: the delta rule leaves the weight of a zero input alone (step 2, x = (1, 0))', (name) => {
		const sign = traceOf(file(name));
		expect(valueAt(sign, 2, 'A[0]')).toEqual([[1, 0]]);
		expect(valueAt(sign, 2, 'W[1]')).toEqual([[0.2, 0.2]]);
		const delta = traceOf(edited(applySetting(file(name), { kind: 'rule', value: 'delta' })));
		expect(valueAt(delta, 2, 'error')).toEqual([[1]]);
		const [[w1, w2]] = valueAt(delta, 2, 'W[1]') as number[][];
		expect(w1).toBeCloseTo(0.2, 12);
		expect(w2).toBe(0.1);
	});

	it.each(OR_FILES)('%s: a learning rate typed "0,2" doubles the correction', (name) => {
		const typed = parseDecimal('0,2');
		if (!typed.ok) throw new Error(typed.message);
		const text = edited(applySetting(file(name), { kind: 'lr', value: typed.value }));
		expect(text).toMatch(/lr: 0\.2\b/);
		const correction = (trace: Trace): number => (valueAt(trace, 2, 'W[1]') as number[][])[0][0] - (valueAt(trace, 1, 'W[1]') as number[][])[0][0];
		expect(correction(traceOf(text))).toBeCloseTo(2 * correction(traceOf(file(name))), 12);
	});

	it('a threshold lowered to "0,15" makes the spreadsheet fire at step 3, where z = 0.2', () => {
		const typed = parseDecimal('0,15');
		if (!typed.ok) throw new Error(typed.message);
		const text = edited(applySetting(file('fixtures/perceptron-spreadsheet-or.yaml'), { kind: 'threshold', value: typed.value }));
		const trace = traceOf(text);
		// step 3: z = 0.2 > 0.15 now fires, where the course's 0.5 did not
		expect(valueAt(trace, 3, 'Z[1]')).toEqual([[0.2]]);
		expect(valueAt(trace, 3, 'A[1]')).toEqual([[1]]);
	});

	it('a bias added to the spreadsheet perceptron is recorded and learned', () => {
		const text = edited(applySetting(file('fixtures/perceptron-spreadsheet-or.yaml'), { kind: 'bias', value: true }));
		expect(text).toContain('b: 0\n');
		expect(findEvent(traceOf(file('fixtures/perceptron-spreadsheet-or.yaml')), 2, 'b[1]')).toBeUndefined();
		expect(valueAt(traceOf(text), 2, 'b[1]')).toEqual([0.1]);
	});

	it('(ŷ − y)² doubles the gradient of ½(ŷ − y)², and mse on one output equals (ŷ − y)²', () => {
		const half = traceOf(file('lessons/backprop-deltas.yaml'));
		const squared = traceOf(edited(applySetting(file('lessons/backprop-deltas.yaml'), { kind: 'loss', value: 'squared_error' })));
		const mse = traceOf(edited(applySetting(file('lessons/backprop-deltas.yaml'), { kind: 'loss', value: 'mse' })));
		const [[h]] = valueAt(half, 1, 'dA[2]') as number[][];
		expect((valueAt(squared, 1, 'dA[2]') as number[][])[0][0]).toBeCloseTo(2 * h, 14);
		expect(valueAt(mse, 1, 'dA[2]')).toEqual(valueAt(squared, 1, 'dA[2]'));
	});

	it('a sum over the batch of 2 doubles the mean’s gradient (training-xor-minibatch)', () => {
		const mean = traceOf(file('lessons/training-xor-minibatch.yaml'));
		const sum = traceOf(edited(applySetting(file('lessons/training-xor-minibatch.yaml'), { kind: 'reduction', value: 'sum' })));
		const m = (valueAt(mean, 1, 'dW[1]') as number[][]).flat();
		const s = (valueAt(sum, 1, 'dW[1]') as number[][]).flat();
		s.forEach((v, i) => expect(v).toBeCloseTo(2 * m[i], 14));
	});

	it('biases kept fixed stay at their first value, and `update:` is written after the optimizer', () => {
		const text = edited(applySetting(file('lessons/losses-compare.yaml'), { kind: 'update-biases', value: false }));
		expect(text).toContain('  optimizer: { type: sgd, lr: 0.5 }\n  update: { biases: false }\n  data:');
		const trace = traceOf(text);
		expect(valueAt(trace, 1, 'b[1]')).toEqual([0, 0, 0]);
		expect(valueAt(trace, 1, 'W[1]')).not.toEqual([[0.5, -0.25], [1, 0], [0, -0.5]]);
		// and back: the key is there now, so it is rewritten rather than removed
		const back = edited(applySetting(text, { kind: 'update-biases', value: true }));
		expect(back).toContain('  update: { biases: true }\n');
		expect(readSettings(back)).toEqual(readSettings(file('lessons/losses-compare.yaml')));
	});

	it('a kernel flipped back to a cross-correlation gives the opposite of the vertical-edge convolution', () => {
		const convolution = traceOf(file('lessons/conv-flip.yaml'));
		const text = edited(applySetting(file('lessons/conv-flip.yaml'), { kind: 'flip', layer: 0, value: false }));
		expect(text).toContain('{ type: conv2d, filters: 1, kernel: 3, flip: false, activation: identity,');
		const correlation = traceOf(text);
		expect(valueAt(convolution, 1, 'Z[1]')).toEqual([[[[9, 7, -10], [-1, 1, 11], [-7, 3, 15]]]]);
		expect(valueAt(correlation, 1, 'Z[1]')).toEqual([[[[-9, -7, 10], [1, -1, -11], [7, -3, -15]]]]);
	});

	it('a flip added to the course’s symmetric kernel leaves the valid convolution as published', () => {
		const text = edited(applySetting(file('fixtures/conv-valid.yaml'), { kind: 'flip', layer: 0, value: true }));
		expect(text).toContain('stride: 1, padding: 0, flip: true, activation: identity');
		expect(valueAt(traceOf(text), 1, 'Z[1]')).toEqual(valueAt(traceOf(file('fixtures/conv-valid.yaml')), 1, 'Z[1]'));
	});
});

describe('applySetting: the text', () => {
	const BLOCK = `# A 1-1 network
model:
  input: 1
  layers:
    - type: dense   # the only layer
      units: 1
      W: [[1]]
      b: [0]
loss: half_squared_error   # ½(ŷ − y)²
optimizer:
  type: sgd
  lr: 0.10   # α
data: { X: [[2]], Y: [[6]] }
training: { epochs: 2 }
`;

	it('rewrites a value in place, keeping its comment and its decimals', () => {
		expect(edited(applySetting(BLOCK, { kind: 'loss', value: 'mse' }))).toBe(BLOCK.replace('loss: half_squared_error   #', 'loss: mse   #'));
		expect(edited(applySetting(BLOCK, { kind: 'lr', value: 0.2 }))).toBe(BLOCK.replace('lr: 0.10   # α', 'lr: 0.20   # α'));
		expect(edited(applySetting(BLOCK, { kind: 'lr', value: 1e-7 }))).toBe(BLOCK.replace('lr: 0.10', 'lr: 1e-7'));
	});

	it('changes a schedule’s first rate, and keeps the decay, where optimizer.lr is a schedule', () => {
		const decaying = BLOCK.replace('  lr: 0.10   # α\n', '  lr: { schedule: inverse_time, initial: 0.10, decay_rate: 1, decay_steps: 4 }   # α\n');
		const settings = readSettings(decaying);
		expect(settings).toMatchObject({ kind: 'network', training: { lr: 0.1, decays: true } });
		expect(edited(applySetting(decaying, { kind: 'lr', value: 0.2 }))).toBe(decaying.replace('initial: 0.10,', 'initial: 0.20,'));
	});

	it('adds an absent key after the one it belongs with, at the mapping’s indentation', () => {
		expect(edited(applySetting(BLOCK, { kind: 'reduction', value: 'sum' }))).toBe(
			BLOCK.replace('# ½(ŷ − y)²\n', '# ½(ŷ − y)²\nreduction: sum\n')
		);
		expect(edited(applySetting(BLOCK, { kind: 'update-weights', value: false }))).toBe(
			BLOCK.replace('  lr: 0.10   # α\n', '  lr: 0.10   # α\nupdate: { weights: false }\n')
		);
	});

	it('leaves the text alone for a value the file already says, or the engine’s default of an absent key', () => {
		for (const change of [
			{ kind: 'reduction', value: 'mean' },
			{ kind: 'update-biases', value: true },
			{ kind: 'loss', value: 'half_squared_error' },
			{ kind: 'lr', value: 0.1 }
		] as SettingChange[]) {
			expect(edited(applySetting(BLOCK, change))).toBe(BLOCK);
		}
		const perceptron = 'perceptron: { w: [0.5] }\ndata: { X: [[1]], Y: [[1]] }\n';
		for (const change of [
			{ kind: 'strict', value: false },
			{ kind: 'rule', value: 'delta' },
			{ kind: 'threshold', value: 0 },
			{ kind: 'lr', value: 1 },
			{ kind: 'bias', value: true }
		] as SettingChange[]) {
			expect(edited(applySetting(perceptron, change))).toBe(perceptron);
		}
	});

	it('adds perceptron keys in DESIGN.md’s order inside a flow mapping', () => {
		let text = 'perceptron: { w: [0.5, 0.5] }  # two inputs\ndata: { X: [[1, 0]], Y: [[1]] }\n';
		text = edited(applySetting(text, { kind: 'lr', value: 0.1 }));
		text = edited(applySetting(text, { kind: 'strict', value: true }));
		text = edited(applySetting(text, { kind: 'bias', value: false }));
		text = edited(applySetting(text, { kind: 'rule', value: 'sign' }));
		text = edited(applySetting(text, { kind: 'threshold', value: -0.5 }));
		expect(text).toBe('perceptron: { w: [0.5, 0.5], b: null, threshold: -0.5, strict: true, rule: sign, lr: 0.1 }  # two inputs\ndata: { X: [[1, 0]], Y: [[1]] }\n');
		expect(readSettings(text)).toEqual({ kind: 'perceptron', threshold: -0.5, strict: true, rule: 'sign', lr: 0.1, bias: false });
		// a bias switched back on starts at 0
		expect(edited(applySetting(text, { kind: 'bias', value: true }))).toContain('b: 0, threshold');
	});

	it('adds a key to block mappings after multi-line values, at their indentation', () => {
		const conv = `model:
  input: [1, 3, 3]
  layers:
    - type: conv2d   # one 2×2 filter
      filters: 1
      kernel: 2
      W:
        - - - [1, 0]
            - [0, 2]
      b: [0]
      # no padding
data:
  X: [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]
`;
		const flipped = edited(applySetting(conv, { kind: 'flip', layer: 0, value: true }));
		expect(flipped).toBe(conv.replace('      kernel: 2\n', '      kernel: 2\n      flip: true\n'));
		// the kernel [[1, 0], [0, 2]] turned by 180° is [[2, 0], [0, 1]]
		expect(valueAt(traceOf(conv), 1, 'Z[1]')).toEqual([[[[11, 14], [20, 23]]]]);
		expect(valueAt(traceOf(flipped), 1, 'Z[1]')).toEqual([[[[7, 10], [16, 19]]]]);

		const perceptron = `perceptron:
  w:
    - 0.1
    - 0.1
  b: null   # no bias
data: { X: [[1, 1]], Y: [[1]] }
`;
		expect(edited(applySetting(perceptron, { kind: 'threshold', value: 0.5 }))).toBe(perceptron.replace('# no bias\n', '# no bias\n  threshold: 0.5\n'));
		expect(edited(applySetting(perceptron, { kind: 'bias', value: true }))).toBe(perceptron.replace('b: null', 'b: 0'));
		const noBias = perceptron.replace('  b: null   # no bias\n', '');
		expect(edited(applySetting(noBias, { kind: 'bias', value: false }))).toBe(noBias.replace('    - 0.1\n    - 0.1\n', '    - 0.1\n    - 0.1\n  b: null\n'));
	});

	it('keeps JSON as JSON, and Windows line ends as they are', () => {
		const json = JSON.stringify({ perceptron: { w: [0.1, 0.1], b: null }, data: { X: [[0, 1]], Y: [[1]] } }, null, 2);
		for (const change of [
			{ kind: 'strict', value: true },
			{ kind: 'rule', value: 'sign' },
			{ kind: 'lr', value: 0.5 },
			{ kind: 'bias', value: true }
		] as SettingChange[]) {
			const text = edited(applySetting(json, change));
			expect(() => JSON.parse(text)).not.toThrow();
			expect(readSettings(text)).toMatchObject({ [change.kind]: change.value });
		}
		const crlf = BLOCK.replace(/\n/g, '\r\n');
		const text = edited(applySetting(crlf, { kind: 'reduction', value: 'sum' }));
		expect(text).toBe(crlf.replace('# ½(ŷ − y)²\r\n', '# ½(ŷ − y)²\r\nreduction: sum\r\n'));
	});

	it('refuses, with a message, a change that does not apply', () => {
		const refusals: [string, SettingChange, RegExp][] = [
			[file('lessons/losses-softmax.yaml'), { kind: 'loss', value: 'mse' }, /softmax on the last layer needs categorical_cross_entropy/],
			[file('lessons/gradient-descent-one-weight.yaml'), { kind: 'loss', value: 'binary_cross_entropy' }, /does not suit a identity output/],
			[file('lessons/backprop-deltas.yaml'), { kind: 'threshold', value: 1 }, /setting of a perceptron/],
			[file('lessons/perceptron-or.yaml'), { kind: 'reduction', value: 'sum' }, /setting of a network/],
			[file('lessons/backprop-deltas.yaml'), { kind: 'flip', layer: 0, value: true }, /model\.layers\[0\] is not a conv2d layer/],
			[file('lessons/cnn-bars.yaml'), { kind: 'flip', layer: 3, value: true }, /the conv2d layers are \[0\]/],
			[file('lessons/conv-valid.yaml'), { kind: 'lr', value: 0.1 }, /forward only/],
			[file('lessons/backprop-deltas.yaml'), { kind: 'lr', value: 0 }, /above 0/],
			[file('lessons/perceptron-or.yaml'), { kind: 'lr', value: -1 }, /above 0/],
			[file('lessons/perceptron-or.yaml'), { kind: 'lr', value: Number.NaN }, /above 0/],
			[file('lessons/perceptron-or.yaml'), { kind: 'threshold', value: Infinity }, /finite/],
			[file('fixtures/param-counts.yaml'), { kind: 'lr', value: 0.1 }, /model/],
			['model: [', { kind: 'lr', value: 0.1 }, /line 1/]
		];
		for (const [text, change, message] of refusals) {
			const result = applySetting(text, change);
			expect(result.ok, JSON.stringify(change)).toBe(false);
			if (!result.ok) expect(result.message).toMatch(message);
		}
	});
});

describe('setNumber', () => {
	it.each([
		['lessons/backprop-deltas.yaml', ['model', 'layers', 0, 'W', 1, 0], 0.45, 'model.layers.0.W.1.0'],
		['lessons/backprop-deltas.yaml', ['data', 'X', 0, 1], -0.8, 'data.X.0.1'],
		['fixtures/perceptron-spreadsheet-or.yaml', ['data', 'X', 0, 1], 1, 'data.X.0.1'],
		['fixtures/perceptron-spreadsheet-or.yaml', ['perceptron', 'w', 1], 0.3, 'perceptron.w.1'],
		['lessons/cnn-bars.yaml', ['data', 'X', 3, 0, 4, 5], 0.5, 'data.X.3.0.4.5'],
		['lessons/conv-valid.yaml', ['model', 'layers', 0, 'W', 0, 0, 2, 2], -1, 'model.layers.0.W.0.0.2.2'],
		['fixtures/neuron-blood-count.yaml', ['model', 'layers', 0, 'b', 0], 0, 'model.layers.0.b.0']
	] as const)('%s: %j = %d changes exactly that entry', (name, path, value, where) => {
		const text = file(name);
		const after = edited(setNumber(text, path, value));
		const unwrap = (t: string): unknown => {
			const data = parse(t) as Record<string, unknown>;
			return 'scenario' in data ? data.scenario : data;
		};
		expect(differences(unwrap(text), unwrap(after))).toEqual([where]);
		expect(readNumber(after, path)).toBe(value);
		expect(commentsOf(after)).toEqual(commentsOf(text));
		const { removed, added } = changedLines(text, after);
		expect([removed.length, added.length]).toEqual([1, 1]);
		expect(() => traceOf(after)).not.toThrow();
	});

	it('shows the new weight from step 0 and the new input in the forward pass', () => {
		const text = edited(setNumber(file('lessons/backprop-deltas.yaml'), ['model', 'layers', 0, 'W', 1, 0], 0.45));
		expect(valueAt(traceOf(text), 0, 'W[1]')).toEqual([[0.2, -0.3], [0.45, 0.1]]);
		const or = edited(setNumber(file('fixtures/perceptron-spreadsheet-or.yaml'), ['data', 'X', 0, 1], 1));
		expect(valueAt(traceOf(or), 1, 'A[0]')).toEqual([[0, 1]]);
		expect(valueAt(traceOf(or), 1, 'Z[1]')).toEqual([[0.1]]);
	});

	it('writes the number in the style of the one it replaces', () => {
		expect(edited(setNumber(STARTER_SCENARIO, ['data', 'X', 0, 0], 2))).toBe(STARTER_SCENARIO.replace('X: [[1.0, 0.5]]', 'X: [[2.0, 0.5]]'));
		expect(edited(setNumber(STARTER_SCENARIO, ['data', 'X', 0, 1], -0.25))).toBe(STARTER_SCENARIO.replace('X: [[1.0, 0.5]]', 'X: [[1.0, -0.25]]'));
		expect(edited(setNumber(STARTER_SCENARIO, ['model', 'layers', 1, 'W', 0, 1], 1e-9))).toContain('W: [[0.5, 1e-9]]');
		expect(edited(setNumber(STARTER_SCENARIO, ['model', 'layers', 1, 'b', 0], 0.2))).toBe(STARTER_SCENARIO);
	});

	it.each([
		[['model', 'layers', 0, 'W'], 1, /model\.layers\[0\]\.W is not a number: model\.layers\[0\]\.W holds a list of 2/],
		[['model', 'layers', 0, 'activation'], 1, /holds "sigmoid", not a number/],
		[['model', 'layers', 5, 'W', 0, 0], 1, /model\.layers\[5\]\.W\[0\]\[0\] is not in the file: model\.layers has 2 entries/],
		[['model', 'layers', 0, 'W', 0, 0, 0], 1, /is not a number: model\.layers\[0\]\.W\[0\]\[0\] holds 0\.1/],
		[['model', 'layers', 0, 'init', 'seed'], 1, /is not in the file: model\.layers\[0\] has no init/],
		[['data', 'Z', 0], 1, /data has no Z/],
		[['data', 'X', 0, 0], Number.NaN, /expected a finite number/],
		[['data', 'X', 0, 0], Infinity, /expected a finite number/]
	] as const)('refuses %j = %d', (path, value, message) => {
		const result = setNumber(STARTER_SCENARIO, path, value);
		expect(result).toEqual({ ok: false, message: expect.stringMatching(message) });
	});

	it('refuses a weight that init draws, and an anchored value reached through an alias', () => {
		expect(setNumber(file('lessons/cnn-bars.yaml'), ['model', 'layers', 0, 'W', 0, 0, 0, 0], 1)).toEqual({
			ok: false,
			message: 'model.layers[0].W[0][0][0][0] is not in the file: model.layers[0] has no W'
		});
		const aliased = 'perceptron: { w: &w [0.1, 0.1] }\nextra: *w\ndata: { X: [[0, 1]], Y: [[1]] }\n';
		expect(setNumber(aliased, ['extra', 0], 1)).toMatchObject({ ok: false, message: expect.stringMatching(/alias/) });
		expect(setNumber('data: [', ['data', 0], 1)).toMatchObject({ ok: false, message: expect.stringMatching(/not valid YAML/) });
	});

	it('reads the number at a path, or nothing', () => {
		expect(readNumber(file('lessons/perceptron-or.yaml'), ['perceptron', 'w', 0])).toBe(0.1);
		expect(readNumber(file('lessons/perceptron-or.yaml'), ['perceptron', 'rule'])).toBeUndefined();
		expect(readNumber(file('lessons/perceptron-or.yaml'), ['data', 'X', 99, 0])).toBeUndefined();
	});
});

describe('ConventionsPanel (server-rendered)', () => {
	function html(text: string, locale: 'fr' | 'en', mistakes: MistakeOption[] = [], mistake: string | null = null, profile: Profile = PROFILES.neutral): string {
		return render(ConventionsPanel, { props: { text, locale, onchange: () => {}, mistakes, mistake, onmistake: () => {}, profile, bare: false } }).body.replace(/<!--[^>]*-->/g, '');
	}
	/** the label text of each checked radio */
	function checked(body: string): string[] {
		return [...body.matchAll(/<input type="radio"[^>]*checked=""[^>]*\/> <span>([^<]*)/g)].map((m) => m[1]);
	}

	it('shows the spreadsheet perceptron’s conventions in French, numbers with a comma', () => {
		const body = html(file('lessons/perceptron-or.yaml'), 'fr');
		expect(body).toContain('<legend class="svelte-');
		expect(body).toMatch(/<label for="[^"]+-threshold"[^>]*>Seuil θ<\/label>/);
		expect(body).toMatch(/id="[^"]+-threshold"[^>]*value="0,5"/);
		expect(body).toMatch(/id="[^"]+-lr"[^>]*value="0,1"/);
		expect(checked(body)).toEqual(['z > θ', 'wᵢ += η(y − ŷ)', 'sans biais']);
		expect(body).not.toContain('Fonction de perte');
	});

	it('shows a network’s loss menu with only the losses that suit its output, in English', () => {
		const softmax = html(file('lessons/losses-softmax.yaml'), 'en');
		expect([...softmax.matchAll(/<option value="([a-z_]+)"/g)].map((m) => m[1])).toEqual(['categorical_cross_entropy']);
		expect(softmax).toContain('only categorical cross-entropy fits');
		const sigmoid = html(file('lessons/backprop-deltas.yaml'), 'en');
		expect([...sigmoid.matchAll(/<option value="([a-z_]+)"/g)].map((m) => m[1])).toEqual(['squared_error', 'half_squared_error', 'mse', 'binary_cross_entropy']);
		expect(sigmoid).toMatch(/<option value="half_squared_error" selected="">½\(ŷ − y\)²/);
		expect(checked(sigmoid)).toEqual(['mean', 'no, biases stay fixed']);
		expect(sigmoid).toMatch(/id="[^"]+-lr"[^>]*value="0.5"/);
		expect(sigmoid).not.toContain('Threshold');
	});

	it('offers the kernel flip of each conv layer, and nothing to train in a forward-only run', () => {
		const body = html(file('lessons/conv-flip.yaml'), 'fr');
		expect(body).toContain('Couche 1 (conv2d)');
		// course 004 numbers the input as layer 1: the same conv layer is its layer 2
		expect(html(file('lessons/conv-flip.yaml'), 'fr', [], null, PROFILES['004'])).toContain('Couche 2 (conv2d)');
		expect(checked(body)).toEqual(['convolution']);
		expect(body).toContain('Propagation avant seulement');
		expect(body).not.toContain('<select');
	});

	it('offers the mistakes that apply to the run, off until one is chosen, then with its explanation', () => {
		const text = file('lessons/backprop-deltas.yaml');
		const scenario = readScenario(text);
		const mistakes = applicableMistakes(scenario, run(scenario));
		const off = html(text, 'fr', mistakes);
		expect(off).toContain('Comparer avec une erreur typique');
		expect(off).toMatch(/<input type="checkbox"(?![^>]*checked)[^>]*>/);
		expect(off).not.toContain('Dérivée de l’activation oubliée');
		const on = html(text, 'fr', mistakes, 'missing-activation-derivative');
		expect(on).toMatch(/<input type="checkbox" checked=""/);
		expect(on).toMatch(/value="missing-activation-derivative" checked=""/);
		expect([...on.matchAll(/name="[^"]+-mistake" value="([a-z-]+)"/g)].map((m) => m[1])).toEqual(mistakes.map((o) => o.code));
		expect(on).toContain('le facteur');
		// no mistake applies, nothing is offered
		expect(html(text, 'en')).not.toContain('typical mistake');
	});

	it.each([
		{ profile: '001', locale: 'fr', rule: 'wᵢ += α(y − ŷ)', title: 'Dans les mots du : Cours 001 — Apprentissage profond', reason: 'La règle du perceptron' },
		{ profile: '004', locale: 'en', rule: 'wᵢ += η(y − ŷ)', title: 'In the words of: Course 004 — Introduction to neural networks', reason: 'The worked example numbers the input as layer 1' },
		{ profile: 'neutral', locale: 'en', rule: 'wᵢ += η(y − ŷ)', title: 'In the words of: Neutral (Stepwise)', reason: 'No line of the course on this one.' }
	] as const)('shows the profile $profile in use, each convention with its reason, and its learning rate', ({ profile, locale, rule, title, reason }) => {
		const body = html(file('lessons/perceptron-or.yaml'), locale, [], null, PROFILES[profile]);
		expect(body).toContain(title);
		expect(body).toContain(reason);
		expect([...body.matchAll(/data-convention="(\w+)"/g)].map((m) => m[1])).toEqual([...CONVENTIONS]);
		expect(checked(body)).toContain(rule);
	});

	it('says why a scenario that does not read has no settings', () => {
		expect(html('perceptron: { w: [1] }\ndata: { X: [[1]], Y: [[2]] }\n', 'en')).toContain("data.Y[0][0]: a threshold unit's target is 0 or 1, got 2");
	});
});
