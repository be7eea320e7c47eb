import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/lib/components/markdown';
import { getExercise, listExercises } from '../../../src/lib/server/exercise-library';
import { drawVariant } from '../../../src/lib/exercises/variant';
import type { NestedNumbers } from '../../../src/lib/engine/tensor';
import { findEvent } from '../../../src/lib/engine/trace';
import { answersFromForm, checkPractice, listPractice, loadPractice, MAX_ANSWER_CHARS, questionLabels, readN } from '../../../src/lib/server/practice';

function flat(value: NestedNumbers): number[] {
	return typeof value === 'number' ? [value] : value.flatMap(flat);
}

function keyOf(id: string, n: number): number[] {
	const exercise = getExercise(id);
	if (!exercise) throw new Error(`no ${id}`);
	const drawn = drawVariant(exercise, `practice-${n}`);
	if (!drawn.ok) throw new Error(drawn.message);
	return drawn.variant.expected.flatMap((e) => (e?.ok ? flat(e.value) : []));
}

/** Every way the page data could spell a number: full precision, 4 and 6 decimals, both marks. */
function spellings(value: number): string[] {
	const texts = [String(value), value.toFixed(4), value.toFixed(6)].filter((t) => t.replace(/^-?0?\.?0*/, '').length >= 3);
	return texts.flatMap((t) => [t, t.replace('.', ','), t.replace('.', '{,}')]);
}

function expectStatus(run: () => unknown, status: number): void {
	try {
		run();
	} catch (e) {
		expect(isHttpError(e) && e.status).toBe(status);
		return;
	}
	throw new Error('expected an HTTP error');
}

