/**
 * The canonical quantity names of DESIGN.md as typed values. The engine builds every event name
 * with `nameOf`, and everything that reads a name back (formulas, pictures, the grader, the sheets)
 * parses it with `parseName`, so all of them agree on one rule and a new symbol is a compile error
 * wherever a switch over the symbols misses it.
 *
 * A name is `symbol[layer]` or a symbol alone (`loss`, `error`, `diverged`). The layer is written
 * as the engine writes it: decimal digits without a leading zero (`W[01]` is refused, so a name
 * parses only when it is exactly the name the engine records). The layer range is the model's
 * business, not the name's: `Z[0]` parses, and the run simply never records it.
 */

/**
 * Quantities of one layer, numbered 1..L (A[0] is the input batch); M[l] is a dropout layer's
 * mask at training: 1 for a kept unit, 0 for a dropped one. A batch normalisation layer learns
 * gamma[l] (γ, its scale) and beta[l] (β, its shift) and keeps moving_mean[l] and
 * moving_variance[l] (Keras's names); at training it records the batch's mean mu[l] (μ), its
 * variance sigma2[l] (σ²) and the normalised input xhat[l] (x̂).
 */
export const LAYER_SYMBOLS = [
	'A',
	'Z',
	'dA',
	'dZ',
	'W',
	'b',
	'dW',
	'db',
	'M',
	'gamma',
	'beta',
	'dgamma',
	'dbeta',
	'moving_mean',
	'moving_variance',
	'mu',
	'sigma2',
	'xhat'
] as const;
/**
 * The tensors a layer keeps from step to step, in the order a layer declares them: the ones the
 * optimizer trains (W, b, gamma, beta), then the moving statistics a training pass moves.
 */
export const PARAMETER_SYMBOLS = ['W', 'b', 'gamma', 'beta', 'moving_mean', 'moving_variance'] as const;
export type ParameterName = (typeof PARAMETER_SYMBOLS)[number];
/** The parameters an optimizer trains from their gradient, and that gradient's symbol. */
export const GRADIENT_OF = { W: 'dW', b: 'db', gamma: 'dgamma', beta: 'dbeta' } as const;
export type TrainedName = keyof typeof GRADIENT_OF;

/** Whether the optimizer trains a parameter from a gradient (W, b, gamma, beta), rather than a training pass moving it. */
export function isTrained(name: ParameterName): name is TrainedName {
	return name in GRADIENT_OF;
}
/**
 * Quantities of the whole run: the cost J, a perceptron's error y − ŷ, and a run's divergence;
 * then what the end of each epoch evaluates (evaluate.ts): the loss over the whole training set
 * (`epoch_loss`), over the validation set (`val_loss`) and, once after training, the test set
 * (`test_loss`), each metric on the same three sets, and the early-stopping decision; `lr`, the
 * learning rate η_k of an update when a schedule makes it decay (schedules.ts).
 */
export const RUN_SYMBOLS = [
	'loss',
	'error',
	'diverged',
	'epoch_loss',
	'val_loss',
	'test_loss',
	'accuracy',
	'val_accuracy',
	'test_accuracy',
	'mae',
	'val_mae',
	'test_mae',
	'mse',
	'val_mse',
	'test_mse',
	'early_stopping',
	'lr'
] as const;
/**
 * An optimizer's state per parameter of a layer, recorded at each update before the parameter:
 * the velocity v (momentum), the moving averages m of the gradient and s of its square (Adam;
 * RMSprop keeps s only). `vW[2]` is the velocity of W[2].
 */
export const STATE_SYMBOLS = ['vW', 'vb', 'mW', 'mb', 'sW', 'sb', 'vgamma', 'vbeta', 'mgamma', 'mbeta', 'sgamma', 'sbeta'] as const;
export const QUANTITY_SYMBOLS = [...LAYER_SYMBOLS, ...RUN_SYMBOLS, ...STATE_SYMBOLS] as const;

export type LayerSymbol = (typeof LAYER_SYMBOLS)[number];
export type RunSymbol = (typeof RUN_SYMBOLS)[number];
export type StateSymbol = (typeof STATE_SYMBOLS)[number];
export type QuantitySymbol = LayerSymbol | RunSymbol | StateSymbol;
/** ∂J/∂(quantity); dZ is the courses' δ. */
export type GradientSymbol = 'dA' | 'dZ' | (typeof GRADIENT_OF)[TrainedName];
/** The quantities the gradients are taken with respect to. */
export type BaseSymbol = Exclude<LayerSymbol, GradientSymbol>;

export type Quantity = { symbol: LayerSymbol | StateSymbol; layer: number } | { symbol: RunSymbol; layer: null };

/** An element address as exercises write it: `dW[1][0][1]`, 0-based indices after the name. */
export interface Address {
	quantity: Quantity;
	index: number[];
}

