import { accuracyKind, maximises } from '../engine/evaluate';
import { parseName } from '../engine/quantity';
import { at } from '../engine/tensor';
import { findEvent } from '../engine/trace';
import type { Context } from './context';
import { caption, type Rule } from './element';

/** What each set is called, and the weights it is evaluated with. */
const SETS = {
	epoch: { fr: "d'entraînement", en: 'training', tex: '\\text{train}' },
	val: { fr: 'de validation', en: 'validation', tex: '\\text{val}' },
	test: { fr: 'de test', en: 'test', tex: '\\text{test}' }
} as const;

/**
 * The events of the end of an epoch: a loss or a metric over a whole data set, with the weights
 * as the epoch left them, and the early-stopping decision. The data set's outputs are not
 * recorded, so the formula gives the definition and the value read from the trace.
 */
export function evaluationRule(ctx: Context): Rule {
	if (ctx.event.name === 'early_stopping') return earlyStoppingRule(ctx);
	const name = ctx.event.name;
	const prefix = name.startsWith('val_') ? 'val' : name.startsWith('test_') ? 'test' : 'epoch';
	const what = prefix === 'epoch' ? name.replace(/^epoch_/, '') : name.slice(prefix.length + 1);
	const set = SETS[prefix];
	const loss = ctx.trace.setup.loss;
	const n = ctx.trace.setup.Y?.shape[1] ?? 1;
	const binary = loss !== null && accuracyKind(loss, n) === 'binary';
	const definitions: Record<string, { tex: string; fr: string; en: string }> = {
		loss: { tex: `J_{${set.tex}} = \\frac{1}{m}\\sum_{i=1}^{m} L(\\hat{y}^{(i)}, y^{(i)})`, fr: 'coût', en: 'cost' },
		accuracy: binary
			? { tex: `\\text{acc}_{${set.tex}} = \\frac{1}{mn}\\sum_{i,j} \\mathbb{1}\\left[(\\hat{y}^{(i)}_j > 0.5) = y^{(i)}_j\\right],\\quad \\text{erreur} = 1 - \\text{acc}`, fr: 'exactitude binaire (seuil 0,5)', en: 'binary accuracy (threshold 0.5)' }
			: { tex: `\\text{acc}_{${set.tex}} = \\frac{1}{m}\\sum_{i} \\mathbb{1}\\left[\\arg\\max_j \\hat{y}^{(i)}_j = \\arg\\max_j y^{(i)}_j\\right],\\quad \\text{erreur} = 1 - \\text{acc}`, fr: 'exactitude catégorielle (argmax)', en: 'categorical accuracy (argmax)' },
		mae: { tex: `\\text{MAE}_{${set.tex}} = \\frac{1}{mn}\\sum_{i,j} \\lvert \\hat{y}^{(i)}_j - y^{(i)}_j \\rvert`, fr: 'erreur absolue moyenne', en: 'mean absolute error' },
		mse: { tex: `\\text{MSE}_{${set.tex}} = \\frac{1}{mn}\\sum_{i,j} (\\hat{y}^{(i)}_j - y^{(i)}_j)^2`, fr: 'erreur quadratique moyenne', en: 'mean squared error' }
	};
	const definition = definitions[what];
	const lhs = definition.tex.slice(0, definition.tex.indexOf(' = '));
	const rhs = definition.tex.slice(definition.tex.indexOf(' = ') + 3);
	const when =
		prefix === 'test'
			? { fr: "après l'entraînement", en: 'after training' }
			: { fr: `à la fin de l'époque ${ctx.event.epoch}`, en: `at the end of epoch ${ctx.event.epoch}` };
	return {
		caption: caption(`${cap(definition.fr)} sur les données ${set.fr}, ${when.fr}`, `${cap(definition.en)} on the ${set.en} data, ${when.en}`),
		symbolic: definition.tex,
		body: (index) => ({ lhs, rhs, numbers: null, expression: ctx.ex(at(ctx.event.value, index)), reads: [] })
	};
}

