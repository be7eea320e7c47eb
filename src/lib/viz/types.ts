/** What the pictures share with the replay page. */
export type { Locale } from '../locale';

/** One element of one recorded tensor: what a formula reads, what the user selects. */
export interface ElementRef {
	step: number;
	name: string;
	/** 0-based, batch-first for batch tensors */
	index: number[];
}
