import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatState, parseState } from '../../../src/lib/replay/url-state';
import { packScenario, unpackScenario } from '../../../src/lib/replay/share';

describe('replay position in the URL', () => {
	it.each([
		{ query: 'lesson=perceptron-or&at=57&i=0.1', state: { lesson: 'perceptron-or', seq: 57, index: [0, 1] } },
		{ query: 'lesson=conv-valid&at=6&i=0.0.2.2&notation=paren&digits=6', state: { lesson: 'conv-valid', seq: 6, index: [0, 0, 2, 2], notation: 'paren', digits: 6 } },
		{
			query: 's=abc&at=12&i=0.1&lit=0.0_0.1&mistake=missing-activation-derivative&notation=bracket',
			state: { scenario: 'abc', seq: 12, index: [0, 1], lit: [[0, 0], [0, 1]], mistake: 'missing-activation-derivative', notation: 'bracket' }
		},
		{ query: 'lesson=backprop-deltas&at=3&profile=003', state: { lesson: 'backprop-deltas', seq: 3, profile: '003' } },
		{ query: 'lesson=perceptron-and&profile=neutral', state: { lesson: 'perceptron-and', profile: 'neutral' } },
		{ query: 'lesson=conv-valid&at=6&lit=0.0.2.2', state: { lesson: 'conv-valid', seq: 6, lit: [[0, 0, 2, 2]] } },
		// the way back of "Show me this step" stays in the link as the student steps
		{ query: 's=abc&at=4&from=%2Fexercises%2Fbackprop-221%3Fn%3D3%23question-d2', state: { scenario: 'abc', seq: 4, from: '/exercises/backprop-221?n=3#question-d2' } },
		{ query: '', state: {} }
	])('round-trips $query', ({ query, state }) => {
		const parsed = parseState(new URLSearchParams(query));
		expect(parsed).toEqual({ ...DEFAULT_STATE, ...state });
		expect(formatState(parsed)).toBe(query);
	});

	it.each(['at=-3', 'at=1e5', 'i=0..1', 'i=a', 'notation=latex', 'profile=005', 'profile=Neutral', 'digits=0', 'digits=99', 'lesson=../etc', 's=%3Cscript%3E'])(
		'ignores a malformed %s',
		(query) => {
			expect(parseState(new URLSearchParams(query))).toEqual(DEFAULT_STATE);
		}
	);

	it.each([
		'lit=',
		'lit=a',
		'lit=0.0__0.1',
		'lit=0.0_0.1_',
		'lit=0.0,0.1',
		'lit=0.0_0.0',
		'lit=0.0_1',
		'lit=-1.0',
		'lit=0.1.2.3.4.5',
		'lit=1234567',
		`lit=${Array.from({ length: 401 }, (_, k) => `0.${k}`).join('_')}`,
		`lit=${'0.'.repeat(20000)}0`,
		'mistake=',
		'mistake=Missing',
		'mistake=../etc',
		'mistake=<script>',
		'from=https%3A%2F%2Fevil.example%2Fexercises%2Fx',
		'from=%2F%2Fevil.example%2Fexercises',
		'from=%2Fexercises%2F..%2Fteacher',
		'from=%2Fteacher%2Fassignments'
	])('ignores a malformed or hostile %s, whole', (query) => {
		expect(parseState(new URLSearchParams(query))).toEqual(DEFAULT_STATE);
	});

	it('keeps the rest of a link whose lit entries are malformed', () => {
		expect(parseState(new URLSearchParams('lesson=backprop-deltas&at=3&lit=0.x'))).toEqual({ ...DEFAULT_STATE, lesson: 'backprop-deltas', seq: 3 });
	});

	it('packs a pasted scenario into the link and back, and refuses a damaged one', async () => {
		const text = 'perceptron: { w: [0.1, 0.1], b: null }\ndata: { X: [[0, 1]], Y: [[1]] }\n# é, ≥\n';
		const packed = await packScenario(text);
		expect(packed).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(await unpackScenario(packed)).toBe(text);
		expect(await unpackScenario(packed.slice(0, -4) + 'AAAA')).toBeNull();
	});
});
