import { adamStepSize, type OptimizerPlan, type StateLetter } from '../engine/optimizers';
import { GRADIENT_OF, type TrainedName } from '../engine/quantity';
import { at } from '../engine/tensor';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { parameterLetter } from './notation';
import { parameterSymbol, parameterWords, updateSwitch } from './params';
import type { ElementRead } from './types';
import { stepRate } from './schedule';
import { gradientDescent } from './update';

/**
 * The updates of momentum, RMSprop and Adam (and of sgd with L2 weight decay), and the states
 * they keep, as Keras computes them (engine/optimizers.ts): every number is read from the
 * trace, the state of the step before (zero before the first update), the gradient of the step,
 * the state of the step for the parameter.
 */

/** g, the gradient the optimizer reads: ∂J/∂w, plus 2λw with L2 weight decay on W. */
interface GradientTerm {
	tex: string;
	numbers: string;
	expression: string;
	reads: ElementRead[];
}

function gradientTerm(ctx: Context, kind: TrainedName, l: number, index: number[]): GradientTerm {
	const S = ctx.symbols;
	const symbol = parameterSymbol(ctx, kind, l, index);
	const name = `${GRADIENT_OF[kind]}[${l}]`;
	const g = at(ctx.tensor(ctx.step, name), index);
	const reads = [read(ctx.step, name, index)];
	const { l2 } = ctx.trace.setup;
	// the weight decay is on W only, as the engine's
	if (kind !== 'W' || l2 === 0) return { tex: S.partial(symbol), numbers: ctx.op(g), expression: ctx.ex(g), reads };
	const w = at(ctx.tensor(ctx.step - 1, `W[${l}]`), index);
	return {
		tex: `\\left(${S.partial(symbol)} + 2\\lambda ${symbol}\\right)`,
		numbers: `\\left(${ctx.op(g)} + 2 \\cdot ${ctx.op(l2)} \\cdot ${ctx.op(w)}\\right)`,
		expression: `(${ctx.ex(g)}+2*${ctx.ex(l2)}*${ctx.ex(w)})`,
		reads: [...reads, read(ctx.step - 1, `W[${l}]`, index)]
	};
}

/** The state of the step before, 0 before the first update (the state starts at zeros). */
function previousState(ctx: Context, name: string, index: number[]): { value: number; reads: ElementRead[] } {
	if (ctx.step <= 1) return { value: 0, reads: [] };
	return { value: at(ctx.tensor(ctx.step - 1, name), index), reads: [read(ctx.step - 1, name, index)] };
}

/** A number squared: one written with its power of ten (1.9 \times 10^{-16}) in parentheses, as TeX cannot raise it twice. */
function squared(tex: string): string {
	return tex.includes('\\times') ? `\\left(${tex}\\right)^2` : `${tex}^2`;
}

function stateSymbol(state: string, parameter: string): string {
	return `${state}_{${parameter}}`;
}

const STATE_WORDS: Record<StateLetter, { fr: string; en: string }> = {
	v: { fr: 'Vitesse (momentum)', en: 'Velocity (momentum)' },
	m: { fr: 'Moyenne mobile du gradient (Adam)', en: 'Moving average of the gradient (Adam)' },
	s: { fr: 'Moyenne mobile du carré du gradient', en: 'Moving average of the squared gradient' }
};

/** How much of the state each update keeps: μ (momentum), ρ (RMSprop), β₁ or β₂ (Adam). */
function decayRate(plan: OptimizerPlan, state: StateLetter): { rate: number; rateTex: string; rateText: string } {
	switch (plan.type) {
		case 'momentum':
			return { rate: plan.momentum, rateTex: '\\mu', rateText: 'μ' };
		case 'rmsprop':
			return { rate: plan.rho, rateTex: '\\rho', rateText: 'ρ' };
		case 'adam':
			return state === 'm' ? { rate: plan.beta1, rateTex: '\\beta_1', rateText: 'β₁' } : { rate: plan.beta2, rateTex: '\\beta_2', rateText: 'β₂' };
		case 'sgd':
			throw new Error('formulas: sgd keeps no state');
	}
}

