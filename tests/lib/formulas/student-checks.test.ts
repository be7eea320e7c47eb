import katex from 'katex';
import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { batchRowsOf, findEvent, run, type Trace } from '../../../src/lib/engine';
import { explain, plainWriting, toLatex, type ElementFormula, type EventFormula, type FormulaOptions } from '../../../src/lib/formulas';
import { activationBackward } from '../../../src/lib/formulas/activations';
import { makeContext } from '../../../src/lib/formulas/context';
import { elementFormula } from '../../../src/lib/formulas/element';
import { DESIGN_EXAMPLE, loadFixture } from '../../helpers';
import { LOSS_CASES } from './scenarios';

const EN: FormulaOptions = { profile: plainWriting('bracket'), digits: 4, locale: 'en' };
const FR: FormulaOptions = { ...EN, locale: 'fr' };

function fixture(file: string): unknown {
	return (loadFixture(file) as { scenario: unknown }).scenario;
}

function eventFormula(trace: Trace, step: number, name: string, options: FormulaOptions): EventFormula {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	return explain(trace, event.seq, options);
}

function elementOf(trace: Trace, step: number, name: string, index: number[], options: FormulaOptions = EN): ElementFormula {
	const element = eventFormula(trace, step, name, options).element(index);
	if (!element) throw new Error(`no element ${JSON.stringify(index)} of ${name}`);
	return element;
}

/** Renders to HTML, as the replay UI does. */
function render(tex: string): string {
	return katex.renderToString(tex, { throwOnError: true });
}

const asymmetricKernel = [[[[1, 2, 0], [0, 0, 0], [0, 0, 3]]]];
const convValid = fixture('conv-valid.yaml') as { model: { layers: Record<string, unknown>[] } };

const traces = {
	design: run(DESIGN_EXAMPLE),
	convValid: run(convValid),
	convPadding: run(fixture('conv-padding-1.yaml')),
	convStride: run(fixture('conv-stride-2.yaml')),
	flipped: run({ ...convValid, model: { ...convValid.model, layers: [{ ...convValid.model.layers[0], W: asymmetricKernel, flip: true }] } }),
	or: run(fixture('perceptron-spreadsheet-or.yaml')),
	blood: run(fixture('neuron-blood-count.yaml')),
	batch3: run(LOSS_CASES[0].scenario),
	halfBatch3: run(LOSS_CASES[1].scenario),
	kept: run({ ...DESIGN_EXAMPLE, update: { weights: false, biases: true } }),
	noise: run({ perceptron: { w: [0.1, 0.2], b: null, threshold: 0.3, strict: true, rule: 'sign', lr: 0.1 }, data: { X: [[1, 1]], Y: [[1]] } }),
	heaviside: run({
		model: { input: 1, layers: [{ type: 'dense', units: 1, activation: 'step', W: [[0]], b: [0] }] },
		data: { X: [[2]] }
	}),
	wide: run({
		model: { input: 784, layers: [{ type: 'dense', units: 1, init: { weights: 'uniform', seed: 3 } }] },
		data: { X: [Array.from({ length: 784 }, (_, k) => (k % 10) / 10)] }
	}),
	// a 1×1 identity convolution in front, so that the gradient reaching the pool's input is recorded (dA[1])
	maxTie: run({
		model: {
			input: [1, 2, 2],
			layers: [
				{ type: 'conv2d', filters: 1, kernel: 1, W: [[[[1]]]], b: [0] },
				{ type: 'pool', mode: 'max', size: 2 },
				{ type: 'flatten' },
				{ type: 'dense', units: 1, W: [[2]], b: [0] }
			]
		},
		loss: 'half_squared_error',
		optimizer: { type: 'sgd', lr: 0.1 },
		data: { X: [[[[1, 3], [3, 2]]]], Y: [[0]] }
	})
};

interface Check {
	what: string;
	trace: Trace;
	step: number;
	name: string;
	index: number[];
	options?: FormulaOptions;
	symbolic?: string;
	contains?: string[];
	substituted?: string[];
	value?: number;
}

