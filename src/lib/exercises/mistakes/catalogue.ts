/**
 * The typical mistakes of hand-worked deep learning, each a small named unit that says what a
 * student making it computes — by running the engine with one convention changed (`rerun`), or by
 * an engine rule applied to the wrong operand (`derive`) — never by a formula copied here.
 */
import { ACTIVATIONS } from '../../engine/activations';
import { denseBackward } from '../../engine/layers/dense';
import type { RunOptions } from '../../engine/run';
import { ScenarioError } from '../../engine/scenario/issues';
import type { LayerConfig } from '../../engine/scenario/schema';
import { estimateCost, type NetworkScenario, type PerceptronScenario, type Scenario } from '../../engine/scenario/validate';
import { unitOf } from '../../engine/layers/registry';
import type { WindowPlan } from '../../engine/layers/unit';
import { outputSize, type WindowGeometry } from '../../engine/layers/window';
import { layerName, layerOf, parseName, type QuantitySymbol, type RunSymbol } from '../../engine/quantity';
import { isParametric, layerParamCount, parameterShapes, planModel, type DensePlan, type LayerPlan } from '../../engine/plan';
import { sameShape, sizeOf, type NestedNumbers, type Tensor } from '../../engine/tensor';
import { eventAt, findEvent, type Trace } from '../../engine/trace';
import type { Localized } from '../exercise';

export interface Mistake {
	code: string;
	title: Localized;
	explanation: Localized;
	/** the quantities (canonical names without the layer) and the facts whose value it changes */
	quantities: readonly (QuantitySymbol | 'output_size' | 'param_count')[];
	/**
	 * a convention a student applies to the whole computation, not to one entry: it explains an
	 * answer only when every entry it changes is wrong there
	 */
	everyEntry?: boolean;
	/** the checked scenario a student making it runs; null where it changes nothing */
	rerun?: (s: Scenario) => Scenario | null;
	/** with the rerun: the options of the student's run, for a rule the engine changes only through an option */
	runOptions?: (s: Scenario) => RunOptions;
	/** or the value of event `name` at `step` as the student computes it from the right run (where it gives null, the rerun's) */
	derive?: (trace: Trace, name: string, step: number) => Tensor | null;
	/**
	 * false where the derived value is the right one written another way, which the student's own
	 * next step reads back as such (the velocity −v of the convention that then subtracts v): the
	 * replay's run of the mistake does not go on from it
	 */
	carriedForward?: false;
	/** or a fact of the model (output_size, param_count) as the student counts it */
	fact?: (plans: readonly LayerPlan[], ask: 'output_size' | 'param_count', layer: number | undefined) => NestedNumbers | null;
	/**
	 * For a derived value that is another event of the right run (δ without σ′ is ∂J/∂a): that
	 * event's name, whose formula, with its numbers, is then what the student computed.
	 */
	sameAs?: (name: string) => string;
}

const network = (s: Scenario): NetworkScenario | null => (s.kind === 'network' && s.loss !== null ? s : null);
const perceptron = (s: Scenario): PerceptronScenario | null => (s.kind === 'perceptron' ? s : null);
const batchOfMany = (s: Scenario): boolean => s.training.batchSize > 1 && s.X.shape[0] > 1;
/** the cost, the gradients, and what they feed: the optimizer's states and the updated parameters */
const GRADIENTS = ['loss', 'dA', 'dZ', 'dW', 'db', 'W', 'b', 'vW', 'vb', 'mW', 'mb', 'sW', 'sb'] as const;
const UPDATES = ['W', 'b'] as const;
/**
 * what an update changes from the next step on: everything computed with the new parameters (not
 * a perceptron's output and error, 0 or 1, which any two mistakes that flip them give alike)
 */
const UPDATED = ['Z', ...GRADIENTS] as const;
/**
 * a perceptron's quantities, each step computed from the weights the step before left; not its
 * output ŷ ∈ {0, 1} and error, which any two mistakes that flip them give alike
 */
const PERCEPTRON = ['Z', 'W', 'b'] as const;
/** a window's geometry changes the model's sizes, and every value from that layer on */
const WINDOW_QUANTITIES = ['output_size', 'param_count', 'Z', 'A', ...GRADIENTS] as const;

/**
 * δ as the student writes it from the run's own dA: without σ′ (`none`), with σ′ taken at a
 * (σ′(a), `a`), or with σ′ written from the output, a(1 − a) or 1 − a², but evaluated at z
 * (z(1 − z), 1 − z²: `output-form-at-z`).
 */
function deltaFrom(trace: Trace, name: string, step: number, at: 'none' | 'a' | 'output-form-at-z'): Tensor | null {
	const q = parseName(name);
	if (q?.symbol !== 'dZ') return null;
	const l = q.layer;
	const plan = trace.setup.layers[l - 1];
	if (!plan || (plan.type !== 'dense' && plan.type !== 'conv2d') || plan.activation === 'identity' || plan.activation === 'softmax') return null;
	const dA = findEvent(trace, step, `dA[${l}]`)?.value;
	const A = findEvent(trace, step, `A[${l}]`)?.value;
	if (!dA || !A) return null;
	if (at === 'none') return { shape: dA.shape, data: Float64Array.from(dA.data) };
	const activation = ACTIVATIONS[plan.activation];
	if (at === 'output-form-at-z') {
		const Z = findEvent(trace, step, `Z[${l}]`)?.value;
		if (!Z) return null;
		// the engine's derivative reads the output a for σ and tanh: given z in its place, it computes z(1 − z), 1 − z²
		const dZ = new Float64Array(Z.data.length);
		activation.backward(Z.data, Z.data, dA.data, dZ, Z.shape[Z.shape.length - 1], trace.setup.conventions);
		return { shape: dA.shape, data: dZ };
	}
	const width = A.shape[A.shape.length - 1];
	const ofA = new Float64Array(A.data.length);
	activation.forward(A.data, ofA, width);
	const dZ = new Float64Array(A.data.length);
	activation.backward(A.data, ofA, dA.data, dZ, width, trace.setup.conventions);
	return { shape: dA.shape, data: dZ };
}

/**
 * A window layer's output size with the rule changed: without the + 1, or with the division
 * rounded up (⌈(n + 2p − k)/s⌉ + 1, which the engine's ⌊·⌋ + 1 gives for n + s − 1).
 */
function windowSize(plans: readonly LayerPlan[], layer: number | undefined, rule: 'without-one' | 'rounded-up'): NestedNumbers | null {
	const plan = layer ? plans[layer - 1] : undefined;
	if (!plan || (plan.type !== 'conv2d' && plan.type !== 'pool')) return null;
	const { kernel, stride, padding } = plan.geometry;
	const [, h, w] = plan.inputShape;
	const size = (n: number, axis: 0 | 1): number =>
		rule === 'without-one' ? outputSize(n, kernel[axis], stride[axis], padding[axis]) - 1 : outputSize(n + stride[axis] - 1, kernel[axis], stride[axis], padding[axis]);
	return [plan.outputShape[0], size(h, 0), size(w, 1)];
}

