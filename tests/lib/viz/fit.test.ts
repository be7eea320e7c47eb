import { describe, expect, it } from 'vitest';
import { drawnWidth } from '../../../src/lib/viz/fit';

describe('the width a picture is drawn at', () => {
	it.each([
		{ case: 'not measured yet (server rendering)', given: 0, width: 260 },
		{ case: 'a phone’s column, 343 px', given: 343, width: 343 },
		{ case: 'a fractional width', given: 300.4, width: 300 },
		{ case: 'a laptop column wider than the chart’s largest', given: 700, width: 480 },
		{ case: 'a column too narrow to draw in', given: 120, width: 200 }
	])('$case: $width', ({ given, width }) => {
		expect(drawnWidth(given, 260, 480)).toBe(width);
	});
});