const checks: Check[] = [
	{
		what: 'DESIGN.md: z^{[1]}_2, the weighted sum a student writes out',
		trace: traces.design, step: 1, name: 'Z[1]', index: [0, 1],
		symbolic: 'z^{[1]}_{2} = w^{[1]}_{21} a^{[0]}_{1} + w^{[1]}_{22} a^{[0]}_{2} + b^{[1]}_{2}',
		substituted: ['= 0.4 \\cdot 1 + 0.3 \\cdot 0.5 + (-0.1) = 0.45']
	},
	{
		what: 'DESIGN.md in French: the decimal comma',
		trace: traces.design, step: 1, name: 'Z[1]', index: [0, 1], options: FR,
		substituted: ['= 0{,}4 \\cdot 1 + 0{,}3 \\cdot 0{,}5 + (-0{,}1) = 0{,}45']
	},
	{
		what: 'DESIGN.md: σ(z) = 1/(1 + e^{−z})',
		trace: traces.design, step: 1, name: 'A[1]', index: [0, 1],
		contains: ['\\sigma(z^{[1]}_{2}) = \\frac{1}{1 + e^{-z^{[1]}_{2}}}'],
		substituted: ['= \\frac{1}{1 + e^{-0.45}} = 0.6106']
	},
	{
		what: 'DESIGN.md: the half squared error of one sample',
		trace: traces.design, step: 1, name: 'loss', index: [],
		symbolic: 'J = \\frac{1}{2} (\\hat{y} - y)^2',
		substituted: ['= \\frac{1}{2} (0.5392 - 1)^2 = 0.1062']
	},
	{
		what: 'DESIGN.md: δ of the output in course 004’s form, ∂J/∂a · a(1 − a)',
		trace: traces.design, step: 1, name: 'dZ[2]', index: [0, 0],
		symbolic: '\\delta^{[2]}_{1} = \\frac{\\partial J}{\\partial a^{[2]}_{1}} a^{[2]}_{1}(1 - a^{[2]}_{1})',
		substituted: ['= (-0.4608) \\cdot 0.5392 \\cdot (1 - 0.5392) = -0.1145']
	},
	{
		what: 'DESIGN.md: the chain rule back to layer 1 through w^{[2]}',
		trace: traces.design, step: 1, name: 'dA[1]', index: [0, 1],
		symbolic: '\\frac{\\partial J}{\\partial a^{[1]}_{2}} = w^{[2]}_{12} \\delta^{[2]}_{1}',
		substituted: ['= (-0.5) \\cdot (-0.1145) = 0.05724']
	},
	{
		what: 'DESIGN.md: the update w ← w − η ∂J/∂w',
		trace: traces.design, step: 1, name: 'W[2]', index: [0, 0],
		symbolic: 'w^{[2]}_{11} \\leftarrow w^{[2]}_{11} - \\eta \\frac{\\partial J}{\\partial w^{[2]}_{11}}',
		substituted: ['= 0.5 - 0.5 \\cdot (-0.0601) = 0.5301']
	},
	{
		what: 'paren notation (course 004): w^{(1)}, and the cost C',
		trace: traces.design, step: 1, name: 'dW[1]', index: [1, 0], options: { ...EN, profile: plainWriting('paren') },
		symbolic: '\\frac{\\partial C}{\\partial w^{(1)}_{21}} = \\delta^{(1)}_{2} a^{(0)}_{1}'
	},
	{
		what: 'layer notation (course 001): w^l_{jk}',
		trace: traces.design, step: 1, name: 'Z[2]', index: [0, 0], options: { ...EN, profile: plainWriting('layer') },
		symbolic: 'z^{2}_{1} = w^{2}_{11} a^{1}_{1} + w^{2}_{12} a^{1}_{2} + b^{2}_{1}'
	},
	{
		what: 'a batch of 3: the sample as a superscript, the 1/m of the mean',
		trace: traces.batch3, step: 1, name: 'Z[1]', index: [2, 0],
		symbolic: 'z^{[1](3)}_{1} = w^{[1]}_{11} a^{[0](3)}_{1} + w^{[1]}_{12} a^{[0](3)}_{2} + b^{[1]}_{1}'
	},
	{
		what: 'a batch of 3 in course 004’s notation: the sample as ⟨i⟩',
		trace: traces.batch3, step: 1, name: 'Z[1]', index: [2, 0], options: { ...EN, profile: plainWriting('paren') },
		contains: ['a^{(0)\\langle 3\\rangle}_{1}']
	},
	{
		what: 'squared error over a batch of 3: J = 1/3 [Σ (ŷ − y)²]',
		trace: traces.batch3, step: 1, name: 'loss', index: [],
		contains: ['J = \\frac{1}{3} \\left[(\\hat{y}^{(1)}_{1} - y^{(1)}_{1})^2 + '],
		substituted: ['= \\frac{1}{3} \\left[(']
	},
	{
		what: 'squared error: ∂J/∂ŷ = (1/m)·2(ŷ − y)',
		trace: traces.batch3, step: 1, name: 'dA[2]', index: [1, 0],
		symbolic: '\\frac{\\partial J}{\\partial a^{[2](2)}_{1}} = \\frac{1}{3} \\cdot 2 (\\hat{y}^{(2)}_{1} - y^{(2)}_{1})'
	},
	{
		what: 'half squared error: ∂J/∂ŷ = (1/m)(ŷ − y)',
		trace: traces.halfBatch3, step: 1, name: 'dA[2]', index: [0, 1],
		symbolic: '\\frac{\\partial J}{\\partial a^{[2](1)}_{2}} = \\frac{1}{3} (\\hat{y}^{(1)}_{2} - y^{(1)}_{2})'
	},
	{
		what: 'tanh: δ = ∂J/∂a · (1 − a²)',
		trace: traces.batch3, step: 1, name: 'dZ[1]', index: [0, 2],
		contains: ['\\frac{\\partial J}{\\partial a^{[1](1)}_{3}} (1 - (a^{[1](1)}_{3})^2)']
	},
	{
		what: 'dW sums δ a over the samples of the batch',
		trace: traces.batch3, step: 1, name: 'dW[2]', index: [1, 2],
		symbolic: '\\frac{\\partial J}{\\partial w^{[2]}_{23}} = \\delta^{[2](1)}_{2} a^{[1](1)}_{3} + \\delta^{[2](2)}_{2} a^{[1](2)}_{3} + \\delta^{[2](3)}_{2} a^{[1](3)}_{3}'
	},
	{
		what: 'course 001’s convolution: output cell (3, 3) of the 5×5 example is 20',
		trace: traces.convValid, step: 1, name: 'Z[1]', index: [0, 0, 2, 2],
		contains: ['z^{[1]}_{33} = w^{[1]}_{11} a^{[0]}_{33} + w^{[1]}_{12} a^{[0]}_{34} + w^{[1]}_{13} a^{[0]}_{35} + w^{[1]}_{21} a^{[0]}_{43}'],
		substituted: ['= 1 \\cdot 1 + 0 \\cdot 6 + 1 \\cdot 5 + 0 \\cdot 0 + 1 \\cdot 7 + 0 \\cdot 8 + 1 \\cdot 6 + 0 \\cdot 3 + 1 \\cdot 1 + 0 = 20'],
		value: 20
	},
	{
		what: 'padding 1: the window of the corner reads 5 padding zeros',
		trace: traces.convPadding, step: 1, name: 'Z[1]', index: [0, 0, 0, 0],
		substituted: ['= 1 \\cdot 0 + 0 \\cdot 0 + 1 \\cdot 0 + 0 \\cdot 0 + 1 \\cdot 4 + 0 \\cdot 0 + 1 \\cdot 0 + 0 \\cdot 1 + 1 \\cdot 2 + 0 = 6'],
		contains: ['w^{[1]}_{11} \\cdot 0 + ']
	},
	{
		what: 'stride 2: output cell (2, 2) starts at input row 3, column 3',
		trace: traces.convStride, step: 1, name: 'Z[1]', index: [0, 0, 1, 1],
		contains: ['z^{[1]}_{22} = w^{[1]}_{11} a^{[0]}_{33} + '],
		value: 20
	},
	{
		what: 'a flipped kernel (true convolution): the window’s first cell meets the kernel’s last weight',
		trace: traces.flipped, step: 1, name: 'Z[1]', index: [0, 0, 0, 0],
		contains: ['z^{[1]}_{11} = w^{[1]}_{33} a^{[0]}_{11} + w^{[1]}_{32} a^{[0]}_{12} + '],
		substituted: ['= 3 \\cdot 4 + 0 \\cdot 0 + 0 \\cdot 4 + 0 \\cdot 1 + 0 \\cdot 2 + 0 \\cdot 7 + 0 \\cdot 4 + 2 \\cdot 8 + 1 \\cdot 1 + 0 = 29']
	},
	{
		what: 'max pooling gives the gradient to the first maximum of a tie',
		trace: traces.maxTie, step: 1, name: 'dA[1]', index: [0, 0, 0, 1],
		symbolic: '\\frac{\\partial J}{\\partial a^{[1]}_{12}} = \\frac{\\partial J}{\\partial a^{[2]}_{11}}'
	},
	{
		what: 'max pooling: the other maximum of the tie gets 0',
		trace: traces.maxTie, step: 1, name: 'dA[1]', index: [0, 0, 1, 0],
		contains: ['= 0\\quad\\text{(not the maximum of its window)}'],
		value: 0
	},
	{
		what: 'a dense layer of 784 inputs: 3 terms, \\cdots, the last one, and the count',
		trace: traces.wide, step: 1, name: 'Z[1]', index: [0, 0],
		symbolic:
			'z^{[1]}_{1} = w^{[1]}_{11} a^{[0]}_{1} + w^{[1]}_{12} a^{[0]}_{2} + w^{[1]}_{13} a^{[0]}_{3} + \\cdots + w^{[1]}_{1,784} a^{[0]}_{784} + b^{[1]}_{1}\\quad\\text{(784 terms)}'
	},
	{
		what: 'the same in French',
		trace: traces.wide, step: 1, name: 'Z[1]', index: [0, 0], options: FR,
		contains: ['\\text{(784 termes)}']
	},
	{
		what: 'the spreadsheet perceptron, row 2: z = 0.1·1 + 0.1·0',
		trace: traces.or, step: 2, name: 'Z[1]', index: [0, 0],
		symbolic: 'z = w_{1} x_{1} + w_{2} x_{2}',
		substituted: ['= 0.1 \\cdot 1 + 0.1 \\cdot 0 = 0.1']
	},
	{
		what: 'the spreadsheet perceptron: 1 only when z > 0.5 (strict)',
		trace: traces.or, step: 2, name: 'A[1]', index: [0, 0],
		symbolic: '\\hat{y} = \\mathbf{1}[z > \\theta]',
		substituted: ['= \\mathbf{1}[0.1 > 0.5] = 0']
	},
	{
		what: 'the spreadsheet perceptron: error = y − ŷ',
		trace: traces.or, step: 2, name: 'error', index: [0, 0],
		substituted: ['= 1 - 0 = 1']
	},
	{
		what: 'the spreadsheet’s sign rule adds the correction to the weight of a null input too',
		trace: traces.or, step: 2, name: 'W[1]', index: [0, 1],
		symbolic: 'w_{2} \\leftarrow w_{2} + \\eta\\, e',
		substituted: ['= 0.1 + 0.1 \\cdot 1 = 0.2']
	},
	{
		what: 'a threshold reached within float noise counts as reached (0.1 + 0.2 = 0.3 on paper)',
		trace: traces.noise, step: 1, name: 'A[1]', index: [0, 0],
		substituted: ['= \\mathbf{1}[0.3 > 0.3] = 0'],
		value: 0
	},
	{
		what: 'Heaviside step with H(0) = 1',
		trace: traces.heaviside, step: 1, name: 'A[1]', index: [0, 0],
		substituted: ['= \\mathbf{1}[0 \\ge 0] = 1'],
		value: 1
	},
	{
		what: 'weights kept when update.weights is false',
		trace: traces.kept, step: 1, name: 'W[1]', index: [1, 0],
		contains: ['w^{[1]}_{21} \\leftarrow w^{[1]}_{21}\\quad\\text{(kept: update.weights is false)}'],
		substituted: ['= 0.4'],
		value: 0.4
	},
	{
		what: 'course 002’s neuron: sigmoid with cross-entropy gives δ = ŷ − y, and ŷ near 1 keeps the digits that tell it from 1',
		trace: traces.blood, step: 1, name: 'dZ[1]', index: [0, 0],
		symbolic: '\\delta^{[1]}_{1} = \\hat{y} - y',
		substituted: ['= 0.999999998 - 0 = 1']
	},
	{
		what: 'course 002’s neuron: the cross-entropy reads log(1 − ŷ), not log 0',
		trace: traces.blood, step: 1, name: 'loss', index: [],
		contains: ['J = -\\left[y \\log \\hat{y} + (1 - y)\\log(1 - \\hat{y})\\right]'],
		substituted: ['\\log(1 - 0.999999998)', '= 20']
	}
];

