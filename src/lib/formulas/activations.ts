import { reluDerivative, type ActivationName, type Conventions } from '../engine/activations';
import { nearlyEqual } from '../engine/numeric';
import { at, indexOf, offsetOf, type Tensor } from '../engine/tensor';
import { read, type Context } from './context';
import { caption, type ElementBody, type Rule } from './element';
import { imageIndex, type Letter } from './notation';
import { countNote, product, sum, type Piece } from './terms';

export const ACTIVATION_WORDS: Record<ActivationName, { fr: string; en: string }> = {
	square: { fr: 'carré', en: 'square' },
	identity: { fr: 'identité', en: 'identity' },
	step: { fr: 'échelon de Heaviside', en: 'Heaviside step' },
	sigmoid: { fr: 'sigmoïde', en: 'sigmoid' },
	tanh: { fr: 'tangente hyperbolique', en: 'hyperbolic tangent' },
	relu: { fr: 'ReLU', en: 'ReLU' },
	softplus: { fr: 'softplus', en: 'softplus' },
	softmax: { fr: 'softmax', en: 'softmax' }
};

/** A = f(Z) at tensor level. */
const FORWARD: Record<ActivationName, (z: string) => string> = {
	square: (z) => `(${z})^{2}`,
	identity: (z) => z,
	step: (z) => `H(${z}),\\ H(0) = 1`,
	sigmoid: (z) => `\\sigma(${z}) = \\frac{1}{1 + e^{-${z}}}`,
	tanh: (z) => `\\tanh(${z})`,
	relu: (z) => `\\max(0, ${z})`,
	softplus: (z) => `\\ln(1 + e^{${z}})`,
	softmax: (z) => `\\operatorname{softmax}(${z})`
};

/** The condition under which ReLU′ = 1: z > 0, or z ≥ 0 in a run that takes ReLU′(0) = 1 (course 003). */
const RELU_ON: Record<Conventions['reluDerivativeAtZero'], string> = { 0: '>', 1: '\\ge' };

/** f'(z) in the courses' form, which reads a = f(z) where it can: a(1 − a), 1 − a². Softmax: see softmaxJacobian. */
function derivative(activation: ActivationName, conventions: Conventions): string {
	const texts: Record<ActivationName, string> = {
		square: "f'(z) = 2z",
		identity: "f'(z) = 1",
		step: "H'(z) = 0",
		sigmoid: "\\sigma'(z) = a(1 - a)",
		tanh: "\\tanh'(z) = 1 - a^2",
		relu: `\\mathrm{ReLU}'(z) = \\mathbf{1}[z ${RELU_ON[conventions.reluDerivativeAtZero]} 0]`,
		softplus: "\\mathrm{softplus}'(z) = \\sigma(z)",
		softmax: ''
	};
	return texts[activation];
}

/** The activation of a layer that has one (dense, conv); identity for the others. */
export function activationOf(ctx: Context, l: number): ActivationName {
	const plan = ctx.layer(l);
	return 'activation' in plan ? plan.activation : 'identity';
}

/** Symbol of an element of layer l's Z, A or δ, from its batch index [sample, …]. */
export function unitSymbol(ctx: Context, letter: Letter, l: number, index: readonly number[]): string {
	const [n, ...unit] = index;
	return ctx.symbols.element(letter, l, imageIndex(ctx.layer(l).outputShape, unit), ctx.sample(n));
}

/**
 * The softmax row of an element: the engine normalises over the last axis (the units of a
 * dense layer), so the row is the run of `width` entries holding it.
 */
function rowOf(shape: readonly number[], index: readonly number[]): { start: number; width: number } {
	const width = shape[shape.length - 1];
	const offset = offsetOf(shape, index);
	return { start: offset - (offset % width), width };
}

/** A[l] = f(Z[l]) of a dense or conv layer, entry by entry (softmax: row by row). */
export function activationForward(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const activation = activationOf(ctx, l);
	const Z = ctx.tensor(ctx.step, `Z[${l}]`);
	const words = ACTIVATION_WORDS[activation];
	return {
		caption: caption(`Activation de la couche ${ctx.symbols.layer(l)} : ${words.fr}`, `Activation of layer ${ctx.symbols.layer(l)}: ${words.en}`),
		symbolic: `${S.tensor('a', l)} = ${FORWARD[activation](S.tensor('z', l))}`,
		body: (index) => {
			const lhs = unitSymbol(ctx, 'a', l, index);
			if (activation === 'softmax') return softmaxForward(ctx, l, Z, index, lhs);
			const reads = [read(ctx.step, `Z[${l}]`, index)];
			return { lhs, reads, ...entrywiseForward(ctx, activation, unitSymbol(ctx, 'z', l, index), at(Z, index)) };
		}
	};
}

