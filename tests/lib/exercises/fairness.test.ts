/**
 * Grading that is never unfair, tested on answer sheets written the way a student writes them:
 * each value computed by hand here (never by the engine or the catalogue), kept at full precision
 * on the calculator, and rounded only when written, the French way (0,0088; entries separated by
 * `;`). Each student makes one classic mistake throughout the exercise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NestedNumbers } from '../../../src/lib/engine/tensor';
import { parseExercise, type Exercise, type ValueQuestion } from '../../../src/lib/exercises/exercise';
import { gradeAnswers, type GradeReport, type QuestionReport } from '../../../src/lib/exercises/grade';
import { drawVariant, type Variant } from '../../../src/lib/exercises/variant';
import { PROJECT_ROOT } from '../../helpers';
import { feedbackText } from '../../../src/lib/exercises/feedback-text';

type Matrix = number[][];

const library = (name: string): Exercise => {
	const parsed = parseExercise(readFileSync(join(PROJECT_ROOT, 'exercises', `${name}.yaml`), 'utf8'), `${name}.yaml`);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	return parsed.exercise;
};

function variantOf(exercise: Exercise, student: string): Variant {
	const drawn = drawVariant(exercise, student);
	if (!drawn.ok) throw new Error(`${exercise.id}, ${student}: ${drawn.message}`);
	return drawn.variant;
}

const STUDENTS = Array.from({ length: 60 }, (_, k) => `student-${k}`);

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** z_j = Σ_k w_jk x_k + b_j */
const dense = (W: Matrix, b: number[], x: number[]): number[] => W.map((row, j) => row.reduce((sum, w, k) => sum + w * x[k], b[j]));

/** A value written as the question's tolerance asks, with a decimal comma: 0,0088 or 0,1234; 0,5678. */
function written(value: NestedNumbers, q: ValueQuestion): string {
	const tolerance = q.tolerance;
	const one = (x: number): string => {
		const text = 'decimals' in tolerance ? x.toFixed(tolerance.decimals) : 'sig' in tolerance ? x.toPrecision(tolerance.sig) : String(Math.round(x * 1e6) / 1e6);
		return text.replace('.', ',');
	};
	if (typeof value === 'number') return one(value);
	return value.map((row) => (typeof row === 'number' ? one(row) : row.map((x) => one(x as number)).join('; '))).join(typeof value[0] === 'number' ? '; ' : '\n');
}

/** The sheet: each question's value (full precision) as the student writes it. */
function sheet(exercise: Exercise, values: Record<string, NestedNumbers>): Record<string, string> {
	return Object.fromEntries(Object.entries(values).map(([id, value]) => [id, written(value, exercise.questions.find((q) => q.id === id) as ValueQuestion)]));
}

const byId = (report: GradeReport, id: string): QuestionReport => {
	const found = report.questions.find((q) => q.id === id);
	if (!found) throw new Error(`no question ${id}`);
	return found;
};

interface Net221 {
	W1: Matrix;
	b1: number[];
	W2: Matrix;
	b2: number[];
	x: number[];
	y: number;
	lr: number;
}

function net221(v: Variant): Net221 {
	const [l1, l2] = (v.scenario.model as { layers: { W: Matrix; b: number[] }[] }).layers;
	const data = v.scenario.data as { X: Matrix; Y: Matrix };
	return { W1: l1.W, b1: l1.b, W2: l2.W, b2: l2.b, x: data.X[0], y: data.Y[0][0], lr: (v.scenario.optimizer as { lr: number }).lr };
}

/**
 * A 2-2-1 sigmoid network's step as a student computes it, with `derivative(z, a)` for σ′ (the
 * course's a(1 − a), or the student's own) and J = ½(a − y)².
 */
function backprop221(n: Net221, derivative: (z: number, a: number) => number) {
	const z1 = dense(n.W1, n.b1, n.x);
	const a1 = z1.map(sigmoid);
	const z2 = dense(n.W2, n.b2, a1)[0];
	const a2 = sigmoid(z2);
	const delta2 = (a2 - n.y) * derivative(z2, a2);
	const delta1 = a1.map((a, j) => n.W2[0][j] * delta2 * derivative(z1[j], a));
	return { z1, a1, a2, delta2, delta1 };
}

