import katex from 'katex';
import { getLesson, type Lesson } from '$lib/lessons';
import { getLocale } from '$lib/paraglide/runtime';
import { cardPicture } from '$lib/viz/card-picture';
import type { PageServerLoad } from './$types';

/** A perceptron, a multilayer network and a convolutional network: the three kinds a replay shows. */
const EXAMPLE_LESSONS = ['perceptron-and', 'training-xor-minibatch', 'cnn-bars'];

/**
 * The home page's example formula, typeset here so the page ships no KaTeX code to the browser,
 * and its three example lessons with their cards' pictures.
 */
export const load: PageServerLoad = () => {
	// the decimal comma in French, braced so TeX does not space it as a list separator
	const number = (text: string) => (getLocale() === 'fr' ? text.replace('.', '{,}') : text);
	const example = [
		'z^{[1]}_{2} = w^{[1]}_{21}\\,x_1 + w^{[1]}_{22}\\,x_2 + b^{[1]}_{2}',
		`= ${number('0.4')} \\cdot 1 + ${number('0.3')} \\cdot ${number('0.5')} + (-${number('0.1')}) = ${number('0.45')}`
	];
	const lessons = EXAMPLE_LESSONS.map(getLesson).filter((lesson): lesson is Lesson => lesson !== undefined);
	return {
		example: example.map((tex) => katex.renderToString(tex, { displayMode: true, output: 'htmlAndMathml' })),
		lessons: lessons.map(({ id, title, scenario }) => ({ id, title, picture: cardPicture(scenario) }))
	};
};