function cap(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** [best, its epoch, epochs without improvement, stop]: Keras's EarlyStopping at the end of an epoch. */
function earlyStoppingRule(ctx: Context): Rule {
	const rule = ctx.trace.setup.earlyStopping;
	if (!rule) throw new Error('formulas: an early_stopping event in a run without early_stopping');
	const [best, bestEpoch, wait, stop] = ctx.event.value.data;
	const epoch = ctx.event.epoch;
	const monitor = rule.monitor === 'loss' ? 'epoch_loss' : rule.monitor;
	const value = findEvent(ctx.trace, ctx.step, monitor)?.value.data[0] ?? best;
	const up = maximises(rule.monitor);
	const d = ctx.tex(rule.minDelta);
	const better = up ? `v > \\text{best} + ${d}` : `v < \\text{best} - ${d}`;
	const lines = [
		{ lhs: '\\text{best}', rhs: `${up ? '\\max' : '\\min'}(\\text{best}, v)\\ \\text{${ctx.options.locale === 'fr' ? 'si' : 'if'}}\\ ${better}`, numbers: `${ctx.tex(best)}` },
		{ lhs: '\\text{epoch}_{\\text{best}}', rhs: `${bestEpoch}`, numbers: null },
		{ lhs: '\\text{wait}', rhs: `${wait === 0 ? '0' : '\\text{wait} + 1'}`, numbers: `${wait}` },
		{ lhs: '\\text{stop}', rhs: `[\\text{wait} \\ge ${rule.patience}]`, numbers: `[${wait} \\ge ${rule.patience}]` }
	];
	const fr = stop === 1 ? `arrêt : ${wait} époques sans amélioration de ${rule.monitor} (patience ${rule.patience})` : `on continue : ${wait} époque(s) sans amélioration de ${rule.monitor} (patience ${rule.patience})`;
	const en = stop === 1 ? `stop: ${wait} epochs without improvement of ${rule.monitor} (patience ${rule.patience})` : `go on: ${wait} epoch(s) without improvement of ${rule.monitor} (patience ${rule.patience})`;
	return {
		caption: caption(`Arrêt précoce, époque ${epoch} : ${rule.monitor} = ${ctx.opNear(value)}, ${fr}`, `Early stopping, epoch ${epoch}: ${rule.monitor} = ${ctx.opNear(value)}, ${en}`),
		symbolic: `v = ${rule.monitor.replace(/_/g, '\\_')},\\quad ${better} \\Rightarrow \\text{best} \\leftarrow v,\\ \\text{wait} \\leftarrow 0;\\ \\text{stop} = [\\text{wait} \\ge ${rule.patience}]`,
		body: (index) => {
			const line = lines[index[0]];
			return { lhs: line.lhs, rhs: line.rhs, numbers: line.numbers, expression: ctx.ex(at(ctx.event.value, index)), reads: [] };
		}
	};
}

/** W[l] or b[l] put back as they were at the best epoch, when early stopping restores them. */
export function restoredParameter(ctx: Context, name: string): Rule {
	const bestEpoch = findEvent(ctx.trace, ctx.step, 'early_stopping')?.value.data[1] ?? 0;
	return {
		caption: caption(`${name} remis à sa valeur de la fin de l'époque ${bestEpoch}, la meilleure (restore_best_weights)`, `${name} put back to its value at the end of epoch ${bestEpoch}, the best one (restore_best_weights)`),
		symbolic: `${name.replace(/\[/g, '^{[').replace(/\]/g, ']}')} \\leftarrow ${name.replace(/\[/g, '^{[').replace(/\]/g, ']}')}_{\\text{best}}`,
		body: (index) => ({ lhs: name, relation: '\\leftarrow', rhs: `${name}_{\\text{best}}`, numbers: null, expression: ctx.ex(at(ctx.event.value, index)), reads: [] })
	};
}

/** True for the names the end of an epoch records (not the weights it restores). */
export function isEvaluation(name: string): boolean {
	const q = parseName(name);
	return q !== null && q.layer === null && q.symbol !== 'loss' && q.symbol !== 'error' && q.symbol !== 'diverged';
}
