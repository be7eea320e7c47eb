import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerKey } from '../../../src/lib/exercises/key';
import type { Quantity } from '../../../src/lib/engine/quantity';
import { run } from '../../../src/lib/engine/run';
import { summarize } from '../../../src/lib/engine/summary';
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
			// an exercise that asks only facts (sizes, counts) may have no data to run
			const asksRun = exercise.questions.some((q) => q.ask !== 'choice' && parseAsk(q.ask));
			const trace = asksRun ? run(variant.scenario) : null;
			const events: JsonEvent[] = trace ? Array.from({ length: trace.length }, (_, seq) => toJsonEvent(trace, seq)) : [];
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
		['backprop-course-004', 1, 'b[2]', [0.05]],
		// 004's scalar chain with C = (o − y)² is COURSE_COVERAGE's ad-hoc A6, whose 4-decimal values these are (the course prints no numbers for it)
		['backprop-chain-course-004', 1, 'dA[3]', [[-0.8568]]],
		['backprop-chain-course-004', 1, 'dZ[3]', [[-0.2098]]],
		['backprop-chain-course-004', 1, 'dW[3]', [[-0.1019]]],
		['backprop-chain-course-004', 1, 'dA[2]', [[-0.1678]]],
		['backprop-chain-course-004', 1, 'dZ[2]', [[-0.0419]]],
		['backprop-chain-course-004', 1, 'dW[2]', [[-0.0271]]],
		['backprop-chain-course-004', 1, 'dZ[1]', [[0.0038]]],
		['backprop-chain-course-004', 1, 'dW[1]', [[0.0038]]]
	] as const)('%s: step %i %s = %j', (id, step, name, expected) => {
		const tolerance = id === 'backprop-chain-course-004' ? 5e-5 : 1e-12;
		expectClose(value(run(exercise(id).scenario), step, name), expected as NestedNumbers, tolerance, `${id} ${name}`);
	});

	it('mlp-keras-course-001: the course\'s own sizes, 20 → 128 → 64 → 1, give 2 688 + 8 256 + 65 = 11 009 parameters', () => {
		const summary = summarize(exercise('mlp-keras-course-001').scenario);
		expect(summary.layers.map((l) => l.output_shape)).toEqual([[128], [64], [1]]);
		expect(summary.layers.map((l) => l.params)).toEqual([2688, 8256, 65]);
		expect(summary.params).toBe(11009);
	});

	it('mlp-diabetes-course-002: the course\'s own network, 8 → 20 → 20 → 1, gives 180 + 420 + 21 = 621 parameters', () => {
		const summary = summarize(exercise('mlp-diabetes-course-002').scenario);
		expect(summary.layers.map((l) => l.params)).toEqual([180, 420, 21]);
		expect(summary.params).toBe(621);
	});

	// the recursion the courses teach, written out by hand, against every drawn student's run
	const flatOf = (trace: ReturnType<typeof run>) => (step: number, name: string) => [value(trace, step, name)].flat(3) as number[];

	it('backprop-chain-course-004: every student\'s chain follows the course\'s equations (2) to (7), with 2(o − y)', () => {
		const e = exercise('backprop-chain-course-004');
		for (const student of ['alice', 'bob', 'chloé', 'dmitri']) {
			const scenario = variantOf(e, student).scenario as { data: { Y: number[][] } };
			const trace = run(scenario);
			const v = (name: string, step = 1) => flatOf(trace)(step, name)[0];
			const [x, y] = [v('A[0]'), scenario.data.Y[0][0]];
			expectClose(v('dA[3]'), 2 * (v('A[3]') - y), 1e-12, `${student} 2(o − y)`);
			const [a1, a2, o] = [v('A[1]'), v('A[2]'), v('A[3]')];
			const [w1, w2, w3] = [v('W[1]', 0), v('W[2]', 0), v('W[3]', 0)];
			const dCda3 = 2 * (o - y) * o * (1 - o) * w3; // (4)
			expectClose(v('dW[3]'), 2 * (o - y) * o * (1 - o) * a2, 1e-12, `${student} (2)`);
			expectClose(v('db[3]'), 2 * (o - y) * o * (1 - o), 1e-12, `${student} (3)`);
			expectClose(v('dA[2]'), dCda3, 1e-12, `${student} (4)`);
			expectClose(v('dW[2]'), dCda3 * a2 * (1 - a2) * a1, 1e-12, `${student} (5)`);
			expectClose(v('dA[1]'), dCda3 * a2 * (1 - a2) * w2, 1e-12, `${student} (7)`);
			expectClose(v('dW[1]'), dCda3 * a2 * (1 - a2) * w2 * a1 * (1 - a1) * x, 1e-12, `${student} first layer`);
			expect(v('b[1]')).toBe(v('b[1]', 0));
			expectClose(v('W[1]'), w1 - trace.setup.lr * v('dW[1]'), 1e-12, `${student} update`);
		}
	});

	it.each([
		['backprop-deep-course-001', 2],
		['backprop-332-course-004', 2]
	] as const)('%s: a hidden neuron that feeds several gets the sum over the next layer, Σ_j w_jk δ_j', (id, hidden) => {
		const e = exercise(id);
		for (const student of ['alice', 'bob', 'chloé', 'dmitri']) {
			const trace = run(variantOf(e, student).scenario);
			const W = value(trace, 0, `W[${hidden}]`) as number[][];
			const delta = flatOf(trace)(1, `dZ[${hidden}]`);
			const sums = W[0].map((_, k) => W.reduce((sum, row, j) => sum + row[k] * delta[j], 0));
			expect(W.length).toBeGreaterThan(1);
			expectClose(flatOf(trace)(1, `dA[${hidden - 1}]`), sums, 1e-12, `${id} ${student}`);
		}
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
