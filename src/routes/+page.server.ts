import katex from 'katex';
import type { PageServerLoad } from './$types';

/** The home page's example formula, typeset here so the page ships no KaTeX code to the browser. */
export const load: PageServerLoad = () => ({
	example: [
		'z^{[1]}_{2} = w^{[1]}_{21}\\,x_1 + w^{[1]}_{22}\\,x_2 + b^{[1]}_{2}',
		'= 0.4 \\cdot 1 + 0.3 \\cdot 0.5 + (-0.1) = 0.45'
	].map((tex) => katex.renderToString(tex, { displayMode: true, output: 'htmlAndMathml' }))
});
