import { describe, expect, it } from 'vitest';
import { exerciseReturn, FROM_PARAM } from '../../../src/lib/replay/back-link';
import { DEFAULT_STATE, formatState, parseState } from '../../../src/lib/replay/url-state';

/** A replay link leading back to `from`, as an exercise's feedback builds it. */
const withReturn = (from: string): string => `/replay?${formatState({ ...DEFAULT_STATE, scenario: 'abc', seq: 12, from: exerciseReturn(from) })}`;

describe('the way back from a replay to its exercise', () => {
	it.each(['/exercises/backprop-221', '/exercises/backprop-221?n=3', '/exercises/backprop-221?n=3#question-z1', '/a/K7QF2X/2', '/a/K7QF2X/2#question-a2'])('accepts the exercise page %s', (path) => {
		expect(exerciseReturn(path)).toBe(path);
	});

	it.each([
		null,
		'',
		'https://evil.example/exercises/x',
		'//evil.example/exercises/x',
		'/\\evil.example',
		'/exercises/../teacher',
		'/a/./x',
		'/teacher/assignments/1',
		'/replay?lesson=x',
		'/exercises',
		'/exercises/x?n=1&next=//evil.example',
		'javascript:alert(1)',
		'/exercises/x y',
		`/exercises/${'x'.repeat(400)}`
	])('refuses %s', (path) => {
		expect(exerciseReturn(path)).toBeNull();
	});

	it('adds the page to a replay link, read back as it was given', () => {
		const link = withReturn('/exercises/backprop-221?n=2#question-z1');
		const params = new URL(link, 'http://stepwise.test').searchParams;
		expect(params.get('s')).toBe('abc');
		expect(exerciseReturn(params.get(FROM_PARAM))).toBe('/exercises/backprop-221?n=2#question-z1');
	});

	it('leaves a replay link alone when the page is not an exercise page', () => {
		expect(withReturn('https://evil.example/')).toBe('/replay?s=abc&at=12');
		expect(parseState(new URLSearchParams('s=abc&from=https%3A%2F%2Fevil.example%2F')).from).toBeNull();
	});
});
