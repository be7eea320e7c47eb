import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerKey } from '../../../src/lib/exercises/key';
import type { Quantity } from '../../../src/lib/engine/quantity';
import { run } from '../../../src/lib/engine/run';
import { toJsonEvent, type JsonEvent } from '../../../src/lib/engine/trace';
import type { NestedNumbers } from '../../../src/lib/engine/tensor';
import { checkExerciseText } from '../../../src/lib/exercises/check';
import type { Exercise, ValueQuestion } from '../../../src/lib/exercises/exercise';
import { gradeAnswers } from '../../../src/lib/exercises/grade';
import { parseAsk } from '../../../src/lib/exercises/question';
import { drawVariant } from '../../../src/lib/exercises/variant';
import { profileOf, type Profile } from '../../../src/lib/profiles';
import { TOPICS } from '../../../src/lib/topics';
import { expectClose, fixtureFiles, loadFixture, PROJECT_ROOT } from '../../helpers';

const DIR = join(PROJECT_ROOT, 'exercises');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const library: Exercise[] = files.map((f) => {
	const checked = checkExerciseText(readFileSync(join(DIR, f), 'utf8'), f);
	if (!checked.ok || !checked.exercise) throw new Error(`${f}: ${JSON.stringify(checked.issues)}`);
	return checked.exercise;
});

function variantOf(exercise: Exercise, student: string) {
	const drawn = drawVariant(exercise, student);
	if (!drawn.ok) throw new Error(`${exercise.id}, ${student}: ${drawn.message}`);
	return drawn.variant;
}

/** The value at `index` of a JSON event's nested value (a slice when the index is short). */
function at(value: NestedNumbers, index: number[]): NestedNumbers {
	return index.reduce<NestedNumbers>((v, i) => (v as NestedNumbers[])[i], value);
}

const transpose = (m: number[][]): number[][] => m[0].map((_, j) => m.map((row) => row[j]));

/** A whole matrix of activations with one column per instance (003), a whole b as an n × 1 column (003). */
function asCourseWrites(layout: Profile['layout'], asked: { quantity: Quantity; index: number[] }, value: NestedNumbers): NestedNumbers {
	if (asked.index.length > 0 || !Array.isArray(value)) return value;
	const quantity = asked.quantity.symbol;
	const matrix = Array.isArray(value[0]) && !Array.isArray((value as NestedNumbers[][])[0][0]);
	if (layout.instances === 'columns' && ['A', 'Z', 'dA', 'dZ'].includes(quantity) && matrix) return transpose(value as number[][]);
	if (layout.bias === 'column' && ['b', 'db'].includes(quantity) && !matrix) return (value as number[]).map((x) => [x]);
	return value;
}

/** A key as a student would type it: [[a, b], [c, d]] with spaced commas (never ambiguous). */
const written = (v: NestedNumbers): string => (Array.isArray(v) ? `[${v.map(written).join(', ')}]` : String(v));

