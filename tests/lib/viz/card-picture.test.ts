import { describe, expect, it } from 'vitest';
import { getLesson, listLessons } from '../../../src/lib/lessons';
import { listExercises } from '../../../src/lib/server/exercise-library';
import { CARD_WIDTH, cardPicture, cardSubject } from '../../../src/lib/viz/card-picture';

function scenarioOf(id: string): unknown {
	const lesson = getLesson(id);
	if (!lesson) throw new Error(`no lesson ${id}`);
	return lesson.scenario;
}

describe('what a card shows', () => {
	it("draws a CNN's stages with their declared sizes", () => {
		expect(cardSubject(scenarioOf('cnn-bars'))).toEqual({
			kind: 'layers',
			blocks: [
				{ kind: 'maps', channels: 1, height: 6, width: 6, label: '6×6' },
				{ kind: 'maps', channels: 2, height: 4, width: 4, label: '2×4×4' },
				{ kind: 'maps', channels: 2, height: 2, width: 2, label: '2×2×2' },
				{ kind: 'units', count: 8, label: '8' },
				{ kind: 'units', count: 1, label: '1' }
			]
		});
	});

	it("draws an MLP's layer sizes", () => {
		expect(cardSubject(scenarioOf('backprop-332'))).toEqual({
			kind: 'layers',
			blocks: [
				{ kind: 'units', count: 3, label: '3' },
				{ kind: 'units', count: 3, label: '3' },
				{ kind: 'units', count: 2, label: '2' }
			]
		});
	});

	it("draws a perceptron's data, one class blue and one orange: AND has one positive point", () => {
		const subject = cardSubject(scenarioOf('perceptron-and'));
		expect(subject?.kind).toBe('points');
		if (subject?.kind !== 'points') return;
		const positives = subject.points.filter((p) => p.positive);
		expect(positives.map((p) => [p.x, p.y])).toEqual([[1, 1]]);
		expect(subject.points.length).toBe(4);
	});

	it('draws a perceptron on three inputs as its inputs and its unit', () => {
		expect(cardSubject({ perceptron: { w: [0.5, 1, -0.5], b: null, threshold: 1 }, data: { X: [[2, 1, 3]], Y: [[1]] }, training: { epochs: 1 } })).toEqual({
			kind: 'layers',
			blocks: [
				{ kind: 'units', count: 3, label: '3' },
				{ kind: 'units', count: 1, label: '1' }
			]
		});
	});

	it.each([null, 'text', { model: { input: 2, layers: [{ type: 'nonsense' }] } }, { model: { input: [1, 2, 2], layers: [{ type: 'conv2d', filters: 1, kernel: 5 }] } }])('draws nothing for %j', (scenario) => {
		expect(cardPicture(scenario)).toBeNull();
	});
});

describe('every card of the libraries', () => {
	const scenarios = [...listLessons().map((l) => [`lesson ${l.id}`, l.scenario] as const), ...listExercises().map((e) => [`exercise ${e.id}`, e.scenario] as const)];

	it.each(scenarios)('%s has a picture that fits a phone card at full size', (_, scenario) => {
		const picture = cardPicture(scenario);
		expect(picture).not.toBeNull();
		expect(picture?.width).toBeLessThanOrEqual(CARD_WIDTH);
	});

	it('labels a long network at its ends at least', () => {
		const picture = cardPicture(scenarioOf('cnn-regression-9x9x3'));
		if (picture?.kind !== 'layers') throw new Error('expected layers');
		const labels = picture.blocks.map((b) => b.label?.text ?? null);
		expect(labels[0]).toBe('3×9×9');
		expect(labels[labels.length - 1]).toBe('1');
	});
});