describe('practice pages on the server', () => {
	it('lists the library by topic with question counts and points', () => {
		const groups = listPractice();
		const backprop = groups.find((g) => g.topic.id === 'backprop');
		expect(backprop?.topic.title.fr).toBe('Rétropropagation du gradient');
		expect(backprop?.exercises.find((e) => e.id === 'backprop-221')).toMatchObject({ questions: 7, points: 10 });
	});

	it('reads ?n= as a positive whole number, else 1', () => {
		expect([readN(null), readN('2'), readN('0'), readN('-3'), readN('1.5'), readN('abc'), readN('9999999')]).toEqual([1, 2, 1, 1, 1, 1, 1]);
	});

	it('gives page data that holds no expected value', () => {
		const data = loadPractice('backprop-221', 1);
		const text = JSON.stringify(data);
		for (const value of keyOf('backprop-221', 1)) {
			for (const spelling of spellings(value)) expect(text, `${spelling} is an expected value`).not.toContain(spelling);
		}
		expect(text).not.toContain('expected');
		expect(data.statement.fr).toContain('{,}');
		expect(data.fields.map((f) => f.id)).toEqual(['z1', 'a1', 'a2', 'delta2', 'delta1', 'dw1', 'w2']);
		expect(data.fields[1]).toMatchObject({ kind: 'value', symbol: 'A^{[1]}', input: { kind: 'grid', rows: 1, columns: 2 } });
		expect(data.fields[1].kind === 'value' && data.fields[1].cellSymbols[0][1]).toBe('a^{[1]}_{2}');
		expect(data.fields[6]).toMatchObject({ afterUpdate: 1, input: { kind: 'number' } });
		expect(data.sketch).toMatchObject({ kind: 'network', sizes: [2, 2, 1] });
	});

	it('draws other numbers for another practice number, the same for the same', () => {
		expect(loadPractice('backprop-221', 2).statement).not.toEqual(loadPractice('backprop-221', 1).statement);
		expect(loadPractice('backprop-221', 2).statement).toEqual(loadPractice('backprop-221', 2).statement);
	});

	it('answers 404 for an unknown exercise, on load and on check', async () => {
		expectStatus(() => loadPractice('no-such-exercise', 1), 404);
		await expect(checkPractice('no-such-exercise', 1, {})).rejects.toSatisfy((e) => isHttpError(e) && e.status === 404);
	});

	it('grades on check, with decimal commas, and links each question to the replay', async () => {
		const [z11, z12, a11, a12, a2, d2, d11, d12, dw, w2] = keyOf('backprop-221', 1);
		const comma = (v: number) => v.toFixed(5).replace('.', ',');
		const answers = {
			z1: `${comma(z11)}\t${comma(z12)}`,
			a1: `${comma(a11)}\t${comma(a12)}`,
			a2: comma(a2),
			delta2: comma(d2),
			delta1: `[${d11}, ${d12}]`,
			dw1: comma(dw),
			w2: String(w2 + 1)
		};
		const result = await checkPractice('backprop-221', 1, answers);
		if (!result.ok) throw new Error(result.message.en);
		expect(result.report.questions.map((q) => q.verdict)).toEqual(['right', 'right', 'right', 'right', 'right', 'right', 'wrong']);
		expect(result.report).toMatchObject({ points: 8, max: 10 });
		const last = result.report.questions[6];
		expect(last.expected).toBeCloseTo(w2, 10);
		expect(last.formula?.fr.substituted).toContain('{,}');
		// the number answered wrong is lit on the replay
		expect(last.replay).toMatch(/^\/replay\?s=[\w-]+&at=\d+&i=0\.0&lit=0\.0&notation=bracket&from=[\w%.-]+$/);
		// and leads back to this question of the practice page
		expect(new URLSearchParams(last.replay?.split('?')[1]).get('from')).toBe(`/exercises/backprop-221#question-${last.id}`);
	});

	it('links a diagnosed answer to the replay with its wrong entries lit and its mistake beside the right run', async () => {
		const exercise = getExercise('backprop-221');
		const drawn = exercise && drawVariant(exercise, 'practice-1');
		if (!drawn?.ok) throw new Error('no variant');
		// δ[1] without σ′: the run's own ∂J/∂a[1]
		const dA1 = findEvent(drawn.variant.trace, 1, 'dA[1]')?.value.data;
		if (!dA1) throw new Error('no dA[1]');
		const result = await checkPractice('backprop-221', 1, { delta1: `${dA1[0]}\t${dA1[1]}` });
		if (!result.ok) throw new Error(result.message.en);
		const delta1 = result.report.questions.find((q) => q.id === 'delta1');
		expect(delta1).toMatchObject({ verdict: 'diagnosed', cells: [[0, 0], [0, 1]] });
		const query = new URLSearchParams(delta1?.replay?.split('?')[1]);
		expect(query.get('lit')).toBe('0.0_0.1');
		expect(query.get('i')).toBe('0.0');
		expect(query.get('mistake')).toBe('missing-activation-derivative');
		expect(Number(query.get('at'))).toBe(findEvent(drawn.variant.trace, 1, 'dZ[1]')?.seq);
		expect(query.get('from')).toBe('/exercises/backprop-221#question-delta1');
	});

	it('lays a course-003 matrix out one column per instance: its grid, its cells, and the replay’s entry', async () => {
		const field = loadPractice('mlp-forward-matrix', 1).fields[0];
		expect(field).toMatchObject({ id: 'z1', input: { kind: 'grid', rows: 3, columns: 2 } });
		// row j is unit j, column i instance i
		expect(field.kind === 'value' && field.cellSymbols[2][1]).toBe('z^{[1](2)}_{3}');
		const exercise = getExercise('mlp-forward-matrix');
		const drawn = exercise && drawVariant(exercise, 'practice-1');
		if (!drawn?.ok) throw new Error('no variant');
		const Z = findEvent(drawn.variant.trace, 1, 'Z[1]')?.value.data;
		if (!Z) throw new Error('no Z[1]');
		// one column per instance, instance 2's unit 3 off
		const columns = [0, 1, 2].map((j) => [Z[j], Z[3 + j] + (j === 2 ? 1 : 0)].join('\t')).join('\n');
		const result = await checkPractice('mlp-forward-matrix', 1, { z1: columns });
		if (!result.ok) throw new Error(result.message.en);
		const z1 = result.report.questions[0];
		expect(z1).toMatchObject({ verdict: 'partial', cells: [[2, 1]], wrong: [[2, 1]] });
		// the replay's entry is the engine's: instance 1 (0-based), unit 2
		expect(new URLSearchParams(z1.replay?.split('?')[1]).get('lit')).toBe('1.2');
	});

	it('writes a course-004 exercise in the course’s numbering, feedback and replay link included', async () => {
		const page = loadPractice('backprop-course-004', 1);
		// the sketch numbers the hidden layer 2, as the statement does
		expect(page.sketch).toMatchObject({ kind: 'network', sizes: [2, 2, 1], inputLayer: 1 });
		expect(loadPractice('backprop-221', 1).sketch).toMatchObject({ inputLayer: 0 });
		const field = page.fields.find((f) => f.id === 'w2-21');
		// the hints and the statement say w^{(2)}_{21}: so do the field and the feedback
		expect(field?.kind === 'value' && field.symbol).toBe('w^{(2)}_{21}');
		const result = await checkPractice('backprop-course-004', 1, { 'w2-21': '0' });
		if (!result.ok) throw new Error(result.message.en);
		const report = result.report.questions.find((q) => q.id === 'w2-21');
		expect(report?.formula?.en.symbolic).toMatch(/^w\^\{\(2\)\}_\{21\} \\leftarrow w\^\{\(2\)\}_\{21\} - \\eta/);
		const query = new URLSearchParams(report?.replay?.split('?')[1]);
		expect(query.get('profile')).toBe('004');
		expect(query.get('notation')).toBeNull();
	});

	it('marks the wrong cells of a grid answer as rows and columns', async () => {
		const [, , a11, a12] = keyOf('backprop-221', 1);
		const result = await checkPractice('backprop-221', 1, { a1: `${a11}\t${a12 + 0.1}` });
		if (!result.ok) throw new Error(result.message.en);
		expect(result.report.questions[1]).toMatchObject({ verdict: 'partial', cells: [[0, 1]] });
		expect(result.report.questions[0].verdict).toBe('missing');
	});

	it('refuses answers that are too long or too many with a message, not a crash', async () => {
		const long = await checkPractice('backprop-221', 1, { z1: '1'.repeat(MAX_ANSWER_CHARS + 1) });
		expect(long).toMatchObject({ ok: false, message: { en: expect.stringContaining('2000 characters') } });
		const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`q${i}`, '1']));
		expect(await checkPractice('backprop-221', 1, many)).toMatchObject({ ok: false, message: { fr: expect.stringContaining('50 réponses') } });
		const form = new FormData();
		for (let i = 0; i < 51; i++) form.append(`q:q${i}`, '1');
		expect(answersFromForm(form)).toMatchObject({ ok: false });
		const huge = new FormData();
		huge.append('q:z1', 'x'.repeat(5000));
		expect(answersFromForm(huge)).toMatchObject({ ok: false, message: { en: expect.stringContaining('longer than') } });
	});

	it.each([
		['\u0000', 400, 'U+0000'],
		['\u007f', 400, 'U+007F'],
		['\u0085', 400, 'U+0085'],
		['\t', null, null],
		['\r\n', null, null]
	])('answers holding %j: refused with 400 when the text rule says so', (typed, status, code) => {
		const form = new FormData();
		form.append('q:z1:0:0', `0,5${typed}`);
		const read = answersFromForm(form);
		if (status === null) expect(read).toMatchObject({ ok: true, fields: { 'q:z1:0:0': `0,5${typed}` } });
		else expect(read).toMatchObject({ ok: false, status, message: { en: expect.stringContaining(`(${code})`), fr: expect.stringContaining(`(${code})`) } });
	});

	it('joins grid cells as spreadsheet cells; a filled single field wins', () => {
		const form = new FormData();
		form.append('q:z1:0:0', '0,5');
		form.append('q:z1:0:1', ' -1,25 ');
		form.append('q:a1', '[[0.1, 0.2]]');
		form.append('q:a1:0:0', '9');
		form.append('q:a2:0:0', '');
		form.append('other', 'ignored');
		const read = answersFromForm(form);
		expect(read).toMatchObject({ ok: true, answers: { z1: '0,5\t-1,25', a1: '[[0.1, 0.2]]', a2: '' } });
	});
});

