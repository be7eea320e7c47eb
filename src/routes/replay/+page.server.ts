import { getLesson, lessonView, listLessons } from '$lib/lessons';
import type { PageServerLoad } from './$types';

/**
 * The lesson menu, and the lesson a link opens, from the server: the page does not download the
 * library (every lesson's text in two languages, and the YAML and schema code to read it).
 */
export const load: PageServerLoad = ({ url }) => {
	const id = url.searchParams.get('lesson');
	const lesson = id ? getLesson(id) : undefined;
	return {
		lessons: listLessons().map(({ id, title }) => ({ id, title })),
		lesson: lesson ? lessonView(lesson) : null
	};
};
