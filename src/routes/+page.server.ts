import katex from 'katex';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

/** The home page's example formula, typeset here so the page ships no KaTeX code to the browser. */
export const load: PageServerLoad = () => {
	// the decimal comma in French, braced so TeX does not space it as a list separator
	const number = (text: string) => (getLocale() === 'fr' ? text.replace('.', '{,}') : text);
	const example = [
		'z^{[1]}_{2} = w^{[1]}_{21}\\,x_1 + w^{[1]}_{22}\\,x_2 + b^{[1]}_{2}',
		`= ${number('0.4')} \\cdot 1 + ${number('0.3')} \\cdot ${number('0.5')} + (-${number('0.1')}) = ${number('0.45')}`
	];
	return { example: example.map((tex) => katex.renderToString(tex, { displayMode: true, output: 'htmlAndMathml' })) };
};
