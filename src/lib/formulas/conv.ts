import type { ConvPlan } from '../engine/plan';
import { receptiveField, windowOrigin, type WindowGeometry } from '../engine/layers/window';
import { at } from '../engine/tensor';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { imageIndex } from './notation';
import { biasSymbol, weightSymbol } from './params';
import { countNote, product, sum, type Piece } from './terms';
import type { ElementRead } from './types';

function convPlan(ctx: Context, l: number): ConvPlan {
	const plan = ctx.layer(l);
	if (plan.type !== 'conv2d') throw new Error(`formulas: layer ${l} is ${plan.type}, not conv2d`);
	return plan;
}

/** 3 for [3, 3], 3×2 for [3, 2]. */
function pairText(pair: readonly [number, number]): string {
	return pair[0] === pair[1] ? String(pair[0]) : `${pair[0]}×${pair[1]}`;
}

/** "3×3 kernel, stride 2, padding 1" (the courses say stride and padding in French too). */
export function geometryWords(g: WindowGeometry, kernel: { fr: string; en: string }): { fr: string; en: string } {
	const size = `${g.kernel[0]}×${g.kernel[1]}`;
	const pad = g.padding[0] || g.padding[1] ? `, padding ${pairText(g.padding)}` : '';
	return { fr: `${kernel.fr} ${size}, stride ${pairText(g.stride)}${pad}`, en: `${size} ${kernel.en}, stride ${pairText(g.stride)}${pad}` };
}

/**
 * The input cell that kernel weight (p, q) meets in window (i, j), 1-based as on the slides:
 * row s(i − 1) + p − P; with a flipped kernel the weight (p, q) sits at (k + 1 − p, k + 1 − q).
 */
function windowCell(plan: ConvPlan): string {
	const g = plan.geometry;
	const axis = (out: string, k: string, size: number, stride: number, padding: number): string => {
		const inKernel = plan.flip ? `${size + 1}-${k}` : k;
		const start = stride === 1 ? `${out}-1` : `${stride}(${out}-1)`;
		return `${start}+${inKernel}${padding ? `-${padding}` : ''}`;
	};
	return `${axis('i', 'p', g.kernel[0], g.stride[0], g.padding[0])},\\,${axis('j', 'q', g.kernel[1], g.stride[1], g.padding[1])}`;
}

/** The kernel row (or column) that multiplies window position `k`: the same one, or its mirror when the kernel is flipped. */
function kernelPosition(k: number, size: number, flip: boolean): number {
	return flip ? size - 1 - k : k;
}

/**
 * Z[l] of a conv layer: z_{f,i,j} = Σ_c Σ_{p,q} w_{f,c,p,q} a_{c, window(i,j) + (p,q)} + b_f. A padding
 * cell reads 0 and stays in the sum, so that the 9 products of a 3×3 kernel are all there, as
 * on a padded grid drawn by hand. With `flip` the window position (p, q) meets the kernel's
 * mirrored weight (true convolution, course 004's remark).
 */
