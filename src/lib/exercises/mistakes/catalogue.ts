/**
 * The typical mistakes of hand-worked deep learning, each a small named unit that says what a
 * student making it computes — by running the engine with one convention changed (`rerun`), or by
 * an engine rule applied to the wrong operand (`derive`) — never by a formula copied here.
 */
import { ACTIVATIONS } from '../../engine/activations';
import type { NetworkScenario, PerceptronScenario, Scenario } from '../../engine/scenario/validate';
import { outputSize } from '../../engine/layers/window';
import { isParametric, layerParamCount, parameterShapes, type LayerPlan } from '../../engine/plan';
import { sizeOf, type NestedNumbers, type Tensor } from '../../engine/tensor';
import { findEvent, type Trace } from '../../engine/trace';
import type { Localized } from '../exercise';

export interface Mistake {
	code: string;
	title: Localized;
	explanation: Localized;
	/** the quantities (canonical names without the layer) whose value it changes */
	quantities: readonly string[];
	/** the checked scenario a student making it runs; null where it changes nothing */
	rerun?: (s: Scenario) => Scenario | null;
	/** or the value of event `name` at `step` as the student computes it from the right run */
	derive?: (trace: Trace, name: string, step: number) => Tensor | null;
	/** or a fact of the model (output_size, param_count) as the student counts it */
	fact?: (plans: readonly LayerPlan[], ask: 'output_size' | 'param_count', layer: number | undefined) => NestedNumbers | null;
}

const network = (s: Scenario): NetworkScenario | null => (s.kind === 'network' && s.loss !== null ? s : null);
const perceptron = (s: Scenario): PerceptronScenario | null => (s.kind === 'perceptron' ? s : null);
const batchOfMany = (s: Scenario): boolean => s.training.batchSize > 1 && s.X.shape[0] > 1;
const GRADIENTS = ['loss', 'dA', 'dZ', 'dW', 'db', 'W', 'b'] as const;
const UPDATES = ['W', 'b'] as const;

function layerOf(name: string): number {
	return Number(/\[(\d+)\]$/.exec(name)?.[1] ?? 0);
}

/** δ as the student writes it from the run's own dA (and, for σ′ at a, the engine's derivative read at a). */
function deltaFrom(trace: Trace, name: string, step: number, at: 'none' | 'a'): Tensor | null {
	const l = layerOf(name);
	const plan = trace.setup.layers[l - 1];
	if (!/^dZ\[/.test(name) || !plan || (plan.type !== 'dense' && plan.type !== 'conv2d') || plan.activation === 'identity' || plan.activation === 'softmax') return null;
	const dA = findEvent(trace, step, `dA[${l}]`)?.value;
	const A = findEvent(trace, step, `A[${l}]`)?.value;
	if (!dA || !A) return null;
	if (at === 'none') return { shape: dA.shape, data: Float64Array.from(dA.data) };
	const activation = ACTIVATIONS[plan.activation];
	const width = A.shape[A.shape.length - 1];
	const ofA = new Float64Array(A.data.length);
	activation.forward(A.data, ofA, width);
	const dZ = new Float64Array(A.data.length);
	activation.backward(A.data, ofA, dA.data, dZ, width);
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
		derive: (trace, name, step) => deltaFrom(trace, name, step, 'none')
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
		code: 'update-sign',
		title: { fr: 'Signe de la mise à jour', en: 'Sign of the update' },
		explanation: {
			fr: 'La descente de gradient retire le gradient : $w \\leftarrow w - \\eta\\,\\frac{\\partial J}{\\partial w}$ ; vous l’avez ajouté.',
			en: 'Gradient descent subtracts the gradient: $w \\leftarrow w - \\eta\\,\\frac{\\partial J}{\\partial w}$; you added it.'
		},
		quantities: UPDATES,
		rerun: (s) => {
			const n = network(s);
			return n ? { ...n, lr: -n.lr } : null;
		}
	}),
	mistake({
		code: 'learning-rate-forgotten',
		title: { fr: 'Pas d’apprentissage oublié', en: 'Learning rate forgotten' },
		explanation: {
			fr: 'La mise à jour multiplie le gradient par $\\eta$ : $w \\leftarrow w - \\eta\\,\\frac{\\partial J}{\\partial w}$.',
			en: 'The update multiplies the gradient by $\\eta$: $w \\leftarrow w - \\eta\\,\\frac{\\partial J}{\\partial w}$.'
		},
		quantities: UPDATES,
		rerun: (s) => ((network(s) || perceptron(s)) && s.lr !== 1 ? { ...s, lr: 1 } : null)
	}),
	mistake({
		code: 'learning-rate-twice',
		title: { fr: 'Pas d’apprentissage appliqué deux fois', en: 'Learning rate applied twice' },
		explanation: {
			fr: 'Le gradient est multiplié une seule fois par $\\eta$ ; vous l’avez multiplié par $\\eta^2$.',
			en: 'The gradient is multiplied by $\\eta$ once; you multiplied it by $\\eta^2$.'
		},
		quantities: UPDATES,
		rerun: (s) => ((network(s) || perceptron(s)) && s.lr !== 1 ? { ...s, lr: s.lr * s.lr } : null)
	}),
	mistake({
		code: 'threshold-strictness',
		title: { fr: '> et ≥ confondus au seuil', en: '> and ≥ swapped at the threshold' },
		explanation: {
			fr: 'Au seuil exact, la convention du cours décide : sortie 1 si $z > \\theta$ (strict) ou si $z \\geq \\theta$.',
			en: 'At the threshold itself the course’s convention decides: output 1 when $z > \\theta$ (strict) or when $z \\geq \\theta$.'
		},
		quantities: ['A', 'error', 'W', 'b'],
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
		quantities: ['W'],
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
		quantities: ['W', 'b'],
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
	})
];
