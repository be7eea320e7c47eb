import { error, json } from '@sveltejs/kit';
import { getLesson, lessonView } from '$lib/lessons';
import type { RequestHandler } from './$types';

/** One lesson for the replay, which fetches the lesson a reader picks instead of carrying the library. */
export const GET: RequestHandler = ({ params }) => {
	const lesson = getLesson(params.id);
	if (!lesson) error(404, `no lesson ${params.id}`);
	return json(lessonView(lesson), { headers: { 'cache-control': 'public, max-age=300' } });
};