describe('the formulas a student checks by hand', () => {
	it.each(checks.map((c) => [c.what, c] as const))('%s', (_what, c) => {
		const element = elementOf(c.trace, c.step, c.name, c.index, c.options);
		if (c.symbolic !== undefined) expect(element.symbolic).toBe(c.symbolic);
		for (const part of c.contains ?? []) expect(`${element.symbolic} ${element.substituted}`).toContain(part);
		for (const part of c.substituted ?? []) expect(element.substituted).toContain(part);
		if (c.value !== undefined) expect(element.value).toBe(c.value);
		expect(evaluate(element.expression)).toBeCloseTo(element.value, 9);
		render(element.symbolic);
		render(element.substituted);
		render(toLatex(element));
	});
});

describe('what a formula reads, for the pictures', () => {
	it('course 001’s convolution: output cell (3, 3) reads the 9 input cells of rows 3–5, columns 3–5 and the 9 kernel weights', () => {
		const element = elementOf(traces.convValid, 1, 'Z[1]', [0, 0, 2, 2]);
		const cells = element.reads.filter((r) => r.name === 'A[0]');
		expect(cells.map((r) => r.step)).toEqual(Array(9).fill(1));
		expect(cells.map((r) => r.index)).toEqual([2, 3, 4].flatMap((row) => [2, 3, 4].map((col) => [0, 0, row, col])));
		const weights = element.reads.filter((r) => r.name === 'W[1]');
		expect(weights.map((r) => r.step)).toEqual(Array(9).fill(0));
		expect(weights.map((r) => r.index)).toEqual([0, 1, 2].flatMap((p) => [0, 1, 2].map((q) => [0, 0, p, q])));
		expect(element.substituted.endsWith('= 20')).toBe(true);
	});

	it('padding cells are not elements of any event: the corner of padding 1 reads 4 input cells', () => {
		const element = elementOf(traces.convPadding, 1, 'Z[1]', [0, 0, 0, 0]);
		expect(element.reads.filter((r) => r.name === 'A[0]').map((r) => r.index)).toEqual([[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 0, 1, 1]]);
	});

	it('DESIGN.md: z^{[1]}_2 reads the weights and bias in force (step 0) and the input of step 1', () => {
		const element = elementOf(traces.design, 1, 'Z[1]', [0, 1]);
		expect(element.reads).toEqual([
			{ step: 0, name: 'W[1]', index: [1, 0] },
			{ step: 1, name: 'A[0]', index: [0, 0] },
			{ step: 0, name: 'W[1]', index: [1, 1] },
			{ step: 1, name: 'A[0]', index: [0, 1] },
			{ step: 0, name: 'b[1]', index: [1] }
		]);
	});

	it('the chain rule reads the weights of layer 2 before their update', () => {
		const element = elementOf(traces.design, 1, 'dA[1]', [0, 0]);
		expect(element.reads).toContainEqual({ step: 0, name: 'W[2]', index: [0, 0] });
		expect(element.reads).toContainEqual({ step: 1, name: 'dZ[2]', index: [0, 0] });
	});

	it('the update reads the previous value and the gradient of the step', () => {
		const element = elementOf(traces.or, 3, 'W[1]', [0, 0]);
		expect(element.reads).toEqual([
			{ step: 2, name: 'W[1]', index: [0, 0] },
			{ step: 3, name: 'error', index: [0, 0] }
		]);
	});
});

