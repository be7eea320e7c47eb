import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatState, parseState } from '../../../src/lib/replay/url-state';
import { packScenario, unpackScenario } from '../../../src/lib/replay/share';

describe('replay position in the URL', () => {
	it.each([
		{ query: 'lesson=perceptron-or&at=57&i=0.1', state: { lesson: 'perceptron-or', seq: 57, index: [0, 1] } },
		{ query: 'lesson=conv-valid&at=6&i=0.0.2.2&notation=paren&digits=6', state: { lesson: 'conv-valid', seq: 6, index: [0, 0, 2, 2], notation: 'paren', digits: 6 } },
		{ query: '', state: {} }
	])('round-trips $query', ({ query, state }) => {
		const parsed = parseState(new URLSearchParams(query));
		expect(parsed).toEqual({ ...DEFAULT_STATE, ...state });
		expect(formatState(parsed)).toBe(query);
	});

	it.each(['at=-3', 'at=1e5', 'i=0..1', 'i=a', 'notation=latex', 'digits=0', 'digits=99', 'lesson=../etc', 's=%3Cscript%3E'])(
		'ignores a malformed %s',
		(query) => {
			expect(parseState(new URLSearchParams(query))).toEqual(DEFAULT_STATE);
		}
	);

	it('packs a pasted scenario into the link and back, and refuses a damaged one', async () => {
		const text = 'perceptron: { w: [0.1, 0.1], b: null }\ndata: { X: [[0, 1]], Y: [[1]] }\n# é, ≥\n';
		const packed = await packScenario(text);
		expect(packed).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(await unpackScenario(packed)).toBe(text);
		expect(await unpackScenario(packed.slice(0, -4) + 'AAAA')).toBeNull();
	});
});
