/**
 * One rule for every text a person types: names, titles, emails, student numbers, exercise files,
 * answers and drafts. Control characters are refused, except tab, line feed and carriage return,
 * which a keyboard, a paste from a spreadsheet and a form's line breaks (sent as CRLF) put in a
 * text. Refused with them: DEL and the C1 controls (U+007F–U+009F, NEL U+0085 included), which
 * no keyboard types and which only come from a broken encoding or a script; and lone surrogates
 * (U+D800–U+DFFF), which a JSON body can hold but which are not text: each database would store
 * them as U+FFFD, another text than the one checked. NUL (U+0000), which PostgreSQL refuses in
 * text while SQLite keeps it, is one of them, so both backends store the same texts.
 *
 * A password follows a stricter rule, no control character at all: the login form's one-line
 * field drops line breaks and a tab moves to the next field, so a password holding one could
 * never be typed there. Format characters (zero-width joiners, bidirectional marks) are text:
 * emoji sequences and several scripts need them.
 *
 * Pure, without the app's aliases, so that the command line uses it too.
 */

const TYPED = /(?![\t\n\r])[\p{Cc}\p{Cs}]/u;
const SECRET = /[\p{Cc}\p{Cs}]/u;
const TYPED_ALL = new RegExp(TYPED.source, 'gu');

export type TextKind = 'text' | 'password';

/** A character as people look it up: U+0000. */
export const codePoint = (character: string): string => `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The first character the rule refuses in this text, as U+XXXX, or null when it has none. */
export function controlCharacter(text: string, kind: TextKind = 'text'): string | null {
	const found = (kind === 'password' ? SECRET : TYPED).exec(text);
	return found ? codePoint(found[0]) : null;
}

/** The text without the characters the rule refuses, and how many were removed. */
export function stripControl(text: string): { text: string; removed: number } {
	let removed = 0;
	const stripped = text.replace(TYPED_ALL, () => {
		removed++;
		return '';
	});
	return { text: stripped, removed };
}
