import { describe, expect, it } from 'vitest';
import { besideVerdict, FEEDBACK_CODES, givesExpected, readMessage, type FeedbackCode, type FeedbackPart } from '../../../src/lib/exercises/feedback-message';
import { feedbackText, partText } from '../../../src/lib/exercises/feedback-text';

const halfForgotten = {
	code: 'half-forgotten',
	title: { fr: 'Le facteur ½ oublié', en: 'The factor ½ forgotten' },
	explanation: { fr: 'Le cours dérive $\\frac{1}{2}(a - y)^2$.', en: 'The course differentiates $\\frac{1}{2}(a - y)^2$.' }
};

/**
 * One case per code, each written out by hand in both languages: the table is keyed by code, so
 * a code added to the union without its case here fails to compile.
 */
const CASES: { [C in FeedbackCode]: [Extract<FeedbackPart, { code: C }>, string, string][] } = {
	right: [[{ code: 'right' }, 'Juste.', 'Right.']],
	wrong: [[{ code: 'wrong' }, 'Faux.', 'Wrong.']],
	partly_right: [
		[{ code: 'partly_right', cells: [[2]] }, 'En partie juste : faux en 2.', 'Partly right: wrong at 2.'],
		[{ code: 'partly_right', cells: [[1, 2], [3, 1]] }, 'En partie juste : faux en (1, 2), (3, 1).', 'Partly right: wrong at (1, 2), (3, 1).']
	],
	give_decimals: [[{ code: 'give_decimals', decimals: 4 }, 'Donnez 4 décimales.', 'Give 4 decimals.']],
	give_significant: [[{ code: 'give_significant', digits: 3 }, 'Donnez 3 chiffres significatifs.', 'Give 3 significant digits.']],
	give_more_digits: [[{ code: 'give_more_digits' }, 'Donnez plus de chiffres.', 'Give more digits.']],
	expected_value: [
		[{ code: 'expected_value', value: 0.5 }, 'Attendu : 0,5.', 'Expected: 0.5.'],
		[{ code: 'expected_value', value: -0.1234567 }, 'Attendu : -0,123457.', 'Expected: -0.123457.'],
		[{ code: 'expected_value', value: [[0.25, -1.5]] }, 'Attendu : [0,25 ; -1,5].', 'Expected: [0.25, -1.5].'],
		[{ code: 'expected_value', value: [[1, 0.5], [2, 3]] }, 'Attendu : [[1 ; 0,5] ; [2 ; 3]].', 'Expected: [[1, 0.5], [2, 3]].']
	],
	expected_shape: [
		[{ code: 'expected_shape', expected: [1, 2], answer: [3] }, 'Attendu : un vecteur de 2 coefficients ; votre réponse : un vecteur de 3 coefficients.', 'Expected a vector of 2 entries; your answer is a vector of 3 entries.'],
		[{ code: 'expected_shape', expected: [3, 3], answer: [] }, 'Attendu : une matrice 3 × 3 ; votre réponse : un nombre.', 'Expected a 3 × 3 matrix; your answer is a number.'],
		[{ code: 'expected_shape', expected: [2, 2], answer: null }, 'Attendu : une matrice 2 × 2 ; votre réponse : des lignes de longueurs différentes.', 'Expected a 2 × 2 matrix; your answer is rows of different lengths.']
	],
	right_in_other_layout: [
		[
			{ code: 'right_in_other_layout', expects: 'instance_columns', given: 'instance_rows' },
			'Juste, dans une autre disposition : l’exercice attend une colonne par instance ; votre réponse est la même valeur, écrite avec une ligne par instance.',
			'Right, in another layout: the exercise expects one column per instance; your answer is the same value, written with one row per instance.'
		]
	],
	other_layout: [
		[
			{ code: 'other_layout', expects: 'channels_first', given: 'channels_last' },
			'Autre disposition : l’exercice attend canaux × hauteur × largeur ; votre réponse a les bonnes valeurs, écrites avec hauteur × largeur × canaux.',
			'Another layout: the exercise expects channels × height × width; your answer has the right values, written with height × width × channels.'
		],
		[
			{ code: 'other_layout', expects: 'bias_column', given: 'bias_vector' },
			'Autre disposition : l’exercice attend le biais en colonne n × 1 ; votre réponse a les bonnes valeurs, écrites avec le biais en vecteur.',
			'Another layout: the exercise expects the bias as an n × 1 column; your answer has the right values, written with the bias as a vector.'
		]
	],
	carried_forward: [
		[
			{ code: 'carried_forward', from: 'a^{[1]}_{2}', symbol: '\\delta^{[1]}', fully: true, earnsMarks: true },
			'Votre $a^{[1]}_{2}$ est faux ; votre $\\delta^{[1]}$ est juste compte tenu de cette valeur. Les points sont accordés.',
			'Your $a^{[1]}_{2}$ is off; your $\\delta^{[1]}$ is right given it. The marks are given.'
		],
		[
			{ code: 'carried_forward', from: 'z', symbol: 'a', fully: false, earnsMarks: false, mistake: halfForgotten.title },
			'Votre $z$ est faux (le facteur ½ oublié) ; votre $a$ est en partie juste compte tenu de cette valeur. Pas de points pour autant.',
			'Your $z$ is off (the factor ½ forgotten); your $a$ is partly right given it. No marks for it, though.'
		]
	],
	mistake: [[{ code: 'mistake', mistake: halfForgotten }, 'Le facteur ½ oublié. Le cours dérive $\\frac{1}{2}(a - y)^2$.', 'The factor ½ forgotten. The course differentiates $\\frac{1}{2}(a - y)^2$.']],
	mistake_again: [
		[
			{ code: 'mistake_again', mistake: halfForgotten, on: '\\delta^{[2]}' },
			'Le facteur ½ oublié — de nouveau, sur votre propre $\\delta^{[2]}$. Le cours dérive $\\frac{1}{2}(a - y)^2$.',
			'The factor ½ forgotten — again, on your own $\\delta^{[2]}$. The course differentiates $\\frac{1}{2}(a - y)^2$.'
		]
	],
	several_mistakes: [
		[
			{ code: 'several_mistakes', titles: [halfForgotten.title, { fr: 'Padding oublié', en: 'Padding forgotten' }] },
			'Plusieurs erreurs donnent cette valeur : le facteur ½ oublié, ou padding oublié.',
			'Several mistakes give this value: the factor ½ forgotten, or padding forgotten.'
		]
	],
	no_answer: [[{ code: 'no_answer' }, 'Pas de réponse.', 'No answer.']],
	not_an_option: [[{ code: 'not_an_option', text: 'E', last: 'C' }, '« E » n\'est pas une option ; choisissez A à C.', '"E" is not an option; choose A to C.']],
	right_option: [[{ code: 'right_option', letter: 'B', option: { fr: 'La ReLU', en: 'The ReLU' } }, 'Faux : la bonne réponse est B (La ReLU).', 'Wrong: the right answer is B (The ReLU).']],
	unreadable: [[{ code: 'unreadable', reason: 'not-allowed', why: { code: 'character_not_allowed', character: '#' } }, 'Caractère « # » non autorisé.', 'Character "#" is not allowed.']],
	stored_sentence: [[{ code: 'stored_sentence', sentence: { fr: 'Faux. Attendu : 0,5.', en: 'Wrong. Expected: 0.5.' } }, 'Faux. Attendu : 0,5.', 'Wrong. Expected: 0.5.']]
};

