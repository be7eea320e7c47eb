import { decayProgress, KERAS_SCHEDULES } from '../engine/schedules';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import type { ElementRead } from './types';

/**
 * The learning rate an update of this step used: the `lr` event under a schedule, written η_k with
 * k the updates made before this one (Keras's `optimizer.iterations`, the trace's step − 1; a
 * letter apart from Adam's t, which counts this update too), the scenario's `lr` otherwise.
 */
export interface StepRate {
	value: number;
	/** η, or η_k under a schedule */
	tex: string;
	/** η = 0.1, or η_k = 0.05 with k = 2, in a caption */
	text: (locale: 'fr' | 'en') => string;
	reads: ElementRead[];
}

export function stepRate(ctx: Context): StepRate {
	const S = ctx.symbols;
	const { lr, schedule } = ctx.trace.setup;
	if (!schedule) return { value: lr, tex: S.learningRate, text: (locale) => `${S.text.learningRate} = ${ctx.text(lr, locale)}`, reads: [] };
	const value = ctx.tensor(ctx.step, 'lr').data[0];
	return {
		value,
		tex: `${S.learningRate}_k`,
		text: (locale) => `${S.text.learningRate}ₖ = ${ctx.text(value, locale)}, k = ${ctx.step - 1}`,
		reads: [read(ctx.step, 'lr', [])]
	};
}

/**
 * `lr`: the learning rate of this step's update under Keras's schedule, at k = step − 1 updates
 * made before it (Keras counts from 0, so the first update uses η₀).
 */
export function learningRateRule(ctx: Context): Rule {
	const schedule = ctx.trace.setup.schedule;
	if (!schedule) throw new Error('formulas: an lr event in a run without a schedule');
	const S = ctx.symbols;
	const k = ctx.step - 1;
	const eta = `${S.learningRate}_k`;
	const eta0 = `${S.learningRate}_0`;
	const ratio = schedule.staircase ? '\\left\\lfloor k / T \\right\\rfloor' : 'k / T';
	const p = decayProgress(schedule, k);
	const pNumbers = schedule.staircase ? `\\left\\lfloor ${k} / ${ctx.op(schedule.decaySteps)} \\right\\rfloor` : `${k} / ${ctx.op(schedule.decaySteps)}`;
	const pExpression = schedule.staircase ? `floor(${k}/${ctx.ex(schedule.decaySteps)})` : `${k}/${ctx.ex(schedule.decaySteps)}`;
	const forms = {
		inverse_time: {
			rhs: `\\frac{${eta0}}{1 + r\\, ${ratio}}`,
			numbers: `\\frac{${ctx.op(schedule.initial)}}{1 + ${ctx.op(schedule.decayRate)} \\cdot ${pNumbers}}`,
			expression: `${ctx.ex(schedule.initial)}/(1+${ctx.ex(schedule.decayRate)}*${pExpression})`
		},
		exponential: {
			rhs: `${eta0}\\, r^{${ratio}}`,
			numbers: `${ctx.op(schedule.initial)} \\cdot ${ctx.op(schedule.decayRate)}^{${schedule.staircase ? p : pNumbers}}`,
			expression: `${ctx.ex(schedule.initial)}*${ctx.ex(schedule.decayRate)}^(${pExpression})`
		}
	}[schedule.schedule];
	const keras = KERAS_SCHEDULES[schedule.schedule];
	const given = (locale: 'fr' | 'en') =>
		`${S.text.learningRate}₀ = ${ctx.text(schedule.initial, locale)}, r = ${ctx.text(schedule.decayRate, locale)}, T = ${ctx.text(schedule.decaySteps, locale)}`;
	const made = (locale: 'fr' | 'en') => (locale === 'fr' ? `k = ${k} mise${k > 1 ? 's' : ''} à jour déjà faite${k > 1 ? 's' : ''}` : `k = ${k} update${k === 1 ? '' : 's'} made before`);
	return {
		caption: caption(
			`Taux d'apprentissage de la mise à jour ${ctx.step}, ${made('fr')} (${keras}, ${given('fr')}${schedule.staircase ? ', en escalier' : ''})`,
			`Learning rate of update ${ctx.step}, ${made('en')} (${keras}, ${given('en')}${schedule.staircase ? ', staircase' : ''})`
		),
		symbolic: `${eta} = ${forms.rhs}`,
		body: () => ({ lhs: eta, rhs: forms.rhs, numbers: forms.numbers, expression: forms.expression, reads: [] })
	};
}