function entrywiseForward(ctx: Context, activation: Exclude<ActivationName, 'softmax'>, zs: string, z: number): Omit<ElementBody, 'lhs' | 'reads'> {
	const zt = ctx.tex(z);
	const zo = ctx.op(z);
	const ze = ctx.ex(z);
	switch (activation) {
		case 'square':
			return { rhs: `(${zs})^{2}`, numbers: `(${zt})^{2}`, expression: `(${ze})^2` };
		case 'identity':
			return { rhs: zs, numbers: null, expression: ze };
		case 'sigmoid':
			return { rhs: `\\sigma(${zs}) = \\frac{1}{1 + e^{-${zs}}}`, numbers: `\\frac{1}{1 + e^{-${zo}}}`, expression: `1/(1+exp(-${ze}))` };
		case 'tanh':
			return { rhs: `\\tanh(${zs})`, numbers: `\\tanh(${zt})`, expression: `tanh(${ze})` };
		case 'relu':
			return { rhs: `\\max(0, ${zs})`, numbers: `\\max(0, ${zt})`, expression: `max(0,${ze})` };
		case 'softplus':
			// the engine's overflow-free form max(z, 0) + log1p(e^{−|z|}), which is ln(1 + e^z)
			return {
				rhs: `\\ln(1 + e^{${zs}})`,
				numbers: `\\ln(1 + e^{${zt}})`,
				expression: z > 0 ? `${ze}+log1p(exp(-${ze}))` : `log1p(exp(${ze}))`
			};
		case 'step': {
			// as the engine, float noise around 0 counts as 0, and H(0) = 1
			const snapped = nearlyEqual(z, 0) ? 0 : z;
			return {
				rhs: `H(${zs}) = \\mathbf{1}[${zs} \\ge 0]`,
				numbers: `\\mathbf{1}[${ctx.tex(snapped)} \\ge 0]`,
				expression: `${ctx.ex(snapped)} >= 0 ? 1 : 0`
			};
		}
	}
}

/** a_j = e^{z_j} / Σ_k e^{z_k} over the row of the sample. */
function softmaxForward(ctx: Context, l: number, Z: Tensor, index: number[], lhs: string): ElementBody {
	const { start, width } = rowOf(Z.shape, index);
	const exponentials: Piece[] = [];
	const reads = [];
	for (let k = 0; k < width; k++) {
		const other = indexOf(Z.shape, start + k);
		const z = Z.data[start + k];
		exponentials.push({ symbolic: `e^{${unitSymbol(ctx, 'z', l, other)}}`, substituted: `e^{${ctx.tex(z)}}`, expression: `exp(${ctx.ex(z)})` });
		reads.push(read(ctx.step, `Z[${l}]`, other));
	}
	const own = exponentials[offsetOf(Z.shape, index) - start];
	const s = sum(exponentials);
	return {
		lhs,
		rhs: `\\frac{${own.symbolic}}{${s.symbolic}}`,
		numbers: `\\frac{${own.substituted}}{${s.substituted}}`,
		expression: `${own.expression}/(${s.expression})`,
		reads,
		note: countNote(s, ctx.options.locale)
	};
}

/**
 * dZ[l] = dA[l] ⊙ f'(Z[l]): the error term δ, with f' in the courses' form (a(1 − a) for the
 * sigmoid, 1 − a² for tanh, 1[z > 0] for ReLU). Not for the output layer when the loss pairs
 * with its activation (see losses.ts).
 */
export function activationBackward(ctx: Context, l: number): Rule {
	const S = ctx.symbols;
	const activation = activationOf(ctx, l);
	const words = ACTIVATION_WORDS[activation];
	const dA = ctx.tensor(ctx.step, `dA[${l}]`);
	const A = ctx.tensor(ctx.step, `A[${l}]`);
	const Z = ctx.tensor(ctx.step, `Z[${l}]`);
	const dATensor = S.partial(S.tensor('a', l));
	return {
		caption: caption(
			`Terme d'erreur δ de la couche ${ctx.symbols.layer(l)} : ∂${S.text.cost}/∂a fois la dérivée de la fonction ${words.fr}`,
			`Error term δ of layer ${ctx.symbols.layer(l)}: ∂${S.text.cost}/∂a times the derivative of the ${words.en}`
		),
		symbolic:
			activation === 'softmax'
				? softmaxJacobian(ctx, l)
				: `${S.tensor('delta', l)} = ${dATensor} \\odot f'(${S.tensor('z', l)}),\\quad ${derivative(activation, ctx.trace.setup.conventions)}`,
		body: (index) => {
			const lhs = unitSymbol(ctx, 'delta', l, index);
			if (activation === 'softmax') return softmaxBackward(ctx, l, index, lhs, dA, A);
			const upstream = ctx.leaf(S.partial(unitSymbol(ctx, 'a', l, index)), at(dA, index));
			const a = ctx.leaf(unitSymbol(ctx, 'a', l, index), at(A, index));
			const z = { symbol: unitSymbol(ctx, 'z', l, index), value: at(Z, index) };
			// the engine computes dA·f'(z): the same order keeps the same float
			const p = product(upstream, slope(ctx, activation, a, z));
			const readsZ = activation === 'relu' || activation === 'softplus' || activation === 'square';
			return {
				lhs,
				rhs: p.symbolic,
				numbers: p.substituted,
				expression: p.expression,
				reads: [read(ctx.step, `dA[${l}]`, index), read(ctx.step, readsZ ? `Z[${l}]` : `A[${l}]`, index)]
			};
		}
	};
}

