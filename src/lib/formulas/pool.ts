import { winnerSign, type PoolMode } from '../engine/layers/pool';
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

type Words = { fr: string; en: string };

/**
 * Each mode's words: its name in a sentence, its operator and, for a mode that keeps one cell of
 * each window, the function written in the element's formula and the cell it keeps.
 */
const POOL_WORDS: Record<PoolMode, { name: Words; operator: string; kept: { fn: string; cell: Words } | null }> = {
	max: { name: { fr: 'max pooling', en: 'max pooling' }, operator: '\\operatorname{maxpool}', kept: { fn: 'max', cell: { fr: 'maximum', en: 'maximum' } } },
	avg: { name: { fr: 'pooling moyen', en: 'average pooling' }, operator: '\\operatorname{avgpool}', kept: null },
	min: { name: { fr: 'min pooling', en: 'min pooling' }, operator: '\\operatorname{minpool}', kept: { fn: 'min', cell: { fr: 'minimum', en: 'minimum' } } }
};

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** "Max pooling of layer 2 (2×2 window, stride 2)". */
function poolCaption(plan: PoolPlan, shown: number): Words {
	// Keras's 'same' may pad more after than before: named as Keras names it
	const same = plan.padding === 'same';
	const g = geometryWords(same ? { kernel: plan.geometry.kernel, stride: plan.geometry.stride, padding: [0, 0] } : plan.geometry, { fr: 'fenêtre', en: 'window' });
	const pad = same ? ", padding 'same'" : '';
	const { name } = POOL_WORDS[plan.mode];
	return caption(`${capitalised(name.fr)} de la couche ${shown} (${g.fr}${pad})`, `${capitalised(name.en)} of layer ${shown} (${g.en}${pad})`);
}

/** A[l] of a pool layer: the cell the mode keeps (the maximum…), or the mean, of the window, channel by channel. */
export function poolForward(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const plan = poolPlan(ctx, l);
	const A = ctx.tensor(ctx.step, `A[${l - 1}]`);
	const [, height, width] = plan.inputShape;
	const { operator, kept } = POOL_WORDS[plan.mode];
	return {
		caption: poolCaption(plan, S.layer(l)),
		symbolic: `${S.tensor('a', l)} = ${operator}(${S.tensor('a', l - 1)})`,
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
			if (kept) {
				const args = series(terms, ', ', ',');
				return {
					lhs,
					rhs: `\\${kept.fn}(${args.symbolic})`,
					numbers: `\\${kept.fn}(${args.substituted})`,
					expression: `${kept.fn}(${args.expression})`,
					reads,
					note: countNote(args, ctx.options.locale)
				};
			}
			// a window reaching into Keras's 'same' padding averages its cells inside the input only
			const s = sum(terms);
			const share = `\\frac{1}{${cells.length}}`;
			return {
				lhs,
				rhs: `${share}\\left(${s.symbolic}\\right)`,
				numbers: `${share}\\left(${s.substituted}\\right)`,
				expression: `(${s.expression})/${cells.length}`,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

/**
 * dA[l] below a pool layer l + 1. A mode that keeps one cell routes each window's gradient to the
 * cell that won it (the first on ties, as the engine does); average pooling shares it equally
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
	const { name, kept } = POOL_WORDS[plan.mode];
	const sign = winnerSign(plan.mode);
	const shown = ctx.symbols.layer(next);
	return {
		caption: kept
			? caption(
					`Gradient rétropropagé par le ${name.fr} de la couche ${shown} : seul le ${kept.cell.fr} de chaque fenêtre le reçoit`,
					`Gradient routed back through the ${name.en} of layer ${shown}: only each window's ${kept.cell.en} receives it`
				)
			: caption(
					`Gradient rétropropagé par le ${name.fr} de la couche ${shown} : partagé également entre les ${plan.padding === 'same' ? 'cases de chaque fenêtre dans l’entrée' : `${area} cases de chaque fenêtre`}`,
					`Gradient routed back through the ${name.en} of layer ${shown}: shared equally among the ${plan.padding === 'same' ? 'cells of each window inside the input' : `${area} cells of each window`}`
				),
		symbolic: kept
			? `${S.partial(S.tensor('a', l))} = ${S.partial(S.tensor('a', next))} \\text{ ${locale === 'fr' ? `au ${kept.cell.fr} de chaque fenêtre, 0 ailleurs` : `at each window's ${kept.cell.en}, 0 elsewhere`}}`
			: `${S.partial(S.tensor('a', l))} = \\frac{1}{${plan.padding === 'same' ? 'n_{\\text{in}}' : area}} \\sum_{\\text{${locale === 'fr' ? 'fenêtres' : 'windows'}}} ${S.partial(S.tensor('a', next))}`,
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
					if (sign !== null && firstWinner(A, n, c, window, sign) !== `${r},${s}`) continue;
					const out = [n, c, i, j];
					const upstream = ctx.leaf(S.partial(S.element('a', next, imageIndex(plan.outputShape, out.slice(1)), sample)), at(dA, out));
					reads.push(read(ctx.step, `dA[${next}]`, out));
					if (sign !== null) {
						terms.push(upstream);
						// the cells compared to find the winner
						reads.push(...window.map((cell) => read(ctx.step, `A[${l}]`, [n, c, cell.row, cell.col])));
					} else {
						// the engine multiplies by the share 1/(cells of the window inside the input): the same order keeps the same float
						terms.push({
							symbolic: `\\frac{1}{${window.length}} ${upstream.symbolic}`,
							substituted: `\\frac{1}{${window.length}} \\cdot ${upstream.substituted}`,
							expression: `${upstream.expression}*(1/${window.length})`
						});
					}
				}
			}
			const total = sum(terms);
			const why =
				!covered || !kept
					? locale === 'fr' ? 'aucune fenêtre ne lit cette case' : 'no window reads this cell'
					: locale === 'fr' ? `pas le ${kept.cell.fr} de sa fenêtre` : `not the ${kept.cell.en} of its window`;
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

/** "row,col" of the first cell of a window with the largest `sign`·value: the cell the engine gives the window's gradient to. */
function firstWinner(input: Tensor, n: number, c: number, window: readonly ReceptiveCell[], sign: 1 | -1): string {
	let best = 0;
	let winner = '';
	for (const cell of window) {
		const value = at(input, [n, c, cell.row, cell.col]);
		if (winner === '' || sign * value > sign * best) {
			best = value;
			winner = `${cell.row},${cell.col}`;
		}
	}
	return winner;
}
