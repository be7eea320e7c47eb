import { describe, expect, it } from 'vitest';
import { formatDateTime, parseLocalDateTime, toLocalInput } from '../../../src/lib/format/dates';

describe('assignment dates in Paris time (src/lib/format/dates.ts)', () => {
	it.each([
		{ typed: '2025-05-16T18:00', utc: Date.UTC(2025, 4, 16, 16, 0), why: 'summer time, UTC+2' },
		{ typed: '2025-01-10T08:00', utc: Date.UTC(2025, 0, 10, 7, 0), why: 'winter time, UTC+1' },
		{ typed: '2025-03-30T03:30', utc: Date.UTC(2025, 2, 30, 1, 30), why: 'just after the clocks go forward' },
		{ typed: '2025-10-26T03:30', utc: Date.UTC(2025, 9, 26, 2, 30), why: 'just after the clocks go back' },
		{ typed: ' 2024-02-29T23:59 ', utc: Date.UTC(2024, 1, 29, 22, 59), why: 'a leap day, spaces around' }
	])('reads $typed as the instant it is in Paris ($why), and writes it back', ({ typed, utc }) => {
		expect(parseLocalDateTime(typed)).toBe(utc);
		expect(toLocalInput(utc)).toBe(typed.trim());
	});

	it.each(['', 'vendredi', '2025-05-16', '2025-05-16 18:00', '2025-13-01T08:00', '2025-04-31T08:00', '2025-02-29T08:00', '2025-05-16T24:00', '2025-05-16T18:60'])(
		'refuses %j, which is no date and time of the calendar',
		(typed) => {
			expect(parseLocalDateTime(typed)).toBeNaN();
		}
	);

	it('writes an instant as each language reads it, in Paris time whatever the machine’s zone', () => {
		const instant = Date.UTC(2025, 4, 16, 16, 0);
		expect(formatDateTime(instant, 'fr')).toBe('ven. 16 mai 2025, 18:00');
		expect(formatDateTime(instant, 'en')).toBe('Fri, 16 May 2025, 18:00');
	});
});
