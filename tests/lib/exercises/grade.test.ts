import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExercise, type Exercise } from '../../../src/lib/exercises/exercise';
import { gradeAnswers, type Answers, type QuestionReport } from '../../../src/lib/exercises/grade';
import { drawVariant, type Variant } from '../../../src/lib/exercises/variant';
import { feedbackText } from '../../../src/lib/exercises/feedback-text';

function exerciseOf(text: string, file: string): Exercise {
	const parsed = parseExercise(text, file);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	return parsed.exercise;
}

function variantOf(exercise: Exercise, student: string): Variant {
	const drawn = drawVariant(exercise, student);
	if (!drawn.ok) throw new Error(drawn.message);
	return drawn.variant;
}

const byId = (reports: QuestionReport[], id: string): QuestionReport => {
	const found = reports.find((q) => q.id === id);
	if (!found) throw new Error(`no report for ${id}`);
	return found;
};

/** Writes a number as a French student would: 4 decimals, decimal comma. */
const fr = (x: number): string => x.toFixed(4).replace('.', ',');
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** One dense unit: z = 0.5·x1 − 0.5·x2 + 0.2 with x = (1, 0.5), so z = 0.45 and σ(z) = 0.610639… */
const NEURON = (tolerance: string, extra = '') => `id: neuron
title: { fr: Neurone, en: Neuron }
statement: { fr: "Calculez.", en: "Compute." }
topic: neuron
notation: bracket
scenario:
  model:
    input: 2
    layers:
      - { type: dense, units: 2, activation: sigmoid, W: [[0.5, -0.5], [1, 1]], b: [0.2, 0] }
  loss: half_squared_error
  optimizer: { type: sgd, lr: 0.5 }
  data: { X: [[1.0, 0.5]], Y: [[1.0, 0.0]] }
${extra}questions:
  - { id: z, ask: "Z[1][0][0]", step: 1, tolerance: ${tolerance} }
  - { id: a, ask: "A[1]", step: 1, points: 2 }
  - { id: c, ask: choice, prompt: { fr: "σ(0) ?", en: "σ(0)?" }, options: [{ fr: "0", en: "0" }, { fr: "1/2", en: "1/2" }], answer: 1 }
`;

describe('grading one number under each tolerance', () => {
	const cases: [string, string, 'right' | 'wrong', boolean?][] = [
		['{ abs: 0.005 }', '0,45', 'right'],
		['{ abs: 0.005 }', '0.454', 'right'],
		['{ abs: 0.005 }', '0.456', 'wrong'],
		['{ rel: 0.01 }', '0.4545', 'right'],
		['{ rel: 0.01 }', '0.455', 'wrong'],
		['{ decimals: 2 }', '0.45', 'right'],
		['{ decimals: 2 }', '0.46', 'wrong'],
		['{ decimals: 4 }', '0.45', 'right'],
		['{ decimals: 4 }', '0.4501', 'wrong'],
		['{ sig: 2 }', '4.5e-1', 'right'],
		['{ sig: 2 }', '9/20', 'right'],
		['{ sig: 3 }', '0.46', 'wrong', false],
		['{ abs: 0.005 }', '0.5 - 0.25 + 0.2', 'right']
	];
	it.each(cases)('%s: %s is %s', (tolerance, answer, verdict) => {
		const exercise = exerciseOf(NEURON(tolerance), 'neuron.yaml');
		const report = gradeAnswers(exercise, variantOf(exercise, 's'), { z: answer });
		expect(byId(report.questions, 'z')).toMatchObject({ verdict, points: verdict === 'right' ? 1 : 0 });
	});

	it('asks for the digits when a value is right only at fewer decimals than asked', () => {
		const exercise = exerciseOf(NEURON('{ decimals: 4 }').replace('[[0.5, -0.5], [1, 1]]', '[[0.5, -0.5], [1, 1.1]]').replace('b: [0.2, 0]', 'b: [0.2134, 0]'), 'neuron.yaml');
		const z = byId(gradeAnswers(exercise, variantOf(exercise, 's'), { z: '0,46' }).questions, 'z');
		expect(z).toMatchObject({ verdict: 'wrong', precision: true });
		expect(feedbackText(z.message, 'en')).toContain('Give 4 decimals.');
		expect(feedbackText(z.message, 'fr')).toContain('Donnez 4 décimales.');
	});
});