/** a state has its parameter's shape and rows: vW[l] is read like W[l] */
const BASES: Record<LayerSymbol | StateSymbol, BaseSymbol> = {
	A: 'A',
	Z: 'Z',
	W: 'W',
	b: 'b',
	dA: 'A',
	dZ: 'Z',
	dW: 'W',
	db: 'b',
	M: 'M',
	gamma: 'gamma',
	beta: 'beta',
	dgamma: 'gamma',
	dbeta: 'beta',
	moving_mean: 'moving_mean',
	moving_variance: 'moving_variance',
	mu: 'mu',
	sigma2: 'sigma2',
	xhat: 'xhat',
	vW: 'W',
	vb: 'b',
	mW: 'W',
	mb: 'b',
	sW: 'W',
	sb: 'b',
	vgamma: 'gamma',
	vbeta: 'beta',
	mgamma: 'gamma',
	mbeta: 'beta',
	sgamma: 'gamma',
	sbeta: 'beta'
};
/** Tensors with one row per sample of the batch (the others are parameters, their states or the cost). */
const BATCHED: Record<QuantitySymbol, boolean> = {
	A: true,
	Z: true,
	dA: true,
	dZ: true,
	W: false,
	b: false,
	dW: false,
	db: false,
	gamma: false,
	beta: false,
	dgamma: false,
	dbeta: false,
	moving_mean: false,
	moving_variance: false,
	// one per feature: the batch's statistics are not per sample
	mu: false,
	sigma2: false,
	xhat: true,
	...(Object.fromEntries(RUN_SYMBOLS.map((symbol) => [symbol, false])) as Record<(typeof RUN_SYMBOLS)[number], boolean>),
	...(Object.fromEntries(STATE_SYMBOLS.map((symbol) => [symbol, false])) as Record<StateSymbol, boolean>),
	error: true,
	M: true
};

/** A bracketed index as the engine writes it: no sign, no leading zero. */
const BRACKET = /^\[(0|[1-9]\d*)\]/;

export function nameOf(q: Quantity): string {
	return q.layer === null ? q.symbol : `${q.symbol}[${q.layer}]`;
}

/** The name of a layer's quantity: `layerName('dW', 2)` → `dW[2]`. */
export function layerName(symbol: LayerSymbol | StateSymbol, layer: number): string {
	return nameOf({ symbol, layer });
}

/** `dZ[2]` → { symbol: 'dZ', layer: 2 }, `loss` → { symbol: 'loss', layer: null }; null for any other text. */
export function parseName(name: string): Quantity | null {
	const address = parseAddress(name);
	return address && address.index.length === 0 ? address.quantity : null;
}

/**
 * `dW[1][0][1]` → dW[1] and the indices [0, 1]; a name alone has no indices. Null for anything
 * else, so a typo (`W[1`, `W[x]`, `W[1][-1]`, `W[1][01]`) is reported rather than read as something else.
 */
export function parseAddress(text: string): Address | null {
	const split = splitIndices(text);
	if (!split) return null;
	const { head, indices } = split;
	if (isRunSymbol(head)) return { quantity: { symbol: head, layer: null }, index: indices };
	if (!(isLayerSymbol(head) || isStateSymbol(head)) || indices.length === 0) return null;
	const [layer, ...index] = indices;
	return { quantity: { symbol: head, layer }, index };
}

/**
 * `W[1][0]` → { head: 'W', indices: [1, 0] }: the text before the first bracket, and the
 * bracketed indices that must make up all the rest (null otherwise). Also splits the names an
 * exercise's `vary` gives beside the quantities (`X[0][1]`, `lr`).
 */
export function splitIndices(text: string): { head: string; indices: number[] } | null {
	const bracket = text.indexOf('[');
	const head = bracket < 0 ? text : text.slice(0, bracket);
	const indices: number[] = [];
	let rest = bracket < 0 ? '' : text.slice(bracket);
	while (rest.length > 0) {
		const m = BRACKET.exec(rest);
		if (!m) return null;
		const i = Number(m[1]);
		if (!Number.isSafeInteger(i)) return null;
		indices.push(i);
		rest = rest.slice(m[0].length);
	}
	return { head, indices };
}

/** The quantity a name is about, without its layer: `dZ[2]` → dZ; null for another name. */
export function quantityOf(name: string): QuantitySymbol | null {
	return parseName(name)?.symbol ?? null;
}

/** The layer number of a name (`dW[3]` → 3); null for `loss`, `error`, `diverged` and other text. */
export function layerOf(name: string): number | null {
	return parseName(name)?.layer ?? null;
}

function isLayerSymbol(text: string): text is LayerSymbol {
	return (LAYER_SYMBOLS as readonly string[]).includes(text);
}

export function isStateSymbol(text: string): text is StateSymbol {
	return (STATE_SYMBOLS as readonly string[]).includes(text);
}

function isRunSymbol(text: string): text is RunSymbol {
	return (RUN_SYMBOLS as readonly string[]).includes(text);
}

export function isGradient(symbol: QuantitySymbol): symbol is GradientSymbol {
	return isLayerSymbol(symbol) && BASES[symbol] !== symbol;
}

/** What a gradient is taken with respect to (dZ → Z), or whose state an optimizer keeps (vW → W); a base quantity is its own base. */
export function baseOf(symbol: LayerSymbol | StateSymbol): BaseSymbol {
	return BASES[symbol];
}

/** Tensors with one row per sample of the batch (A, Z, their gradients, a perceptron's error). */
export function isBatched(symbol: QuantitySymbol): boolean {
	return BATCHED[symbol];
}

/** A layer's parameters, their gradients and their optimizer states: W, b, dW, db, vW, gamma… (one row per unit, not per sample). */
export function isParameter(symbol: LayerSymbol | StateSymbol): boolean {
	return (PARAMETER_SYMBOLS as readonly string[]).includes(baseOf(symbol));
}
