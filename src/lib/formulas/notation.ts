import { isStateSymbol, parseName, type LayerSymbol, type ParameterName } from '../engine/quantity';
import { stateParts } from '../engine/optimizers';
import { COST_TEX, LEARNING_RATE_TEX, type CostSymbol, type LearningRateSymbol } from '../profiles';
import type { Notation, Writing } from './types';

/**
 * The quantities a network formula names; `delta` is δ = ∂J/∂z; m a dropout layer's mask; a
 * batch normalisation's scale γ and shift β, the batch's mean μ and variance σ², the normalised
 * input x̂, and the moving mean and variance, barred.
 */
export type Letter = 'w' | 'b' | 'z' | 'a' | 'delta' | 'm' | 'gamma' | 'beta' | 'mu' | 'sigma2' | 'xhat' | 'movingMean' | 'movingVariance';

/**
 * A batch normalisation's symbols, the same in every notation. A variance is the square of its σ,
 * written (σ^{[1]}_{2})² so that the layer's mark does not read as part of the power.
 */
const BATCHNORM_TEX = {
	gamma: '\\gamma',
	beta: '\\beta',
	mu: '\\mu',
	sigma2: '\\sigma',
	xhat: '\\hat{x}',
	movingMean: '\\bar{\\mu}',
	movingVariance: '\\bar{\\sigma}'
} as const;
const BATCHNORM_TEXT = { gamma: 'γ', beta: 'β', mu: 'μ', sigma2: 'σ', xhat: 'x̂', movingMean: 'μ̄', movingVariance: 'σ̄' } as const;
const SQUARED: ReadonlySet<Letter> = new Set<Letter>(['sigma2', 'movingVariance']);

/** A symbol squared where its letter is a variance: (σ^{[1]})². */
function squaredIf(letter: Letter, symbol: string, plain = false): string {
	if (!SQUARED.has(letter)) return symbol;
	return plain ? `(${symbol})²` : `\\left(${symbol}\\right)^2`;
}

/** Which sample a symbol belongs to: a number (1-based), a letter, or null when not shown. */
export type Sample = number | string | null | undefined;

/** Symbols of the data: the input x, the target y and the output ŷ. */
export type DataLetter = 'x' | 'y' | 'yHat';

/**
 * How a course writes its symbols. Indices are given 0-based (as in the trace) and written
 * 1-based (as on the slides). The sample, when a step reads more than one, is a superscript:
 * (i) in course 003 (a^{[1](2)}); ⟨i⟩ in the other two, whose parentheses or bare superscripts
 * already name the layer.
 */
export interface Symbols {
	notation: Notation;
	/** the cost: J (003), C (001, 004), E (000), Loss (002) */
	cost: string;
	/** the learning rate: η (004), α (001, 002, 003) */
	learningRate: string;
	/** the cost and the learning rate as plain text, for captions: Loss, α */
	text: { cost: CostSymbol; learningRate: string };
	/** the number the course writes for layer l (1-based from the first weights): l + 1 in course 004 */
	layer(l: number): number;
	/** tensor of a layer: W^{[1]} | w^{(1)} | w^{1}; course 002's biases are weights w_0 */
	tensor(letter: Letter, layer: number): string;
	/**
	 * One element: w^{[1]}_{21}. `sample` is 1-based (or a letter such as i in a general formula),
	 * null when the step reads a single sample. Course 002 writes the bias of unit j as the
	 * weight w_{j0} of a constant input x_0 = 1.
	 */
	element(letter: Letter, layer: number, index: readonly number[], sample?: Sample): string;
	/** x^{(i)}_{k}, y_{j}, \hat{y}_{j} */
	data(letter: DataLetter, index: readonly number[], sample?: Sample): string;
	/** ∂J/∂(what) */
	partial(what: string): string;
	/** a symbol with the sample's superscript: L^{(i)} */
	sampled(base: string, sample: Sample): string;
}

const TENSOR_LETTERS: Record<Notation, Record<Letter, string>> = {
	bracket: { w: 'W', b: 'b', z: 'Z', a: 'A', delta: '\\delta', m: 'M', ...BATCHNORM_TEX, xhat: '\\hat{X}' },
	paren: { w: 'w', b: 'b', z: 'z', a: 'a', delta: '\\delta', m: 'm', ...BATCHNORM_TEX },
	layer: { w: 'w', b: 'b', z: 'z', a: 'a', delta: '\\delta', m: 'm', ...BATCHNORM_TEX }
};

