import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../../src/lib/exercises/answer';
import { UNREADABLE_REASONS, type Unreadable, type UnreadableCode } from '../../../src/lib/exercises/answers/types';
import { readMessage } from '../../../src/lib/exercises/feedback-message';
import { feedbackText, unreadableText } from '../../../src/lib/exercises/feedback-text';

/**
 * Every answer-parser code, each written out by hand in both languages: the table is keyed by
 * code, so a code added to the parser without its case here fails to compile.
 */
const CASES: { [C in UnreadableCode]: [Extract<Unreadable, { code: C }>, string, string][] } = {
	empty_answer: [[{ code: 'empty_answer' }, 'Réponse vide.', 'Empty answer.']],
	answer_too_long: [[{ code: 'answer_too_long', limit: 2000 }, 'Réponse trop longue (plus de 2000 caractères).', 'Answer too long (more than 2000 characters).']],
	ambiguous_comma: [[{ code: 'ambiguous_comma', text: '[1,2]' }, 'Virgule ambiguë dans « [1,2] » : écrivez 1.2 (un nombre) ou 1; 2 (deux coefficients).', 'Ambiguous comma in "[1,2]": write 1.2 (one number) or 1; 2 (two entries).']],
	stray_comma: [[{ code: 'stray_comma' }, 'Virgule « , » isolée : la virgule est ici un séparateur décimal (0,5) ; séparez les coefficients par « ; ».', 'Stray comma ",": here the comma is a decimal separator (0,5); separate entries with ";".']],
	single_argument: [[{ code: 'single_argument', name: 'sigmoid' }, '« sigmoid » prend un seul argument.', '"sigmoid" takes a single argument.']],
	not_finite_name: [[{ code: 'not_finite_name', text: 'NaN' }, '« NaN » : une valeur finie est attendue.', '"NaN": a finite value is expected.']],
	name_not_allowed: [[{ code: 'name_not_allowed', text: 'abc' }, "« abc » n'est pas autorisé ; seuls e, pi (π), exp, log = ln, sqrt, tanh, sigmoid (σ), relu le sont.", '"abc" is not allowed; only e, pi (π), exp, log = ln, sqrt, tanh, sigmoid (σ), relu are.']],
	character_not_allowed: [[{ code: 'character_not_allowed', character: '#' }, 'Caractère « # » non autorisé.', 'Character "#" is not allowed.']],
	digit_after_decimal: [[{ code: 'digit_after_decimal', text: '1.' }, 'Chiffre attendu après le séparateur décimal dans « 1. ».', 'Digit expected after the decimal separator in "1.".']],
	thousands_grouping: [[{ code: 'thousands_grouping', text: '1,23.4' }, 'Nombre « 1,23.4 » illisible : les milliers se groupent par trois avant la virgule ou le point décimal (1 234,5 ; 1.234,5 ; 1,234.5).', 'Number "1,23.4" cannot be read: thousands are grouped by three before the decimal point or comma (1,234.5; 1.234,5; 1 234,5).']],
	number_too_large: [[{ code: 'number_too_large', text: '1e999' }, 'Nombre « 1e999 » trop grand.', 'Number "1e999" too large.']],
	not_finite_real: [[{ code: 'not_finite_real', text: '1/0' }, '« 1/0 » ne donne pas un nombre réel fini (division par zéro, dépassement, log ou racine d’un négatif…).', '"1/0" does not give a finite real number (division by zero, overflow, log or root of a negative…).']],
	closing_expected: [
		[{ code: 'closing_expected', close: ')', open: '(', found: null }, '« ) » attendu pour fermer « ( », trouvé la fin.', '")" expected to close "(", found the end.'],
		[{ code: 'closing_expected', close: ']', open: '[', found: ';' }, '« ] » attendu pour fermer « [ », trouvé « ; ».', '"]" expected to close "[", found ";".']
	],
	missing_entry: [
		[{ code: 'missing_entry', before: null }, 'Coefficient manquant à la fin.', 'Missing entry at the end.'],
		[{ code: 'missing_entry', before: ';' }, 'Coefficient manquant avant « ; ».', 'Missing entry before ";".']
	],
	too_many_entries: [[{ code: 'too_many_entries' }, 'Trop de coefficients.', 'Too many entries.']],
	row_length: [
		[{ code: 'row_length', row: 2, entries: 1, first: 3 }, 'La ligne 2 a 1 coefficient(s), la première en a 3.', 'Row 2 has 1 entry, the first has 3.'],
		[{ code: 'row_length', row: 12, entries: 4, first: 3 }, 'La ligne 12 a 4 coefficient(s), la première en a 3.', 'Row 12 has 4 entries, the first has 3.']
	],
	numbers_mixed_with_lists: [[{ code: 'numbers_mixed_with_lists' }, 'Mélange de nombres et de listes : écrivez un vecteur [a; b] ou une matrice [[a; b]; [c; d]].', 'Numbers mixed with lists: write a vector [a, b] or a matrix [[a, b], [c, d]].']],
	empty_list: [[{ code: 'empty_list', text: '[]' }, 'Liste vide « [] ».', 'Empty list "[]".']],
	unexpected_end: [
		[{ code: 'unexpected_end', after: null }, 'Fin inattendue.', 'Unexpected end.'],
		[{ code: 'unexpected_end', after: '+' }, 'Fin inattendue après « + ».', 'Unexpected end after "+".']
	],
	unexpected: [[{ code: 'unexpected', text: ')' }, '« ) » inattendu ici (opérateur ou séparateur manquant ?).', 'Unexpected ")" here (missing operator or separator?).']],
	parenthesis_expected: [[{ code: 'parenthesis_expected', name: 'exp' }, '« ( » attendu après « exp ».', '"(" expected after "exp".']],
	list_in_computation: [[{ code: 'list_in_computation' }, 'Une liste « [ » ne peut pas figurer dans un calcul ni être imbriquée si profondément.', 'A list "[" cannot appear inside a computation or be nested that deeply.']],
	number_expected: [[{ code: 'number_expected', text: '*' }, 'Nombre ou expression attendu à la place de « * ».', 'Number or expression expected instead of "*".']],
	single_number_expected: [[{ code: 'single_number_expected' }, 'Un seul nombre est attendu.', 'A single number is expected.']],
	vector_not_matrix: [[{ code: 'vector_not_matrix' }, 'Un vecteur est attendu, pas une matrice.', 'A vector is expected, not a matrix.']],
	expression_empty: [[{ code: 'expression_empty' }, 'Expression vide.', 'Empty expression.']],
	expression_too_long: [[{ code: 'expression_too_long' }, 'Expression trop longue.', 'Expression too long.']],
	expression_too_deep: [[{ code: 'expression_too_deep' }, 'Expression trop imbriquée.', 'Expression nested too deeply.']],
	expression_too_complex: [[{ code: 'expression_too_complex' }, 'Expression trop complexe.', 'Expression too complex.']],
	expression_unreadable: [[{ code: 'expression_unreadable', detail: 'Unexpected end of expression (char 3)' }, 'Expression illisible (Unexpected end of expression (char 3)).', 'Unreadable expression (Unexpected end of expression (char 3)).']],
	only_numbers: [[{ code: 'only_numbers', text: '"x"' }, '« "x" » : seuls des nombres sont acceptés.', '""x"": only numbers are accepted.']],
	not_allowed: [[{ code: 'not_allowed', text: 'f(1)' }, "« f(1) » n'est pas autorisé.", '"f(1)" is not allowed.']],
	complex_result: [[{ code: 'complex_result', text: 'log(-1)' }, '« log(-1) » ne donne pas un nombre réel (résultat complexe).', '"log(-1)" does not give a real number (complex result).']],
	not_finite_result: [[{ code: 'not_finite_result', text: '1/0' }, '« 1/0 » ne donne pas un nombre fini.', '"1/0" does not give a finite number.']]
};

