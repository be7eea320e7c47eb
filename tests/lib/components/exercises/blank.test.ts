import { describe, expect, it } from 'vitest';
import { blankQuestions } from '../../../../src/lib/components/exercises/blank';

const questions = [{ id: 'z1' }, { id: 'a2' }, { id: 'why' }];

describe('the questions a submission leaves blank', () => {
	it.each<{ case: string; fields: Record<string, string>; blank: string[] }>([
		{ case: 'nothing typed', fields: {}, blank: ['z1', 'a2', 'why'] },
		{ case: 'a number and a choice', fields: { 'q:z1': '0,5', 'q:a2': '', 'q:why': 'B' }, blank: ['a2'] },
		{ case: 'spaces only', fields: { 'q:z1': '  ', 'q:a2': '\t', 'q:why': 'A' }, blank: ['z1', 'a2'] },
		{ case: 'one cell of a grid is enough', fields: { 'q:z1:0:0': '', 'q:z1:1:0': '2', 'q:a2': '1' }, blank: ['why'] },
		{ case: 'an empty grid', fields: { 'q:z1:0:0': '', 'q:z1:0:1': ' ', 'q:a2': '1', 'q:why': 'C' }, blank: ['z1'] },
		{ case: 'a pasted matrix', fields: { 'q:z1': '1\t2\n3\t4', 'q:z1:0:0': '', 'q:a2': '1', 'q:why': 'C' }, blank: [] },
		{ case: 'a field of no question', fields: { key: 'abc', 'q:a2': '1', 'q:why': 'A' }, blank: ['z1'] }
	])('$case', ({ fields, blank }) => {
		expect(blankQuestions(questions, fields)).toEqual(blank);
	});
});