export function convWeightedSum(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = convPlan(ctx, l);
	const before = ctx.step - 1;
	const W = ctx.tensor(before, `W[${l}]`);
	const b = ctx.tensor(before, `b[${l}]`);
	const A = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const [channels, height, width] = plan.inputShape;
	const [kh, kw] = plan.geometry.kernel;
	const words = geometryWords(plan.geometry, { fr: 'noyau', en: 'kernel' });
	const flipped = plan.flip ? { fr: ', noyau retourné (convolution au sens mathématique)', en: ', kernel flipped (true convolution)' } : { fr: '', en: '' };
	const operator = plan.flip ? '*' : '\\star';
	return {
		caption: caption(
			`Convolution de la couche ${ctx.symbols.layer(l)} (${words.fr}${flipped.fr})`,
			`Convolution of layer ${ctx.symbols.layer(l)} (${words.en}${flipped.en})`
		),
		symbolic: `${S.tensor('z', l)}_{f} = \\sum_{c} ${S.tensor('w', l)}_{f,c} ${operator} ${S.tensor('a', l - 1)}_{c} + ${S.tensor('b', l)}_{f}`,
		body: ([n, f, i, j]) => {
			const sample = ctx.sample(n);
			const cells = receptiveField(i, j, plan.geometry, height, width);
			const terms: Piece[] = [];
			const reads: ElementRead[] = [];
			for (let c = 0; c < channels; c++) {
				for (const cell of cells) {
					const w = [f, c, kernelPosition(cell.kernelRow, kh, plan.flip), kernelPosition(cell.kernelCol, kw, plan.flip)];
					const weight = ctx.leaf(weightSymbol(ctx, l, w), at(W, w));
					reads.push(read(before, `W[${l}]`, w));
					if (cell.inPadding) {
						terms.push(product(weight, { symbolic: '0', substituted: '0', expression: '0' }));
						continue;
					}
					const x = [n, c, cell.row, cell.col];
					terms.push(product(weight, ctx.leaf(S.element('a', l - 1, imageIndex(plan.inputShape, x.slice(1)), sample), at(A, x))));
					reads.push(read(ctx.step, `A[${l - 1}]`, x));
				}
			}
			reads.push(read(before, `b[${l}]`, [f]));
			const s = sum(terms);
			const bias = ctx.leaf(biasSymbol(ctx, l, [f]), at(b, [f]));
			return {
				lhs: S.element('z', l, imageIndex(plan.outputShape, [f, i, j]), sample),
				rhs: `${s.symbolic} + ${bias.symbolic}`,
				numbers: `${s.substituted} + ${bias.substituted}`,
				expression: `${s.expression}+${bias.expression}`,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

/**
 * dW[l] of a conv layer: a kernel weight is shared by every output position, so its gradient
 * sums δ_{f,i,j} times the input cell it met there, over the positions and the samples. Cells in
 * the padding met 0 and add nothing; they are left out.
 */
export function convWeightGradient(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = convPlan(ctx, l);
	const dZ = ctx.tensor(ctx.step, `dZ[${l}]`);
	const A = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const [samples, , outH, outW] = dZ.shape;
	const [, height, width] = plan.inputShape;
	const g = plan.geometry;
	return {
		caption: caption(
			`Gradient du coût par rapport aux poids partagés de la couche ${ctx.symbols.layer(l)} : somme sur toutes les positions du noyau`,
			`Gradient of the cost with respect to the shared weights of layer ${ctx.symbols.layer(l)}: a sum over every position of the kernel`
		),
		symbolic: `${S.partial(`${S.tensor('w', l)}_{f,c,p,q}`)} = \\sum_{i,j} ${S.tensor('delta', l)}_{f,i,j}\\, ${S.tensor('a', l - 1)}_{c,\\,${windowCell(plan)}}`,
		body: ([f, c, p, q]) => {
			const row0 = kernelPosition(p, g.kernel[0], plan.flip);
			const col0 = kernelPosition(q, g.kernel[1], plan.flip);
			const terms: Piece[] = [];
			const reads: ElementRead[] = [];
			for (let n = 0; n < samples; n++) {
				const sample = ctx.sample(n);
				for (let i = 0; i < outH; i++) {
					const row = windowOrigin(i, g.stride[0], g.padding[0]) + row0;
					if (row < 0 || row >= height) continue;
					for (let j = 0; j < outW; j++) {
						const col = windowOrigin(j, g.stride[1], g.padding[1]) + col0;
						if (col < 0 || col >= width) continue;
						const z = [n, f, i, j];
						const x = [n, c, row, col];
						terms.push(
							product(
								ctx.leaf(S.element('delta', l, imageIndex(plan.outputShape, z.slice(1)), sample), at(dZ, z)),
								ctx.leaf(S.element('a', l - 1, imageIndex(plan.inputShape, x.slice(1)), sample), at(A, x))
							)
						);
						reads.push(read(ctx.step, `dZ[${l}]`, z), read(ctx.step, `A[${l - 1}]`, x));
					}
				}
			}
			const s = sum(terms);
			return {
				lhs: S.partial(weightSymbol(ctx, l, [f, c, p, q])),
				rhs: s.symbolic,
				numbers: s.substituted,
				expression: s.expression,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

/** db[l] of a conv layer: the sum of the feature map's δ over its positions and the samples. */
export function convBiasGradient(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = convPlan(ctx, l);
	const dZ = ctx.tensor(ctx.step, `dZ[${l}]`);
	const [samples, , outH, outW] = dZ.shape;
	return {
		caption: caption(
			`Gradient du coût par rapport aux biais de la couche ${ctx.symbols.layer(l)} : somme des δ de chaque carte`,
			`Gradient of the cost with respect to the biases of layer ${ctx.symbols.layer(l)}: the sum of each feature map's δ`
		),
		symbolic: `${S.partial(`${S.tensor('b', l)}_{f}`)} = \\sum_{i,j} ${S.tensor('delta', l)}_{f,i,j}`,
		body: ([f]) => {
			const terms: Piece[] = [];
			const reads: ElementRead[] = [];
			for (let n = 0; n < samples; n++) {
				for (let i = 0; i < outH; i++) {
					for (let j = 0; j < outW; j++) {
						const z = [n, f, i, j];
						terms.push(ctx.leaf(S.element('delta', l, imageIndex(plan.outputShape, z.slice(1)), ctx.sample(n)), at(dZ, z)));
						reads.push(read(ctx.step, `dZ[${l}]`, z));
					}
				}
			}
			const s = sum(terms);
			return {
				lhs: S.partial(biasSymbol(ctx, l, [f])),
				rhs: s.symbolic,
				numbers: s.substituted,
				expression: s.expression,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

/**
 * dA[l] below a conv layer l + 1: an input cell receives w·δ from every output whose window
 * covered it, with the weight that met it there (chain rule, summed over filters and positions).
 */
export function convBackToInput(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const next = l + 1;
	const plan = convPlan(ctx, next);
	const before = ctx.step - 1;
	const W = ctx.tensor(before, `W[${next}]`);
	const dZ = ctx.tensor(ctx.step, `dZ[${next}]`);
	const [, filters, outH, outW] = dZ.shape;
	const g = plan.geometry;
	const locale = ctx.options.locale;
	return {
		caption: caption(
			`Gradient rétropropagé vers la couche ${ctx.symbols.layer(l)} par la convolution de la couche ${ctx.symbols.layer(next)} : chaque case reçoit w·δ de chaque fenêtre qui la couvre`,
			`Gradient flowing back to layer ${ctx.symbols.layer(l)} through the convolution of layer ${ctx.symbols.layer(next)}: each cell receives w·δ from every window that covers it`
		),
		symbolic: `${S.partial(`${S.tensor('a', l)}_{c,r,s}`)} = \\sum_{f,i,j} ${S.tensor('delta', next)}_{f,i,j} \\frac{\\partial ${S.tensor('z', next)}_{f,i,j}}{\\partial ${S.tensor('a', l)}_{c,r,s}}`,
		body: ([n, c, r, s]) => {
			const sample = ctx.sample(n);
			const terms: Piece[] = [];
			const reads: ElementRead[] = [];
			for (let f = 0; f < filters; f++) {
				for (let i = 0; i < outH; i++) {
					const kr = r - windowOrigin(i, g.stride[0], g.padding[0]);
					if (kr < 0 || kr >= g.kernel[0]) continue;
					for (let j = 0; j < outW; j++) {
						const kc = s - windowOrigin(j, g.stride[1], g.padding[1]);
						if (kc < 0 || kc >= g.kernel[1]) continue;
						const w = [f, c, kernelPosition(kr, g.kernel[0], plan.flip), kernelPosition(kc, g.kernel[1], plan.flip)];
						const z = [n, f, i, j];
						terms.push(
							product(
								ctx.leaf(weightSymbol(ctx, next, w), at(W, w)),
								ctx.leaf(S.element('delta', next, imageIndex(plan.outputShape, z.slice(1)), sample), at(dZ, z))
							)
						);
						reads.push(read(before, `W[${next}]`, w), read(ctx.step, `dZ[${next}]`, z));
					}
				}
			}
			const total = sum(terms);
			const unread = locale === 'fr' ? '\\quad\\text{(aucune fenêtre ne lit cette case)}' : '\\quad\\text{(no window reads this cell)}';
			return {
				lhs: S.partial(S.element('a', l, imageIndex(plan.inputShape, [c, r, s]), sample)),
				rhs: total.symbolic,
				numbers: total.substituted,
				expression: total.expression,
				reads,
				note: total.count === 0 ? unread : countNote(total, locale)
			};
		}
	};
}
