/**
 * Dates of assignments in the courses' time zone, for the teachers' and the students' pages. A
 * `datetime-local` input has no zone and the server may run in UTC, so "Friday 18:00" is read and
 * shown as Paris time, not the server's; and a page renders the same text on the server and in
 * the browser, wherever it is (hydration).
 */
export const TIME_ZONE = 'Europe/Paris';

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(ms);
	const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
	return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

/** `2025-05-16T18:00` as the instant it is in the zone; NaN when it is not such a text. */
export function parseLocalDateTime(value: string, zone = TIME_ZONE): number {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
	if (!match) return NaN;
	const [year, month, day, hour, minute] = match.slice(1).map(Number);
	const wall = Date.UTC(year, month - 1, day, hour, minute);
	// Date.UTC rolls a 13th month or a 31 April over into the next; a form's text must not
	const date = new Date(wall);
	if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59) return NaN;
	// the offset at the guess, then again at the result: right on both sides of a DST change
	const guess = wall - offsetAt(wall, zone);
	return wall - offsetAt(guess, zone);
}

/** An instant as a `datetime-local` value in the zone. */
export function toLocalInput(ms: number, zone = TIME_ZONE): string {
	const shifted = new Date(ms + offsetAt(ms, zone));
	return shifted.toISOString().slice(0, 16);
}

/** An instant as a reader of the language writes it: « ven. 16 mai 2025, 18:00 », « Fri, 16 May 2025, 18:00 ». */
export function formatDateTime(ms: number, locale: 'fr' | 'en', zone = TIME_ZONE): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);
}
