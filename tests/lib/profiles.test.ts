import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdownInline } from '../../src/lib/components/markdown';
import { validateScenario } from '../../src/lib/engine';
import { checkExerciseText } from '../../src/lib/exercises/check';
import { listLessons } from '../../src/lib/lessons';
import { CONVENTIONS, isProfileId, PROFILE_IDS, PROFILES, profileOf } from '../../src/lib/profiles';
import { PROJECT_ROOT } from '../helpers';

describe('course profiles', () => {
	it.each(PROFILE_IDS)('%s is declared under its own id, with a title in both languages', (id) => {
		expect(PROFILES[id].id).toBe(id);
		expect(PROFILES[id].title.fr).not.toBe('');
		expect(PROFILES[id].title.en).not.toBe('');
	});

	it.each(PROFILE_IDS.flatMap((id) => Object.entries(PROFILES[id].reasons).map(([convention, reason]) => [id, convention, reason] as const)))(
		'%s gives its reason for %s in both languages, typeset without error',
		(_, convention, reason) => {
			expect(CONVENTIONS).toContain(convention);
			for (const text of [reason.fr, reason.en]) expect(renderMarkdownInline(text)).not.toContain('katex-error');
		}
	);

	it.each([
		['003', { instances: 'columns', bias: 'column' }, 1],
		['004', { instances: 'rows', bias: 'vector' }, 0],
		['001', { channels: 'last' }, 0]
	] as const)('%s writes tensors as the course does', (id, layout, reluAtZero) => {
		expect(PROFILES[id].layout).toMatchObject(layout);
		expect(PROFILES[id].reluDerivativeAtZero).toBe(reluAtZero);
	});

	it('numbers 004’s input as layer 1, and updates no bias there, as its worked example does', () => {
		expect(PROFILES['004']).toMatchObject({ inputLayer: 1, updateBiases: false, notation: 'paren' });
	});

	it('takes a lesson without a course to the neutral profile, and knows its ids', () => {
		expect(profileOf(undefined).id).toBe('neutral');
		expect(profileOf('002').symbols.bias).toBe('w0');
		expect(isProfileId('003')).toBe(true);
		expect(isProfileId('005')).toBe(false);
	});
});

/**
 * What a course computes differently is written in each of its files' scenarios (update.biases,
 * conventions.relu_derivative_at_zero), not applied from the profile at run time: a file runs the
 * same in the app, in `stepwise trace` and in an answer key. This checks that every lesson and
 * every exercise that names its course agrees with that course's profile where it matters: the
 * bias updates of a training run, ReLU′(0) of a network with a ReLU.
 */
describe('lessons and exercises compute with their course’s conventions', () => {
	/** Files that update their biases, or hold them, for a reason of their own, whatever their course does. */
	const OWN_BIAS_UPDATE: Record<string, string> = {
		'backprop-composition': 'course 000’s composition 2 → 3x → 6 → x² → 36 has weights and no biases: b is held at 0',
		'backprop-composition-course-000': 'course 000’s composition 2 → 3x → 6 → x² → 36 has weights and no biases: b is held at 0',
		'gradient-descent-one-weight': 'one weight alone: b is held at 0 so that the cost is a function of w only',
		'gd-one-weight': 'one weight alone: b is held at 0 so that the cost is a function of w only',
		'optimizers-compare': 'the one-weight example of gradient-descent-one-weight: b is held at 0 so that the optimizers move w only',
		'learning-rate-decay': 'the one-weight example of gradient-descent-one-weight: b is held at 0 so that the decaying rate moves w only',
		'gradient-descent-local-minimum': 'a cost of one weight: b is held at 1 so that the non-convex cost is a curve of w alone',
		'gd-local-minimum-course-001': 'a cost of one weight: b is held at 1 so that the non-convex cost is a curve of w alone',
		'evaluation-accuracy-course-001': 'a neuron evaluated, not trained: nothing is updated',
		'evaluation-mae-mse-course-001': 'a neuron evaluated, not trained: nothing is updated',
		'evaluation-early-stopping': 'course 004’s regularisation section trains as Keras does (its § Régularisation names Keras’s callbacks): the biases learn',
		'evaluation-weight-decay': 'course 004’s regularisation section trains as Keras does: the biases learn, unpenalised, beside the decayed weights',
		'evaluation-early-stopping-course-004': 'the network of evaluation-early-stopping, trained as Keras does: the biases learn',
		'evaluation-weight-decay-course-004': 'weight decay as Keras applies it: the bias learns, unpenalised, beside the decayed weight',
		'mlp-shuffled-pixels-004': 'course 004’s shuffled pixels argued on a network trained as Keras trains it: the biases learn'
	};

	const exercisesDir = join(PROJECT_ROOT, 'exercises');
	const exercises = readdirSync(exercisesDir)
		.filter((f) => f.endsWith('.yaml'))
		.map((f) => {
			const checked = checkExerciseText(readFileSync(join(exercisesDir, f), 'utf8'), f);
			if (!checked.ok || !checked.exercise) throw new Error(`${f}: ${JSON.stringify(checked.issues)}`);
			return checked.exercise;
		});
	const files = [
		...listLessons().map((l) => ({ kind: 'lesson', id: l.id, course: l.course, scenario: validateScenario(l.scenario) })),
		// an exercise on the model's facts alone (sizes, counts) has no data to run
		...exercises.flatMap((e) => (e.course && e.scenario.data !== undefined ? [{ kind: 'exercise', id: e.id, course: e.course, scenario: validateScenario(e.scenario) }] : []))
	];
	const networks = files.flatMap((f) => (f.scenario.kind === 'network' ? [{ ...f, scenario: f.scenario }] : []));
	const training = networks.filter((f) => f.scenario.loss !== null && !(f.id in OWN_BIAS_UPDATE));
	const withRelu = networks.filter((f) => f.scenario.plans.some((p) => (p.type === 'dense' || p.type === 'conv2d') && p.activation === 'relu'));

	it('checks the files where the courses differ: 003’s ReLU, 004’s worked example', () => {
		expect(withRelu.map((f) => f.id)).toContain('activation-relu');
		expect(training.map((f) => f.id)).toContain('backprop-deltas');
	});

	it.each(training.map((f) => [`${f.kind} ${f.id}`, f] as const))('%s updates its biases as its course does', (_, f) => {
		expect(f.scenario.update.biases, `course ${f.course}: write update: { biases: ${PROFILES[f.course].updateBiases} }`).toBe(PROFILES[f.course].updateBiases);
	});

	it.each(withRelu.map((f) => [`${f.kind} ${f.id}`, f] as const))('%s takes its course’s ReLU′(0)', (_, f) => {
		const expected = PROFILES[f.course].reluDerivativeAtZero;
		expect(f.scenario.conventions.reluDerivativeAtZero, `course ${f.course}: write conventions: { relu_derivative_at_zero: ${expected} }`).toBe(expected);
	});

	it.each(Object.entries(OWN_BIAS_UPDATE))('%s, which departs from its course’s bias updates (%s), is a file of the library that does', (id) => {
		const found = networks.find((f) => f.id === id);
		expect(found, `${id} is no network of the library`).toBeDefined();
		if (found) expect(found.scenario.update.biases).not.toBe(PROFILES[found.course].updateBiases);
	});
});
