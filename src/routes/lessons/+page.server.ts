import { listLessons, TOPICS } from '$lib/lessons';
import { cardPicture } from '$lib/viz/card-picture';
import type { PageServerLoad } from './$types';

/** The library's cards, read on the server so the page ships no YAML parser to the browser. */
export const load: PageServerLoad = () => {
	const lessons = listLessons().map(({ id, topic, course, title, summary, scenario }) => ({ id, topic, course, title, summary, picture: cardPicture(scenario) }));
	const groups = TOPICS.map((topic) => ({ topic, lessons: lessons.filter((lesson) => lesson.topic === topic.id) })).filter(
		(group) => group.lessons.length > 0
	);
	return { groups };
};
