import { loadPrintable } from '../printable.server';
import type { PageServerLoad } from './$types';

/** One printed page per student (or only `?student=`), each with their own numbers. */
export const load: PageServerLoad = (event) => loadPrintable(event, false);