/** Parameters counted with the biases changed: none, or one per input instead of one per unit or filter. */
function countWith(plans: readonly LayerPlan[], layer: number | undefined, biases: 'none' | 'per-input'): number | null {
	const chosen = layer ? [plans[layer - 1]] : plans;
	if (chosen.some((p) => p === undefined) || !chosen.some((p) => p && isParametric(p))) return null;
	return chosen.reduce((sum, plan) => {
		if (!plan || !isParametric(plan)) return sum;
		const weights = layerParamCount(plan) - sizeOf(parameterShapes(plan).b);
		return sum + weights + (biases === 'none' ? 0 : plan.inputShape[0]);
	}, 0);
}

const negated = (value: Tensor | undefined): Tensor | null => (value ? { shape: value.shape, data: value.data.map((v) => -v) } : null);

/** A dense layer whose W is square: W and Wᵀ have the same shape, so a student can use either. */
function isSquareDense(plan: LayerPlan | undefined): plan is DensePlan {
	return plan?.type === 'dense' && plan.units === plan.inputShape[0];
}

function transposed(W: Tensor): Tensor {
	const [rows, columns] = W.shape;
	const data = new Float64Array(W.data.length);
	for (let j = 0; j < rows; j++) for (let k = 0; k < columns; k++) data[k * rows + j] = W.data[j * columns + k];
	return { shape: [columns, rows], data };
}

/** dA[l] from the engine's dense backward of layer l + 1, given W[l+1]ᵀ in place of W[l+1] (square). */
function throughUntransposed(trace: Trace, name: string, step: number): Tensor | null {
	const q = parseName(name);
	if (q?.symbol !== 'dA') return null;
	const l = q.layer;
	if (!isSquareDense(trace.setup.layers[l])) return null;
	// the weights this step's forward and backward passes read: as they were after the step before
	const W = findEvent(trace, step - 1, `W[${l + 1}]`)?.value;
	const dZ = findEvent(trace, step, `dZ[${l + 1}]`)?.value;
	const A = findEvent(trace, step, `A[${l}]`)?.value;
	return W && dZ && A ? denseBackward(dZ, A, transposed(W)).dInput : null;
}

/** The perceptron's bias put back to its starting value after every update, as a student who never updates it keeps it. */
function biasKept(p: PerceptronScenario, b: number): RunOptions {
	return { substitutions: Array.from({ length: estimateCost(p).steps }, (_, k) => ({ step: k + 1, name: 'b[1]', offset: 0, values: [b] })) };
}

/** A layer as a model file declares it, with its window's geometry changed, by its type's unit. */
export function declared(plan: LayerPlan, change: (plan: WindowPlan) => WindowGeometry): LayerConfig {
	return unitOf(plan.type).declare(plan, change);
}

/**
 * The model planned again by the engine with each window's geometry changed; null where nothing
 * changes, or where a window no longer fits its input.
 */
function replanned(plans: readonly LayerPlan[], change: (plan: WindowPlan) => WindowGeometry): LayerPlan[] | null {
	const [channels, height, width] = plans[0].inputShape;
	try {
		const changed = planModel({
			input: plans[0].inputShape.length === 1 ? channels : [channels, height, width],
			layers: plans.map((plan) => declared(plan, change))
		});
		return JSON.stringify(changed) === JSON.stringify(plans) ? null : changed;
	} catch (error) {
		if (error instanceof ScenarioError) return null;
		throw error;
	}
}


/**
 * The network with its windows changed, when it can still run: every layer's weights keep their
 * shape (a dense layer after a flatten whose size changed has none to fit) and, when it trains,
 * the output keeps the targets' shape.
 */
function withWindows(s: Scenario, change: (plan: WindowPlan) => WindowGeometry): Scenario | null {
	if (s.kind !== 'network') return null;
	const plans = replanned(s.plans, change);
	if (!plans) return null;
	const fits = plans.every((plan, i) => {
		const before = s.plans[i];
		return !isParametric(plan) || !isParametric(before) || sameShape(parameterShapes(plan).W, parameterShapes(before).W);
	});
	const targetsFit = s.loss === null || sameShape(plans[plans.length - 1].outputShape, s.plans[s.plans.length - 1].outputShape);
	return fits && targetsFit ? { ...s, plans } : null;
}

/** An output size or a parameter count read from the model planned with its windows changed, as `question.ts` reads them. */
function windowFact(plans: readonly LayerPlan[], ask: 'output_size' | 'param_count', layer: number | undefined, change: (plan: WindowPlan) => WindowGeometry): NestedNumbers | null {
	const changed = replanned(plans, change);
	if (!changed) return null;
	const counted = layer === undefined ? changed : [changed[layer - 1]];
	if (counted.some((plan) => plan === undefined)) return null;
	if (ask === 'param_count') return counted.reduce((sum, plan) => sum + layerParamCount(plan), 0);
	const { outputShape } = counted[0];
	return outputShape.length === 1 ? outputShape[0] : [...outputShape];
}

const withoutPadding = (plan: WindowPlan): WindowGeometry => (plan.type === 'conv2d' ? { ...plan.geometry, padding: [0, 0] } : plan.geometry);
const convStrideOne = (plan: WindowPlan): WindowGeometry => (plan.type === 'conv2d' ? { ...plan.geometry, stride: [1, 1] } : plan.geometry);
const poolStrideOne = (plan: WindowPlan): WindowGeometry => (plan.type === 'pool' ? { ...plan.geometry, stride: [1, 1] } : plan.geometry);

/** What the end of an epoch evaluates on the validation set, and the same on the training set. */
const ON_TRAINING_SET = { val_loss: 'epoch_loss', val_accuracy: 'accuracy', val_mae: 'mae', val_mse: 'mse' } as const satisfies Partial<Record<RunSymbol, RunSymbol>>;
const isValidationSymbol = (name: string): name is keyof typeof ON_TRAINING_SET => Object.hasOwn(ON_TRAINING_SET, name);
/** Each set's MAE, and its MSE. */
const SQUARED = { mae: 'mse', val_mae: 'val_mse', test_mae: 'test_mse' } as const satisfies Partial<Record<RunSymbol, RunSymbol>>;
const isMaeSymbol = (name: string): name is keyof typeof SQUARED => Object.hasOwn(SQUARED, name);