describe('the exercise library', () => {
	it('has at least 24 exercises, and every topic of the courses', () => {
		expect(library.length).toBeGreaterThanOrEqual(24);
		const topics = new Set(library.map((e) => e.topic));
		expect(TOPICS.filter((t) => !topics.has(t.id)).map((t) => t.id)).toEqual([]);
	});

	it('is written in French and in English', () => {
		for (const e of library) expect(e.statement.fr, e.id).not.toBe(e.statement.en);
	});

	it.each(library.map((e) => [e.id, e] as const))('%s: its answer key is the engine’s events in its course’s layout, as the CLI prints them', (_, exercise) => {
		const { layout } = profileOf(exercise.course);
		for (const student of ['alice', 'bob', 'chloé']) {
			const variant = variantOf(exercise, student);
			const key = answerKey(exercise, variant);
			const trace = run(variant.scenario);
			const events: JsonEvent[] = Array.from({ length: trace.length }, (_, seq) => toJsonEvent(trace, seq));
			for (const q of exercise.questions) {
				const parsed = q.ask === 'choice' ? null : parseAsk(q.ask);
				if (!parsed) continue;
				const step = (q as ValueQuestion).step ?? 1;
				const event = events.filter((e) => e.step === step && e.name === parsed.name).pop();
				expect(event, `${exercise.id} ${q.id}`).toBeDefined();
				expect(key[q.id], `${exercise.id} ${q.id}`).toEqual(asCourseWrites(layout, parsed, at(event?.value ?? 0, parsed.index)));
			}
		}
	});

	it('reproduces the published numbers of every course example it shares a scenario with', () => {
		let compared = 0;
		for (const name of fixtureFiles()) {
			const fixture = loadFixture(name) as { scenario?: unknown; expect?: { step: number; name: string; value: NestedNumbers; tolerance?: number }[] };
			if (!fixture.scenario || !fixture.expect) continue;
			for (const exercise of library.filter((e) => e.varyTargets.length === 0 && JSON.stringify(e.scenario) === JSON.stringify(fixture.scenario))) {
				const variant = variantOf(exercise, 'course');
				exercise.questions.forEach((q, i) => {
					const parsed = q.ask === 'choice' ? null : parseAsk(q.ask);
					const row = parsed && fixture.expect?.find((r) => r.step === (q as ValueQuestion).step && r.name === parsed.name);
					const expected = variant.expected[i];
					if (!row || !parsed || !expected?.ok) return;
					expectClose(expected.value, at(row.value, parsed.index), row.tolerance ?? 1e-9, `${exercise.id} ${q.id} (${name})`);
					compared++;
				});
			}
		}
		expect(compared).toBeGreaterThan(0);
	});

	it.each(library.map((e) => [e.id, e] as const))('%s: 1,000 students all get usable numbers, and the key earns full marks', (_, exercise) => {
		const students = exercise.varyTargets.length === 0 ? 1 : 1000;
		for (let k = 0; k < students; k++) {
			const variant = variantOf(exercise, `student-${k}`);
			if (k % 100 !== 0) continue;
			const key = answerKey(exercise, variant);
			const answers = Object.fromEntries(Object.entries(key).map(([id, v]) => [id, typeof v === 'string' ? v : written(v)]));
			const report = gradeAnswers(exercise, variant, answers);
			expect(report.points, `${exercise.id} student-${k}: ${JSON.stringify(report.questions.filter((q) => q.verdict !== 'right'))}`).toBe(report.max);
		}
	});
});

describe('exercises that follow their course’s worked example compute it as the course does', () => {
	const exercise = (id: string): Exercise => {
		const found = library.find((e) => e.id === id);
		if (!found) throw new Error(`no exercise ${id}`);
		return found;
	};
	const value = (trace: ReturnType<typeof run>, step: number, name: string): NestedNumbers => {
		const event = Array.from({ length: trace.length }, (_, seq) => toJsonEvent(trace, seq)).find((e) => e.step === step && e.name === name);
		if (!event) throw new Error(`no ${name} at step ${step}`);
		return event.value;
	};

	// the exercise's own numbers (before any variant), as the course (or COURSE_COVERAGE's appendix) gives them
	it.each([
		// 002's regression, Loss = Σ(y_i − (a x_i + b))² from a = b = 0 (COURSE_COVERAGE A8)
		['gd-linear-regression', 1, 'loss', 84.42],
		['gd-linear-regression', 1, 'dW[1]', [[-68.2]]],
		['gd-linear-regression', 1, 'db[1]', [-32]],
		// 004's step ➍ updates the weights only
		['backprop-course-004', 1, 'b[1]', [0.1, -0.1]],
		['backprop-course-004', 1, 'b[2]', [0.05]]
	] as const)('%s: step %i %s = %j', (id, step, name, expected) => {
		expectClose(value(run(exercise(id).scenario), step, name), expected as NestedNumbers, 1e-12, `${id} ${name}`);
	});

	it('backprop-course-004: every student’s biases keep their values, and the weights follow w ← w − η δ a', () => {
		const e = exercise('backprop-course-004');
		for (const student of ['alice', 'bob', 'chloé']) {
			const trace = run(variantOf(e, student).scenario);
			const flat = (step: number, name: string) => [value(trace, step, name)].flat(3) as number[];
			expect(flat(1, 'b[1]')).toEqual(flat(0, 'b[1]'));
			expect(flat(1, 'b[2]')).toEqual(flat(0, 'b[2]'));
			const eta = trace.setup.lr;
			const [delta3, a2] = [flat(1, 'dZ[2]')[0], flat(1, 'A[1]')];
			expectClose(flat(1, 'W[2]'), flat(0, 'W[2]').map((w, j) => w - eta * delta3 * a2[j]), 1e-12, `${student} w(3)`);
		}
	});
});