/** f'(z) of an entry-wise activation as a factor, in the courses' form: a(1 − a), 1 − a², 1[z > 0]. */
function slope(ctx: Context, activation: Exclude<ActivationName, 'softmax'>, a: Piece, z: { symbol: string; value: number }): Piece {
	switch (activation) {
		case 'square':
			return { symbolic: `\\cdot 2${z.symbol}`, substituted: `2 \\cdot ${ctx.op(z.value)}`, expression: `(2*${ctx.ex(z.value)})` };
		case 'identity':
			return { symbolic: '\\cdot 1', substituted: '1', expression: '1' };
		case 'step':
			return { symbolic: '\\cdot 0', substituted: '0', expression: '0' };
		case 'sigmoid':
			return {
				symbolic: `${a.symbolic}(1 - ${a.symbolic})`,
				substituted: `${a.substituted} \\cdot (1 - ${a.substituted})`,
				expression: `(${a.expression}*(1-${a.expression}))`
			};
		case 'tanh':
			return { symbolic: `(1 - (${a.symbolic})^2)`, substituted: `(1 - ${a.substituted}^2)`, expression: `(1-${a.expression}^2)` };
		case 'relu': {
			// the engine's own ReLU′, so that z at 0 (float noise included) takes the run's convention
			const conventions = ctx.trace.setup.conventions;
			const on = String(reluDerivative(z.value, conventions));
			return { symbolic: `\\mathbf{1}[${z.symbol} ${RELU_ON[conventions.reluDerivativeAtZero]} 0]`, substituted: on, expression: on };
		}
		case 'softplus':
			return {
				symbolic: `\\sigma(${z.symbol})`,
				substituted: `\\frac{1}{1 + e^{-${ctx.op(z.value)}}}`,
				expression: `(1/(1+exp(-${ctx.ex(z.value)})))`
			};
	}
}

/**
 * δ_j = a_j (∂J/∂a_j − Σ_k a_k ∂J/∂a_k): the softmax Jacobian applied to dA, as the engine
 * computes it. Validation pairs softmax with categorical cross-entropy, whose δ = ŷ − y comes
 * from losses.ts, so no trace reaches this today; it is kept so that the formulas follow the
 * engine's activation if that pairing is ever relaxed (tested against ŷ − y).
 */
function softmaxBackward(ctx: Context, l: number, index: number[], lhs: string, dA: Tensor, A: Tensor): ElementBody {
	const S = ctx.symbols;
	const { start, width } = rowOf(A.shape, index);
	const terms: Piece[] = [];
	const reads = [];
	for (let k = 0; k < width; k++) {
		const other = indexOf(A.shape, start + k);
		terms.push(product(ctx.leaf(unitSymbol(ctx, 'a', l, other), A.data[start + k]), ctx.leaf(S.partial(unitSymbol(ctx, 'a', l, other)), dA.data[start + k])));
		reads.push(read(ctx.step, `A[${l}]`, other), read(ctx.step, `dA[${l}]`, other));
	}
	const own = offsetOf(A.shape, index);
	const a = ctx.leaf(unitSymbol(ctx, 'a', l, index), A.data[own]);
	const upstream = ctx.leaf(S.partial(unitSymbol(ctx, 'a', l, index)), dA.data[own]);
	const s = sum(terms);
	return {
		lhs,
		rhs: `${a.symbolic}\\left(${upstream.symbolic} - \\left(${s.symbolic}\\right)\\right)`,
		numbers: `${a.substituted} \\cdot \\left(${upstream.substituted} - \\left(${s.substituted}\\right)\\right)`,
		expression: `${a.expression}*(${upstream.expression}-(${s.expression}))`,
		reads,
		note: countNote(s, ctx.options.locale)
	};
}

/** δ_j = a_j (∂J/∂a_j − Σ_k a_k ∂J/∂a_k) at tensor level. */
function softmaxJacobian(ctx: Context, l: number): string {
	const S = ctx.symbols;
	const a = (k: string): string => `${S.tensor('a', l)}_{${k}}`;
	return `${S.tensor('delta', l)}_{j} = ${a('j')}\\left(${S.partial(a('j'))} - \\sum_{k} ${a('k')} ${S.partial(a('k'))}\\right)`;
}
