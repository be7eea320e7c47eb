import { listPractice } from '$lib/server/practice';
import type { PageServerLoad } from './$types';

/** The library's cards by topic, read on the server: exercises hold their answer keys. */
export const load: PageServerLoad = () => ({ groups: listPractice() });
