/**
 * A number as a person would write it: `significant` significant digits at most, no float noise
 * (0.30000000000000004 → 0.3), no trailing zeros, and the decimal comma in French. Whole
 * numbers (counts, pixel values) are written in full.
 */
export function formatNumber(value: number, significant = 6, locale: 'en' | 'fr' = 'en'): string {
	if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
	const rounded = Number.isInteger(value) && Math.abs(value) < 1e15 ? value : Number(value.toPrecision(significant));
	const text = Object.is(rounded, -0) ? '0' : String(rounded);
	return withDecimalMark(text, locale);
}

/** A number's text with the decimal mark of `locale`: 0,5 in French, 0.5 in English. */
export function withDecimalMark(text: string, locale: 'en' | 'fr'): string {
	return locale === 'fr' ? text.replace('.', ',') : text;
}