const right = (_z: number, a: number): number => a * (1 - a);
const atA = (_z: number, a: number): number => sigmoid(a) * (1 - sigmoid(a));
const outputFormAtZ = (z: number): number => z * (1 - z);
const forgotten = (): number => 1;

describe('an error carried forward through the rounding the student wrote', () => {
	// backprop-course-004: σ′(a) in both layers, every update computed from the full-precision δ
	const exercise = library('backprop-course-004');
	const sheets = STUDENTS.map((student) => {
		const v = variantOf(exercise, student);
		const n = net221(v);
		const s = backprop221(n, atA);
		const answers = sheet(exercise, {
			a2: s.a1,
			a3: s.a2,
			delta3: s.delta2,
			delta2: s.delta1,
			'w3-11': n.W2[0][0] - n.lr * s.delta2 * s.a1[0],
			'w2-11': n.W1[0][0] - n.lr * s.delta1[0] * n.x[0],
			'w2-21': n.W1[1][0] - n.lr * s.delta1[1] * n.x[0]
		});
		return { student, report: gradeAnswers(exercise, v, answers), mistaken: Math.abs(s.delta2 - backprop221(n, right).delta2) > 5e-5 };
	});

	it('credits every update computed from the student’s own δ, kept at full precision', () => {
		const unfair = sheets.flatMap(({ student, report }) =>
			['w3-11', 'w2-11', 'w2-21'].map((id) => ({ student, id, q: byId(report, id) })).filter(({ q }) => q.points !== q.max)
		);
		expect(unfair.map(({ student, id, q }) => `${student} ${id}: ${q.verdict} ${q.points}/${q.max}`)).toEqual([]);
		expect(sheets.filter((s) => s.mistaken).length).toBeGreaterThan(40);
	});

	it('names no mistake the student did not make', () => {
		const codes = sheets.flatMap(({ report }) => report.questions.flatMap((q) => [q.diagnosis?.code, q.pointer?.mistake].filter(Boolean)));
		expect(new Set(codes)).toEqual(new Set(['activation-derivative-at-a']));
	});

	it('names the mistake at the output δ, and again at the hidden δ made on the student’s own output δ', () => {
		let repeated = 0;
		for (const { student, report, mistaken } of sheets) {
			if (!mistaken) continue;
			expect(byId(report, 'delta3').diagnosis?.code, student).toBe('activation-derivative-at-a');
			const hidden = byId(report, 'delta2');
			expect({ student, verdict: hidden.verdict, code: hidden.diagnosis?.code }).toEqual({ student, verdict: 'diagnosed', code: 'activation-derivative-at-a' });
			// named on the student's own δ, unless the mistake made on the right δ already lands within the tolerance
			if (!hidden.pointer) continue;
			expect(hidden.pointer.question).toBe('delta3');
			expect(feedbackText(hidden.message, 'en')).toMatch(/again, on your own/);
			expect(feedbackText(hidden.message, 'fr')).toMatch(/de nouveau, sur votre propre/);
			repeated++;
		}
		expect(repeated).toBeGreaterThan(30);
	});
});

