import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine/run';
import { findEvent } from '../../../src/lib/engine/trace';
import { exportModel } from '../../../src/lib/keras/export';

/**
 * The exported code, run by Python against python-stand-ins/: numpy stand-ins that compute the
 * forward pass Keras and PyTorch document (Keras: channels-last images, Dense kernel inputs ×
 * units, Conv2D kernel kh × kw × in × out, Flatten in height-width-channels order; PyTorch:
 * nn.Linear weight out × in, nn.Conv2d out × in × kh × kw, channels-first) without Stepwise's
 * code. Debian's python3-numpy is installed by scripts/ensure-python.sh (npm test); Keras is no
 * Debian package, and PyTorch's own run of the exported training is pytorch.test.ts.
 */

const SCENARIO = {
	model: {
		input: [2, 5, 4],
		layers: [
			{ type: 'conv2d', filters: 3, kernel: [3, 2], stride: [2, 1], padding: [1, 0], activation: 'relu', init: { seed: 5 } },
			{ type: 'pool', mode: 'avg', size: [1, 2], stride: [1, 1] },
			{ type: 'conv2d', filters: 2, kernel: 2, activation: 'tanh', flip: true, init: { seed: 6 } },
			{ type: 'pool', mode: 'max', size: [1, 1] },
			{ type: 'flatten' },
			{ type: 'dense', units: 3, activation: 'softmax', init: { weights: 'uniform', seed: 7 } }
		]
	},
	data: {
		X: Array.from({ length: 2 }, (_, n) =>
			Array.from({ length: 2 }, (_, c) => Array.from({ length: 5 }, (_, h) => Array.from({ length: 4 }, (_, w) => Math.sin(n + 2 * c + 3 * h + 5 * w))))
		)
	}
};

/** The output `code` prints for the samples, its last line made to print JSON. */
function pythonOutput(code: string, last: string): number[] {
	const script = code.replace(`print(${last})`, `import json\nprint(json.dumps(${last}.tolist()))`);
	const env = { ...process.env, PYTHONPATH: join(__dirname, 'python-stand-ins'), PYTHONDONTWRITEBYTECODE: '1' };
	const python = spawnSync('python3', ['-'], { input: script, encoding: 'utf8', env });
	expect(python.stderr).toBe('');
	return (JSON.parse(python.stdout) as number[][]).flat();
}

describe('the exported code, run by Python with numpy stand-ins for Keras and PyTorch', () => {
	const output = Array.from(findEvent(run(SCENARIO), 1, 'A[6]')?.value.data ?? []);

	it.each([
		['keras', 'model.predict(X)'],
		['pytorch', 'model(X)']
	] as const)('%s predicts what Stepwise’s forward pass computes', (format, last) => {
		const predicted = pythonOutput(exportModel(SCENARIO, format), last);
		expect(output).toHaveLength(6);
		expect(predicted).toHaveLength(6);
		predicted.forEach((value, i) => expect(value).toBeCloseTo(output[i], 12));
	});
});