const ELEMENT_LETTERS: Record<Letter, string> = { w: 'w', b: 'b', z: 'z', a: 'a', delta: '\\delta', m: 'm', ...BATCHNORM_TEX };
const DATA_LETTERS: Record<DataLetter, string> = { x: 'x', y: 'y', yHat: '\\hat{y}' };

function layerMark(notation: Notation, layer: number): string {
	if (notation === 'bracket') return `[${layer}]`;
	if (notation === 'paren') return `(${layer})`;
	return String(layer);
}

function sampleMark(notation: Notation, sample: Sample): string {
	if (sample === null || sample === undefined) return '';
	return notation === 'bracket' ? `(${sample})` : `\\langle ${sample}\\rangle`;
}

/** 1-based subscript: w_{21} for two small indices (as the slides write them), w_{1,2,3} otherwise. */
export function subscript(index: readonly number[]): string {
	if (index.length === 0) return '';
	const oneBased = index.map((i) => i + 1);
	const glued = oneBased.length <= 2 && oneBased.every((i) => i < 10);
	return `_{${oneBased.join(glued ? '' : ',')}}`;
}

const LEARNING_RATE_TEXT: Record<LearningRateSymbol, string> = { eta: 'η', alpha: 'α', lambda: 'λ' };

/** The bias as a weight of index 0: subscript() writes index −1 as 0. */
const BIAS_INPUT = -1;

export function symbolsFor(writing: Writing): Symbols {
	const { notation, inputLayer, symbols } = writing;
	const cost = COST_TEX[symbols.cost];
	const w0 = symbols.bias === 'w0';
	const mark = (layer: number): string => layerMark(notation, layer + inputLayer);
	return {
		notation,
		cost,
		learningRate: LEARNING_RATE_TEX[symbols.learningRate],
		text: { cost: symbols.cost, learningRate: LEARNING_RATE_TEXT[symbols.learningRate] },
		layer: (l) => l + inputLayer,
		tensor: (letter, layer) =>
			letter === 'b' && w0 ? `${TENSOR_LETTERS[notation].w}^{${mark(layer)}}_{0}` : squaredIf(letter, `${TENSOR_LETTERS[notation][letter]}^{${mark(layer)}}`),
		element: (letter, layer, index, sample) =>
			letter === 'b' && w0
				? `w^{${mark(layer)}${sampleMark(notation, sample)}}${subscript([...index, BIAS_INPUT])}`
				: squaredIf(letter, `${ELEMENT_LETTERS[letter]}^{${mark(layer)}${sampleMark(notation, sample)}}${subscript(index)}`),
		data: (letter, index, sample) => {
			const sampled = sampleMark(notation, sample);
			return `${DATA_LETTERS[letter]}${sampled ? `^{${sampled}}` : ''}${subscript(index)}`;
		},
		partial: (what) => `\\frac{\\partial ${cost}}{\\partial ${what}}`,
		sampled: (base, sample) => {
			const sampled = sampleMark(notation, sample);
			return sampled ? `${base}^{${sampled}}` : base;
		}
	};
}

/**
 * How the formulas were written before courses had profiles, for a caller that knows only a
 * notation: layers from 0, η, J in the bracket notation and C in the others, a separate b.
 */
export function plainWriting(notation: Notation): Writing {
	return { notation, inputLayer: 0, symbols: { learningRate: 'eta', cost: notation === 'bracket' ? 'J' : 'C', bias: 'b' } };
}

/** A quantity of the trace by its event name (W[1], dZ[2], loss, error), or null for another name. */
type Quantity =
	| { kind: 'loss' }
	| { kind: 'error' }
	/** the learning rate of an update under a schedule: η_k */
	| { kind: 'lr' }
	| { kind: 'layer'; derivative: boolean; letter: Letter; layer: number }
	/** an optimizer's state of a parameter: v, m or s of W, b, γ or β */
	| { kind: 'state'; state: string; letter: Letter; layer: number };

/** the engine's dZ is the course's δ; its other derivatives are ∂J/∂(quantity) */
const LETTERS: Record<LayerSymbol, { letter: Letter; derivative: boolean }> = {
	W: { letter: 'w', derivative: false },
	b: { letter: 'b', derivative: false },
	Z: { letter: 'z', derivative: false },
	A: { letter: 'a', derivative: false },
	dW: { letter: 'w', derivative: true },
	db: { letter: 'b', derivative: true },
	dZ: { letter: 'delta', derivative: false },
	dA: { letter: 'a', derivative: true },
	M: { letter: 'm', derivative: false },
	gamma: { letter: 'gamma', derivative: false },
	beta: { letter: 'beta', derivative: false },
	dgamma: { letter: 'gamma', derivative: true },
	dbeta: { letter: 'beta', derivative: true },
	moving_mean: { letter: 'movingMean', derivative: false },
	moving_variance: { letter: 'movingVariance', derivative: false },
	mu: { letter: 'mu', derivative: false },
	sigma2: { letter: 'sigma2', derivative: false },
	xhat: { letter: 'xhat', derivative: false }
};

