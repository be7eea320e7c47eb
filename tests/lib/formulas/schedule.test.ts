import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { findEvent, run, type Trace } from '../../../src/lib/engine';
import { explain, plainWriting, type ElementFormula, type FormulaOptions } from '../../../src/lib/formulas';
import { PROFILES } from '../../../src/lib/profiles';

/*
 * The formulas of a learning rate that decays (the `lr` event: Keras's schedule with its numbers)
 * and of a frozen layer's update (kept, and said so), in the course's symbols.
 */

const options = (locale: 'fr' | 'en'): FormulaOptions => ({ profile: plainWriting('bracket'), digits: 4, locale });

/** Course 000's 2 → ×w → 6 behind a frozen ×1 layer; the rate decays by InverseTimeDecay or ExponentialDecay. */
function oneWeight(lr: Record<string, unknown>): Trace {
	return run({
		model: { input: 1, layers: [{ type: 'dense', units: 1, W: [[1]], b: [0], trainable: false }, { type: 'dense', units: 1, W: [[1]], b: [0] }] },
		loss: 'half_squared_error',
		optimizer: { type: 'sgd', lr },
		update: { weights: true, biases: false },
		data: { X: [[2]], Y: [[6]] },
		training: { epochs: 3 }
	});
}

function element(trace: Trace, step: number, name: string, opts: FormulaOptions): { caption: string; symbolic: string; element: ElementFormula } {
	const event = findEvent(trace, step, name);
	if (!event) throw new Error(`no ${name} at step ${step}`);
	const formula = explain(trace, event.seq, opts);
	const found = formula.element(event.value.shape.map(() => 0));
	if (!found) throw new Error(`no element of ${name}`);
	return { caption: formula.caption[opts.locale], symbolic: formula.symbolic, element: found };
}

describe('the learning rate of an update under a schedule', () => {
	it.each([
		{
			name: 'InverseTimeDecay',
			lr: { schedule: 'inverse_time', initial: 0.1, decay_rate: 0.5, decay_steps: 1 },
			symbolic: '\\eta_k = \\frac{\\eta_0}{1 + r\\, k / T}',
			substituted: '= \\frac{0.1}{1 + 0.5 \\cdot 2 / 1} = 0.05',
			keras: 'InverseTimeDecay, η₀ = 0.1, r = 0.5, T = 1'
		},
		{
			name: 'InverseTimeDecay in a staircase',
			lr: { schedule: 'inverse_time', initial: 0.1, decay_rate: 1, decay_steps: 2, staircase: true },
			symbolic: '\\eta_k = \\frac{\\eta_0}{1 + r\\, \\left\\lfloor k / T \\right\\rfloor}',
			substituted: '= \\frac{0.1}{1 + 1 \\cdot \\left\\lfloor 2 / 2 \\right\\rfloor} = 0.05',
			keras: 'InverseTimeDecay, η₀ = 0.1, r = 1, T = 2, staircase'
		},
		{
			name: 'ExponentialDecay',
			lr: { schedule: 'exponential', initial: 0.2, decay_rate: 0.5, decay_steps: 2 },
			symbolic: '\\eta_k = \\eta_0\\, r^{k / T}',
			substituted: '= 0.2 \\cdot 0.5^{2 / 2} = 0.1',
			keras: 'ExponentialDecay, η₀ = 0.2, r = 0.5, T = 2'
		}
	])('$name: the rate of update 3 (k = 2) with its numbers', ({ lr, symbolic, substituted, keras }) => {
		const { caption, element: e } = element(oneWeight(lr), 3, 'lr', options('en'));
		expect(caption).toBe(`Learning rate of update 3, k = 2 updates made before (${keras})`);
		expect(e.symbolic).toBe(symbolic);
		expect(e.substituted).toBe(substituted);
		expect(evaluate(e.expression)).toBeCloseTo(e.value, 15);
	});

	it('the first update uses η₀: k = 0', () => {
		const { caption, element: e } = element(oneWeight({ schedule: 'inverse_time', initial: 0.1, decay_rate: 0.5, decay_steps: 1 }), 1, 'lr', options('fr'));
		expect(caption).toBe("Taux d'apprentissage de la mise à jour 1, k = 0 mise à jour déjà faite (InverseTimeDecay, η₀ = 0,1, r = 0,5, T = 1)");
		expect(e.value).toBe(0.1);
	});

	it('the update writes η_k, reads the lr event and puts its value in', () => {
		const trace = oneWeight({ schedule: 'inverse_time', initial: 0.1, decay_rate: 0.5, decay_steps: 1 });
		const { caption, element: e } = element(trace, 3, 'W[2]', options('en'));
		expect(caption).toBe('Gradient descent on the weights of layer 2 (ηₖ = 0.05, k = 2)');
		expect(e.symbolic).toContain('- \\eta_k \\frac{\\partial J}');
		expect(e.substituted).toMatch(/^= [\d.]+ - 0\.05 \\cdot/);
		expect(e.reads.map((r) => `${r.name}@${r.step}`)).toContain('lr@3');
	});

	it('in course 002’s words the rate is α: α_k = α₀ / (1 + r k/T)', () => {
		const trace = oneWeight({ schedule: 'inverse_time', initial: 0.1, decay_rate: 0.5, decay_steps: 1 });
		const { caption, element: e } = element(trace, 2, 'lr', { profile: PROFILES['002'], digits: 4, locale: 'fr' });
		expect(e.symbolic).toBe('\\alpha_k = \\frac{\\alpha_0}{1 + r\\, k / T}');
		expect(caption).toContain('α₀ = 0,1');
	});
});

describe('a frozen layer’s update', () => {
	it.each([
		{ locale: 'en' as const, caption: 'Layer 1 is frozen (trainable: false): its pre-trained weights are not updated, and no gradient is computed for them', note: 'frozen layer: trainable is false' },
		{ locale: 'fr' as const, caption: "Couche 1 gelée (trainable: false) : ses poids pré-entraînés ne sont pas mis à jour, et aucun gradient n'est calculé pour eux", note: 'couche gelée : trainable est false' }
	])('says it is kept, and why ($locale)', ({ locale, caption, note }) => {
		const trace = oneWeight({ schedule: 'inverse_time', initial: 0.1, decay_rate: 0.5, decay_steps: 1 });
		const found = element(trace, 2, 'W[1]', options(locale));
		expect(found.caption).toBe(caption);
		expect(found.symbolic).toBe('W^{[1]} \\leftarrow W^{[1]}');
		expect(found.element.symbolic).toContain(note);
		expect(found.element.value).toBe(1);
	});
});
