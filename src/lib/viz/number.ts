import { formatNumber } from '../format/number';
import type { Locale } from './types';

/** A value short enough for a grid cell or a node: 3 significant digits at most. */
export function cellText(value: number, locale: Locale): string {
	return formatNumber(value, 3, locale);
}

/** A font size that fits `text` in a box `width` wide, never above `max`. */
export function fitFontSize(text: string, width: number, max: number): number {
	// 0.62 em is about the advance of a digit in a sans-serif face
	return Math.min(max, width / (0.62 * Math.max(text.length, 1)));
}