const rows = FEEDBACK_CODES.flatMap((code) => CASES[code].map(([part, fr, en]) => ({ code, part: part as FeedbackPart, fr, en })));

describe('the feedback, written in the reader’s language', () => {
	it('has a case for every code', () => {
		expect(new Set(rows.map((r) => r.code))).toEqual(new Set(FEEDBACK_CODES));
	});

	it.each(rows)('$code in French: $fr', ({ part, fr }) => {
		expect(partText(part, 'fr')).toBe(fr);
	});

	it.each(rows)('$code in English: $en', ({ part, en }) => {
		expect(partText(part, 'en')).toBe(en);
	});

	it('writes a message part after part, the numbers in the locale’s own way', () => {
		const message: FeedbackPart[] = [{ code: 'wrong' }, { code: 'give_decimals', decimals: 2 }, { code: 'expected_value', value: 0.75 }];
		expect(feedbackText(message, 'fr')).toBe('Faux. Donnez 2 décimales. Attendu : 0,75.');
		expect(feedbackText(message, 'en')).toBe('Wrong. Give 2 decimals. Expected: 0.75.');
	});

	it('keeps numbers as numbers in the stored message, so JSON round trips change nothing', () => {
		const message: FeedbackPart[] = [{ code: 'expected_value', value: [[0.1, 0.2]] }];
		expect(readMessage(JSON.parse(JSON.stringify(message)))).toEqual(message);
	});
});

describe('a message read back from a stored report', () => {
	it('reads a sentence stored before codes, in both languages', () => {
		const message = readMessage({ fr: 'Faux. Attendu : 0,5.', en: 'Wrong. Expected: 0.5.' });
		expect(feedbackText(message, 'fr')).toBe('Faux. Attendu : 0,5.');
		expect(feedbackText(message, 'en')).toBe('Wrong. Expected: 0.5.');
	});

	it.each([
		['a code of a newer version, left out', [{ code: 'from_the_future' }, { code: 'wrong' }], [{ code: 'wrong' }]],
		['nothing readable', 42, []],
		['no message', undefined, []],
		['half a sentence', { fr: 'Faux.' }, []]
	])('%s', (_, stored, expected) => {
		expect(readMessage(stored)).toEqual(expected);
	});
});

describe('what a page decides from the codes', () => {
	it.each([
		[[{ code: 'wrong' }, { code: 'expected_value', value: 1 }], true],
		[[{ code: 'expected_shape', expected: [2], answer: [3] }], true],
		[[{ code: 'wrong' }], false],
		[[{ code: 'carried_forward', from: 'z', symbol: 'a', fully: true, earnsMarks: true }], false]
	] satisfies [FeedbackPart[], boolean][])('%j gives the expected value: %s', (message, gives) => {
		expect(givesExpected(message)).toBe(gives);
	});

	it.each([
		[[{ code: 'right' }], []],
		[[{ code: 'no_answer' }], []],
		[[{ code: 'wrong' }, { code: 'give_more_digits' }], [{ code: 'give_more_digits' }]],
		[[{ code: 'partly_right', cells: [[2]] }], [{ code: 'partly_right', cells: [[2]] }]],
		[[{ code: 'mistake', mistake: halfForgotten }], [{ code: 'mistake', mistake: halfForgotten }]]
	] satisfies [FeedbackPart[], FeedbackPart[]][])('%j beside its verdict: %j', (message, beside) => {
		expect(besideVerdict(message)).toEqual(beside);
	});
});