const CODES = Object.keys(UNREADABLE_REASONS) as UnreadableCode[];
const rows = CODES.flatMap((code) => CASES[code].map(([why, fr, en]) => ({ code, why: why as Unreadable, fr, en })));

describe('why an answer cannot be read, written in the reader’s language', () => {
	it('has a case for every code', () => {
		expect(new Set(rows.map((r) => r.code))).toEqual(new Set(CODES));
	});

	it.each(rows)('$code in French: $fr', ({ why, fr }) => {
		expect(unreadableText(why, 'fr')).toBe(fr);
	});

	it.each(rows)('$code in English: $en', ({ why, en }) => {
		expect(unreadableText(why, 'en')).toBe(en);
	});

	// [what the student typed, the kind expected, the French and English the page shows]
	it.each([
		['0,5 + x', 'number', "« x » n'est pas autorisé ; seuls e, pi (π), exp, log = ln, sqrt, tanh, sigmoid (σ), relu le sont.", '"x" is not allowed; only e, pi (π), exp, log = ln, sqrt, tanh, sigmoid (σ), relu are.'],
		['(1 + 2', 'number', '« ) » attendu pour fermer « ( », trouvé la fin.', '")" expected to close "(", found the end.'],
		['[[1, 2], [3]]', 'matrix', 'La ligne 2 a 1 coefficient(s), la première en a 2.', 'Row 2 has 1 entry, the first has 2.'],
		['1 2\n3', 'matrix', 'La ligne 2 a 1 coefficient(s), la première en a 2.', 'Row 2 has 1 entry, the first has 2.'],
		['0,5, 0,25', 'number', 'Virgule « , » isolée : la virgule est ici un séparateur décimal (0,5) ; séparez les coefficients par « ; ».', 'Stray comma ",": here the comma is a decimal separator (0,5); separate entries with ";".'],
		['9'.repeat(2001), 'number', 'Réponse trop longue (plus de 2000 caractères).', 'Answer too long (more than 2000 characters).']
	] as const)('what the parser says of %j (a %s)', (input, kind, fr, en) => {
		const r = parseAnswer(input, kind);
		if (r.ok) throw new Error(`${input} was read`);
		expect(r.reason).toBe(UNREADABLE_REASONS[r.why.code]);
		expect(unreadableText(r.why, 'fr')).toBe(fr);
		expect(unreadableText(r.why, 'en')).toBe(en);
	});
});

describe('an unreadable answer in a stored report', () => {
	it('reads the explanation stored before the parser gave codes, in both languages', () => {
		const stored = [{ code: 'unreadable', reason: 'not-allowed', explanation: { fr: 'Caractère « # » non autorisé.', en: 'Character "#" is not allowed.' } }];
		const message = readMessage(JSON.parse(JSON.stringify(stored)));
		expect(feedbackText(message, 'fr')).toBe('Caractère « # » non autorisé.');
		expect(feedbackText(message, 'en')).toBe('Character "#" is not allowed.');
	});

	it('keeps today’s code and its parameters through a JSON round trip', () => {
		const message = [{ code: 'unreadable', reason: 'shape', why: { code: 'row_length', row: 2, entries: 1, first: 2 } }] as const;
		expect(readMessage(JSON.parse(JSON.stringify(message)))).toEqual(message);
	});
});
