import type { LossName } from '../engine/losses';
import { at } from '../engine/tensor';
import { unitSymbol } from './activations';
import { read, type Context } from './context';
import { caption, type ElementBody, type Rule } from './element';
import { factors, flatUnit, group, LOSS_WORDS, outputOf, symbolsOf, type Output } from './output';

/** dA[L] = ∂J/∂ŷ: the derivative of the loss, times the 1/m of a mean. */
export function outputGradient(ctx: Context): Rule {
	const S = ctx.symbols;
	const out = outputOf(ctx);
	const hatY = S.notation === 'bracket' ? '\\hat{Y}' : '\\hat{y}';
	const Y = S.notation === 'bracket' ? 'Y' : 'y';
	const m = out.scale.tex ? '\\frac{1}{m} \\cdot ' : '';
	const tensorLevel: Record<LossName, string> = {
		squared_error: `${m}2(${hatY} - ${Y})`,
		half_squared_error: `${m}(${hatY} - ${Y})`,
		mse: `${m}\\frac{2}{n}(${hatY} - ${Y})`,
		binary_cross_entropy: `${m}\\frac{1}{n}\\left(\\frac{1 - ${Y}}{1 - ${hatY}} - \\frac{${Y}}{${hatY}}\\right)`,
		categorical_cross_entropy: `-${m}\\frac{${Y}}{${hatY}}`,
		mae: `${m}\\frac{1}{n}\\operatorname{sign}(${hatY} - ${Y})`
	};
	return {
		caption: caption(
			`Dérivée du coût par rapport à la sortie ŷ = a[${out.L}] (${LOSS_WORDS[out.loss].fr})`,
			`Derivative of the cost with respect to the output ŷ = a[${out.L}] (${LOSS_WORDS[out.loss].en})`
		),
		symbolic: `${S.partial(S.tensor('a', out.L))} = ${tensorLevel[out.loss]},\\quad ${hatY} = ${S.tensor('a', out.L)}`,
		body: (index) => {
			const [sample] = index;
			const j = flatUnit(out, index);
			const sym = symbolsOf(ctx, out, sample);
			const yHat = at(out.yHat, index);
			const y = out.y(sample, j);
			const reads = [read(ctx.step, `A[${out.L}]`, index)];
			const lhs = S.partial(unitSymbol(ctx, 'a', out.L, index));
			return { lhs, reads, ...lossDerivative(ctx, out, sym.yHat(j), sym.y(j), yHat, y) };
		}
	};
}

/** f in ∂L/∂ŷ = f·(ŷ − y), that is 2·(the loss's factor): 2, 1 or 2/n, as TeX and as a mathjs prefix. */
function slope(loss: 'squared_error' | 'half_squared_error' | 'mse', n: number): { tex: string; expr: string } {
	if (loss === 'half_squared_error') return { tex: '', expr: '' };
	if (loss === 'mse' && n > 1) return { tex: `\\frac{2}{${n}}`, expr: `2*(1/${n})*` };
	return { tex: '2', expr: '2*' };
}

/** ∂L/∂ŷ_j times the reduction, written as the engine computes it: f·(ŷ − y), then ·(1/m). */
function lossDerivative(ctx: Context, out: Output, yHatSymbol: string, ySymbol: string, yHat: number, y: number): Omit<ElementBody, 'lhs' | 'reads'> {
	const scale = out.scale;
	const after = scale.expr ? `*${scale.expr}` : '';
	const diff = { symbolic: `${yHatSymbol} - ${ySymbol}`, substituted: `${ctx.opNear(yHat)} - ${ctx.op(y)}`, expression: `(${ctx.ex(yHat)}-${ctx.ex(y)})` };
	switch (out.loss) {
		case 'squared_error':
		case 'half_squared_error':
		case 'mse': {
			const f = slope(out.loss, out.n);
			const front = factors(scale.tex, f.tex);
			return {
				rhs: `${front}${group(front, diff.symbolic)}`,
				numbers: `${front}${group(front, diff.substituted)}`,
				expression: `${f.expr}${diff.expression}${after}`
			};
		}
		case 'binary_cross_entropy': {
			const perOutput = out.n > 1 ? `/${out.n}` : '';
			const front = factors(scale.tex, out.n > 1 ? `\\frac{1}{${out.n}}` : '');
			// ratio(x, y) of the engine: a zero numerator gives 0 whatever the denominator
			const left = 1 - y !== 0 ? `(1-${ctx.ex(y)})/(1-${ctx.ex(yHat)})` : '0';
			const right = y !== 0 ? `${ctx.ex(y)}/${ctx.ex(yHat)}` : '0';
			return {
				rhs: `${front}\\left(\\frac{1 - ${ySymbol}}{1 - ${yHatSymbol}} - \\frac{${ySymbol}}{${yHatSymbol}}\\right)`,
				numbers: `${front}\\left(\\frac{1 - ${ctx.op(y)}}{1 - ${ctx.opNear(yHat)}} - \\frac{${ctx.tex(y)}}{${ctx.opNear(yHat)}}\\right)`,
				expression: `(${left}-${right})${perOutput}${after}`
			};
		}
		case 'mae': {
			// sign(0) = 0: where ŷ = y the engine takes the derivative of |·| as 0, as TensorFlow
			const front = factors(scale.tex, out.n > 1 ? `\\frac{1}{${out.n}}` : '');
			return {
				rhs: `${front}\\operatorname{sign}(${diff.symbolic})`,
				numbers: `${front}\\operatorname{sign}(${diff.substituted})`,
				expression: `sign${diff.expression}${out.n > 1 ? `/${out.n}` : ''}${after}`
			};
		}
		case 'categorical_cross_entropy': {
			const front = factors(scale.tex);
			return {
				rhs: `-${front}\\frac{${ySymbol}}{${yHatSymbol}}`,
				numbers: `-${front}\\frac{${ctx.tex(y)}}{${ctx.opNear(yHat)}}`,
				expression: y !== 0 ? `-(${ctx.ex(y)}/${ctx.ex(yHat)})${after}` : '0'
			};
		}
	}
}

