import { describe, expect, it } from 'vitest';
import { findEvent, outputShape, paramCount, run } from '../../../src/lib/engine';
import { toNested } from '../../../src/lib/engine/tensor';
import { expectClose, fixtureFiles, loadFixture } from '../../helpers';

interface ExpectRow {
	step: number;
	name: string;
	value: number | number[];
	tolerance?: number;
}
interface ScenarioFixture {
	scenario: unknown;
	expect: ExpectRow[];
}
interface CountFixture {
	counts: { source: string; model: { layers: unknown[] }; params: number; output_shape?: number[] }[];
}

const scenarioFiles = fixtureFiles().filter((f) => f !== 'param-counts.yaml');

describe('the courses’ worked examples', () => {
	it('finds the fixture files', () => {
		expect(scenarioFiles.length).toBeGreaterThanOrEqual(9);
	});

	describe.each(scenarioFiles)('%s', (file) => {
		const fixture = loadFixture(file) as ScenarioFixture;
		const trace = run(fixture.scenario);

		it.each(fixture.expect.map((row) => [`step ${row.step} ${row.name}`, row] as const))('%s', (_label, row) => {
			const event = findEvent(trace, row.step, row.name);
			expect(event, `no event ${row.name} at step ${row.step}`).toBeDefined();
			if (!event) return;
			expectClose(toNested(event.value.shape, event.value.data), row.value, row.tolerance ?? 1e-9, row.name);
		});
	});

	describe('parameter counts and output shapes (param-counts.yaml)', () => {
		const { counts } = loadFixture('param-counts.yaml') as CountFixture;
		it.each(counts.map((c) => [c.source, c] as const))('%s', (_source, c) => {
			expect(paramCount(c.model)).toBe(c.params);
			if (c.output_shape) expect(outputShape(c.model, c.model.layers.length)).toEqual(c.output_shape);
		});
	});
});
