import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssignment, type AssignmentForm } from '../../../src/lib/server/assignments';
import { openSqliteStorage } from '../../../src/lib/server/db/sqlite';
import type { Storage } from '../../../src/lib/server/storage';
import { PROJECT_ROOT } from '../../helpers';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-create-'));
let storage: Storage;
let teacherId: number;
beforeAll(async () => {
	storage = await openSqliteStorage(join(dir, 'stepwise.db'));
	teacherId = (await storage.createTeacher('create@univ.fr', 'C', 'h')).id;
});
afterAll(async () => {
	await storage.close();
	rmSync(dir, { recursive: true, force: true });
});

const form = (changes: Partial<AssignmentForm>): AssignmentForm => ({
	title: 'TD 3',
	exerciseIds: ['backprop-221'],
	uploads: [],
	opensAt: 1_000,
	closesAt: 2_000,
	attempts: 2,
	carryForward: true,
	feedback: 'after_close',
	...changes
});
const own = readFileSync(join(PROJECT_ROOT, 'exercises/conv-output-size.yaml'), 'utf8').replace('id: conv-output-size', 'id: my-conv');

describe('creating an assignment', () => {
	it('keeps the library exercise and an uploaded one, in order, with their texts', async () => {
		const created = await createAssignment(storage, teacherId, form({ uploads: [{ name: 'my-conv.yaml', text: own }] }));
		if (!created.ok) throw new Error(created.errors.join('\n'));
		expect(created.assignment.exercises.map((e) => e.exerciseId)).toEqual(['backprop-221', 'my-conv']);
		expect(created.assignment.exercises[1].source).toBe(own);
	});

	it.each([
		['a malformed upload, with its line', form({ uploads: [{ name: 'broken.yaml', text: own.replace('layer: 1', 'layer: [1') }] }), /^broken\.yaml:\d+: /],
		['an upload with a malformed question', form({ uploads: [{ name: 'my-conv.yaml', text: own.replace('ask: param_count', 'ask: "dW[4]"\n    step: 1') }] }), /my-conv\.yaml:\d+: questions\[1\]\.layer: only for the facts/],
		['an exercise the library lacks', form({ exerciseIds: ['no-such'] }), /"no-such" is not in the library/],
		['no exercise at all', form({ exerciseIds: [] }), /choose at least one exercise/],
		['a close before the opening', form({ closesAt: 500 }), /must close after it opens/],
		['no attempt allowed', form({ attempts: 0 }), /attempts: a whole number from 1 to 20/],
		['an empty title', form({ title: '  ' }), /title: between 1 and 200 characters/]
	])('refuses %s and stores nothing', async (_, input, message) => {
		const before = (await storage.assignmentsOf(teacherId)).length;
		const created = await createAssignment(storage, teacherId, input);
		expect(created.ok).toBe(false);
		if (!created.ok) expect(created.errors.some((e) => message.test(e)), created.errors.join('\n')).toBe(true);
		expect((await storage.assignmentsOf(teacherId)).length).toBe(before);
	});
});
