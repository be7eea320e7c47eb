import type { Context } from './context';
import { kernelIndex } from './notation';

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

/** The symbol of a parameter event's element, W[l] or b[l]. */
export function parameterSymbol(ctx: Context, kind: 'W' | 'b', l: number, index: readonly number[]): string {
	return kind === 'W' ? weightSymbol(ctx, l, index) : biasSymbol(ctx, l, index);
}

/** "weights" or "biases", in both languages. */
export function parameterWords(kind: 'W' | 'b'): { fr: string; en: string } {
	return kind === 'W' ? { fr: 'poids', en: 'weights' } : { fr: 'biais', en: 'biases' };
}

/** The shape as \mathbb{R}^{2 \times 3}. */
export function spaceOf(shape: readonly number[]): string {
	return `\\mathbb{R}^{${shape.join(' \\times ')}}`;
}
