import { loadPrintable } from '../printable.server';
import type { PageServerLoad } from './$types';

/** The answer key of every student (or of `?student=`). */
export const load: PageServerLoad = (event) => loadPrintable(event, true);
