import type { Notation } from './types';

/** The quantities a network formula names; `delta` is δ = ∂J/∂z. */
export type Letter = 'w' | 'b' | 'z' | 'a' | 'delta';

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
	/** the cost: J in course 003, C in courses 001 and 004 */
	cost: string;
	/** tensor of a layer: W^{[1]} | w^{(1)} | w^{1} */
	tensor(letter: Letter, layer: number): string;
	/**
	 * One element: w^{[1]}_{21}. `sample` is 1-based (or a letter such as i in a general formula),
	 * null when the step reads a single sample.
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
	bracket: { w: 'W', b: 'b', z: 'Z', a: 'A', delta: '\\delta' },
	paren: { w: 'w', b: 'b', z: 'z', a: 'a', delta: '\\delta' },
	layer: { w: 'w', b: 'b', z: 'z', a: 'a', delta: '\\delta' }
};

const ELEMENT_LETTERS: Record<Letter, string> = { w: 'w', b: 'b', z: 'z', a: 'a', delta: '\\delta' };
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

export function symbolsFor(notation: Notation): Symbols {
	return {
		notation,
		cost: notation === 'bracket' ? 'J' : 'C',
		tensor: (letter, layer) => `${TENSOR_LETTERS[notation][letter]}^{${layerMark(notation, layer)}}`,
		element: (letter, layer, index, sample) =>
			`${ELEMENT_LETTERS[letter]}^{${layerMark(notation, layer)}${sampleMark(notation, sample)}}${subscript(index)}`,
		data: (letter, index, sample) => {
			const mark = sampleMark(notation, sample);
			return `${DATA_LETTERS[letter]}${mark ? `^{${mark}}` : ''}${subscript(index)}`;
		},
		partial: (what) => `\\frac{\\partial ${notation === 'bracket' ? 'J' : 'C'}}{\\partial ${what}}`,
		sampled: (base, sample) => {
			const mark = sampleMark(notation, sample);
			return mark ? `${base}^{${mark}}` : base;
		}
	};
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
