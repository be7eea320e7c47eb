import { afterEach, describe, expect, it, vi } from 'vitest';
import { bench } from '../../bench/main';
import { TASK_NAMES } from '../../bench/tasks';

/** The benchmark's own code, run tiny: it works and prints BENCH.md's JSON. No timing is asserted. */
describe('npm run bench', () => {
	afterEach(() => vi.restoreAllMocks());

	function capture(): string[] {
		const written: string[] = [];
		vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
			written.push(String(chunk));
			return true;
		});
		return written;
	}

	it('prints one JSON document last, with every task’s median ms and each backend beside it', async () => {
		const written = capture();
		const report = await bench(['--tiny', '--runs', '1', '--json', '--compare', '--threshold']);
		const printed = JSON.parse(written.join('').trim().split('\n').at(-1) ?? '');
		expect(printed).toEqual(report);
		expect(Object.keys(printed.tasks)).toEqual([...TASK_NAMES]);
		for (const task of TASK_NAMES) {
			const entry = printed.tasks[task];
			for (const key of ['ms', 'reference_ms', 'gpu_ms', 'tfjs-cpu_ms', 'tfjs-wasm_ms', 'loops_ms']) expect(entry[key], `${task} ${key}`).toBeGreaterThan(0);
			expect(Object.keys(entry.ratios)).toEqual(['vs_tfjs-cpu', 'vs_tfjs-wasm', 'vs_loops']);
		}
		expect(printed.tasks['xor-sgd'].final_loss).toBeGreaterThan(0);
		expect(printed.tasks.mlp.loss_at_steps_1_2).toHaveLength(2);
		expect(printed.tasks.mlp.recording_share).toBeGreaterThan(0);
		expect(printed.tasks.grid.frame_checksum).toBeGreaterThan(0);
		expect(printed.memory).toMatchObject({ steps: 1000, bytes_per_step: expect.any(Number) });
		expect(printed.threshold.map((row: { kind: string }) => row.kind)).toEqual(['dense', 'conv2d']);
	});

	it('prints a readable table without --json', async () => {
		const written = capture();
		await bench(['--tiny', '--runs', '1', '--tasks', 'xor-sgd,grid', '--no-memory']);
		const text = written.join('');
		expect(text).toMatch(/^xor-sgd\s+[\d.]+ ms on \S+/m);
		expect(text).toMatch(/^grid\s+[\d.]+ ms on \S+/m);
		expect(text).not.toMatch(/^mlp/m);
	});

	it.each([
		[['--runs', '0'], /--runs: expected a whole number of at least 1, got "0"/],
		[['--tasks', 'mlp,resnet'], /--tasks: unknown task resnet/],
		[['--fast'], /unknown option --fast/]
	])('refuses %j with a message', async (argv, message) => {
		await expect(bench(argv)).rejects.toThrow(message);
	});
});
