import { isStateSymbol, isTrained, parseName, type LayerSymbol } from '../engine/quantity';
import { isInside } from '../engine/tensor';
import { eventAt, type Trace } from '../engine/trace';
import { activationBackward } from './activations';
import { makeContext, type Context } from './context';
import { cost } from './cost';
import { divergence } from './diverged';
import { elementFormula, type Rule } from './element';
import { evaluationRule, isEvaluation, restoredParameter } from './evaluate';
import { initialParameter } from './init';
import { inputLayer } from './input';
import { LAYER_FORMULAS, ownFormula, weightedFormulas } from './layers';
import { outputGradient, pairedOutputDelta } from './loss-gradient';
import { isPaired } from './output';
import { perceptronRule } from './perceptron';
import type { EventFormula, FormulaOptions } from './types';
import { stateParts } from '../engine/optimizers';
import { optimizerState, optimizerUpdate } from './optimizers';
import { learningRateRule } from './schedule';

/**
 * The formula of event `seq`: a caption, the tensor-level equation, and for each element its
 * scalar equation, the numbers put in, and the value read from the trace. Nothing here
 * recomputes the engine's maths: every number shown is an event's value or a target.
 */
export function explain(trace: Trace, seq: number, options: FormulaOptions): EventFormula {
	const event = eventAt(trace, seq);
	const ctx = makeContext(trace, event, options);
	const rule = ruleFor(ctx);
	return {
		caption: rule.caption,
		symbolic: rule.symbolic,
		element: (index) => (isInside(event.value.shape, index) ? elementFormula(ctx, index, rule.body(index)) : null)
	};
}

function ruleFor(ctx: Context): Rule {
	const { event, trace } = ctx;
	if (event.phase === 'diverged') return divergence(ctx);
	if (event.phase === 'evaluate') return isEvaluation(event.name) ? evaluationRule(ctx) : restoredParameter(ctx, event.name);
	if (trace.setup.kind === 'perceptron') {
		const rule = perceptronRule(ctx, event.name);
		if (rule) return rule;
	} else if (event.name === 'loss') {
		return cost(ctx);
	} else if (event.name === 'lr') {
		return learningRateRule(ctx);
	} else {
		const q = parseName(event.name);
		if (q && q.layer !== null && isStateSymbol(q.symbol)) return optimizerState(ctx, stateParts(q.symbol), q.layer);
		if (q && q.layer !== null && !isStateSymbol(q.symbol)) return layerRule(ctx, q.symbol, q.layer);
	}
	throw new Error(`formulas: no formula for the event ${event.name} (seq ${event.seq})`);
}

function layerRule(ctx: Context, quantity: LayerSymbol, l: number): Rule {
	const L = ctx.trace.setup.layers.length;
	switch (quantity) {
		case 'W':
		case 'b':
		case 'gamma':
		case 'beta':
		case 'moving_mean':
		case 'moving_variance':
			// what the optimizer does not train (the moving statistics) the layer's own rule moves
			if (ctx.event.phase === 'init') return initialParameter(ctx, quantity, l);
			return isTrained(quantity) ? optimizerUpdate(ctx, quantity, l) : ownFormula(ctx, quantity, l);
		case 'A':
			return l === 0 ? inputLayer(ctx) : LAYER_FORMULAS[ctx.layer(l).type].output(ctx, l);
		case 'Z':
			return weightedFormulas(ctx, l).weightedSum(ctx, l);
		case 'dA':
			// dA[L] comes from the loss; dA[l] below from the backward rule of layer l + 1
			return l === L ? outputGradient(ctx) : LAYER_FORMULAS[ctx.layer(l + 1).type].backToInput(ctx, l);
		case 'dZ':
			return l === L && isPaired(ctx) ? pairedOutputDelta(ctx) : activationBackward(ctx, l);
		case 'dW':
			return weightedFormulas(ctx, l).weightGradient(ctx, l);
		case 'db':
			return weightedFormulas(ctx, l).biasGradient(ctx, l);
		case 'M':
		case 'mu':
		case 'sigma2':
		case 'xhat':
		case 'dgamma':
		case 'dbeta':
			return ownFormula(ctx, quantity, l);
	}
}
