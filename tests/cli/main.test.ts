import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, PROJECT_ROOT } from '../helpers';
import { cli, scratch } from './cli';

const { dir, file } = scratch('stepwise-cli-');

const backprop = file(
	'backprop.yaml',
	`title: Backprop, one step
model:
  input: 2
  layers:
    - { type: dense, units: 2, activation: sigmoid, W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1] }
    - { type: dense, units: 1, activation: sigmoid, W: [[0.5, -0.5]], b: [0.2] }
loss: half_squared_error
optimizer: { type: sgd, lr: 0.5 }
data: { X: [[1.0, 0.5]], Y: [[1.0]] }
training: { epochs: 2 }
`
);

describe('stepwise trace --json', () => {
	const result = cli('trace', backprop, '--json');
	const events = JSON.parse(result.stdout).events as Record<string, unknown>[];

	it('prints one JSON document of events with exactly the contract’s keys', () => {
		expect(result.status).toBe(0);
		expect(result.stderr).toBe('');
		expect(events).toHaveLength(4 + 2 * 18);
		for (const event of events) expect(Object.keys(event)).toEqual(['seq', 'step', 'epoch', 'phase', 'name', 'value']);
		expect(events[5]).toEqual({ seq: 5, step: 1, epoch: 1, phase: 'forward', name: 'Z[1]', value: [[0.1, 0.45000000000000007]] });
		expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
	});

	it('is byte-identical from one run to the next', () => {
		expect(cli('trace', backprop, '--json').stdout).toBe(result.stdout);
	});

	it('selects steps and names', () => {
		const selected = JSON.parse(cli('trace', backprop, '--json', '--steps', '2..', '--names', 'W[1],loss').stdout).events as { step: number; name: string; seq: number }[];
		expect(selected.map((e) => `${e.step} ${e.name}`)).toEqual(['2 loss', '2 W[1]']);
		expect(selected[0].seq).toBe(events.findIndex((e) => e.step === 2 && e.name === 'loss'));
	});

	it('reproduces a course example given as a fixture file (scenario: … expect: …)', () => {
		const conv = JSON.parse(cli('trace', join(FIXTURES_DIR, 'conv-stride-2.yaml'), '--json').stdout).events as { name: string; value: unknown }[];
		expect(conv.find((e) => e.name === 'Z[1]')?.value).toEqual([[[[15, 15], [24, 20]]]]);
	});
});

describe('stepwise trace (readable)', () => {
	const { status, stdout } = cli('trace', backprop);

	it('lists each event with phase, name, shape and rounded values', () => {
		expect(status).toBe(0);
		expect(stdout).toContain('Backprop, one step: 2 steps, 40 events');
		expect(stdout).toMatch(/forward\s+Z\[1\]\s+1×2\s+\[\[0\.1, 0\.45\]\]/);
		expect(stdout).toMatch(/loss\s+loss\s+scalar\s+0\.106163/);
		expect(stdout).not.toMatch(/\d\.\d*0000000/);
	});

	it('lists what the end of each epoch evaluates: the validation loss and the early-stopping decision', () => {
		const evaluated = file(
			'evaluated.yaml',
			`model:
  input: 1
  layers:
    - { type: dense, units: 1, activation: identity, W: [[0]], b: [0] }
loss: mse
optimizer: { type: sgd, lr: 0.5 }
data: { X: [[1]], Y: [[1]] }
validation: { X: [[2]], Y: [[1]] }
early_stopping: { monitor: val_loss, patience: 1 }
training: { epochs: 3 }
`
		);
		const readable = cli('trace', evaluated);
		expect(readable.stderr).toBe('');
		expect(readable.status).toBe(0);
		// w = b = 0 then one step on (1, 1): w = b = 1, so ŷ(2) = 3 and (3 − 1)² = 4 on the validation point
		expect(readable.stdout).toMatch(/evaluate\s+val_loss\s+scalar\s+4\b/);
		expect(readable.stdout).toMatch(/evaluate\s+early_stopping\s+4\s+\[4, 1, 0, 0\]/);
	});
});