/**
 * dZ[L] when the loss pairs with the output activation: sigmoid with binary cross-entropy, or
 * softmax with categorical cross-entropy, simplify to δ = ŷ − y (times 1/m, and 1/n for the
 * binary loss over n outputs), which is what the engine computes.
 */
export function pairedOutputDelta(ctx: Context): Rule {
	const S = ctx.symbols;
	const out = outputOf(ctx);
	const binary = out.loss === 'binary_cross_entropy';
	const hatY = S.notation === 'bracket' ? '\\hat{Y}' : '\\hat{y}';
	const Y = S.notation === 'bracket' ? 'Y' : 'y';
	const m = out.scale.tex ? '\\frac{1}{m}' : '';
	const pair = binary
		? { fr: "la sigmoïde et l'entropie croisée binaire se simplifient", en: 'sigmoid and binary cross-entropy simplify' }
		: { fr: "softmax et l'entropie croisée catégorielle se simplifient", en: 'softmax and categorical cross-entropy simplify' };
	return {
		caption: caption(`Terme d'erreur δ de la couche de sortie : ŷ − y (${pair.fr})`, `Error term δ of the output layer: ŷ − y (${pair.en})`),
		symbolic: `${S.tensor('delta', out.L)} = ${factors(m, binary && out.n > 1 ? '\\frac{1}{n}' : '')}(${hatY} - ${Y})`,
		body: (index) => {
			const [sample] = index;
			const j = flatUnit(out, index);
			const sym = symbolsOf(ctx, out, sample);
			const yHat = at(out.yHat, index);
			const y = out.y(sample, j);
			const after = out.scale.expr ? `*${out.scale.expr}` : '';
			const lhs = unitSymbol(ctx, 'delta', out.L, index);
			const reads = [read(ctx.step, `A[${out.L}]`, index)];
			if (binary) {
				const front = factors(out.scale.tex, out.n > 1 ? `\\frac{1}{${out.n}}` : '');
				return {
					lhs,
					reads,
					rhs: `${front}${group(front, `${sym.yHat(j)} - ${sym.y(j)}`)}`,
					numbers: `${front}${group(front, `${ctx.opNear(yHat)} - ${ctx.op(y)}`)}`,
					expression: `(${ctx.ex(yHat)}-${ctx.ex(y)})${out.n > 1 ? `/${out.n}` : ''}${after}`
				};
			}
			// ŷ_j Σ_k y_k − y_j, which is ŷ_j − y_j for a one-hot target
			let targets = 0;
			for (let k = 0; k < out.n; k++) targets += out.y(sample, k);
			const front = factors(out.scale.tex);
			if (targets === 1) {
				return {
					lhs,
					reads,
					rhs: `${front}${group(front, `${sym.yHat(j)} - ${sym.y(j)}`)}`,
					numbers: `${front}${group(front, `${ctx.opNear(yHat)} - ${ctx.op(y)}`)}`,
					expression: `(${ctx.ex(yHat)}-${ctx.ex(y)})${after}`
				};
			}
			return {
				lhs,
				reads,
				rhs: `${front}(${sym.yHat(j)} \\sum_k y_k - ${sym.y(j)})`,
				numbers: `${front}(${ctx.opNear(yHat)} \\cdot ${ctx.op(targets)} - ${ctx.op(y)})`,
				expression: `(${ctx.ex(yHat)}*${ctx.ex(targets)}-${ctx.ex(y)})${after}`
			};
		}
	};
}