describe('σ′ written a(1 − a) but evaluated at z', () => {
	it('is named at the output δ and again at the hidden δ (sigmoid: z(1 − z))', () => {
		const exercise = library('backprop-221');
		let named = 0;
		for (const student of STUDENTS) {
			const v = variantOf(exercise, student);
			const n = net221(v);
			const s = backprop221(n, outputFormAtZ);
			if (Math.abs(s.delta2 - backprop221(n, right).delta2) <= 1e-4) continue;
			const report = gradeAnswers(exercise, v, sheet(exercise, { z1: s.z1, a1: s.a1, a2: s.a2, delta2: s.delta2, delta1: s.delta1 }));
			expect(byId(report, 'delta2').diagnosis?.code, student).toBe('output-form-derivative-at-z');
			const hidden = byId(report, 'delta1');
			if (hidden.verdict === 'right') continue;
			expect({ student, code: hidden.diagnosis?.code }).toEqual({ student, code: 'output-form-derivative-at-z' });
			// on the student's own δ, unless the mistake made on the right δ already lands within the tolerance
			if (hidden.pointer?.question === 'delta2') named++;
		}
		expect(named).toBeGreaterThan(20);
	});

	it('is named for tanh: 1 − z²', () => {
		const exercise = library('activation-tanh-derivative');
		let named = 0;
		for (const student of STUDENTS.slice(0, 20)) {
			const v = variantOf(exercise, student);
			const x = (v.scenario.data as { X: Matrix }).X[0];
			const y = (v.scenario.data as { Y: Matrix }).Y[0];
			// W is the identity and b is 0: z = x
			const a = x.map(Math.tanh);
			const report = gradeAnswers(exercise, v, sheet(exercise, { a, 'dc-da': a.map((aj, j) => aj - y[j]), 'dc-dz': a.map((aj, j) => (aj - y[j]) * (1 - x[j] * x[j])) }));
			const q = byId(report, 'dc-dz');
			if (q.verdict === 'right') continue;
			expect(q.diagnosis?.code, student).toBe('output-form-derivative-at-z');
			named++;
		}
		expect(named).toBeGreaterThan(10);
	});
});

describe('a mistake repeated on the student’s own wrong δ', () => {
	it('σ′ forgotten in both layers: the hidden δ is named too, computed from the student’s output δ', () => {
		const exercise = library('backprop-221');
		let named = 0;
		for (const student of STUDENTS) {
			const v = variantOf(exercise, student);
			const s = backprop221(net221(v), forgotten);
			const report = gradeAnswers(exercise, v, sheet(exercise, { z1: s.z1, a1: s.a1, a2: s.a2, delta2: s.delta2, delta1: s.delta1 }));
			expect(byId(report, 'delta2').diagnosis?.code, student).toBe('missing-activation-derivative');
			const hidden = byId(report, 'delta1');
			expect({ student, verdict: hidden.verdict, code: hidden.diagnosis?.code, from: hidden.pointer?.question }).toEqual({
				student,
				verdict: 'diagnosed',
				code: 'missing-activation-derivative',
				from: 'delta2'
			});
			named++;
		}
		expect(named).toBe(STUDENTS.length);
	});
});

interface Perceptron {
	w: number[];
	b: number;
	threshold: number;
	strict: boolean;
	lr: number;
	X: Matrix;
	Y: Matrix;
}

const perceptronOf = (v: Variant): Perceptron => {
	const p = v.scenario.perceptron as Omit<Perceptron, 'X' | 'Y'>;
	const data = v.scenario.data as { X: Matrix; Y: Matrix };
	return { ...p, w: [...p.w], X: data.X, Y: data.Y };
};

/** perceptron-classic-rule by hand, the correction written `sign`·(y − ŷ): two examples. */
function classicRule(p: Perceptron, sign: 1 | -1) {
	const w = [...p.w];
	let b = p.b;
	const steps = p.X.slice(0, 2).map((x, n) => {
		const z = w.reduce((sum, wi, i) => sum + wi * x[i], b);
		const fires = Math.abs(z - p.threshold) < 1e-9 ? !p.strict : z > p.threshold;
		const error = sign * (p.Y[n][0] - (fires ? 1 : 0));
		x.forEach((xi, i) => (w[i] += p.lr * error * xi));
		b += p.lr * error;
		return { z, out: fires ? 1 : 0, error, w: [...w], b };
	});
	return { first: steps[0], second: steps[1] };
}

