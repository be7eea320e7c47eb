/**
 * Each course's own language, as data: how its formulas number layers and name symbols, how it
 * lays tensors out on paper, the form of its costs, its ReLU′(0), whether its worked examples
 * update biases. A lesson or an exercise names its course; what is shown for it and how answers
 * to it are read follow that course's profile, and a reader may switch to another to see the
 * same event in another course's words. Nothing here computes: the engine runs the scenario, and
 * the profile says how to write and read what it computed.
 *
 * The lines quoted in `reasons` are from the course texts (seeds/), so that the conventions panel
 * can say why a course writes what it writes.
 */
import type { Notation } from './formulas/types';
import type { Localized } from './locale';
import { COURSES, type CourseId } from './topics';

export const PROFILE_IDS = ['neutral', ...COURSES] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export const isProfileId = (value: unknown): value is ProfileId => (PROFILE_IDS as readonly unknown[]).includes(value);

export type { Localized };

/** η (004), α (001's perceptron, 002, 003) or λ (001's regression). */
export type LearningRateSymbol = 'eta' | 'alpha' | 'lambda';
/** J (003), C (001, 004), E (000's error), Loss (002). */
export type CostSymbol = 'J' | 'C' | 'E' | 'Loss';
/** a separate b, or 002's w₀ on a constant input x₀ = 1 */
export type BiasForm = 'b' | 'w0';
/** one row per instance (as stored, and as Keras prints), or 003's one column per instance */
export type InstanceLayout = 'rows' | 'columns';
/** an image as C×H×W (as stored) or 001's H×W×C (as Keras writes it) */
export type ChannelOrder = 'first' | 'last';
/** b^{[l]} as a vector, or 003's n^{[l]} × 1 column */
export type BiasShape = 'vector' | 'column';
export type Reduction = 'mean' | 'sum';

/** The conventions a profile sets, each with its reason in the course's words. */
export const CONVENTIONS = ['notation', 'inputLayer', 'learningRate', 'cost', 'bias', 'instances', 'channels', 'biasShape', 'regressionCost', 'reluAtZero', 'biasUpdates'] as const;
export type Convention = (typeof CONVENTIONS)[number];

export interface Profile {
	id: ProfileId;
	title: Localized;
	notation: Notation;
	/**
	 * The number the course gives the input layer: 0 (its first weights are w^{[1]}) or 1, as in
	 * course 004's worked example (w^{(2)}, δ^{(3)}). Quantity names stay 1-based from the first
	 * layer of weights (DESIGN.md); only what is written shifts.
	 */
	inputLayer: 0 | 1;
	symbols: { learningRate: LearningRateSymbol; cost: CostSymbol; bias: BiasForm };
	layout: { instances: InstanceLayout; channels: ChannelOrder; bias: BiasShape };
	/** the squared-error cost of a regression: with ½ or not, summed or averaged over the instances */
	regressionCost: { half: boolean; reduction: Reduction };
	/** the derivative the course gives ReLU at 0 */
	reluDerivativeAtZero: 0 | 1;
	/** whether the course's worked examples update the biases */
	updateBiases: boolean;
	/** why, in one line from the course, for the conventions where it is the course's own */
	reasons: Partial<Record<Convention, Localized>>;
}

