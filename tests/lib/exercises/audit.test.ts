/**
 * The grader's fairness to a student who makes one catalogued mistake throughout an exercise,
 * measured over the library (audit/grading.ts, also `npm run -s audit:grading`): the mistake the
 * student made is the only one ever named, and the harness's own writing (rounded as the
 * tolerance asks, decimal commas) reads back right.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findEvent } from '../../../src/lib/engine/trace';
import { parseAnswer } from '../../../src/lib/exercises/answer';
import { MISTAKES } from '../../../src/lib/exercises/mistakes/catalogue';
import { drawVariant } from '../../../src/lib/exercises/variant';
import { auditGrading, derivedRun, type AuditCounts, formatAudit, libraryExercises, scenarioOf, writeNumber, writeValue } from './audit/grading';

describe('a student’s writing', () => {
	it('rounds as the tolerance asks, with a decimal comma', () => {
		expect(writeNumber(0.593276, { decimals: 4 }).text).toBe('0,5933');
		expect(writeNumber(-0.00001, { decimals: 4 }).text).toBe('0,0000');
		expect(writeNumber(0.0012345, { sig: 3 }).text).toBe('0,00123');
		expect(writeNumber(1234.5678, { sig: 3 }).text).toBe('1235');
		expect(writeNumber(0.4567, { abs: 0.005 }).text).toBe('0,457');
		expect(writeNumber(0.4567, { rel: 0.01 }).text).toBe('0,457');
		expect(writeNumber(0.25, { abs: 0 }).text).toBe('0,25');
		expect(writeNumber(3, { decimals: 4 }, true).text).toBe('3');
	});

	it('writes vectors and matrices so that the decimal commas read back as decimals', () => {
		const vector = writeValue([[0.12345, -1.5]], { decimals: 2 });
		expect(vector?.text).toBe('0,12 ; -1,50');
		const matrix = writeValue([[0.5, 0.25], [1, -2]], { decimals: 2 });
		expect(parseAnswer(vector?.text ?? '', 'vector')).toMatchObject({ ok: true, values: [0.12, -1.5] });
		expect(parseAnswer(matrix?.text ?? '', 'matrix')).toMatchObject({ ok: true, rows: [[0.5, 0.25], [1, -2]] });
		expect(writeValue([4, 4, 8], { decimals: 0 }, true)?.text).toBe('4×4×8');
	});
});

describe('a derived mistake made throughout', () => {
	it('follows from the student’s own earlier values: δ without σ′ is the student’s ∂J/∂a in every layer', () => {
		const exercise = libraryExercises().find((e) => e.id === 'backprop-221');
		const drawn = exercise && drawVariant(exercise, 'alice');
		if (!exercise || !drawn?.ok) throw new Error('backprop-221 cannot be drawn');
		const mistake = MISTAKES.find((m) => m.code === 'missing-activation-derivative');
		if (!mistake) throw new Error('no missing-activation-derivative in the catalogue');
		const trace = derivedRun(scenarioOf(exercise, drawn.variant), drawn.variant.trace, mistake);
		if (!trace) throw new Error('no run');
		for (const layer of [1, 2]) {
			expect(Array.from(findEvent(trace, 1, `dZ[${layer}]`)?.value.data ?? [])).toEqual(Array.from(findEvent(trace, 1, `dA[${layer}]`)?.value.data ?? []));
		}
		// dA[1] is sent back from the student's own δ[2], not the right one
		expect(Array.from(findEvent(trace, 1, 'dA[1]')?.value.data ?? [])).not.toEqual(Array.from(findEvent(drawn.variant.trace, 1, 'dA[1]')?.value.data ?? []));
	});
});

describe('the library, each applicable mistake made throughout', () => {
	let counts: AuditCounts;
	let report: string;
	// the whole library's audit takes several seconds, more than a hook's default 10 s on a loaded machine
	beforeAll(() => {
		counts = auditGrading();
		report = formatAudit(counts);
	}, 60_000);

	it('grades sheets for every exercise with value questions', () => {
		expect(counts.undrawn, report).toEqual([]);
		expect(counts.sheets).toBeGreaterThan(100);
		expect(counts.mistaken).toBeGreaterThan(0);
		expect(counts.diagnosedRight).toBeGreaterThan(0);
	});

	it('never names a mistake the student did not make, nor diagnoses an answer within tolerance', () => {
		expect(counts.wrongCodes, report).toEqual([]);
	});

	it('credits every answer that follows from the student’s own earlier values, and names or lists the mistake of every other', () => {
		expect(counts.notCredited, report).toEqual([]);
	});

	it('grades right every answer the student has right at the precision written', () => {
		expect(counts.unfairRight, report).toEqual([]);
	});
});
