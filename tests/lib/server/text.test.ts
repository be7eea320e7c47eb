import { describe, expect, it } from 'vitest';
import { codePoint, controlCharacter, stripControl } from '../../../src/lib/server/text';

/** Each input, what the rule says of a text and of a password (the code point refused, or null), and the text stripped. */
const CASES: [string, string, string | null, string | null, string][] = [
	['NUL', 'Pa\u0000ul', 'U+0000', 'U+0000', 'Paul'],
	['U+0001', 'Pa\u0001ul', 'U+0001', 'U+0001', 'Paul'],
	['escape', 'Pa\u001b[31mul', 'U+001B', 'U+001B', 'Pa[31mul'],
	['DEL', 'Pa\u007ful', 'U+007F', 'U+007F', 'Paul'],
	['NEL (C1)', 'Pa\u0085ul', 'U+0085', 'U+0085', 'Paul'],
	['U+009F (C1)', 'Pa\u009ful', 'U+009F', 'U+009F', 'Paul'],
	['vertical tab', 'Pa\u000bul', 'U+000B', 'U+000B', 'Paul'],
	['a lone high surrogate', 'Pa\ud800ul', 'U+D800', 'U+D800', 'Paul'],
	['a lone low surrogate', 'Paul\udc00', 'U+DC00', 'U+DC00', 'Paul'],
	['tab', 'Pa\tul', null, 'U+0009', 'Pa\tul'],
	['newline', 'Pa\nul', null, 'U+000A', 'Pa\nul'],
	['CRLF, as a form sends a line break', 'Pa\r\nul', null, 'U+000D', 'Pa\r\nul'],
	['accented French text', 'Chloé Lefèvre, « à rendre vendredi »', null, null, 'Chloé Lefèvre, « à rendre vendredi »'],
	['emoji, a zero-width joiner inside', 'Léa 👩‍🔬 😀', null, null, 'Léa 👩‍🔬 😀'],
	['a non-breaking space', 'TD\u00a03', null, null, 'TD\u00a03'],
	['several', '\u0000a\u0001b\u0002', 'U+0000', 'U+0000', 'ab']
];

describe('the text rule', () => {
	it.each(CASES)('%s', (_, text, asText, asPassword, stripped) => {
		expect(controlCharacter(text)).toBe(asText);
		expect(controlCharacter(text, 'password')).toBe(asPassword);
		expect(stripControl(text).text).toBe(stripped);
		expect(stripControl(text).removed).toBe(text.length - stripped.length);
	});

	it('names a character by its code point', () => {
		expect([codePoint('\u0000'), codePoint('é'), codePoint('😀')]).toEqual(['U+0000', 'U+00E9', 'U+1F600']);
	});
});