describe('grading a tensor, a choice, and answers that cannot be read', () => {
	const exercise = exerciseOf(NEURON('{ abs: 0.005 }'), 'neuron.yaml');
	const variant = variantOf(exercise, 's');
	const a = [sigmoid(0.45), sigmoid(1.5)];

	it('gives per-cell partial credit and names the wrong cell 1-based', () => {
		const report = gradeAnswers(exercise, variant, { a: `${fr(a[0])} ; 0,5` });
		expect(byId(report.questions, 'a')).toMatchObject({ verdict: 'partial', points: 1, max: 2, wrong: [[0, 1]] });
		expect(feedbackText(byId(report.questions, 'a').message, 'en')).toContain('wrong at 2');
	});

	it('accepts the same matrix written as a list, as cells and as expressions', () => {
		for (const answer of [`[${a[0]}, ${a[1]}]`, `${fr(a[0])}\t${fr(a[1])}`, 'sigmoid(0.45); σ(1,5)', '1/(1+exp(-0.45)) 1/(1+exp(-1.5))']) {
			expect(byId(gradeAnswers(exercise, variant, { a: answer }).questions, 'a').verdict, answer).toBe('right');
		}
	});

	it('says what could not be read, without marking it wrong', () => {
		const a2 = byId(gradeAnswers(exercise, variant, { a: '0,61 ; foo(1)' }).questions, 'a');
		expect(a2).toMatchObject({ verdict: 'unreadable', points: 0 });
		expect(feedbackText(a2.message, 'en')).toContain('foo');
		expect(a2.at).toBe(7);
	});

	it('reports a missing answer, and a wrong shape in words', () => {
		const report = gradeAnswers(exercise, variant, { a: '0.6; 0.8; 0.9' });
		expect(byId(report.questions, 'z')).toMatchObject({ verdict: 'missing', points: 0 });
		expect(byId(report.questions, 'a')).toMatchObject({ verdict: 'wrong', points: 0 });
		expect(feedbackText(byId(report.questions, 'a').message, 'en')).toBe('Expected a vector of 2 entries; your answer is a vector of 3 entries.');
	});

	it.each(['B', 'b', '2', '1/2'])('reads the choice %s as the second option', (answer) => {
		expect(byId(gradeAnswers(exercise, variant, { c: answer }).questions, 'c')).toMatchObject({ verdict: 'right', points: 1 });
	});

	it('refuses an option that does not exist', () => {
		expect(byId(gradeAnswers(exercise, variant, { c: 'E' }).questions, 'c')).toMatchObject({ verdict: 'unreadable' });
	});

	it('totals the points', () => {
		const report = gradeAnswers(exercise, variant, { z: '0.45', a: `${fr(a[0])} ; 0,5`, c: 'A' });
		expect(report).toMatchObject({ points: 2, max: 4 });
	});
});

describe('what the feedback reveals', () => {
	const exercise = exerciseOf(NEURON('{ abs: 0.005 }'), 'neuron.yaml');
	const variant = variantOf(exercise, 's');
	const wrong: Answers = { z: '0.3', a: '0.1; 0.2', c: 'A' };

	it('shows the expected value and its formula with the numbers when the policy allows', () => {
		const z = byId(gradeAnswers(exercise, variant, wrong).questions, 'z');
		expect(z.expected).toBeCloseTo(0.45, 12);
		expect(z.formula?.en.symbolic).toContain('z^{[1]}_{1}');
		expect(z.formula?.en.substituted).toContain('0.45');
		expect(z.formula?.fr.substituted).toContain('0{,}45');
		expect(feedbackText(z.message, 'en')).toContain('Expected: 0.45');
	});

	it('hides every expected value when the key may not be shown yet', () => {
		const report = gradeAnswers(exercise, variant, wrong, { reveal: false });
		const text = JSON.stringify(report);
		for (const key of ['0.45', '0,45', '0.6106', '0,6106', '0.8175', 'formula', 'expected', '1/2']) expect(text).not.toContain(key);
		expect(report.points).toBe(0);
	});

	it('shows only the verdict for questions whose feedback is verdict', () => {
		const hidden = exerciseOf(NEURON('{ abs: 0.005 }', 'policy: { feedback: verdict }\n'), 'neuron.yaml');
		const z = byId(gradeAnswers(hidden, variantOf(hidden, 's'), wrong).questions, 'z');
		expect(z).toMatchObject({ verdict: 'wrong', message: [{ code: 'wrong' }] });
		expect([feedbackText(z.message, 'en'), feedbackText(z.message, 'fr')]).toEqual(['Wrong.', 'Faux.']);
		expect(z.expected).toBeUndefined();
	});
});