describe('notation profiles', () => {
	it.each([
		{ notation: 'bracket', weights: 'W^{[1]}', element: 'w^{[1]}_{21}', cost: '\\frac{\\partial J}' },
		{ notation: 'paren', weights: 'w^{(1)}', element: 'w^{(1)}_{21}', cost: '\\frac{\\partial C}' },
		{ notation: 'layer', weights: 'w^{1}', element: 'w^{1}_{21}', cost: '\\frac{\\partial C}' }
	] as const)('$notation writes $weights', ({ notation, weights, element, cost }) => {
		const options: FormulaOptions = { ...EN, profile: plainWriting(notation) };
		expect(eventFormula(traces.design, 1, 'Z[1]', options).symbolic).toContain(weights);
		expect(elementOf(traces.design, 1, 'Z[1]', [0, 1], options).symbolic).toContain(element);
		expect(eventFormula(traces.design, 1, 'dW[1]', options).symbolic).toContain(`${cost}{\\partial ${weights}}`);
	});

	it('shows the sample of a shuffled mini-batch as its row in the data', () => {
		const trace = run({ ...LOSS_CASES_SHUFFLED });
		const rows = batchRowsOf(trace, 1);
		expect(rows.length).toBe(2);
		const element = elementOf(trace, 1, 'A[0]', [1, 0]);
		expect(element.symbolic).toBe(`a^{[0](${rows[1] + 1})}_{1} = x^{(${rows[1] + 1})}_{1}`);
	});
});