describe('stepwise info', () => {
	it('prints the contract’s JSON', () => {
		const model = file('cnn.yaml', 'model:\n  input: [3, 9, 9]\n  layers:\n    - { type: conv2d, filters: 8, kernel: 3 }\n');
		const { status, stdout } = cli('info', model, '--json');
		expect(status).toBe(0);
		expect(JSON.parse(stdout)).toEqual({ layers: [{ index: 1, type: 'conv2d', output_shape: [8, 7, 7], params: 224 }], params: 224 });
	});

	it('works through the README’s command, with nothing but JSON on stdout', () => {
		const result = spawnSync('npm', ['run', '-s', 'cli', '--', 'info', backprop, '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
		expect(result.status).toBe(0);
		expect(JSON.parse(result.stdout).params).toBe(9);
	});

	it('prints a readable table', () => {
		const { stdout } = cli('info', backprop);
		expect(stdout).toMatch(/1\s+dense\s+2\s+6/);
		expect(stdout).toContain('total parameters: 9');
	});
});

describe('errors and exit codes', () => {
	const badShape = file(
		'bad-shape.yaml',
		'model:\n  input: 2\n  layers:\n    - type: dense\n      units: 2\n      W: [[1, 2, 3], [4, 5, 6]]\n      b: [0, 0]\ndata: { X: [[1, 2]] }\n'
	);

	it.each([
		{ args: ['trace', badShape], status: 1, stderr: `${badShape}:6: model.layers[0].W: expected 2×2 (units × inputs), got 2×3` },
		{ args: ['info', file('kernel.yaml', 'model:\n  input: [1, 5, 5]\n  layers:\n    - { type: conv2d, filters: 1, kernel: 7 }\n')], status: 1, stderr: 'model.layers[0].kernel: 7 is larger than its input 5×5' },
		{ args: ['trace', file('syntax.yaml', 'model:\n  input: 2\n   layers: [\n')], status: 1, stderr: 'line ' },
		{ args: ['trace', join(dir, 'missing.yaml')], status: 1, stderr: 'cannot read' },
		{ args: ['trace', dir], status: 1, stderr: 'it is a folder' },
		{ args: ['trace'], status: 2, stderr: 'trace needs a scenario file' },
		{ args: ['train', backprop], status: 2, stderr: 'unknown command "train"' },
		{ args: ['trace', backprop, '--steps', 'five'], status: 2, stderr: '--steps: expected' },
		{ args: ['trace', backprop, '--backend', 'quantum'], status: 2, stderr: '--backend: expected reference, gpu or auto, got "quantum"' },
		{ args: ['trace', backprop, '--verbose'], status: 2, stderr: 'unknown option --verbose' }
	])('$args.0 $args.1 … exits $status', ({ args, status, stderr }) => {
		const result = cli(...args);
		expect(result.status).toBe(status);
		expect(result.stderr).toContain(stderr);
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(result.stdout).toBe('');
	});

	it('prints usage with --help', () => {
		const { status, stdout } = cli('--help');
		expect(status).toBe(0);
		expect(stdout).toContain('stepwise trace FILE');
	});

	it('reports a diverged run on stderr and still prints its events', () => {
		const diverging = file(
			'diverge.yaml',
			'model: { input: 1, layers: [{ type: dense, units: 1, W: [[1]], b: [0] }] }\nloss: squared_error\noptimizer: { type: sgd, lr: 1.0e+6 }\ndata: { X: [[1000]], Y: [[1]] }\ntraining: { epochs: 200 }\n'
		);
		const { status, stdout, stderr } = cli('trace', diverging, '--json');
		expect(status).toBe(0);
		expect(stderr).toMatch(/training diverged at step \d+/);
		const events = JSON.parse(stdout).events as { phase: string; quantity?: string }[];
		expect(events[events.length - 1]).toMatchObject({ phase: 'diverged' });
	});
});
