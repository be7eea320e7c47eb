import { parametersOf } from '../engine/plan';
import type { ParameterName, TrainedName } from '../engine/quantity';
import type { Context } from './context';
import { kernelIndex, parameterLetter } from './notation';

/** Symbol of a weight of layer l: w^{[l]}_{jk} (dense) or w^{[l]}_{f,c,p,q} without axes of size 1 (conv). */
export function weightSymbol(ctx: Context, l: number, index: readonly number[]): string {
	const plan = ctx.layer(l);
	if (plan.type === 'conv2d') {
		const shape = [plan.filters, plan.inputShape[0], ...plan.geometry.kernel];
		return ctx.symbols.element('w', l, kernelIndex(shape, index));
	}
	return ctx.symbols.element('w', l, index);
}

/** Symbol of a bias of layer l: b^{[l]}_{j}; a conv layer with a single filter has a single b^{[l]}. */
export function biasSymbol(ctx: Context, l: number, index: readonly number[]): string {
	const plan = ctx.layer(l);
	const single = plan.type === 'conv2d' && plan.filters === 1;
	return ctx.symbols.element('b', l, single ? [] : index);
}

/** The symbol of a parameter event's element: W[l], b[l], or a batch normalisation's γ, β, moving mean and variance (one per feature). */
export function parameterSymbol(ctx: Context, kind: ParameterName, l: number, index: readonly number[]): string {
	if (kind === 'W') return weightSymbol(ctx, l, index);
	if (kind === 'b') return biasSymbol(ctx, l, index);
	return ctx.symbols.element(parameterLetter(kind), l, index);
}

const PARAMETER_WORDS: Record<ParameterName, { fr: string; en: string }> = {
	W: { fr: 'poids', en: 'weights' },
	b: { fr: 'biais', en: 'biases' },
	gamma: { fr: 'échelles γ', en: 'scales γ' },
	beta: { fr: 'décalages β', en: 'shifts β' },
	moving_mean: { fr: 'moyennes mobiles', en: 'moving means' },
	moving_variance: { fr: 'variances mobiles', en: 'moving variances' }
};

/** "weights", "biases", "scales γ"…, in both languages. */
export function parameterWords(kind: ParameterName): { fr: string; en: string } {
	return PARAMETER_WORDS[kind];
}

/** The `update:` switch that lets a trained parameter of layer l learn, as its layer's unit declares it (γ under weights, β under biases). */
export function updateSwitch(ctx: Context, kind: TrainedName, l: number): 'weights' | 'biases' {
	const spec = parametersOf(ctx.layer(l)).find((s) => s.name === kind);
	if (!spec?.update) throw new Error(`formulas: layer ${l} (${ctx.layer(l).type}) trains no ${kind}`);
	return spec.update;
}

/** The shape as \mathbb{R}^{2 \times 3}. */
export function spaceOf(shape: readonly number[]): string {
	return `\\mathbb{R}^{${shape.join(' \\times ')}}`;
}
