import type { LossName } from '../engine/losses';
import { at, indexOf } from '../engine/tensor';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { exprFactors, factors, LOSS_WORDS, outputOf, symbolsOf, type Output } from './output';
import { countNote, sum, type Piece } from './terms';
import type { ElementRead } from './types';

/** The per-sample loss L(ŷ, y), written for the tensor-level formula. */
function perSampleLoss(loss: LossName): string {
	const square = '(\\hat{y}_j - y_j)^2';
	switch (loss) {
		case 'squared_error':
			return `\\sum_j ${square}`;
		case 'half_squared_error':
			return `\\frac{1}{2}\\sum_j ${square}`;
		case 'mse':
			return `\\frac{1}{n}\\sum_j ${square}`;
		case 'binary_cross_entropy':
			return '-\\frac{1}{n}\\sum_j \\left[y_j \\log \\hat{y}_j + (1 - y_j)\\log(1 - \\hat{y}_j)\\right]';
		case 'categorical_cross_entropy':
			return '-\\sum_j y_j \\log \\hat{y}_j';
		case 'mae':
			return '\\frac{1}{n}\\sum_j \\lvert \\hat{y}_j - y_j \\rvert';
	}
}

/** mathjs for softplus(v) = ln(1 + e^v), in the engine's overflow-free form. */
function softplusExpr(ctx: Context, v: number): string {
	return v > 0 ? `(${ctx.ex(v)}+log1p(exp(-${ctx.ex(v)})))` : `log1p(exp(${ctx.ex(v)}))`;
}

/** log ŷ and log(1 − ŷ) of one output, in mathjs. */
interface LogOf {
	yHat(): string;
	oneMinusYHat(): string;
}

/** True when the engine computes this loss from the logits Z[L] rather than from ŷ. */
function usesLogits(out: Output): boolean {
	return (
		out.Z !== null &&
		((out.loss === 'binary_cross_entropy' && out.activation === 'sigmoid') || (out.loss === 'categorical_cross_entropy' && out.activation === 'softmax'))
	);
}

/**
 * When the engine computes the loss from the logits (sigmoid with binary cross-entropy, softmax
 * with categorical cross-entropy), so does the expression: ŷ rounded near 1 has lost the digits
 * of 1 − ŷ (course 002's neuron gives ŷ = 0.9999999979), while ln σ(z) = −softplus(−z) and
 * ln(1 − σ(z)) = −softplus(z) keep them. The TeX still shows log ŷ, as on paper.
 */
function logsOf(ctx: Context, out: Output, sample: number, j: number): LogOf {
	const yHat = at(out.yHat, indexOf(out.yHat.shape, sample * out.n + j));
	const plain: LogOf = { yHat: () => `log(${ctx.ex(yHat)})`, oneMinusYHat: () => `log(1-${ctx.ex(yHat)})` };
	if (!out.Z) return plain;
	const Z = out.Z;
	const z = (k: number): number => Z.data[sample * out.n + k];
	if (out.loss === 'binary_cross_entropy' && out.activation === 'sigmoid') {
		return { yHat: () => `(-${softplusExpr(ctx, -z(j))})`, oneMinusYHat: () => `(-${softplusExpr(ctx, z(j))})` };
	}
	if (out.loss === 'categorical_cross_entropy' && out.activation === 'softmax') {
		// log ŷ_j = z_j − (max + log Σ_k e^{z_k − max}), as the engine's logSumExp
		let max = -Infinity;
		for (let k = 0; k < out.n; k++) max = Math.max(max, z(k));
		const exps = Array.from({ length: out.n }, (_, k) => `exp(${ctx.ex(z(k))}-${ctx.ex(max)})`).join('+');
		return { yHat: () => `(${ctx.ex(z(j))}-(${ctx.ex(max)}+log(${exps})))`, oneMinusYHat: plain.oneMinusYHat };
	}
	return plain;
}

