import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIT_SCENARIOS, digest, type TraceDigest } from './trace-bits-scenarios';

/**
 * Every event of these runs, bit for bit, as the engine recorded them before the recording and
 * the loops were made faster (digests in fixtures/trace-bits.json, recorded at 008a72c): a faster
 * path must give the same numbers, not merely close ones.
 */
const recorded = JSON.parse(readFileSync(new URL('./fixtures/trace-bits.json', import.meta.url), 'utf8')) as Record<string, TraceDigest>;

describe('a run records the same numbers, bit for bit, as before the engine was made faster', () => {
	it('covers every scenario of the fixture', () => {
		expect(Object.keys(BIT_SCENARIOS).sort()).toEqual(Object.keys(recorded).sort());
	});

	it.each(Object.keys(BIT_SCENARIOS))('%s', (name) => {
		expect(digest(BIT_SCENARIOS[name]())).toEqual(recorded[name]);
	});
});
