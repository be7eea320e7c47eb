import { describe, expect, it } from 'vitest';
import { importKeras } from '../../../src/lib/keras/import';
import { kerasSummary } from '../../../src/lib/keras/summary';

/** The table without the spaces that pad each line to 65 characters. */
function trimmed(table: string): string {
	return table
		.split('\n')
		.map((line) => line.trimEnd())
		.join('\n');
}

describe('model.summary() as Keras prints it', () => {
	it('gives course 001’s 20 → 128 → 64 → 1 network 11,009 parameters, in Keras’s table', () => {
		const { scenario } = importKeras(`model = keras.Sequential([
keras.layers.Input((20,)),
keras.layers.Dense(128, activation='relu'),
keras.layers.Dense(64, activation='relu'),
keras.layers.Dense(1)
])`);
		const table = kerasSummary(scenario);
		expect(trimmed(table)).toBe(`Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 dense (Dense)               (None, 128)               2688

 dense_1 (Dense)             (None, 64)                8256

 dense_2 (Dense)             (None, 1)                 65

=================================================================
Total params: 11,009
Trainable params: 11,009
Non-trainable params: 0
_________________________________________________________________`);
		for (const line of table.split('\n').slice(1, -4)) expect(line).toHaveLength(65);
	});

	it('shows a CNN channels-last with None for the batch: course 001’s 9×9×3 network, P = (kx·ky·I + 1)·F', () => {
		const { scenario } = importKeras(`model = Sequential([
    Conv2D(8, (3, 3), activation='relu', input_shape=(9, 9, 3)),
    Conv2D(16, (3, 3), strides=2, activation='relu'),
    Flatten(),
    Dense(16, activation='relu'),
    Dense(4, activation='relu'),
    Dense(1)
])`);
		const rows = trimmed(kerasSummary(scenario))
			.split('\n')
			.filter((line) => line.includes('('));
		expect(rows).toEqual([
			' Layer (type)                Output Shape              Param #',
			' conv2d (Conv2D)             (None, 7, 7, 8)           224',
			' conv2d_1 (Conv2D)           (None, 3, 3, 16)          1168',
			' flatten (Flatten)           (None, 144)               0',
			' dense (Dense)               (None, 16)                2320',
			' dense_1 (Dense)             (None, 4)                 68',
			' dense_2 (Dense)             (None, 1)                 5'
		]);
		expect(kerasSummary(scenario)).toContain('Total params: 3,785');
	});

	it('names pooling layers by their mode, wrapped as TensorFlow prints them', () => {
		const table = kerasSummary({
			model: { input: [1, 28, 28], layers: [{ type: 'conv2d', filters: 32, kernel: 3 }, { type: 'pool', mode: 'max', size: 2 }, { type: 'pool', mode: 'avg', size: 13 }] }
		});
		// TensorFlow 2.9+ wraps a class name longer than its column onto the next line
		expect(table).toContain(' max_pooling2d (MaxPooling2D  (None, 13, 13, 32)       0         \n )    ');
		expect(table).toContain(' average_pooling2d (AverageP  (None, 1, 1, 32)         0         \n ooling2D)    ');
		expect(table).toContain('Total params: 320');
	});
});
