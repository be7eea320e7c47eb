import { overview, pageStudent } from '$lib/server/student';
import type { PageServerLoad } from './$types';

/** The signed-in student's assignment: exercises in order with their status; points only when revealed. */
export const load: PageServerLoad = async ({ params, cookies }) => overview(await pageStudent(params.code, cookies), Date.now());
