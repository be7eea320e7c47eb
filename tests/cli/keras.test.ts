import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, scratch } from './cli';

const { file } = scratch('stepwise-keras-');

// course 001's slide, as the course writes it
const course = file(
	'course-001.py',
	`from tensorflow import keras

input_size = (20, )

model = keras.Sequential([
keras.layers.Input (input_size, name="InputLayer"),
keras.layers.Dense (128, activation='relu', name="DenseLayerl"),
keras.layers.Dense(64, activation='relu', name="DenseLayer2"),
keras.layers.Dense (1, name="OutputLayerl")
])
model.compile(optimizer='sgd', loss='mse', metrics=['mae', 'mse', 'mape'])
`
);

const xor = file(
	'xor.yaml',
	`model:
  input: 2
  layers:
    - { type: dense, units: 2, activation: sigmoid, W: [[0.1, -0.2], [0.4, 0.3]], b: [0.1, -0.1] }
    - { type: dense, units: 1, activation: sigmoid, W: [[0.5, -0.5]], b: [0.2] }
loss: half_squared_error
optimizer: { type: sgd, lr: 0.5 }
data: { X: [[0, 0], [0, 1]], Y: [[0], [1]] }
training: { epochs: 2, batch_size: 1 }
`
);

describe('stepwise import', () => {
	it('prints the scenario YAML of Keras code, and what it left out on stderr with the line', () => {
		const { status, stdout, stderr } = cli('import', course);
		expect(status).toBe(0);
		const scenario = parse(stdout) as { model: { input: number; layers: unknown[] }; loss: string; metrics: string[] };
		expect(scenario.model.input).toBe(20);
		expect(scenario.model.layers).toHaveLength(3);
		expect(scenario.loss).toBe('mse');
		expect(scenario.metrics).toEqual(['mae', 'mse']);
		expect(stderr).toContain(`${course}: line 11, column 67: metric 'mape' left out`);
	});

	it('runs as printed: the YAML is a scenario trace takes', () => {
		const yaml = file('course-001.yaml', cli('import', course).stdout);
		const { status, stdout } = cli('info', yaml, '--json');
		expect(status).toBe(0);
		expect(JSON.parse(stdout).params).toBe(11009);
		expect(cli('trace', yaml, '--json').status).toBe(0);
	});

	it('refuses what it cannot take, with the file, line and column, and exit code 1', () => {
		const bad = file('bad.py', "model = Sequential()\nmodel.add(Dense(4, input_dim=3))\nmodel.add(LSTM(8))\n");
		const { status, stdout, stderr } = cli('import', bad);
		expect(status).toBe(1);
		expect(stdout).toBe('');
		expect(stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: column 11: LSTM is not taken`));
	});
});

describe('stepwise info --keras', () => {
	it('prints Keras’s summary table of Keras code or of a scenario', () => {
		const { status, stdout } = cli('info', course, '--keras');
		expect(status).toBe(0);
		expect(stdout).toContain(' dense (Dense)               (None, 128)               2688');
		expect(stdout).toContain('Total params: 11,009');
		expect(cli('info', xor, '--keras').stdout).toContain('Total params: 9');
	});
});

describe('stepwise export', () => {
	it('prints Keras code that import reads back to the same network', () => {
		const exported = cli('export', xor, '--keras');
		expect(exported.status).toBe(0);
		expect(exported.stdout).toContain("model.get_layer('layer_1').set_weights([np.array([[0.1, 0.4], [-0.2, 0.3]], dtype='float64'), np.array([0.1, -0.1], dtype='float64')])");
		const back = cli('import', file('exported.py', exported.stdout));
		expect(back.status).toBe(0);
		expect(back.stderr).toBe('');
		const scenario = parse(back.stdout) as { model: { layers: { W: unknown }[] }; loss: string };
		expect(scenario.model.layers.map((layer) => layer.W)).toEqual([[[0.1, -0.2], [0.4, 0.3]], [[0.5, -0.5]]]);
		expect(scenario.loss).toBe('half_squared_error');
	});

	it('prints PyTorch code, from a scenario or straight from Keras code', () => {
		expect(cli('export', xor, '--pytorch').stdout).toContain('nn.Linear(2, 2),  # layer 1');
		expect(cli('export', course, '--pytorch').stdout).toContain('nn.Linear(20, 128),  # layer 1');
	});

	it('needs --keras or --pytorch', () => {
		const { status, stderr } = cli('export', xor);
		expect(status).toBe(2);
		expect(stderr).toContain('export needs --keras or --pytorch');
	});
});
