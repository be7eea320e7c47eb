/** The languages Stepwise speaks. */
export type Locale = 'fr' | 'en';

/** A text in both of them. */
export interface Localized {
	fr: string;
	en: string;
}
