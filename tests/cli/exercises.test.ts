import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers';
import { cli, scratch } from './cli';

const { dir, file } = scratch('stepwise-exercises-');

describe('stepwise check', { timeout: 60_000 }, () => {
	it('passes on the whole library folder, in which every mistake of the catalogue can occur', () => {
		const result = cli('check', 'exercises/');
		const lines = result.stdout.trim().split('\n');
		expect(lines.pop()).toMatch(/^check: (\d+) files, \1 ok, 0 with issues$/);
		expect(lines.pop()).toBe('every mistake of the catalogue can occur in these exercises');
		expect(result.status).toBe(0);
	});

	it('names, after the files, the mistakes none of the exercises that passed can exercise: a report, not a failure', () => {
		const library = (id: string): string => readFileSync(join(PROJECT_ROOT, `exercises/${id}.yaml`), 'utf8');
		const square = file('backprop-two-outputs.yaml', library('backprop-two-outputs'));
		const broken = file('broken-221.yaml', library('backprop-221').replace('ask: "dZ[1]"', 'ask: "dZ[3]"').replace('id: backprop-221', 'id: broken-221'));
		const one = cli('check', 'exercises/backprop-221.yaml');
		expect(one.status).toBe(0);
		const lines = one.stdout.trim().split('\n');
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatch(/^exercises\/backprop-221\.yaml: ok \(50 variants/);
		expect(lines[1]).toMatch(/^mistakes no exercise can exercise: [a-z-]+(, [a-z-]+)*$/);
		expect(lines[1]).toContain('w-not-transposed');
		expect(lines[1]).toContain('kernel-flipped');
		expect(lines[1]).not.toContain('half-forgotten');
		expect(lines[2]).toBe('check: 1 file, 1 ok, 0 with issues');
		// the 2-2-2 network's hidden dA goes through a square W[2]; a file with issues counts for nothing
		const two = cli('check', 'exercises/backprop-221.yaml', square, broken);
		expect(two.status).toBe(1);
		const report = two.stdout.trim().split('\n').slice(-2);
		expect(report[0]).toMatch(/^mistakes no exercise can exercise: /);
		expect(report[0]).not.toContain('w-not-transposed');
		expect(report[1]).toBe('check: 3 files, 2 ok, 1 with issues');
	});

	it('names the file, the line and the path of what is wrong, and exits 1', () => {
		const text = readFileSync(join(PROJECT_ROOT, 'exercises/backprop-221.yaml'), 'utf8').replace('ask: "dZ[1]"', 'ask: "dZ[3]"').replace('id: backprop-221', 'id: broken');
		const broken = file('broken.yaml', text);
		const result = cli('check', broken);
		expect(result.status).toBe(1);
		expect(result.stdout).toMatch(new RegExp(`${broken}:\\d+: questions\\[4\\]\\.ask: no event dZ\\[3\\] at step 1; the model has 2 layers`));
		expect(result.stdout).toContain('check: 1 file, 0 ok, 1 with issues');
		expect(result.stdout).not.toContain('mistake');
	});

	it('checks lesson files too: their schema, their id and their course', () => {
		const result = cli('check', 'src/lib/lessons/library/');
		expect(result.stdout).toMatch(/conv-valid\.yaml: ok \(lesson\)/);
		expect(result.stdout.trim().split('\n').pop()).toMatch(/^check: (\d+) files, \1 ok, 0 with issues$/);
		// lessons are not exercises: no mistake report
		expect(result.stdout).not.toContain('mistake');
		const text = readFileSync(join(PROJECT_ROOT, 'src/lib/lessons/library/conv-valid.yaml'), 'utf8').replace('course: "001"', 'course: 001');
		const broken = file('conv-valid.yaml', text);
		const failed = cli('check', broken);
		expect(failed.status).toBe(1);
		expect(failed.stdout).toContain(`${broken}:5: course: names no course profile: expected one of "000", "001", "002", "003", "004", got 1; quote it ("001")`);
	});

	it('reports a file it cannot read', () => {
		const result = cli('check', join(dir, 'nothing.yaml'));
		expect(result.status).toBe(1);
		expect(result.stdout).toContain('no such file');
	});
});

describe('stepwise variant and grade', { timeout: 30_000 }, () => {
	it('prints the answer key by question id, the same for the same student', () => {
		const result = cli('variant', 'backprop-221', '--student', 'alice', '--key', '--json');
		expect(result.status).toBe(0);
		const key = JSON.parse(result.stdout) as Record<string, unknown>;
		expect(Object.keys(key)).toEqual(['z1', 'a1', 'a2', 'delta2', 'delta1', 'dw1', 'w2']);
		expect(cli('variant', 'backprop-221', '--student', 'alice', '--key', '--json').stdout).toBe(result.stdout);
		expect(cli('variant', 'backprop-221', '--student', 'bob', '--key', '--json').stdout).not.toBe(result.stdout);
	});

	it('prints the statement with the student’s numbers in French', () => {
		const result = cli('variant', 'exercises/backprop-221.yaml', '--student', 'alice', '--lang', 'fr');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('Rétropropagation sur un réseau 2-2-1 (backprop-221), étudiant alice');
		expect(result.stdout).toMatch(/W\[1\] = \[\[-?\d(,\d)? ; /);
		expect(result.stdout).not.toContain('{{');
	});

	it('grades the key itself as full marks, with exactly the report’s keys', () => {
		const key = JSON.parse(cli('variant', 'backprop-221', '--student', 'alice', '--key', '--json').stdout) as Record<string, unknown>;
		const answers = file('key.json', JSON.stringify(Object.fromEntries(Object.entries(key).map(([id, v]) => [id, JSON.stringify(v)]))));
		const result = cli('grade', 'backprop-221', '--student', 'alice', '--answers', answers);
		expect(result.status).toBe(0);
		const report = JSON.parse(result.stdout) as { points: number; max: number; questions: Record<string, unknown>[] };
		expect(Object.keys(report)).toEqual(['points', 'max', 'questions']);
		expect(report.points).toBe(report.max);
		for (const q of report.questions) expect(Object.keys(q)).toEqual(['id', 'verdict', 'points', 'max', 'message']);
	});

	it('names a diagnosed mistake in the report', () => {
		const key = JSON.parse(cli('variant', 'backprop-221', '--student', 'alice', '--key', '--json').stdout) as { delta2: number };
		const answers = file('half.json', JSON.stringify({ delta2: String(2 * key.delta2) }));
		const report = JSON.parse(cli('grade', 'backprop-221', '--student', 'alice', '--answers', answers).stdout) as { questions: Record<string, unknown>[] };
		expect(report.questions[3]).toMatchObject({ id: 'delta2', verdict: 'diagnosed', points: 0, diagnosis: { code: 'half-forgotten', entries: [[]] } });
		expect(report.questions[3].message).toMatch(/^The factor ½ forgotten\./);
	});

	it('grades what a student typed, in French', () => {
		const answers = file('typed.json', JSON.stringify({ z1: '0,1 ; 0,45', a1: 'sigmoïde' }));
		const report = JSON.parse(cli('grade', 'backprop-221', '--student', 'alice', '--answers', answers, '--lang', 'fr').stdout) as { questions: { id: string; verdict: string; message: string }[] };
		expect(report.questions[1]).toMatchObject({ id: 'a1', verdict: 'unreadable' });
		expect(report.questions[1].message).toContain('sigmoïde');
		expect(report.questions[2]).toMatchObject({ id: 'a2', verdict: 'missing', message: 'Pas de réponse.' });
	});

	it.each([
		['not JSON', '{"z1": ', /not JSON/],
		['a list', '["0.5"]', /expected an object of answers by question id/],
		['an unknown question', '{"q9": "1"}', /no question "q9" in backprop-221; its questions are z1, a1/],
		['an answer that is no string', '{"z1": {"x": 1}}', /expected the string the student typed/]
	])('refuses an answers file that is %s, and exits 1', (_, text, message) => {
		const result = cli('grade', 'backprop-221', '--student', 'alice', '--answers', file('bad.json', text));
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
	});

	it.each([
		[['grade', 'backprop-221', '--answers', 'x.json'], /grade needs --student ID/],
		[['grade', 'backprop-221', '--student', 'a'], /grade needs --answers FILE.json/],
		[['variant', 'backprop-221', '--student', 'a', '--lang', 'de'], /--lang: expected fr or en/],
		[['check'], /check needs exercise files or folders/]
	])('explains a wrong command line %j', (args, message) => {
		const result = cli(...args);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(message);
	});

	it('says when an exercise does not exist', () => {
		const result = cli('variant', 'no-such-exercise', '--student', 'a');
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('cannot read exercises/no-such-exercise.yaml: no such file');
	});
});