/** vW[l], mW[l], sW[l] (and those of b, γ, β): the state after this step's update. */
export function optimizerState(ctx: Context, { state, kind }: { state: StateLetter; kind: TrainedName }, l: number): Rule {
	const plan = ctx.trace.setup.optimizer;
	const rate = stepRate(ctx);
	const S = ctx.symbols;
	const name = `${state}${kind}[${l}]`;
	const tensor = S.tensor(parameterLetter(kind), l);
	const words = parameterWords(kind);
	const { rate: decay, rateTex, rateText } = decayRate(plan, state);
	const square = state === 's';
	const decayed = kind === 'W' && ctx.trace.setup.l2 !== 0;
	const gTex = decayed ? `\\left(${S.partial(tensor)} + 2\\lambda ${tensor}\\right)` : S.partial(tensor);
	const gSymbolic = square ? (decayed ? `${gTex}^2` : `\\left(${gTex}\\right)^2`) : gTex;
	const symbolic =
		state === 'v'
			? `${stateSymbol('v', tensor)} \\leftarrow ${rateTex}\\, ${stateSymbol('v', tensor)} - ${rate.tex} ${gTex}`
			: `${stateSymbol(state, tensor)} \\leftarrow ${rateTex}\\, ${stateSymbol(state, tensor)} + (1 - ${rateTex})\\, ${gSymbolic}`;
	return {
		caption: caption(
			`${STATE_WORDS[state].fr} des ${words.fr} de la couche ${S.layer(l)} (${rateText} = ${ctx.text(decay, 'fr')})`,
			`${STATE_WORDS[state].en} of the ${words.en} of layer ${S.layer(l)} (${rateText} = ${ctx.text(decay, 'en')})`
		),
		symbolic,
		body: (index) => {
			const symbol = stateSymbol(state, parameterSymbol(ctx, kind, l, index));
			const before = previousState(ctx, name, index);
			const g = gradientTerm(ctx, kind, l, index);
			const reads = [...before.reads, ...g.reads];
			if (state === 'v') {
				return {
					lhs: symbol,
					relation: '\\leftarrow',
					rhs: `${rateTex}\\, ${symbol} - ${rate.tex} ${g.tex}`,
					numbers: `${ctx.op(decay)} \\cdot ${ctx.op(before.value)} - ${ctx.op(rate.value)} \\cdot ${g.numbers}`,
					expression: `${ctx.ex(decay)}*${ctx.ex(before.value)}-${ctx.ex(rate.value)}*${g.expression}`,
					reads: [...reads, ...rate.reads]
				};
			}
			return {
				lhs: symbol,
				relation: '\\leftarrow',
				rhs: `${rateTex}\\, ${symbol} + (1 - ${rateTex})\\, ${square ? (decayed ? `${g.tex}^2` : `\\left(${g.tex}\\right)^2`) : g.tex}`,
				numbers: `${ctx.op(decay)} \\cdot ${ctx.op(before.value)} + ${ctx.op(1 - decay)} \\cdot ${square ? squared(g.numbers) : g.numbers}`,
				expression: `${ctx.ex(decay)}*${ctx.ex(before.value)}+(1-${ctx.ex(decay)})*${square ? `(${g.expression})^2` : g.expression}`,
				reads
			};
		}
	};
}

