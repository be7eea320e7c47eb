/** Small text helpers of the exercise pages: TeX as plain text for labels, values and points as TeX or words. */
import type { NestedNumbers } from '$lib/engine/tensor';
import { formatNumber } from '$lib/format/number';
import { texNumber } from '$lib/formulas';

const GREEK: Record<string, string> = { delta: 'δ', sigma: 'σ', eta: 'η', partial: '∂', alpha: 'α', theta: 'θ' };

/** A TeX symbol read aloud or shown where KaTeX cannot go (an aria-label): `a^{[1]}_{2}` → `a^[1]_2`. */
export function plainTex(tex: string): string {
	return tex
		.replace(/\\frac\{((?:[^{}]|\{[^{}]*\})*)\}\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}/g, '$1/$2')
		.replace(/\\([a-zA-Z]+) ?/g, (_, name: string) => GREEK[name] ?? name)
		.replace(/[{}]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Points as written in the language: 7,5 in French. */
export function pointsText(points: number, locale: 'fr' | 'en'): string {
	return formatNumber(points, 6, locale);
}

/** An expected value in TeX: a number, a row vector, or a matrix (a batch of one sample reads as its row). */
export function valueTex(value: NestedNumbers, locale: 'fr' | 'en'): string {
	while (Array.isArray(value) && value.length === 1 && Array.isArray(value[0])) value = value[0];
	const number = (v: number): string => texNumber(v, { digits: 6, locale });
	if (typeof value === 'number') return number(value);
	if (value.every((v) => typeof v === 'number')) return `\\begin{pmatrix} ${(value as number[]).map(number).join(' & ')} \\end{pmatrix}`;
	if (value.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))) {
		return `\\begin{pmatrix} ${(value as number[][]).map((row) => row.map(number).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
	}
	return value.map((item) => valueTex(item, locale)).join('\\ ');
}