/** The letter of each parameter a layer keeps: W → w, gamma → γ, moving_mean → μ̄. */
export function parameterLetter(name: ParameterName): Letter {
	return LETTERS[name].letter;
}

function parseQuantity(name: string): Quantity | null {
	const q = parseName(name);
	if (!q) return null;
	if (q.layer === null) return q.symbol === 'loss' || q.symbol === 'error' || q.symbol === 'lr' ? { kind: q.symbol } : null;
	if (isStateSymbol(q.symbol)) {
		const { state, kind } = stateParts(q.symbol);
		return { kind: 'state', state, letter: parameterLetter(kind), layer: q.layer };
	}
	return { kind: 'layer', ...LETTERS[q.symbol], layer: q.layer };
}

/**
 * The TeX symbol of a whole quantity of the trace, by its event name: W^{[1]}, δ^{[2]},
 * ∂J/∂W^{[1]}, the cost, e; null for a name that is not a quantity of a layer.
 */
export function quantitySymbol(name: string, writing: Writing): string | null {
	const q = parseQuantity(name);
	if (!q) return null;
	const S = symbolsFor(writing);
	if (q.kind === 'loss') return S.cost;
	if (q.kind === 'error') return 'e';
	if (q.kind === 'lr') return `${S.learningRate}_k`;
	const symbol = S.tensor(q.letter, q.layer);
	if (q.kind === 'state') return `${q.state}_{${symbol}}`;
	return q.derivative ? S.partial(symbol) : symbol;
}

const SUPERSCRIPTS: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '(': '⁽', ')': '⁾' };
const PLAIN_LETTERS: Record<Notation, Record<Letter, string>> = {
	bracket: { w: 'W', b: 'b', z: 'Z', a: 'A', delta: 'δ', m: 'M', ...BATCHNORM_TEXT, xhat: 'X̂' },
	paren: { w: 'w', b: 'b', z: 'z', a: 'a', delta: 'δ', m: 'm', ...BATCHNORM_TEXT },
	layer: { w: 'w', b: 'b', z: 'z', a: 'a', delta: 'δ', m: 'm', ...BATCHNORM_TEXT }
};

/**
 * The same symbol as plain text, for the pictures' labels: W[1], δ⁽³⁾, ∂C/∂w⁽²⁾, w¹ (the
 * bracket notation keeps its brackets on the line: Unicode has no superscript brackets).
 */
export function quantityText(name: string, writing: Writing): string | null {
	const q = parseQuantity(name);
	if (!q) return null;
	if (q.kind === 'loss') return writing.symbols.cost;
	if (q.kind === 'error') return 'e';
	if (q.kind === 'lr') return `${symbolsFor(writing).text.learningRate}ₖ`;
	const { notation, inputLayer, symbols } = writing;
	const mark = layerMark(notation, q.layer + inputLayer);
	const raised = notation === 'bracket' ? mark : [...mark].map((c) => SUPERSCRIPTS[c] ?? c).join('');
	const symbol = q.letter === 'b' && symbols.bias === 'w0' ? `${PLAIN_LETTERS[notation].w}${raised}₀` : squaredIf(q.letter, `${PLAIN_LETTERS[notation][q.letter]}${raised}`, true);
	if (q.kind === 'state') return `${q.state}(${symbol})`;
	return q.derivative ? `∂${symbols.cost}/∂${symbol}` : symbol;
}

/**
 * The index of an image element as the slides write it: the channel is left out when there is
 * only one (z_{33} rather than z_{1,3,3} for the single feature map of course 001's example).
 */
export function imageIndex(shape: readonly number[], index: readonly number[]): number[] {
	return shape.length === 3 && shape[0] === 1 ? index.slice(1) : [...index];
}

/** The index of a kernel weight (filter, channel, row, column) without the axes of size 1. */
export function kernelIndex(shape: readonly number[], index: readonly number[]): number[] {
	const [filters, channels] = shape;
	return index.filter((_, axis) => !(axis === 0 && filters === 1) && !(axis === 1 && channels === 1));
}
