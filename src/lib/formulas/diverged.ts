import { at } from '../engine/tensor';
import type { Context } from './context';
import { caption, type Rule } from './element';

/** The `diverged` event: how many entries of the first overflowing quantity were not finite. */
export function divergence(ctx: Context): Rule {
	const why = ctx.trace.diverged;
	const quantity = why?.quantity ?? '?';
	const fr = ctx.options.locale === 'fr';
	const count = ctx.event.value.data[0];
	return {
		caption: caption(
			`L'entraînement a divergé à l'étape ${ctx.step} : ${count} valeurs de ${quantity} ont débordé ou ne sont pas des nombres ; essayez un pas d'apprentissage plus petit`,
			why?.message ?? `training diverged at step ${ctx.step}`
		),
		symbolic: `N = \\#\\{\\text{${fr ? 'valeurs non finies de' : 'non-finite values of'} ${quantity}}\\}`,
		body: (index) => ({
			lhs: 'N',
			rhs: `\\#\\{\\text{${fr ? 'valeurs non finies de' : 'non-finite values of'} ${quantity}}\\}`,
			numbers: null,
			expression: ctx.ex(at(ctx.event.value, index)),
			reads: []
		})
	};
}
