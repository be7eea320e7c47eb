import type { Trace } from '$lib/engine';
import type { Writing } from '$lib/formulas';
import type { ElementRef, Locale } from '$lib/viz/types';

/** What the replay page gives every picture: the trace, the cursor, the selection and its reads. */
export interface PictureProps {
	trace: Trace;
	/** the current event */
	seq: number;
	/** the selected element of the current event's tensor (0-based, batch-first), or null */
	index: number[] | null;
	/** the elements the selected element's formula reads */
	reads: ElementRef[];
	/** the reads of each term of a sum the formula shows term by term in colour (term i in TERM_COLOURS[i]) */
	terms?: readonly (readonly ElementRef[])[];
	/** elements of the current event's tensor to light: the entries a student got wrong */
	lit: readonly (readonly number[])[];
	locale: Locale;
	/** how the course writes its symbols: the labels name quantities as the formulas do */
	profile: Writing;
	digits: number;
	/** called with an element of the current event's tensor when the user picks it */
	onselect?: (index: number[]) => void;
}