describe('error carried forward on backprop-221', () => {
	const exercise = exerciseOf(readFileSync(new URL('../../../exercises/backprop-221.yaml', import.meta.url), 'utf8'), 'backprop-221.yaml');
	const variant = variantOf(exercise, 'student-42');
	const s = variant.scenario as {
		model: { layers: { W: number[][]; b: number[] }[] };
		data: { X: number[][]; Y: number[][] };
		optimizer: { lr: number };
	};
	const [layer1, layer2] = s.model.layers;
	const x = s.data.X[0];
	const y = s.data.Y[0][0];
	const eta = s.optimizer.lr;
	const z1 = layer1.W.map((row, j) => row[0] * x[0] + row[1] * x[1] + layer1.b[j]);
	const trueA1 = z1.map(sigmoid);

	/** Everything a student computes by hand from their own a^{[1]}, independently of the engine. */
	function fromA1(a1: number[]) {
		const a2 = sigmoid(layer2.W[0][0] * a1[0] + layer2.W[0][1] * a1[1] + layer2.b[0]);
		const delta2 = (a2 - y) * a2 * (1 - a2);
		const delta1 = a1.map((a, j) => a * (1 - a) * layer2.W[0][j] * delta2);
		return { a2, delta2, delta1, dw1: delta1[0] * x[1], w2: layer2.W[0][0] - eta * delta2 * a1[0] };
	}
	const answersFrom = (a1: number[]): Answers => {
		const v = fromA1(a1);
		return { z1: `${fr(z1[0])} ; ${fr(z1[1])}`, a1: `${fr(a1[0])} ; ${fr(a1[1])}`, a2: fr(v.a2), delta2: fr(v.delta2), delta1: `${fr(v.delta1[0])} ; ${fr(v.delta1[1])}`, dw1: fr(v.dw1), w2: fr(v.w2) };
	};

	it('gives full marks to answers computed by hand from the right values', () => {
		const report = gradeAnswers(exercise, variant, answersFrom(trueA1));
		expect(report.questions.map((q) => q.verdict)).toEqual(exercise.questions.map(() => 'right'));
		expect(report.points).toBe(report.max);
	});

	/** a^{[1]}_2 off by 0.3, in whichever direction stays inside (0, 1) */
	const wrongSecond = [trueA1[0], trueA1[1] + (trueA1[1] < 0.5 ? 0.3 : -0.3)];

	it('gives the marks of later answers consistent with a wrong activation, and points at it', () => {
		const wrongA1 = wrongSecond;
		const report = gradeAnswers(exercise, variant, answersFrom(wrongA1));
		const verdicts = Object.fromEntries(report.questions.map((q) => [q.id, q.verdict]));
		expect(verdicts).toEqual({ z1: 'right', a1: 'partial', a2: 'carried_forward', delta2: 'carried_forward', delta1: 'carried_forward', dw1: 'carried_forward', w2: 'carried_forward' });
		expect(report.points).toBe(report.max - 0.5);
		const delta1 = byId(report.questions, 'delta1');
		expect(delta1.pointer).toEqual({ question: 'a1', symbol: 'a^{[1]}_{2}' });
		expect(feedbackText(delta1.message, 'en')).toBe('Your $a^{[1]}_{2}$ is off; your $\\delta^{[1]}$ is right given it. The marks are given.');
		expect(feedbackText(delta1.message, 'fr')).toContain('Votre $a^{[1]}_{2}$ est faux');
		expect(feedbackText(byId(report.questions, 'a2').message, 'en')).toContain('your $a^{[2]}_{1}$ is right given it');
	});

	it('names the first wrong value when several earlier answers are wrong', () => {
		const wrongA1 = [trueA1[0] + 0.1, trueA1[1]];
		const answers = { ...answersFrom(wrongA1), a2: '0,9', delta2: fr(fromA1(wrongA1).delta2) };
		const report = gradeAnswers(exercise, variant, answers);
		// δ[2] follows from the wrong a[2] = 0.9, not from a[1]: the pointer names the latest cause.
		expect(byId(report.questions, 'a2').verdict).toBe('wrong');
		expect(byId(report.questions, 'delta2').verdict).toBe('wrong');
	});

	it('withholds the marks but still says so when the policy does not carry errors forward', () => {
		const report = gradeAnswers(exercise, variant, answersFrom(wrongSecond), { carryForward: false });
		const delta2 = byId(report.questions, 'delta2');
		expect(delta2).toMatchObject({ verdict: 'carried_forward', points: 0 });
		expect(feedbackText(delta2.message, 'en')).toContain('No marks for it, though.');
	});

	it.each([
		['zeros', () => [0, 0]],
		['a constant', () => [0.5, 0.5]],
		['a copy of the statement’s b[1]', () => layer1.b]
	])('carries nothing forward from an activation typed as %s', (_, typed) => {
		const answers = answersFrom(typed());
		const report = gradeAnswers(exercise, variant, answers);
		expect(report.questions.filter((q) => q.verdict === 'carried_forward')).toEqual([]);
		const lenient = gradeAnswers({ ...exercise, policy: { ...exercise.policy, carryTrivial: true } }, variant, answers);
		expect(lenient.questions.some((q) => q.verdict === 'carried_forward')).toBe(true);
	});

	it('marks an answer wrong when it follows neither the right values nor the student’s own', () => {
		const answers = { ...answersFrom(wrongSecond), delta2: '0,3333' };
		expect(byId(gradeAnswers(exercise, variant, answers).questions, 'delta2').verdict).toBe('wrong');
	});
});