/** W[l] or b[l] (γ, β) after an update of momentum, RMSprop, Adam, or sgd with L2 weight decay. */
export function optimizerUpdate(ctx: Context, kind: TrainedName, l: number): Rule {
	const { optimizer: plan, update, l2, frozen } = ctx.trace.setup;
	const enabled = !frozen.includes(l) && update[updateSwitch(ctx, kind, l)];
	if (!enabled || (plan.type === 'sgd' && (l2 === 0 || kind !== 'W'))) return gradientDescent(ctx, kind, l);
	const S = ctx.symbols;
	const rate = stepRate(ctx);
	const lr = rate.value;
	const name = `${kind}[${l}]`;
	const tensor = S.tensor(parameterLetter(kind), l);
	const words = parameterWords(kind);
	const state = (s: StateLetter, index: number[]) => {
		const stateName = `${s}${kind}[${l}]`;
		return { value: at(ctx.tensor(ctx.step, stateName), index), read: read(ctx.step, stateName, index) };
	};
	const t = ctx.step;
	const alpha = plan.type === 'adam' ? adamStepSize(lr, plan.beta1, plan.beta2, t) : lr;
	const symbolic =
		plan.type === 'momentum'
			? `${tensor} \\leftarrow ${tensor} + ${stateSymbol('v', tensor)}`
			: plan.type === 'rmsprop'
				? `${tensor} \\leftarrow ${tensor} - ${rate.tex} \\frac{${kind === 'W' && l2 !== 0 ? `${S.partial(tensor)} + 2\\lambda ${tensor}` : S.partial(tensor)}}{\\sqrt{${stateSymbol('s', tensor)} + \\varepsilon}}`
				: plan.type === 'adam'
					? `${tensor} \\leftarrow ${tensor} - \\alpha_t \\frac{${stateSymbol('m', tensor)}}{\\sqrt{${stateSymbol('s', tensor)}} + \\varepsilon}, \\quad \\alpha_t = ${rate.tex} \\frac{\\sqrt{1 - \\beta_2^{\\,t}}}{1 - \\beta_1^{\\,t}}`
					: `${tensor} \\leftarrow ${tensor} - ${rate.tex} \\left(${S.partial(tensor)} + 2\\lambda ${tensor}\\right)`;
	const named = { momentum: 'Momentum', rmsprop: 'RMSprop', adam: 'Adam', sgd: 'SGD + L2' }[plan.type];
	return {
		caption: caption(
			`${named} sur les ${words.fr} de la couche ${S.layer(l)} (${rate.text('fr')}${plan.type === 'adam' ? `, t = ${t}` : ''})`,
			`${named} on the ${words.en} of layer ${S.layer(l)} (${rate.text('en')}${plan.type === 'adam' ? `, t = ${t}` : ''})`
		),
		symbolic,
		body: (index) => {
			const symbol = parameterSymbol(ctx, kind, l, index);
			const p = at(ctx.tensor(t - 1, name), index);
			const before = read(t - 1, name, index);
			switch (plan.type) {
				case 'momentum': {
					const v = state('v', index);
					return { lhs: symbol, relation: '\\leftarrow', rhs: `${symbol} + ${stateSymbol('v', symbol)}`, numbers: `${ctx.op(p)} + ${ctx.op(v.value)}`, expression: `${ctx.ex(p)}+${ctx.ex(v.value)}`, reads: [before, v.read] };
				}
				case 'rmsprop': {
					const s = state('s', index);
					const g = gradientTerm(ctx, kind, l, index);
					return {
						lhs: symbol,
						relation: '\\leftarrow',
						rhs: `${symbol} - ${rate.tex} \\frac{${g.tex}}{\\sqrt{${stateSymbol('s', symbol)} + \\varepsilon}}`,
						numbers: `${ctx.op(p)} - ${ctx.op(lr)} \\cdot \\frac{${g.numbers}}{\\sqrt{${ctx.op(s.value)} + ${ctx.op(plan.epsilon)}}}`,
						expression: `${ctx.ex(p)}-${ctx.ex(lr)}*${g.expression}/sqrt(${ctx.ex(s.value)}+${ctx.ex(plan.epsilon)})`,
						reads: [before, ...rate.reads, ...g.reads, s.read]
					};
				}
				case 'adam': {
					const m = state('m', index);
					const s = state('s', index);
					return {
						lhs: symbol,
						relation: '\\leftarrow',
						rhs: `${symbol} - \\alpha_t \\frac{${stateSymbol('m', symbol)}}{\\sqrt{${stateSymbol('s', symbol)}} + \\varepsilon}`,
						numbers: `${ctx.op(p)} - ${ctx.op(alpha)} \\cdot \\frac{${ctx.op(m.value)}}{\\sqrt{${ctx.op(s.value)}} + ${ctx.op(plan.epsilon)}}`,
						expression: `${ctx.ex(p)}-(${ctx.ex(lr)}*sqrt(1-${ctx.ex(plan.beta2)}^${t})/(1-${ctx.ex(plan.beta1)}^${t}))*${ctx.ex(m.value)}/(sqrt(${ctx.ex(s.value)})+${ctx.ex(plan.epsilon)})`,
						reads: [before, ...rate.reads, m.read, s.read]
					};
				}
				case 'sgd': {
					const g = gradientTerm(ctx, kind, l, index);
					return {
						lhs: symbol,
						relation: '\\leftarrow',
						rhs: `${symbol} - ${rate.tex} ${g.tex}`,
						numbers: `${ctx.op(p)} - ${ctx.op(lr)} \\cdot ${g.numbers}`,
						expression: `${ctx.ex(p)}-${ctx.ex(lr)}*${g.expression}`,
						reads: [before, ...rate.reads, ...g.reads]
					};
				}
			}
		}
	};
}