export const PROFILES: Record<ProfileId, Profile> = {
	neutral: {
		id: 'neutral',
		title: { fr: 'Neutre (Stepwise)', en: 'Neutral (Stepwise)' },
		notation: 'bracket',
		inputLayer: 0,
		symbols: { learningRate: 'eta', cost: 'J', bias: 'b' },
		layout: { instances: 'rows', channels: 'first', bias: 'vector' },
		regressionCost: { half: true, reduction: 'mean' },
		reluDerivativeAtZero: 0,
		updateBiases: true,
		reasons: {}
	},
	'000': {
		id: '000',
		title: { fr: 'Cours 000 — Deep Learning 1', en: 'Course 000 — Deep Learning 1' },
		// the course names no layers (its networks are a perceptron and a composition of functions): its lessons and exercises write W^{[1]}
		notation: 'bracket',
		inputLayer: 0,
		symbols: { learningRate: 'eta', cost: 'E', bias: 'b' },
		layout: { instances: 'rows', channels: 'first', bias: 'vector' },
		regressionCost: { half: true, reduction: 'mean' },
		reluDerivativeAtZero: 0,
		updateBiases: true,
		reasons: {
			cost: { fr: 'Le cours appelle E la fonction d’erreur.', en: 'The course calls the error function E.' },
			instances: { fr: 'Le tableur écrit un exemple par ligne.', en: 'The spreadsheet writes one example per row.' }
		}
	},
	'001': {
		id: '001',
		title: { fr: 'Cours 001 — Apprentissage profond', en: 'Course 001 — Deep learning' },
		notation: 'layer',
		inputLayer: 0,
		symbols: { learningRate: 'alpha', cost: 'C', bias: 'b' },
		layout: { instances: 'rows', channels: 'last', bias: 'vector' },
		regressionCost: { half: false, reduction: 'mean' },
		reluDerivativeAtZero: 0,
		updateBiases: true,
		reasons: {
			notation: { fr: 'Le cours écrit $w^L_{jk}$, $a^L_j$ : la couche en exposant.', en: 'The course writes $w^L_{jk}$, $a^L_j$: the layer as a superscript.' },
			learningRate: { fr: 'La règle du perceptron : $w_i \\leftarrow w_i + \\alpha(y - f(x))x_i$.', en: 'The perceptron rule: $w_i \\leftarrow w_i + \\alpha(y - f(x))x_i$.' },
			cost: { fr: 'Le coût quadratique $C = \\frac{1}{n}\\sum (h(x_i) - y_i)^2$.', en: 'The squared-error cost $C = \\frac{1}{n}\\sum (h(x_i) - y_i)^2$.' },
			channels: { fr: 'Une image s’écrit 7×7×8 : hauteur, largeur, canaux (comme Keras).', en: 'An image is written 7×7×8: height, width, channels (as Keras does).' },
			regressionCost: { fr: 'La moyenne sans ½, de gradient $\\frac{2}{n}\\sum (h - y)$.', en: 'The mean without ½, with gradient $\\frac{2}{n}\\sum (h - y)$.' }
		}
	},
	'002': {
		id: '002',
		title: { fr: 'Cours 002 — Introduction au deep learning', en: 'Course 002 — Introduction to deep learning' },
		notation: 'bracket',
		inputLayer: 0,
		symbols: { learningRate: 'alpha', cost: 'Loss', bias: 'w0' },
		layout: { instances: 'rows', channels: 'first', bias: 'vector' },
		regressionCost: { half: false, reduction: 'sum' },
		reluDerivativeAtZero: 0,
		updateBiases: true,
		reasons: {
			learningRate: { fr: 'La mise à jour $w\' = w - \\alpha\\,\\delta\\text{Loss}$.', en: 'The update $w\' = w - \\alpha\\,\\delta\\text{Loss}$.' },
			cost: { fr: 'Le cours nomme la perte Loss.', en: 'The course names the loss Loss.' },
			bias: { fr: 'Le biais est un poids $w_0$ sur une entrée constante $x_0 = 1$.', en: 'The bias is a weight $w_0$ on a constant input $x_0 = 1$.' },
			regressionCost: { fr: 'La régression minimise $\\sum (y_i - (a x_i + b))^2$ : une somme, sans ½.', en: 'The regression minimises $\\sum (y_i - (a x_i + b))^2$: a sum, without ½.' }
		}
	},
	'003': {
		id: '003',
		title: { fr: 'Cours 003 — Introduction au Deep Learning (Inria)', en: 'Course 003 — Introduction to Deep Learning (Inria)' },
		notation: 'bracket',
		inputLayer: 0,
		symbols: { learningRate: 'alpha', cost: 'J', bias: 'b' },
		layout: { instances: 'columns', channels: 'first', bias: 'column' },
		regressionCost: { half: false, reduction: 'mean' },
		reluDerivativeAtZero: 1,
		updateBiases: true,
		reasons: {
			notation: { fr: 'Le cours écrit $W^{[l]}$, $a^{[l]}_j$ ; la couche d’entrée est la couche 0.', en: 'The course writes $W^{[l]}$, $a^{[l]}_j$; the input layer is layer 0.' },
			learningRate: { fr: 'La descente de gradient $W := W - \\alpha\\, dW$.', en: 'Gradient descent $W := W - \\alpha\\, dW$.' },
			cost: { fr: 'Le coût $J = \\frac{1}{m}\\sum L$.', en: 'The cost $J = \\frac{1}{m}\\sum L$.' },
			instances: { fr: '$X$ est $n^{[0]} \\times m$ : une colonne par exemple.', en: '$X$ is $n^{[0]} \\times m$: one column per instance.' },
			biasShape: { fr: '$b^{[l]}$ est une colonne $n^{[l]} \\times 1$, diffusée sur les exemples.', en: '$b^{[l]}$ is an $n^{[l]} \\times 1$ column, broadcast over the instances.' },
			reluAtZero: { fr: 'Le cours donne $h\'(x) = 1$ si $x \\geq 0$.', en: 'The course gives $h\'(x) = 1$ when $x \\geq 0$.' }
		}
	},
	'004': {
		id: '004',
		title: { fr: 'Cours 004 — Introduction aux réseaux de neurones', en: 'Course 004 — Introduction to neural networks' },
		notation: 'paren',
		inputLayer: 1,
		symbols: { learningRate: 'eta', cost: 'C', bias: 'b' },
		layout: { instances: 'rows', channels: 'first', bias: 'vector' },
		regressionCost: { half: true, reduction: 'mean' },
		reluDerivativeAtZero: 0,
		updateBiases: false,
		reasons: {
			notation: { fr: 'Le cours écrit $w^{(l)}$, $z^{(l)}$, $a^{(l)}$.', en: 'The course writes $w^{(l)}$, $z^{(l)}$, $a^{(l)}$.' },
			inputLayer: { fr: 'L’exemple numérote l’entrée couche 1 : $w^{(2)}$, $\\delta^{(3)}$.', en: 'The worked example numbers the input as layer 1: $w^{(2)}$, $\\delta^{(3)}$.' },
			learningRate: { fr: 'La descente de gradient $\\theta \\leftarrow \\theta - \\eta \\nabla L$.', en: 'Gradient descent $\\theta \\leftarrow \\theta - \\eta \\nabla L$.' },
			biasUpdates: { fr: 'L’exemple ne met à jour que les poids.', en: 'The worked example updates the weights only.' }
		}
	}
};

/** The profile of a lesson or an exercise: its course's, else the neutral one. */
export const profileOf = (course: CourseId | undefined): Profile => PROFILES[course ?? 'neutral'];

/** TeX of the learning rate. */
export const LEARNING_RATE_TEX: Record<LearningRateSymbol, string> = { eta: '\\eta', alpha: '\\alpha', lambda: '\\lambda' };

/** TeX of the cost. */
export const COST_TEX: Record<CostSymbol, string> = { J: 'J', C: 'C', E: 'E', Loss: '\\text{Loss}' };
