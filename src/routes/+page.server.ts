import katex from 'katex';
import { homeExample } from '$lib/formulas/example';
import { getLesson, type Lesson } from '$lib/lessons';
import type { Locale } from '$lib/locale';
import { getLocale } from '$lib/paraglide/runtime';
import { cardPicture } from '$lib/viz/card-picture';
import type { PageServerLoad } from './$types';

/** A perceptron, a multilayer network and a convolutional network: the three kinds a replay shows. */
const EXAMPLE_LESSONS = ['perceptron-and', 'training-xor-minibatch', 'cnn-bars'];

/** The example as KaTeX's HTML, by language: the same on every visit, so run and typeset once. */
const typeset = new Map<Locale, string[]>();

/**
 * The home page's example formula (the engine's, homeExample), typeset here so the page ships no
 * KaTeX code to the browser, and its three example lessons with their cards' pictures.
 */
export const load: PageServerLoad = () => {
	const locale = getLocale();
	let example = typeset.get(locale);
	if (!example) {
		example = homeExample(locale).map((tex) => katex.renderToString(tex, { displayMode: true, output: 'htmlAndMathml' }));
		typeset.set(locale, example);
	}
	const lessons = EXAMPLE_LESSONS.map(getLesson).filter((lesson): lesson is Lesson => lesson !== undefined);
	return {
		example,
		lessons: lessons.map(({ id, title, scenario }) => ({ id, title, picture: cardPicture(scenario) }))
	};
};
