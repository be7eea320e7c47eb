/**
 * Dates of an assignment as a student reads them, in the courses' time zone: the server may run
 * in UTC and the browser anywhere, and the page must render the same text on both (hydration).
 */
const TIME_ZONE = 'Europe/Paris';

/** « ven. 16 mai 2025, 18:00 », « Fri 16 May 2025, 18:00 » */
export function formatDate(ms: number, locale: 'fr' | 'en'): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);
}