describe('statements', () => {
	/** The text a reader sees: KaTeX's own copy of the TeX (its annotation) left out. */
	const visible = (html: string): string => html.replace(/<annotation[\s\S]*?<\/annotation>/g, '');

	it.each(listExercises().map((e) => e.id))('%s: every statement typesets all its maths, display maths included, in both languages', (id) => {
		const data = loadPractice(id, 1);
		for (const locale of ['fr', 'en'] as const) {
			const html = renderMarkdown(data.statement[locale]);
			expect(visible(html), locale).not.toContain('$');
			expect(html, locale).not.toContain('katex-error');
			if (data.statement[locale].includes('$$')) expect(html, locale).toContain('katex-display');
		}
	});
});

describe('the gradebook’s column titles', () => {
	const exercise = getExercise('neuron-blood-count');
	if (!exercise) throw new Error('no neuron-blood-count');
	const labels = questionLabels(exercise);

	it('titles a value question by what it asks, in the course’s symbols', () => {
		expect(labels.z).toEqual({ tex: 'Z^{[1]}' });
	});

	it('titles a choice by its prompt, cut after about 40 characters but never inside a formula', () => {
		const label = labels.meaning;
		if (!label || !('text' in label)) throw new Error('no text label');
		for (const text of [label.text.fr, label.text.en]) {
			expect(text.length).toBeLessThan(80);
			expect((text.match(/\$/g) ?? []).length % 2).toBe(0);
		}
		expect(label.text.en).toBe('What does $h_w(x) = 0.9999$ mean for this …');
	});
});
