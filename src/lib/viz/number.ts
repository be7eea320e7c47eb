import { formatNumber } from '../format/number';
import type { Locale } from './types';

/** A value short enough for a grid cell or a node: 3 significant digits at most. */
export function cellText(value: number, locale: Locale): string {
	return formatNumber(value, 3, locale);
}

/**
 * A font size that fits `text` in a box `width` wide, never above `max`: a digit or a sign
 * advances about 0.6 em in a sans-serif face, a point or a comma half of that.
 */
export function fitFontSize(text: string, width: number, max: number): number {
	const ems = [...text].reduce((sum, c) => sum + (c === '.' || c === ',' ? 0.3 : 0.6), 0);
	return Math.min(max, width / Math.max(ems, 0.6));
}

/** The smallest font size a value is written at: below it, a picture leaves the value out rather than shrink it. */
export const MIN_FONT_SIZE = 11;
