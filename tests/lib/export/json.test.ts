import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/lib/engine';
import { readScenario } from '../../../src/lib/engine/scenario/parse';
import { traceJson } from '../../../src/lib/export';
import { DESIGN_EXAMPLE, FIXTURES_DIR, PROJECT_ROOT } from '../../helpers';

/** `npm run -s cli -- trace FILE --json`, as the CLI tests run it (tsx without npm's start-up). */
function cliJson(file: string): string {
	const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'trace', file, '--json'], {
		cwd: PROJECT_ROOT,
		encoding: 'utf8',
		maxBuffer: 64 << 20
	});
	expect(result.status, result.stderr).toBe(0);
	return result.stdout;
}

const designFile = join(mkdtempSync(join(tmpdir(), 'stepwise-export-')), 'design.yaml');
writeFileSync(designFile, stringify({ ...DESIGN_EXAMPLE, training: { epochs: 3, batch_size: 1 } }));

describe('traceJson', () => {
	it.each([
		['the OR perceptron', join(FIXTURES_DIR, 'perceptron-spreadsheet-or.yaml')],
		['the 2-2-1 network, three epochs', designFile],
		['a convolution', join(FIXTURES_DIR, 'conv-stride-2.yaml')]
	])('is the CLI’s --json document, byte for byte, for %s', (_label, file) => {
		const trace = run(readScenario(readFileSync(file, 'utf8')));
		const json = traceJson(trace);
		expect(`${json}\n`).toBe(cliJson(file));
		expect(json.endsWith('\n')).toBe(false);
	}, 30_000);

	it('follows DESIGN.md’s contract: { events: [ { seq, step, epoch, phase, name, value } ] }', () => {
		const parsed = JSON.parse(traceJson(run(DESIGN_EXAMPLE))) as { events: Record<string, unknown>[] };
		expect(Object.keys(parsed)).toEqual(['events']);
		expect(Object.keys(parsed.events[0])).toEqual(['seq', 'step', 'epoch', 'phase', 'name', 'value']);
		expect(parsed.events[0]).toEqual({ seq: 0, step: 0, epoch: 0, phase: 'init', name: 'W[1]', value: [[0.1, -0.2], [0.4, 0.3]] });
	});
});