describe('the perceptron’s error written ŷ − y', () => {
	const exercise = library('perceptron-classic-rule');
	const graded = STUDENTS.map((student) => {
		const v = variantOf(exercise, student);
		const { first, second } = classicRule(perceptronOf(v), -1);
		const answers = sheet(exercise, { z1: first.z, out1: first.out, err1: first.error, 'w-after1': first.w, 'b-after1': first.b, z2: second.z, err2: second.error, 'w-after2': second.w });
		return { student, report: gradeAnswers(exercise, v, answers), first };
	});

	it('is named at the error itself, and the updates computed from it are credited', () => {
		const wrongErrors = graded.filter(({ first }) => first.error !== 0);
		expect(wrongErrors.length).toBeGreaterThan(10);
		for (const { student, report } of wrongErrors) {
			expect(byId(report, 'err1').diagnosis?.code, student).toBe('correction-sign');
			const w = byId(report, 'w-after1');
			// an input of zeros leaves the weights as they were
			if (w.verdict === 'right') continue;
			expect({ student, verdict: w.verdict, points: w.points, mistake: w.pointer?.mistake }).toEqual({ student, verdict: 'carried_forward', points: w.max, mistake: 'correction-sign' });
		}
	});

	it('is the only mistake named on any of these sheets, and every answer after a wrong error earns its marks', () => {
		for (const { student, report } of graded) {
			const codes = report.questions.flatMap((q) => [q.diagnosis?.code, q.pointer?.mistake].filter(Boolean));
			expect(codes.filter((c) => c !== 'correction-sign'), student).toEqual([]);
			const lost = report.questions.filter((q) => q.points < q.max && q.verdict !== 'diagnosed');
			expect(lost.map((q) => `${student} ${q.id}: ${q.verdict}`)).toEqual([]);
		}
	});
});

describe('a diagnosis that explains every cell wins over a partial carry forward', () => {
	it('conv-padding-stride: the map computed with the flipped kernel is named, not carried forward in part', () => {
		const exercise = library('conv-padding-stride');
		let named = 0;
		for (const student of STUDENTS.slice(0, 30)) {
			const v = variantOf(exercise, student);
			const layer = (v.scenario.model as { layers: { W: number[][][][]; b: number[] }[] }).layers[0];
			const kernel = layer.W[0][0];
			const flipped = kernel.map((row, u) => row.map((_, w) => kernel[2 - u][2 - w]));
			const image = (v.scenario.data as { X: number[][][][] }).X[0][0];
			const at = (r: number, c: number): number =>
				flipped.reduce((sum, row, u) => row.reduce((s, k, w) => {
					const i = 2 * r - 1 + u;
					const j = 2 * c - 1 + w;
					return i >= 0 && i < 5 && j >= 0 && j < 5 ? s + k * image[i][j] : s;
				}, sum), layer.b[0]);
			const map = [0, 1, 2].map((r) => [0, 1, 2].map((c) => at(r, c)));
			const report = gradeAnswers(exercise, v, sheet(exercise, { size: 3, 'top-left': map[0][0], map }));
			const q = byId(report, 'map');
			if (q.verdict === 'right') continue;
			expect({ student, verdict: q.verdict, code: q.diagnosis?.code }).toEqual({ student, verdict: 'diagnosed', code: 'kernel-flipped' });
			named++;
		}
		expect(named).toBeGreaterThan(15);
	});
});

describe('a + 1 forgotten in a size that feeds the next layer’s size', () => {
	it('cnn-architecture-9x9x3: the sizes and counts after it, right from the student’s own first size, earn their marks', () => {
		// (9 − 3)/1 = 6 instead of 7; then ⌊(6 − 3)/2⌋ + 1 = 2 by the right rule, 2·2·16 = 64 values, 65 parameters
		const exercise = library('cnn-architecture-9x9x3');
		const report = gradeAnswers(exercise, variantOf(exercise, 'anyone'), {
			size1: '6×6×8',
			params1: '224',
			size2: '2×2×16',
			params2: '1168',
			size3: '64',
			params4: '65',
			'params-total': '1457'
		});
		expect(byId(report, 'size1')).toMatchObject({ verdict: 'diagnosed', diagnosis: { code: 'output-size-without-plus-one' } });
		for (const id of ['size2', 'size3', 'params4', 'params-total']) {
			const q = byId(report, id);
			expect({ id, verdict: q.verdict, points: q.points, from: q.pointer?.question, mistake: q.pointer?.mistake }).toEqual({
				id,
				verdict: 'carried_forward',
				points: q.max,
				from: id === 'size2' ? 'size1' : q.pointer?.question,
				mistake: q.pointer?.mistake
			});
		}
		expect(feedbackText(byId(report, 'size2').message, 'en')).toMatch(/^Your \$\\dim a\^\S+\$ is off \(output size without the “\+ 1”\); your \$\\dim a\^\S+\$ is right given it\. The marks are given\./);
		// sizes the student did not compute from a wrong one stay right
		expect(byId(report, 'params1').verdict).toBe('right');
		expect(byId(report, 'params2').verdict).toBe('right');
	});

	it('credits a size from any wrong size of the student’s, and nothing that follows from none', () => {
		const exercise = library('cnn-architecture-9x9x3');
		// the input size copied for the first map: ⌊(9 − 3)/2⌋ + 1 = 4 follows from it
		const copied = gradeAnswers(exercise, variantOf(exercise, 'anyone'), { size1: '9×9×8', size2: '4×4×16', size3: '100' });
		expect(byId(copied, 'size2')).toMatchObject({ verdict: 'carried_forward', points: 1, pointer: { question: 'size1' } });
		expect(byId(copied, 'size3')).toMatchObject({ verdict: 'wrong', points: 0 });
	});
});