/** One (sample, output) term of the cost, before the constant factors. */
function lossTerm(ctx: Context, out: Output, sample: number, j: number): Piece {
	const sym = symbolsOf(ctx, out, sample);
	const yHatSymbol = sym.yHat(j);
	const ySymbol = sym.y(j);
	const yHat = at(out.yHat, indexOf(out.yHat.shape, sample * out.n + j));
	const y = out.y(sample, j);
	const log = logsOf(ctx, out, sample, j);
	if (out.loss === 'binary_cross_entropy') {
		// 0·log 0 = 0: a part whose coefficient is 0 stays on paper but not in the expression
		const parts = [y !== 0 ? `${ctx.ex(y)}*${log.yHat()}` : '', 1 - y !== 0 ? `(1-${ctx.ex(y)})*${log.oneMinusYHat()}` : ''].filter(Boolean);
		return {
			symbolic: `${ySymbol} \\log ${yHatSymbol} + (1 - ${ySymbol})\\log(1 - ${yHatSymbol})`,
			substituted: `${ctx.op(y)} \\cdot \\log ${ctx.opNear(yHat)} + (1 - ${ctx.op(y)}) \\cdot \\log(1 - ${ctx.opNear(yHat)})`,
			expression: parts.length > 0 ? `(${parts.join('+')})` : '0'
		};
	}
	if (out.loss === 'categorical_cross_entropy') {
		return {
			symbolic: `${ySymbol} \\log ${yHatSymbol}`,
			substituted: `${ctx.op(y)} \\cdot \\log ${ctx.opNear(yHat)}`,
			expression: y !== 0 ? `${ctx.ex(y)}*${log.yHat()}` : '0'
		};
	}
	if (out.loss === 'mae') {
		return {
			symbolic: `\\lvert ${yHatSymbol} - ${ySymbol} \\rvert`,
			substituted: `\\lvert ${ctx.opNear(yHat)} - ${ctx.op(y)} \\rvert`,
			expression: `abs(${ctx.ex(yHat)}-${ctx.ex(y)})`
		};
	}
	return {
		symbolic: `(${yHatSymbol} - ${ySymbol})^2`,
		substituted: `(${ctx.opNear(yHat)} - ${ctx.op(y)})^2`,
		expression: `(${ctx.ex(yHat)}-${ctx.ex(y)})^2`
	};
}

/** The constant in front of Σ L: the loss's own ½, 1/n or − (the reduction's 1/m is added apart). */
function lossFactor(loss: LossName, n: number): { sign: string; tex: string; expr: string } {
	switch (loss) {
		case 'half_squared_error':
			return { sign: '', tex: '\\frac{1}{2}', expr: '(1/2)' };
		case 'mse':
		case 'mae':
			return n > 1 ? { sign: '', tex: `\\frac{1}{${n}}`, expr: `(1/${n})` } : { sign: '', tex: '', expr: '' };
		case 'binary_cross_entropy':
			return n > 1 ? { sign: '-', tex: `\\frac{1}{${n}}`, expr: `(1/${n})` } : { sign: '-', tex: '', expr: '' };
		case 'categorical_cross_entropy':
			return { sign: '-', tex: '', expr: '' };
		case 'squared_error':
			return { sign: '', tex: '', expr: '' };
	}
}

/** The cost J of the batch: (1/m) Σ_samples L(ŷ, y), with the configured loss and reduction. */
export function cost(ctx: Context): Rule {
	const S = ctx.symbols;
	const out = outputOf(ctx);
	const words = LOSS_WORDS[out.loss];
	const mean = ctx.trace.setup.reduction === 'mean';
	const reduced = out.m > 1 ? (mean ? `\\frac{1}{m}\\sum_{i=1}^{m}` : '\\sum_{i=1}^{m}') : '';
	const fr =
		out.m > 1
			? `Coût ${S.text.cost} : ${mean ? 'moyenne' : 'somme'} sur les ${out.m} exemples ${words.frOf}`
			: `Coût ${S.text.cost} : ${words.fr} de l'exemple`;
	const en = out.m > 1 ? `Cost ${S.text.cost}: ${mean ? 'mean' : 'sum'} over the ${out.m} samples of the ${words.en}` : `Cost ${S.text.cost}: the ${words.en} of the sample`;
	return {
		caption: caption(fr, en),
		symbolic: `${S.cost} = ${reduced ? `${reduced} ` : ''}${S.sampled('L', out.m > 1 ? 'i' : null)},\\quad L = ${perSampleLoss(out.loss)}`,
		body: () => {
			const terms: Piece[] = [];
			const reads: ElementRead[] = [];
			for (let sample = 0; sample < out.m; sample++) {
				for (let j = 0; j < out.n; j++) {
					const index = indexOf(out.yHat.shape, sample * out.n + j);
					terms.push(lossTerm(ctx, out, sample, j));
					reads.push(read(ctx.step, `A[${out.L}]`, index));
					if (usesLogits(out)) reads.push(read(ctx.step, `Z[${out.L}]`, index));
				}
			}
			const s = sum(terms);
			const factor = lossFactor(out.loss, out.n);
			const bracket = s.count > 1 || out.loss === 'binary_cross_entropy';
			const wrap = (text: string): string => (bracket ? `\\left[${text}\\right]` : text);
			const front = `${factor.sign}${factors(out.scale.tex, factor.tex)}`;
			return {
				lhs: S.cost,
				rhs: `${front}${wrap(s.symbolic)}`,
				numbers: `${front}${wrap(s.substituted)}`,
				expression: `${factor.sign}${exprFactors(out.scale.expr, factor.expr)}(${s.expression})`,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}
