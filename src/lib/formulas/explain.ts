import { parseName, type LayerSymbol } from '../engine/quantity';
import { isInside } from '../engine/tensor';
import { eventAt, type Trace } from '../engine/trace';
import { activationBackward, activationForward } from './activations';
import { makeContext, type Context } from './context';
import { convBackToInput, convBiasGradient, convWeightGradient, convWeightedSum } from './conv';
import { cost } from './cost';
import { denseBackToInput, denseBiasGradient, denseWeightGradient, denseWeightedSum } from './dense';
import { divergence } from './diverged';
import { elementFormula, type Rule } from './element';
import { flattenBackToInput, flattenForward } from './flatten';
import { initialParameter } from './init';
import { inputLayer } from './input';
import { outputGradient, pairedOutputDelta } from './loss-gradient';
import { isPaired } from './output';
import { perceptronRule } from './perceptron';
import { poolBackToInput, poolForward } from './pool';
import type { EventFormula, FormulaOptions } from './types';
import { gradientDescent } from './update';

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
	if (trace.setup.kind === 'perceptron') {
		const rule = perceptronRule(ctx, event.name);
		if (rule) return rule;
	} else if (event.name === 'loss') {
		return cost(ctx);
	} else {
		const q = parseName(event.name);
		if (q && q.layer !== null) return layerRule(ctx, q.symbol, q.layer);
	}
	throw new Error(`formulas: no formula for the event ${event.name} (seq ${event.seq})`);
}

function layerRule(ctx: Context, quantity: LayerSymbol, l: number): Rule {
	const L = ctx.trace.setup.layers.length;
	switch (quantity) {
		case 'W':
		case 'b':
			return ctx.event.phase === 'init' ? initialParameter(ctx, quantity, l) : gradientDescent(ctx, quantity, l);
		case 'A': {
			if (l === 0) return inputLayer(ctx);
			const type = ctx.layer(l).type;
			if (type === 'pool') return poolForward(ctx, l);
			if (type === 'flatten') return flattenForward(ctx, l);
			return activationForward(ctx, l);
		}
		case 'Z':
			return ctx.layer(l).type === 'conv2d' ? convWeightedSum(ctx, l) : denseWeightedSum(ctx, l);
		case 'dA': {
			// dA[L] comes from the loss; dA[l] below from the backward rule of layer l + 1
			if (l === L) return outputGradient(ctx);
			const next = ctx.layer(l + 1).type;
			if (next === 'dense') return denseBackToInput(ctx, l);
			if (next === 'conv2d') return convBackToInput(ctx, l);
			if (next === 'pool') return poolBackToInput(ctx, l);
			return flattenBackToInput(ctx, l);
		}
		case 'dZ':
			return l === L && isPaired(ctx) ? pairedOutputDelta(ctx) : activationBackward(ctx, l);
		case 'dW':
			return ctx.layer(l).type === 'conv2d' ? convWeightGradient(ctx, l) : denseWeightGradient(ctx, l);
		case 'db':
			return ctx.layer(l).type === 'conv2d' ? convBiasGradient(ctx, l) : denseBiasGradient(ctx, l);
	}
}