describe('honest zeros are not tricks', () => {
	// perceptron-classic-rule, the correction written ŷ − y throughout: a bias that becomes 0, an
	// output ŷ = 0 or weights equal to an input row are what the student's own rule gives
	const exercise = library('perceptron-classic-rule');
	const sheets = Array.from({ length: 300 }, (_, k) => `honest-${k}`).map((student) => {
		const v = variantOf(exercise, student);
		const p = perceptronOf(v);
		const { first, second } = classicRule(p, -1);
		const truth = classicRule(p, 1);
		const answers = sheet(exercise, { z1: first.z, out1: first.out, err1: first.error, 'w-after1': first.w, 'b-after1': first.b, z2: second.z, err2: second.error, 'w-after2': second.w });
		const zeroBias = first.b === 0 && truth.first.b !== 0;
		const inputRow = p.X.some((row) => row.every((x, i) => x === first.w[i])) && first.w.some((w, i) => w !== truth.first.w[i]);
		return { student, report: gradeAnswers(exercise, v, answers), honestZero: zeroBias || inputRow };
	});

	it('an answer computed from a bias of 0 or weights equal to an input row, both the student’s own, earns its marks', () => {
		const honest = sheets.filter((s) => s.honestZero);
		expect(honest.length).toBeGreaterThan(5);
		for (const { student, report } of honest) {
			const lost = report.questions.filter((q) => q.points < q.max && q.verdict !== 'diagnosed');
			expect(lost.map((q) => `${student} ${q.id}: ${q.verdict} ${q.points}/${q.max}`)).toEqual([]);
		}
	});

	it('ŷ = 0 from the student’s own weighted sum: the error and the update computed from it earn their marks', () => {
		const unit = library('threshold-unit');
		let zeros = 0;
		for (const student of Array.from({ length: 100 }, (_, k) => `slip-${k}`)) {
			const v = variantOf(unit, student);
			const p = v.scenario.perceptron as { w: number[]; threshold: number; lr: number };
			const x = (v.scenario.data as { X: Matrix }).X[0];
			const y = (v.scenario.data as { Y: Matrix }).Y[0][0];
			const z = p.w.reduce((sum, w, i) => sum + w * x[i], 0);
			if (z < p.threshold) continue;
			zeros++;
			// a slip in the sum puts it under the threshold: ŷ = 0, and everything after follows from it
			const slipped = p.threshold - 0.3;
			const error = y - 0;
			const report = gradeAnswers(unit, v, sheet(unit, { z: slipped, yhat: 0, error, 'w-new': p.w.map((w, i) => w + p.lr * error * x[i]) }));
			for (const id of ['yhat', 'error', 'w-new']) {
				const q = byId(report, id);
				if (q.verdict === 'right') continue;
				expect({ student, id, verdict: q.verdict, points: q.points }).toEqual({ student, id, verdict: 'carried_forward', points: q.max });
			}
		}
		expect(zeros).toBeGreaterThan(10);
	});
});