/** An event of the run read where it was recorded, when it was: a mistaken value that is another event as it is. */
function copyOf(trace: Trace, step: number, name: string): Tensor | null {
	const value = findEvent(trace, step, name)?.value;
	return value ? { shape: value.shape, data: Float64Array.from(value.data) } : null;
}

/**
 * Early stopping's state at the step it stops, and the weights it leaves, as a student who keeps
 * the last epoch's weights gives them (Keras's default, restore_best_weights=False): the epoch
 * restored is the last one, and W and b are those the last update left, before the restoration.
 */
function lastWeightsKept(trace: Trace, name: string, step: number): Tensor | null {
	const stopping = findEvent(trace, step, 'early_stopping');
	if (!trace.setup.earlyStopping?.restoreBestWeights || !stopping || stopping.value.data[3] !== 1 || stopping.value.data[1] === stopping.epoch) return null;
	if (name === 'early_stopping') {
		const data = Float64Array.from(stopping.value.data);
		data[1] = stopping.epoch;
		return { shape: stopping.value.shape, data };
	}
	const symbol = parseName(name)?.symbol;
	if (symbol !== 'W' && symbol !== 'b') return null;
	for (let seq = trace.stepStart[step]; seq < trace.stepStart[step + 1]; seq++) {
		const event = eventAt(trace, seq);
		if (event.name === name && event.phase === 'update') return { shape: event.value.shape, data: Float64Array.from(event.value.data) };
	}
	return null;
}

const mistake = (m: Mistake): Mistake => m;

