import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine/run';
import { epochOf, type Trace } from '../../../src/lib/engine/trace';
import { exportModel } from '../../../src/lib/keras/export';
import { lossSeries } from '../../../src/lib/viz/loss';

/**
 * The training tools checked against PyTorch itself: each scenario is exported as PyTorch code,
 * run by Debian's Python with Debian's python3-torch (float64; installed by
 * scripts/ensure-python.sh), and every loss it prints must be Stepwise's. The exported code
 * writes Keras's update rules out with torch operations, so this checks momentum, RMSprop, Adam,
 * the schedules, L2, frozen layers and batch normalisation against torch's autograd gradients.
 */
const PYTHON = '/usr/bin/python3';

interface TorchRun {
	steps: number[];
	epochs: Record<string, number>[];
	stoppedAt: number | null;
	test: Record<string, number> | null;
}

/** What the exported code prints: `step N loss X`, `epoch N {…}`, `early stopping at epoch N`, `test {…}`. */
function runTorch(code: string): TorchRun {
	const python = spawnSync(PYTHON, ['-'], { input: code, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
	expect(python.stderr, 'PyTorch ran the exported code').toBe('');
	const dict = (text: string): Record<string, number> => JSON.parse(text.replaceAll("'", '"')) as Record<string, number>;
	const result: TorchRun = { steps: [], epochs: [], stoppedAt: null, test: null };
	for (const line of python.stdout.trim().split('\n')) {
		const step = /^step \d+ loss (\S+)$/.exec(line);
		const epoch = /^epoch \d+ (\{.*\})$/.exec(line);
		const stop = /^early stopping at epoch (\d+)$/.exec(line);
		const test = /^test (\{.*\})$/.exec(line);
		if (step) result.steps.push(Number(step[1]));
		else if (epoch) result.epochs.push(dict(epoch[1]));
		else if (stop) result.stoppedAt = Number(stop[1]);
		else if (test) result.test = dict(test[1]);
		else throw new Error(`unexpected line: ${line}`);
	}
	return result;
}

const series = (trace: Trace, name: string): number[] => Array.from(lossSeries(trace, name).values);

function expectClose(actual: number[], expected: number[], what: string): void {
	expect(actual.length, `${what}: count`).toBe(expected.length);
	actual.forEach((value, i) => expect(Math.abs(value - expected[i]), `${what} ${i + 1}: ${value} against ${expected[i]}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected[i]))));
}

const X = [[1, 0.5], [0, -1], [2, 2], [0.5, 0.5], [-1, 1], [1.5, -0.5]];
const Y = [[1], [0], [1], [0], [0], [1]];
const MLP = (layers: unknown[]) => ({ model: { input: 2, layers }, data: { X, Y }, loss: 'binary_cross_entropy', training: { epochs: 6, batch_size: 3 } });

const CASES: [string, unknown][] = [
	[
		'momentum, L2 weight decay, validation, accuracy, early stopping with the best weights restored, a test set',
		{
			...MLP([{ type: 'dense', units: 3, activation: 'tanh', init: { seed: 1 } }, { type: 'dense', units: 1, activation: 'sigmoid', init: { seed: 2 } }]),
			optimizer: { type: 'momentum', lr: 0.5, momentum: 0.9 },
			regularization: { l2: 0.01 },
			metrics: ['accuracy', 'mse'],
			training: { epochs: 30, batch_size: 2, validation_split: 0.34 },
			early_stopping: { monitor: 'val_loss', patience: 2, restore_best_weights: true },
			test: { X: [[0.2, 0.9], [1, 1]], Y: [[1], [0]] }
		}
	],
	['RMSprop on mini-batches, ReLU', { ...MLP([{ type: 'dense', units: 4, activation: 'relu', init: { seed: 3 } }, { type: 'dense', units: 1, activation: 'sigmoid', init: { seed: 4 } }]), optimizer: { type: 'rmsprop', lr: 0.05, rho: 0.8 } }],
	[
		'Adam under an ExponentialDecay in a staircase, the first layer frozen',
		{
			...MLP([{ type: 'dense', units: 3, activation: 'sigmoid', trainable: false, init: { seed: 5 } }, { type: 'dense', units: 2, activation: 'tanh', init: { seed: 6 } }, { type: 'dense', units: 1, activation: 'sigmoid', init: { seed: 7 } }]),
			optimizer: { type: 'adam', lr: { schedule: 'exponential', initial: 0.1, decay_rate: 0.5, decay_steps: 3, staircase: true }, beta_1: 0.8 }
		}
	],
	[
		'batch normalisation between dense layers, SGD under an InverseTimeDecay',
		{
			...MLP([{ type: 'dense', units: 3, activation: 'relu', init: { seed: 8 } }, { type: 'batchnorm', momentum: 0.9 }, { type: 'dense', units: 1, activation: 'sigmoid', init: { seed: 9 } }]),
			optimizer: { type: 'sgd', lr: { schedule: 'inverse_time', initial: 0.5, decay_rate: 1, decay_steps: 2 } }
		}
	],
	[
		'a CNN: convolution with padding and stride, average pooling, batch normalisation per channel, softmax with the categorical cross-entropy',
		{
			model: {
				input: [1, 5, 5],
				layers: [
					{ type: 'conv2d', filters: 2, kernel: 3, padding: 1, stride: 2, activation: 'relu', init: { seed: 10 } },
					{ type: 'batchnorm' },
					{ type: 'pool', mode: 'avg', size: 2, stride: 1 },
					{ type: 'flatten' },
					{ type: 'dense', units: 2, activation: 'softmax', init: { seed: 11 } }
				]
			},
			loss: 'categorical_cross_entropy',
			optimizer: { type: 'adam', lr: 0.01 },
			data: {
				X: [0, 1, 2].map((n) => [Array.from({ length: 5 }, (_, h) => Array.from({ length: 5 }, (_, w) => Math.sin(n + 3 * h + 7 * w)))]),
				Y: [[1, 0], [0, 1], [1, 0]]
			},
			training: { epochs: 4, batch_size: 3 }
		}
	],
	['the mean absolute error of a linear output', { ...MLP([{ type: 'dense', units: 2, activation: 'tanh', init: { seed: 12 } }, { type: 'dense', units: 1, init: { seed: 13 } }]), loss: 'mae', optimizer: { type: 'sgd', lr: 0.1 } }]
];

describe('the exported PyTorch code, run by PyTorch (Debian’s python3-torch, float64)', () => {
	it.each(CASES)('%s: every loss PyTorch prints is Stepwise’s', (_, scenario) => {
		const trace = run(scenario);
		const torch = runTorch(exportModel(scenario, 'pytorch'));
		expectClose(torch.steps, series(trace, 'loss'), 'step loss');
		const evaluated = series(trace, 'epoch_loss');
		if (evaluated.length > 0) {
			expectClose(torch.epochs.map((logs) => logs.loss), evaluated, 'epoch loss');
			for (const [printed, recorded] of [['val_loss', 'val_loss'], ['accuracy', 'accuracy'], ['val_accuracy', 'val_accuracy'], ['mse', 'mse']]) {
				if (series(trace, recorded).length > 0) expectClose(torch.epochs.map((logs) => logs[printed]), series(trace, recorded), printed);
			}
		}
		const stopping = series(trace, 'early_stopping');
		if (stopping.length > 0) expect(torch.stoppedAt, 'the epoch early stopping ends').toBe(trace.setup.earlyStopping ? epochOf(trace, trace.length - 1) : null);
		const testLoss = series(trace, 'test_loss');
		if (testLoss.length > 0) expectClose([torch.test?.loss ?? NaN, torch.test?.accuracy ?? NaN], [testLoss[0], series(trace, 'test_accuracy')[0]], 'test');
	});
});