describe('captions', () => {
	it.each([
		{ name: 'Z[1]', en: 'Weighted sum of layer 1', fr: 'Somme pondérée de la couche 1' },
		{ name: 'A[1]', en: 'Activation of layer 1: sigmoid', fr: 'Activation de la couche 1 : sigmoïde' },
		{ name: 'loss', en: 'Cost J: the half squared error of the sample', fr: 'Coût J : demi-erreur quadratique de l\'exemple' },
		{ name: 'W[1]', en: 'Gradient descent on the weights of layer 1 (η = 0.5)', fr: 'Descente de gradient sur les poids de la couche 1 (η = 0,5)' }
	])('$name: $en', ({ name, en, fr }) => {
		expect(eventFormula(traces.design, 1, name, EN).caption).toEqual({ en, fr });
	});

	it('a convolution names its kernel, stride and padding', () => {
		expect(eventFormula(traces.convPadding, 1, 'Z[1]', EN).caption.en).toBe('Convolution of layer 1 (3×3 kernel, stride 1, padding 1)');
	});

	it('the spreadsheet rule says it corrects every weight', () => {
		expect(eventFormula(traces.or, 2, 'W[1]', EN).caption.en).toContain('every weight');
	});
});

describe('the softmax Jacobian (validation pairs softmax with cross-entropy, so no trace reaches it yet)', () => {
	it('applied to ∂J/∂a = −y/(m ŷ), it gives the recorded δ = (ŷ − y)/m', () => {
		const scenario = LOSS_CASES.find((c) => c.name.startsWith('categorical_cross_entropy, softmax'))?.scenario;
		const trace = run(scenario);
		const event = findEvent(trace, 1, 'dZ[2]');
		if (!event) throw new Error('no dZ[2]');
		const ctx = makeContext(trace, event, EN);
		const rule = activationBackward(ctx, 2);
		for (const index of [[0, 0], [0, 1], [2, 1]]) {
			const element = elementFormula(ctx, index, rule.body(index));
			expect(evaluate(element.expression)).toBeCloseTo(element.value, 12);
			render(element.symbolic);
			render(element.substituted);
		}
		expect(elementFormula(ctx, [0, 1], rule.body([0, 1])).symbolic).toBe(
			'\\delta^{[2](1)}_{2} = a^{[2](1)}_{2}\\left(\\frac{\\partial J}{\\partial a^{[2](1)}_{2}} - \\left(a^{[2](1)}_{1} \\frac{\\partial J}{\\partial a^{[2](1)}_{1}} + a^{[2](1)}_{2} \\frac{\\partial J}{\\partial a^{[2](1)}_{2}}\\right)\\right)'
		);
	});
});

const LOSS_CASES_SHUFFLED = {
	...(LOSS_CASES[0].scenario as Record<string, unknown>),
	training: { epochs: 1, batch_size: 2, shuffle: true, seed: 3 }
};
