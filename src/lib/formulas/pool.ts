import type { PoolPlan } from '../engine/plan';
import { receptiveField, windowOrigin, type ReceptiveCell } from '../engine/layers/window';
import { at, type Tensor } from '../engine/tensor';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { geometryWords } from './conv';
import { imageIndex } from './notation';
import { countNote, series, sum, type Piece } from './terms';
import type { ElementRead } from './types';

function poolPlan(ctx: Context, l: number): PoolPlan {
	const plan = ctx.layer(l);
	if (plan.type !== 'pool') throw new Error(`formulas: layer ${l} is ${plan.type}, not pool`);
	return plan;
}

/** "Max pooling of layer 2 (2×2 window, stride 2)". */
function poolCaption(plan: PoolPlan, shown: number): { fr: string; en: string } {
	const g = geometryWords(plan.geometry, { fr: 'fenêtre', en: 'window' });
	return plan.mode === 'max'
		? caption(`Max pooling de la couche ${shown} (${g.fr})`, `Max pooling of layer ${shown} (${g.en})`)
		: caption(`Pooling moyen de la couche ${shown} (${g.fr})`, `Average pooling of layer ${shown} (${g.en})`);
}

/** A[l] of a pool layer: the maximum, or the mean, of the window, channel by channel. */
export function poolForward(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = poolPlan(ctx, l);
	const A = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const [, height, width] = plan.inputShape;
	const [kh, kw] = plan.geometry.kernel;
	const name = plan.mode === 'max' ? '\\operatorname{maxpool}' : '\\operatorname{avgpool}';
	return {
		caption: poolCaption(plan, S.layer(l)),
		symbolic: `${S.tensor('a', l)} = ${name}(${S.tensor('a', l - 1)})`,
		body: ([n, c, i, j]) => {
			const sample = ctx.sample(n);
			const cells = receptiveField(i, j, plan.geometry, height, width).filter((cell) => !cell.inPadding);
			const reads: ElementRead[] = [];
			const terms: Piece[] = cells.map((cell) => {
				const x = [n, c, cell.row, cell.col];
				reads.push(read(ctx.step, `A[${l - 1}]`, x));
				return ctx.leaf(S.element('a', l - 1, imageIndex(plan.inputShape, x.slice(1)), sample), at(A, x));
			});
			const lhs = S.element('a', l, imageIndex(plan.outputShape, [c, i, j]), sample);
			if (plan.mode === 'max') {
				const args = series(terms, ', ', ',');
				return {
					lhs,
					rhs: `\\max(${args.symbolic})`,
					numbers: `\\max(${args.substituted})`,
					expression: `max(${args.expression})`,
					reads,
					note: countNote(args, ctx.options.locale)
				};
			}
			const s = sum(terms);
			const share = `\\frac{1}{${kh * kw}}`;
			return {
				lhs,
				rhs: `${share}\\left(${s.symbolic}\\right)`,
				numbers: `${share}\\left(${s.substituted}\\right)`,
				expression: `(${s.expression})/${kh * kw}`,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

/**
 * dA[l] below a pool layer l + 1. Max pooling routes each window's gradient to the cell that
 * won it (the first maximum on ties, as the engine does); average pooling shares it equally
 * among the window's cells.
 */
export function poolBackToInput(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const next = l + 1;
	const plan = poolPlan(ctx, next);
	const A = ctx.tensor(ctx.step, `A[${l}]`);
	const dA = ctx.tensor(ctx.step, `dA[${next}]`);
	const [, , outH, outW] = dA.shape;
	const [, height, width] = plan.inputShape;
	const g = plan.geometry;
	const area = g.kernel[0] * g.kernel[1];
	const locale = ctx.options.locale;
	const max = plan.mode === 'max';
	return {
		caption: caption(
			max
				? `Gradient rétropropagé par le max pooling de la couche ${ctx.symbols.layer(next)} : seul le maximum de chaque fenêtre le reçoit`
				: `Gradient rétropropagé par le pooling moyen de la couche ${ctx.symbols.layer(next)} : partagé également entre les ${area} cases de chaque fenêtre`,
			max
				? `Gradient routed back through the max pooling of layer ${ctx.symbols.layer(next)}: only each window's maximum receives it`
				: `Gradient routed back through the average pooling of layer ${ctx.symbols.layer(next)}: shared equally among the ${area} cells of each window`
		),
		symbolic: max
			? `${S.partial(S.tensor('a', l))} = ${S.partial(S.tensor('a', next))} \\text{ ${locale === 'fr' ? 'au maximum de chaque fenêtre, 0 ailleurs' : "at each window's maximum, 0 elsewhere"}}`
			: `${S.partial(S.tensor('a', l))} = \\frac{1}{${area}} \\sum_{\\text{${locale === 'fr' ? 'fenêtres' : 'windows'}}} ${S.partial(S.tensor('a', next))}`,
		body: ([n, c, r, s]) => {
			const sample = ctx.sample(n);
			const terms: Piece[] = [];
			const reads: ElementRead[] = [];
			let covered = false;
			for (let i = 0; i < outH; i++) {
				const kr = r - windowOrigin(i, g.stride[0], g.padding[0]);
				if (kr < 0 || kr >= g.kernel[0]) continue;
				for (let j = 0; j < outW; j++) {
					const kc = s - windowOrigin(j, g.stride[1], g.padding[1]);
					if (kc < 0 || kc >= g.kernel[1]) continue;
					covered = true;
					const window = receptiveField(i, j, g, height, width).filter((cell) => !cell.inPadding);
					if (max && firstMaximum(A, n, c, window) !== `${r},${s}`) continue;
					const out = [n, c, i, j];
					const upstream = ctx.leaf(S.partial(S.element('a', next, imageIndex(plan.outputShape, out.slice(1)), sample)), at(dA, out));
					reads.push(read(ctx.step, `dA[${next}]`, out));
					if (max) {
						terms.push(upstream);
						// the cells compared to find the maximum
						reads.push(...window.map((cell) => read(ctx.step, `A[${l}]`, [n, c, cell.row, cell.col])));
					} else {
						// the engine multiplies by the share 1/(kh·kw): the same order keeps the same float
						terms.push({
							symbolic: `\\frac{1}{${area}} ${upstream.symbolic}`,
							substituted: `\\frac{1}{${area}} \\cdot ${upstream.substituted}`,
							expression: `${upstream.expression}*(1/${area})`
						});
					}
				}
			}
			const total = sum(terms);
			const why = !covered
				? locale === 'fr' ? 'aucune fenêtre ne lit cette case' : 'no window reads this cell'
				: locale === 'fr' ? "pas le maximum de sa fenêtre" : 'not the maximum of its window';
			return {
				lhs: S.partial(S.element('a', l, imageIndex(plan.inputShape, [c, r, s]), sample)),
				rhs: total.symbolic,
				numbers: total.substituted,
				expression: total.expression,
				reads,
				note: total.count === 0 ? `\\quad\\text{(${why})}` : countNote(total, locale)
			};
		}
	};
}

/** "row,col" of the first maximum of a window: the cell the engine gives the window's gradient to. */
function firstMaximum(input: Tensor, n: number, c: number, window: readonly ReceptiveCell[]): string {
	let best = -Infinity;
	let winner = '';
	for (const cell of window) {
		const value = at(input, [n, c, cell.row, cell.col]);
		if (winner === '' || value > best) {
			best = value;
			winner = `${cell.row},${cell.col}`;
		}
	}
	return winner;
}