export const MISTAKES: readonly Mistake[] = [
	mistake({
		code: 'missing-activation-derivative',
		title: { fr: 'Dérivée de l’activation oubliée', en: 'Activation derivative forgotten' },
		explanation: {
			fr: 'Le delta est $\\delta = \\frac{\\partial J}{\\partial a} \\odot \\sigma\'(z)$ : le facteur $\\sigma\'(z)$ manque dans votre calcul.',
			en: 'The delta is $\\delta = \\frac{\\partial J}{\\partial a} \\odot \\sigma\'(z)$: your computation lacks the factor $\\sigma\'(z)$.'
		},
		quantities: ['dZ'],
		derive: (trace, name, step) => deltaFrom(trace, name, step, 'none'),
		sameAs: (name) => {
			const l = layerOf(name);
			return l === null ? name : layerName('dA', l);
		}
	}),
	mistake({
		code: 'activation-derivative-at-a',
		title: { fr: 'Dérivée prise en $a$ au lieu de $z$', en: 'Derivative taken at $a$ instead of $z$' },
		explanation: {
			fr: 'La dérivée de l’activation se calcule en $z$ : $\\sigma\'(z)$, qui vaut aussi $a(1 - a)$ pour la sigmoïde ; vous avez calculé $\\sigma\'(a)$.',
			en: 'The activation’s derivative is taken at $z$: $\\sigma\'(z)$, which is also $a(1 - a)$ for the sigmoid; you computed $\\sigma\'(a)$.'
		},
		quantities: ['dZ'],
		derive: (trace, name, step) => deltaFrom(trace, name, step, 'a')
	}),
	mistake({
		code: 'output-form-derivative-at-z',
		title: { fr: '$a(1 - a)$ évalué en $z$', en: '$a(1 - a)$ evaluated at $z$' },
		explanation: {
			fr: 'La forme $\\sigma\'(z) = a(1 - a)$ (ou $1 - a^2$ pour tanh) se calcule avec la sortie $a = \\sigma(z)$ ; vous y avez mis $z$ : $z(1 - z)$ (ou $1 - z^2$).',
			en: 'The form $\\sigma\'(z) = a(1 - a)$ (or $1 - a^2$ for tanh) takes the output $a = \\sigma(z)$; you put $z$ in it: $z(1 - z)$ (or $1 - z^2$).'
		},
		quantities: ['dZ'],
		derive: (trace, name, step) => deltaFrom(trace, name, step, 'output-form-at-z')
	}),
	mistake({
		code: 'half-forgotten',
		title: { fr: 'Le facteur ½ oublié', en: 'The factor ½ forgotten' },
		explanation: {
			fr: 'Avec $C = \\frac{1}{2}(\\hat y - y)^2$, la dérivée est $\\hat y - y$ ; vous avez pris $2(\\hat y - y)$, celle de $(\\hat y - y)^2$.',
			en: 'With $C = \\frac{1}{2}(\\hat y - y)^2$ the derivative is $\\hat y - y$; you took $2(\\hat y - y)$, that of $(\\hat y - y)^2$.'
		},
		quantities: GRADIENTS,
		rerun: (s) => {
			const n = network(s);
			return n?.loss === 'half_squared_error' ? { ...n, loss: 'squared_error' } : null;
		}
	}),
	mistake({
		code: 'half-added',
		title: { fr: 'Un facteur ½ en trop', en: 'A factor ½ too many' },
		explanation: {
			fr: 'Avec $C = (\\hat y - y)^2$, la dérivée est $2(\\hat y - y)$ ; vous avez pris $\\hat y - y$, comme si $C$ avait un facteur ½.',
			en: 'With $C = (\\hat y - y)^2$ the derivative is $2(\\hat y - y)$; you took $\\hat y - y$, as if $C$ had a factor ½.'
		},
		quantities: GRADIENTS,
		rerun: (s) => {
			const n = network(s);
			return n?.loss === 'squared_error' ? { ...n, loss: 'half_squared_error' } : null;
		}
	}),
	mistake({
		code: 'sum-instead-of-mean',
		title: { fr: 'Somme au lieu de moyenne sur le lot', en: 'Sum instead of mean over the batch' },
		explanation: {
			fr: 'Le coût est la moyenne $J = \\frac{1}{m}\\sum_i L^{(i)}$ : vos gradients ont oublié de diviser par $m$.',
			en: 'The cost is the mean $J = \\frac{1}{m}\\sum_i L^{(i)}$: your gradients are not divided by $m$.'
		},
		quantities: GRADIENTS,
		rerun: (s) => {
			const n = network(s);
			return n?.reduction === 'mean' && batchOfMany(n) ? { ...n, reduction: 'sum' } : null;
		}
	}),
	mistake({
		code: 'mean-instead-of-sum',
		title: { fr: 'Moyenne au lieu de somme sur le lot', en: 'Mean instead of sum over the batch' },
		explanation: {
			fr: 'Ici le coût est la somme $J = \\sum_i L^{(i)}$ : vous avez divisé par $m$.',
			en: 'Here the cost is the sum $J = \\sum_i L^{(i)}$: you divided by $m$.'
		},
		quantities: GRADIENTS,
		rerun: (s) => {
			const n = network(s);
			return n?.reduction === 'sum' && batchOfMany(n) ? { ...n, reduction: 'mean' } : null;
		}
	}),
	mistake({
		code: 'mean-over-outputs',
		title: { fr: 'Moyenne sur les sorties (« mse » de Keras)', en: 'Mean over the outputs (Keras “mse”)' },
		explanation: {
			fr: 'La perte somme les sorties : $L = \\sum_j (\\hat y_j - y_j)^2$ ; vous avez divisé par leur nombre.',
			en: 'The loss sums over the outputs: $L = \\sum_j (\\hat y_j - y_j)^2$; you divided by their number.'
		},
		quantities: GRADIENTS,
		rerun: (s) => {
			const n = network(s);
			return n && n.loss === 'squared_error' && n.plans[n.plans.length - 1].outputShape[0] > 1 ? { ...n, loss: 'mse' } : null;
		}
	}),
	mistake({
		code: 'w-not-transposed',
		title: { fr: '$W$ au lieu de $W^\\top$ en rétropropagation', en: '$W$ instead of $W^\\top$ in the backward pass' },
		explanation: {
			fr: 'L’erreur redescend par la transposée : $\\frac{\\partial J}{\\partial a^{[l]}} = (W^{[l+1]})^\\top \\delta^{[l+1]}$, le neurone $j$ reçoit $\\sum_i w_{ij}^{[l+1]} \\delta_i^{[l+1]}$ par la colonne $j$ de $W^{[l+1]}$ ; vous avez pris la ligne $j$, $W^{[l+1]}$ sans le transposer.',
			en: 'The error flows back through the transpose: $\\frac{\\partial J}{\\partial a^{[l]}} = (W^{[l+1]})^\\top \\delta^{[l+1]}$, unit $j$ receives $\\sum_i w_{ij}^{[l+1]} \\delta_i^{[l+1]}$ through column $j$ of $W^{[l+1]}$; you took row $j$, $W^{[l+1]}$ not transposed.'
		},
		everyEntry: true,
		quantities: ['dA'],
		derive: throughUntransposed
	}),
	mistake({
		code: 'rows-columns-swapped',
		title: { fr: 'Lignes et colonnes de $W$ échangées', en: 'Rows and columns of $W$ swapped' },
		explanation: {
			fr: 'La ligne $j$ de $W^{[l]}$ porte les poids du neurone $j$ : $z_j^{[l]} = \\sum_k w_{jk}^{[l]} a_k^{[l-1]} + b_j^{[l]}$ ; vous avez lu $W^{[l]}$ colonne par colonne, c’est-à-dire calculé avec $(W^{[l]})^\\top$.',
			en: 'Row $j$ of $W^{[l]}$ holds the weights of unit $j$: $z_j^{[l]} = \\sum_k w_{jk}^{[l]} a_k^{[l-1]} + b_j^{[l]}$; you read $W^{[l]}$ column by column, that is computed with $(W^{[l]})^\\top$.'
		},
		everyEntry: true,
		// not W: the updated matrix could be written either way round
		quantities: ['Z', 'A', 'loss', 'dA', 'dZ', 'dW', 'db', 'b'],
		rerun: (s) =>
			s.kind === 'network' && s.plans.some(isSquareDense)
				? { ...s, initial: s.initial.map((p, i) => (p && isSquareDense(s.plans[i]) && p.W ? { ...p, W: transposed(p.W) } : p)) }
				: null
	}),
	mistake({
		code: 'backprop-through-updated-weights',
		title: { fr: 'Rétropropagation par les poids déjà mis à jour', en: 'Backpropagation through the already-updated weights' },
		explanation: {
			fr: 'Toutes les erreurs $\\delta$ se calculent avec les poids de la passe avant ; les mises à jour $W \\leftarrow W - \\eta\\,\\frac{\\partial J}{\\partial W}$ viennent après. Vous avez mis à jour $W^{[l+1]}$, puis calculé $\\delta^{[l]}$ avec ses nouvelles valeurs.',
			en: 'Every error $\\delta$ is computed with the weights of the forward pass; the updates $W \\leftarrow W - \\eta\\,\\frac{\\partial J}{\\partial W}$ come after. You updated $W^{[l+1]}$, then computed $\\delta^{[l]}$ with its new values.'
		},
		everyEntry: true,
		quantities: ['Z', 'A', ...GRADIENTS],
		rerun: (s) => {
			const n = network(s);
			return n && n.update.weights && n.plans.filter(isParametric).length > 1 ? n : null;
		},
		runOptions: () => ({ backpropThroughUpdatedWeights: true })
	}),
	mistake({
		code: 'update-sign',
		title: { fr: 'Signe de la mise à jour', en: 'Sign of the update' },
		explanation: {
			fr: 'La descente de gradient retire le gradient : $w \\leftarrow w - \\eta\\,\\frac{\\partial J}{\\partial w}$ ; vous l’avez ajouté.',
			en: 'Gradient descent subtracts the gradient: $w \\leftarrow w - \\eta\\,\\frac{\\partial J}{\\partial w}$; you added it.'
		},
		quantities: UPDATED,
		// under a schedule the student writes the rate η_k as it is, and adds η_k times the gradient
		rerun: (s) => {
			const n = network(s);
			if (n?.schedule) return n;
			return n ? { ...n, lr: -n.lr } : null;
		},
		runOptions: (s) => (s.kind === 'network' && s.schedule ? { ascend: true } : {})
	}),
	mistake({
		code: 'adam-bias-correction-forgotten',
		title: { fr: 'Correction du biais d’Adam oubliée', en: 'Adam’s bias correction forgotten' },
		explanation: {
			fr: 'Les moyennes $m$ et $s$ partent de 0 : Adam les corrige au pas $t$, $\\alpha_t = \\eta\\,\\frac{\\sqrt{1 - \\beta_2^{\\,t}}}{1 - \\beta_1^{\\,t}}$ et $w \\leftarrow w - \\alpha_t\\,\\frac{m}{\\sqrt{s} + \\varepsilon}$ ; vous avez pris $\\eta$ au lieu de $\\alpha_t$, un pas bien trop grand au début.',
			en: 'The averages $m$ and $s$ start at 0: Adam corrects them at step $t$, $\\alpha_t = \\eta\\,\\frac{\\sqrt{1 - \\beta_2^{\\,t}}}{1 - \\beta_1^{\\,t}}$ and $w \\leftarrow w - \\alpha_t\\,\\frac{m}{\\sqrt{s} + \\varepsilon}$; you took $\\eta$ instead of $\\alpha_t$, a step far too large at first.'
		},
		quantities: UPDATED,
		rerun: (s) => {
			const n = network(s);
			return n && n.optimizer.type === 'adam' ? n : null;
		},
		runOptions: () => ({ adamWithoutBiasCorrection: true })
	}),
	mistake({
		code: 'momentum-velocity-sign',
		title: { fr: 'Signe de la vitesse (momentum)', en: 'Sign of the velocity (momentum)' },
		explanation: {
			fr: 'Avec la convention de Keras, la vitesse descend la pente : $v \\leftarrow \\mu v - \\eta\\,\\frac{\\partial J}{\\partial w}$, puis $w \\leftarrow w + v$. Vous avez écrit $v \\leftarrow \\mu v + \\eta\\,\\frac{\\partial J}{\\partial w}$ (la convention où l’on retire ensuite $v$) : votre vitesse a le signe opposé.',
			en: 'In Keras’s convention the velocity goes down the slope: $v \\leftarrow \\mu v - \\eta\\,\\frac{\\partial J}{\\partial w}$, then $w \\leftarrow w + v$. You wrote $v \\leftarrow \\mu v + \\eta\\,\\frac{\\partial J}{\\partial w}$ (the convention that then subtracts $v$): your velocity has the opposite sign.'
		},
		quantities: ['vW', 'vb'],
		carriedForward: false,
		derive: (trace, name, step) => {
			const q = parseName(name);
			if (trace.setup.optimizer.type !== 'momentum' || (q?.symbol !== 'vW' && q?.symbol !== 'vb')) return null;
			const v = findEvent(trace, step, name)?.value;
			return v ? { shape: v.shape, data: v.data.map((x) => -x) } : null;
		}
	}),
	mistake({
		code: 'learning-rate-forgotten',
		title: { fr: 'Pas d’apprentissage oublié', en: 'Learning rate forgotten' },
		explanation: {
			fr: 'La mise à jour multiplie le gradient par $\\eta$ : $w \\leftarrow w - \\eta\\,\\frac{\\partial J}{\\partial w}$.',
			en: 'The update multiplies the gradient by $\\eta$: $w \\leftarrow w - \\eta\\,\\frac{\\partial J}{\\partial w}$.'
		},
		quantities: UPDATED,
		// under a schedule the rate forgotten is η_k: every update takes the gradient as it is
		rerun: (s) => {
			const n = network(s);
			if (n?.schedule) return { ...n, lr: 1, schedule: null };
			return (n || perceptron(s)) && s.lr !== 1 ? { ...s, lr: 1 } : null;
		}
	}),
	mistake({
		code: 'learning-rate-twice',
		title: { fr: 'Pas d’apprentissage appliqué deux fois', en: 'Learning rate applied twice' },
		explanation: {
			fr: 'Le gradient est multiplié une seule fois par $\\eta$ ; vous l’avez multiplié par $\\eta^2$.',
			en: 'The gradient is multiplied by $\\eta$ once; you multiplied it by $\\eta^2$.'
		},
		quantities: UPDATED,
		// η_k² under a schedule is no schedule of Keras's: left out there
		rerun: (s) => ((network(s)?.schedule === null || perceptron(s)) && s.lr !== 1 ? { ...s, lr: s.lr * s.lr } : null)
	}),
	mistake({
		code: 'frozen-layer-updated',
		title: { fr: 'Couche gelée mise à jour', en: 'Frozen layer updated' },
		explanation: {
			fr: 'Une couche gelée (trainable: false, le réseau pré-entraîné que l’on affine) garde ses poids et ses biais : ni gradient, ni mise à jour. Vous l’avez mise à jour comme les autres, $W \\leftarrow W - \\eta\\,\\frac{\\partial J}{\\partial W}$.',
			en: 'A frozen layer (trainable: false, the pre-trained network being fine-tuned) keeps its weights and biases: no gradient, no update. You updated it like the others, $W \\leftarrow W - \\eta\\,\\frac{\\partial J}{\\partial W}$.'
		},
		quantities: UPDATED,
		rerun: (s) => {
			const n = network(s);
			return n && n.frozen.length > 0 ? { ...n, frozen: [] } : null;
		}
	}),
	mistake({
		code: 'decay-steps-forgotten',
		title: { fr: 'Décroissance sans diviser par T', en: 'Decay without dividing by T' },
		explanation: {
			fr: 'Le taux décroît avec $k/T$, le nombre de mises à jour déjà faites divisé par decay_steps : $\\eta_k = \\frac{\\eta_0}{1 + r\\,k/T}$ (InverseTimeDecay) ou $\\eta_0\\,r^{k/T}$ (ExponentialDecay). Vous avez pris $k$ au lieu de $k/T$.',
			en: 'The rate decays with $k/T$, the number of updates already made divided by decay_steps: $\\eta_k = \\frac{\\eta_0}{1 + r\\,k/T}$ (InverseTimeDecay) or $\\eta_0\\,r^{k/T}$ (ExponentialDecay). You took $k$ instead of $k/T$.'
		},
		quantities: ['lr', ...UPDATED],
		rerun: (s) => {
			const n = network(s);
			return n?.schedule && n.schedule.decaySteps !== 1 ? { ...n, schedule: { ...n.schedule, decaySteps: 1 } } : null;
		}
	}),
	mistake({
		code: 'decay-per-epoch',
		title: { fr: 'Décroissance par époque', en: 'Decay per epoch' },
		explanation: {
			fr: 'Les planificateurs de Keras comptent les mises à jour (les lots), pas les époques : $k$ augmente de 1 à chaque mise à jour, même au sein d’une époque. Vous avez gardé le même taux pendant toute l’époque.',
			en: 'Keras’s schedules count the updates (the batches), not the epochs: $k$ grows by 1 at every update, within an epoch too. You kept the same rate for the whole epoch.'
		},
		quantities: ['lr', ...UPDATED],
		rerun: (s) => {
			const n = network(s);
			return n?.schedule && n.training.batchSize < n.X.shape[0] ? n : null;
		},
		runOptions: () => ({ scheduleCount: 'epochs' })
	}),
	mistake({
		code: 'decay-counted-from-one',
		title: { fr: 'Décroissance comptée à partir de 1', en: 'Decay counted from 1' },
		explanation: {
			fr: 'La première mise à jour utilise $\\eta_0$ : $k$ compte les mises à jour déjà faites, 0 pour la première (les iterations de Keras). Vous avez commencé à $k = 1$, un taux déjà réduit dès le premier pas.',
			en: 'The first update uses $\\eta_0$: $k$ counts the updates already made, 0 for the first (Keras’s iterations). You started at $k = 1$, a rate already reduced at the first step.'
		},
		quantities: ['lr', ...UPDATED],
		rerun: (s) => {
			const n = network(s);
			return n?.schedule && n.schedule.decayRate !== 0 ? n : null;
		},
		runOptions: () => ({ scheduleCount: 'from-one' })
	}),
	mistake({
		code: 'bias-not-updated',
		title: { fr: 'Biais non mis à jour', en: 'Bias not updated' },
		explanation: {
			fr: 'Le biais apprend comme les poids : $b \\leftarrow b - \\eta\\,\\frac{\\partial J}{\\partial b}$, et pour le perceptron $b \\leftarrow b + \\eta (y - \\hat y)$ ; vous l’avez laissé à son ancienne valeur.',
			en: 'The bias learns like the weights: $b \\leftarrow b - \\eta\\,\\frac{\\partial J}{\\partial b}$, and for the perceptron $b \\leftarrow b + \\eta (y - \\hat y)$; you left it at its old value.'
		},
		everyEntry: true,
		quantities: ['Z', 'A', 'error', ...GRADIENTS],
		rerun: (s) => {
			const n = network(s);
			if (n) return n.update.biases ? { ...n, update: { ...n.update, biases: false } } : null;
			const p = perceptron(s);
			return p && p.b !== null ? p : null;
		},
		// the perceptron has no switch for its bias: the run writes the old value back after each update
		runOptions: (s) => (s.kind === 'perceptron' && s.b !== null ? biasKept(s, s.b) : {})
	}),
	mistake({
		code: 'threshold-strictness',
		title: { fr: '> et ≥ confondus au seuil', en: '> and ≥ swapped at the threshold' },
		explanation: {
			fr: 'Au seuil exact, la convention du cours décide : sortie 1 si $z > \\theta$ (strict) ou si $z \\geq \\theta$.',
			en: 'At the threshold itself the course’s convention decides: output 1 when $z > \\theta$ (strict) or when $z \\geq \\theta$.'
		},
		quantities: [...PERCEPTRON, 'A', 'error'],
		rerun: (s) => {
			const p = perceptron(s);
			return p ? { ...p, strict: !p.strict } : null;
		}
	}),
	mistake({
		code: 'perceptron-rule',
		title: { fr: 'Règle du perceptron confondue', en: 'Perceptron rule confused' },
		explanation: {
			fr: 'Règle classique : $w_i \\leftarrow w_i + \\eta (y - \\hat y) x_i$ ; règle du tableur : $w_i \\leftarrow w_i + \\eta (y - \\hat y)$ pour chaque poids. Vous avez appliqué l’autre.',
			en: 'Classic rule: $w_i \\leftarrow w_i + \\eta (y - \\hat y) x_i$; spreadsheet rule: $w_i \\leftarrow w_i + \\eta (y - \\hat y)$ on every weight. You applied the other one.'
		},
		quantities: PERCEPTRON,
		rerun: (s) => {
			const p = perceptron(s);
			return p ? { ...p, rule: p.rule === 'delta' ? 'sign' : 'delta' } : null;
		}
	}),
	mistake({
		code: 'correction-sign',
		title: { fr: 'Correction $\\hat y - y$ au lieu de $y - \\hat y$', en: 'Correction $\\hat y - y$ instead of $y - \\hat y$' },
		explanation: {
			fr: 'La correction du perceptron est $y - \\hat y$ (attendue moins obtenue) ; vous avez pris l’inverse.',
			en: 'The perceptron’s correction is $y - \\hat y$ (expected minus actual); you took the opposite.'
		},
		quantities: [...PERCEPTRON, 'error'],
		// the error written ŷ − y, or its effect on the updates
		derive: (trace, name, step) => (name === 'error' ? negated(findEvent(trace, step, name)?.value) : null),
		rerun: (s) => {
			const p = perceptron(s);
			return p ? { ...p, lr: -p.lr } : null;
		}
	}),
	mistake({
		code: 'kernel-flipped',
		title: { fr: 'Noyau retourné', en: 'Kernel flipped' },
		explanation: {
			fr: 'Le cours calcule une corrélation croisée : le noyau glisse tel quel ; vous l’avez retourné (convolution au sens mathématique), ou l’inverse.',
			en: 'The course computes a cross-correlation: the kernel slides as it is; you flipped it (a convolution in the mathematical sense), or the reverse.'
		},
		quantities: ['Z', 'A', 'dA', 'dZ', 'dW', 'db', 'W', 'b', 'loss'],
		rerun: (s) =>
			s.kind === 'network' && s.plans.some((p) => p.type === 'conv2d')
				? { ...s, plans: s.plans.map((p) => (p.type === 'conv2d' ? { ...p, flip: !p.flip } : p)) }
				: null
	}),
	mistake({
		code: 'average-for-max',
		title: { fr: 'Moyenne au lieu du maximum', en: 'Average instead of maximum' },
		explanation: {
			fr: 'Le max pooling garde le plus grand nombre de chaque fenêtre ; vous avez pris leur moyenne.',
			en: 'Max pooling keeps the largest number of each window; you took their average.'
		},
		quantities: ['A', 'Z', 'dA', 'dZ', 'dW', 'db', 'W', 'b', 'loss'],
		rerun: (s) =>
			s.kind === 'network' && s.plans.some((p) => p.type === 'pool' && p.mode === 'max')
				? { ...s, plans: s.plans.map((p) => (p.type === 'pool' && p.mode === 'max' ? { ...p, mode: 'avg' as const } : p)) }
				: null
	}),
	mistake({
		code: 'dropout-unscaled',
		title: { fr: 'Dropout sans la mise à l’échelle', en: 'Dropout without its scaling' },
		explanation: {
			fr: 'Pendant l’entraînement, le dropout (inversé, comme Keras) multiplie les unités gardées par $\\frac{1}{1 - p}$, pour que la sortie garde en moyenne la valeur de l’entrée ; vous les avez gardées telles quelles.',
			en: 'At training, (inverted) dropout, as Keras computes it, multiplies the kept units by $\\frac{1}{1 - p}$, so that the output keeps on average the value of the input; you kept them as they were.'
		},
		everyEntry: true,
		quantities: ['A', 'Z', 'loss', 'dA', 'dZ', 'dW', 'db', 'W', 'b'],
		rerun: (s) => {
			const n = network(s);
			return n && n.plans.some((p) => p.type === 'dropout' && p.rate > 0)
				? { ...n, plans: n.plans.map((p) => (p.type === 'dropout' ? { ...p, scaled: false } : p)) }
				: null;
		}
	}),
	mistake({
		code: 'weight-decay-factor-two-forgotten',
		title: { fr: 'Le facteur 2 de la pénalité L2 oublié', en: 'The factor 2 of the L2 penalty forgotten' },
		explanation: {
			fr: 'La pénalité $\\lambda \\sum w^2$ a pour dérivée $2\\lambda w$ : le gradient lu par la mise à jour est $\\frac{\\partial C}{\\partial w} + 2\\lambda w$ ; vous avez ajouté $\\lambda w$.',
			en: 'The penalty $\\lambda \\sum w^2$ has the derivative $2\\lambda w$: the gradient the update reads is $\\frac{\\partial C}{\\partial w} + 2\\lambda w$; you added $\\lambda w$.'
		},
		quantities: UPDATED,
		rerun: (s) => {
			const n = network(s);
			return n && n.l2 > 0 && n.update.weights ? { ...n, l2: n.l2 / 2 } : null;
		}
	}),
	mistake({
		code: 'weight-decay-forgotten',
		title: { fr: 'Pénalité L2 oubliée dans le gradient', en: 'L2 penalty left out of the gradient' },
		explanation: {
			fr: 'Avec la pénalisation des poids, le coût est $C + \\lambda \\sum w^2$ : la mise à jour lit $\\frac{\\partial C}{\\partial w} + 2\\lambda w$, pas le seul gradient des données.',
			en: 'With weight decay the cost is $C + \\lambda \\sum w^2$: the update reads $\\frac{\\partial C}{\\partial w} + 2\\lambda w$, not the gradient of the data alone.'
		},
		quantities: UPDATED,
		rerun: (s) => {
			const n = network(s);
			return n && n.l2 > 0 && n.update.weights ? { ...n, l2: 0 } : null;
		}
	}),
	mistake({
		code: 'training-set-for-test-set',
		title: { fr: 'Évalué sur la base d’apprentissage', en: 'Evaluated on the training set' },
		explanation: {
			fr: 'La performance se mesure sur les données mises de côté (validation ou test), que le modèle n’a jamais vues ; vous avez pris les exemples d’apprentissage.',
			en: 'The performance is measured on the data set aside (validation or test), which the model never saw; you took the training examples.'
		},
		quantities: ['val_loss', 'val_accuracy', 'val_mae', 'val_mse'],
		derive: (trace, name, step) => (isValidationSymbol(name) ? copyOf(trace, step, ON_TRAINING_SET[name]) : null),
		sameAs: (name) => (isValidationSymbol(name) ? ON_TRAINING_SET[name] : name)
	}),
	mistake({
		code: 'error-rate-for-accuracy',
		title: { fr: 'Taux d’erreur au lieu de l’exactitude', en: 'Error rate instead of accuracy' },
		explanation: {
			fr: 'L’exactitude (accuracy) est la part des exemples bien classés ; vous avez donné la part des exemples mal classés, le taux d’erreur $1 - \\text{accuracy}$.',
			en: 'The accuracy is the share of the examples classified right; you gave the share classified wrong, the error rate $1 - \\text{accuracy}$.'
		},
		quantities: ['accuracy', 'val_accuracy', 'test_accuracy'],
		derive: (trace, name, step) => {
			const symbol = parseName(name)?.symbol;
			const value = symbol === 'accuracy' || symbol === 'val_accuracy' || symbol === 'test_accuracy' ? findEvent(trace, step, name)?.value : undefined;
			return value ? { shape: value.shape, data: value.data.map((a) => 1 - a) } : null;
		}
	}),
	mistake({
		code: 'mae-with-squares',
		title: { fr: 'Des carrés dans la MAE', en: 'Squares in the MAE' },
		explanation: {
			fr: 'La MAE est la moyenne des écarts en valeur absolue, $\\frac{1}{m}\\sum_i \\lvert \\hat y_i - y_i \\rvert$ ; vous avez élevé les écarts au carré, ce qui donne la MSE.',
			en: 'The MAE is the mean of the absolute deviations, $\\frac{1}{m}\\sum_i \\lvert \\hat y_i - y_i \\rvert$; you squared the deviations, which gives the MSE.'
		},
		quantities: ['mae', 'val_mae', 'test_mae'],
		derive: (trace, name, step) => (isMaeSymbol(name) ? copyOf(trace, step, SQUARED[name]) : null),
		sameAs: (name) => (isMaeSymbol(name) ? SQUARED[name] : name)
	}),
	mistake({
		code: 'patience-off-by-one',
		title: { fr: 'Patience décalée d’une époque', en: 'Patience off by one epoch' },
		explanation: {
			fr: 'La patience compte les époques sans amélioration après la meilleure : on s’arrête quand ce compte atteint la patience $p$, soit $p$ époques après la meilleure. Vous avez compté la meilleure époque elle-même et arrêté une époque trop tôt.',
			en: 'The patience counts the epochs without improvement after the best one: training stops when that count reaches the patience $p$, $p$ epochs after the best. You counted the best epoch itself and stopped one epoch too early.'
		},
		everyEntry: true,
		quantities: ['early_stopping'],
		rerun: (s) => {
			const n = network(s);
			return n?.earlyStopping && n.earlyStopping.patience > 0 ? { ...n, earlyStopping: { ...n.earlyStopping, patience: n.earlyStopping.patience - 1 } } : null;
		}
	}),
	mistake({
		code: 'early-stopping-last-weights',
		title: { fr: 'Les derniers poids gardés au lieu des meilleurs', en: 'The last weights kept instead of the best' },
		explanation: {
			fr: 'Avec restore_best_weights=True, l’arrêt précoce remet les poids de la meilleure époque (la plus petite perte de validation), pas ceux de la dernière époque entraînée.',
			en: 'With restore_best_weights=True, early stopping puts back the weights of the best epoch (the smallest validation loss), not those of the last epoch trained.'
		},
		quantities: ['early_stopping', 'W', 'b'],
		derive: lastWeightsKept
	}),
	mistake({
		code: 'padding-forgotten',
		title: { fr: 'Remplissage (padding) oublié', en: 'Padding forgotten' },
		explanation: {
			fr: 'Le remplissage ajoute $p$ lignes et colonnes de zéros autour de l’entrée avant que le noyau ne glisse : $W_{out} = \\frac{W_{in} - k + 2p}{s} + 1$ ; vous avez calculé comme si $p = 0$.',
			en: 'Padding adds $p$ rows and columns of zeros around the input before the kernel slides: $W_{out} = \\frac{W_{in} - k + 2p}{s} + 1$; you computed as if $p = 0$.'
		},
		everyEntry: true,
		quantities: WINDOW_QUANTITIES,
		rerun: (s) => withWindows(s, withoutPadding),
		fact: (plans, ask, layer) => windowFact(plans, ask, layer, withoutPadding)
	}),
	mistake({
		code: 'stride-ignored',
		title: { fr: 'Pas (stride) ignoré', en: 'Stride ignored' },
		explanation: {
			fr: 'Avec un pas $s$, le noyau saute $s$ cases d’une position à la suivante : $W_{out} = \\frac{W_{in} - k + 2p}{s} + 1$ ; vous l’avez fait glisser case par case, comme si $s = 1$.',
			en: 'With a stride $s$ the kernel jumps $s$ cells from one position to the next: $W_{out} = \\frac{W_{in} - k + 2p}{s} + 1$; you slid it one cell at a time, as if $s = 1$.'
		},
		everyEntry: true,
		quantities: WINDOW_QUANTITIES,
		rerun: (s) => withWindows(s, convStrideOne),
		fact: (plans, ask, layer) => windowFact(plans, ask, layer, convStrideOne)
	}),
	mistake({
		code: 'pool-window-ignores-stride',
		title: { fr: 'Fenêtre de pooling déplacée d’une case', en: 'Pooling window moved by one cell' },
		explanation: {
			fr: 'La fenêtre de pooling avance de son pas $s$ (par défaut sa taille : les fenêtres ne se chevauchent pas) ; vous l’avez déplacée d’une seule case, avec des fenêtres qui se chevauchent.',
			en: 'The pooling window moves by its stride $s$ (by default its size: the windows do not overlap); you moved it by one cell, with overlapping windows.'
		},
		everyEntry: true,
		quantities: WINDOW_QUANTITIES,
		rerun: (s) => withWindows(s, poolStrideOne),
		fact: (plans, ask, layer) => windowFact(plans, ask, layer, poolStrideOne)
	}),
	mistake({
		code: 'output-size-without-plus-one',
		title: { fr: 'Taille de sortie sans le « + 1 »', en: 'Output size without the “+ 1”' },
		explanation: {
			fr: 'La taille de sortie est $\\left\\lfloor \\frac{n + 2p - k}{s} \\right\\rfloor + 1$ : la première position de la fenêtre compte aussi.',
			en: 'The output size is $\\left\\lfloor \\frac{n + 2p - k}{s} \\right\\rfloor + 1$: the window’s first position counts too.'
		},
		quantities: ['output_size'],
		fact: (plans, ask, layer) => (ask === 'output_size' ? windowSize(plans, layer, 'without-one') : null)
	}),
	mistake({
		code: 'output-size-rounded-up',
		title: { fr: 'Division arrondie au-dessus', en: 'Division rounded up' },
		explanation: {
			fr: 'Une fenêtre qui dépasserait l’entrée ne compte pas : la division est arrondie à l’entier inférieur, $\\left\\lfloor \\frac{n + 2p - k}{s} \\right\\rfloor + 1$.',
			en: 'A window that would run past the input does not count: the division is rounded down, $\\left\\lfloor \\frac{n + 2p - k}{s} \\right\\rfloor + 1$.'
		},
		quantities: ['output_size'],
		fact: (plans, ask, layer) => (ask === 'output_size' ? windowSize(plans, layer, 'rounded-up') : null)
	}),
	mistake({
		code: 'params-without-biases',
		title: { fr: 'Biais oubliés dans le compte', en: 'Biases left out of the count' },
		explanation: {
			fr: 'Chaque neurone (ou filtre) a aussi un biais : $P = \\sum (h_i \\cdot h_{i+1} + h_{i+1})$, $P = (k_x k_y I + 1) F$.',
			en: 'Each unit (or filter) also has a bias: $P = \\sum (h_i \\cdot h_{i+1} + h_{i+1})$, $P = (k_x k_y I + 1) F$.'
		},
		quantities: ['param_count'],
		fact: (plans, ask, layer) => (ask === 'param_count' ? countWith(plans, layer, 'none') : null)
	}),
	mistake({
		code: 'params-bias-per-input',
		title: { fr: 'Un biais par entrée', en: 'One bias per input' },
		explanation: {
			fr: 'Il y a un biais par neurone de la couche (ou par filtre), pas par entrée.',
			en: 'There is one bias per unit of the layer (or per filter), not per input.'
		},
		quantities: ['param_count'],
		fact: (plans, ask, layer) => (ask === 'param_count' ? countWith(plans, layer, 'per-input') : null)
	}),
	mistake({
		code: 'batchnorm-variance-unbiased',
		title: { fr: 'Variance du lot divisée par m − 1', en: 'Batch variance divided by m − 1' },
		explanation: {
			fr: 'La batch normalisation (Keras, TensorFlow) divise la somme des $(x_i - \\mu)^2$ du lot par $m$, le nombre de valeurs : $\\sigma^2 = \\frac{1}{m}\\sum_i (x_i - \\mu)^2$ ; vous l’avez divisée par $m - 1$, comme l’estimateur sans biais des statistiques.',
			en: 'Batch normalisation (Keras, TensorFlow) divides the sum of the batch’s $(x_i - \\mu)^2$ by $m$, the number of values: $\\sigma^2 = \\frac{1}{m}\\sum_i (x_i - \\mu)^2$; you divided it by $m - 1$, as the unbiased estimator of statistics does.'
		},
		everyEntry: true,
		quantities: ['sigma2', 'xhat', 'A', 'Z', 'loss', 'dA', 'dZ', 'dW', 'db', 'dgamma', 'dbeta', 'W', 'b', 'gamma', 'beta', 'moving_variance'],
		// a dense feature in a batch of one sample has m − 1 = 0: no student divides by it
		rerun: (s) => {
			const n = network(s);
			return n && batchOfMany(n) && n.plans.some((p) => p.type === 'batchnorm')
				? { ...n, plans: n.plans.map((p) => (p.type === 'batchnorm' ? { ...p, unbiased: true } : p)) }
				: null;
		}
	}),
	mistake({
		code: 'batchnorm-epsilon-forgotten',
		title: { fr: 'ε oublié dans la normalisation', en: 'ε forgotten in the normalisation' },
		explanation: {
			fr: 'La batch normalisation divise par $\\sqrt{\\sigma^2 + \\varepsilon}$ (Keras : $\\varepsilon = 0{,}001$), pas par $\\sqrt{\\sigma^2}$ : ε évite la division par zéro et change les décimales quand la variance est petite.',
			en: 'Batch normalisation divides by $\\sqrt{\\sigma^2 + \\varepsilon}$ (Keras: $\\varepsilon = 0.001$), not by $\\sqrt{\\sigma^2}$: ε keeps it from dividing by zero and changes the decimals when the variance is small.'
		},
		everyEntry: true,
		quantities: ['xhat', 'A', 'Z', 'loss', 'dA', 'dZ', 'dW', 'db', 'dgamma', 'dbeta', 'W', 'b', 'gamma', 'beta'],
		rerun: (s) =>
			s.kind === 'network' && s.plans.some((p) => p.type === 'batchnorm' && p.epsilon > 0)
				? { ...s, plans: s.plans.map((p) => (p.type === 'batchnorm' ? { ...p, epsilon: 0 } : p)) }
				: null
	})
];
