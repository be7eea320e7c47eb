import type { Phase } from '../engine/trace';

export type ExportLocale = 'fr' | 'en';

/**
 * Headings of the exported workbooks, in the courses' words (course 000 builds its perceptron
 * in a spreadsheet with "somme pondérée", "sortie", "correction"). Kept beside the layouts,
 * which are pure TypeScript and run without the app's message files.
 */
export interface WorkbookText {
	perceptronSheet: string;
	networkSheet: string;
	eventsSheet: string;
	perceptronTitle: string;
	networkTitle: string;
	parameters: string;
	learningRate: string;
	threshold: string;
	outputRule: (strict: boolean) => string;
	rule: string;
	ruleSign: string;
	ruleDelta: string;
	inputs: string;
	weightsBefore: string;
	weightsAfter: string;
	bias: string;
	weightedSum: string;
	output: string;
	expected: string;
	correction: string;
	initialisation: string;
	step: string;
	epoch: string;
	sample: string;
	phase: string;
	name: string;
	shape: string;
	firstIndex: string;
	values: string;
	phases: Record<Phase, string>;
	loss: string;
	reduction: string;
	activation: string;
	layer: (index: number, activation: string) => string;
	/** `samples`: the 1-based sample numbers of the step's batch */
	stepHeading: (step: number, epoch: number, samples: number[]) => string;
	beforeUpdate: string;
	afterUpdate: string;
	unit: (j: number) => string;
	targets: string;
	forwardNote: string;
}

export const WORKBOOK_TEXT: Record<ExportLocale, WorkbookText> = {
	fr: {
		perceptronSheet: 'perceptron',
		networkSheet: 'réseau',
		eventsSheet: 'événements',
		perceptronTitle: 'Modèle perceptron',
		networkTitle: 'Réseau, étape par étape',
		parameters: 'paramètres',
		learningRate: "taux d'apprentissage",
		threshold: 'seuil',
		outputRule: (strict) => (strict ? 'sortie = 1 si somme pondérée > seuil' : 'sortie = 1 si somme pondérée ≥ seuil'),
		rule: 'règle',
		ruleSign: 'signe : w ← w + taux × (y − ŷ)',
		ruleDelta: 'delta : w ← w + taux × (y − ŷ) × x',
		inputs: 'entrées',
		weightsBefore: 'poids avant correction',
		weightsAfter: 'nouveaux poids',
		bias: 'biais',
		weightedSum: 'somme pondérée',
		output: 'sortie',
		expected: 'sortie attendue y',
		correction: 'correction y − ŷ',
		initialisation: 'initialisation',
		step: 'étape',
		epoch: 'époque',
		sample: 'échantillon',
		phase: 'phase',
		name: 'nom',
		shape: 'forme',
		firstIndex: 'premier indice',
		values: 'valeurs',
		phases: {
			init: 'initialisation',
			forward: 'propagation avant',
			loss: 'perte',
			backward: 'rétropropagation',
			update: 'descente de gradient',
			diverged: 'divergence',
			evaluate: "fin d'époque : évaluation"
		},
		loss: 'perte',
		reduction: 'réduction',
		activation: 'activation',
		layer: (index, activation) => `couche ${index} (${activation})`,
		stepHeading: (step, epoch, samples) =>
			`Étape ${step} · époque ${epoch} · ${samples.length === 1 ? 'échantillon' : 'échantillons'} ${samples.join(', ')}`,
		beforeUpdate: 'avant la mise à jour',
		afterUpdate: 'après la mise à jour',
		unit: (j) => `unité ${j}`,
		targets: 'Y (sorties attendues)',
		forwardNote: 'Z et A sont des formules ; la rétropropagation et la mise à jour sont les valeurs du moteur.'
	},
	en: {
		perceptronSheet: 'perceptron',
		networkSheet: 'network',
		eventsSheet: 'events',
		perceptronTitle: 'Perceptron model',
		networkTitle: 'Network, step by step',
		parameters: 'parameters',
		learningRate: 'learning rate',
		threshold: 'threshold',
		outputRule: (strict) => (strict ? 'output = 1 when weighted sum > threshold' : 'output = 1 when weighted sum ≥ threshold'),
		rule: 'rule',
		ruleSign: 'sign: w ← w + rate × (y − ŷ)',
		ruleDelta: 'delta: w ← w + rate × (y − ŷ) × x',
		inputs: 'inputs',
		weightsBefore: 'weights before correction',
		weightsAfter: 'new weights',
		bias: 'bias',
		weightedSum: 'weighted sum',
		output: 'output',
		expected: 'expected y',
		correction: 'correction y − ŷ',
		initialisation: 'initialisation',
		step: 'step',
		epoch: 'epoch',
		sample: 'sample',
		phase: 'phase',
		name: 'name',
		shape: 'shape',
		firstIndex: 'first index',
		values: 'values',
		phases: {
			init: 'initialisation',
			forward: 'forward pass',
			loss: 'loss',
			backward: 'backpropagation',
			update: 'gradient descent',
			diverged: 'divergence',
			evaluate: 'end of epoch: evaluation'
		},
		loss: 'loss',
		reduction: 'reduction',
		activation: 'activation',
		layer: (index, activation) => `layer ${index} (${activation})`,
		stepHeading: (step, epoch, samples) => `Step ${step} · epoch ${epoch} · ${samples.length === 1 ? 'sample' : 'samples'} ${samples.join(', ')}`,
		beforeUpdate: 'before the update',
		afterUpdate: 'after the update',
		unit: (j) => `unit ${j}`,
		targets: 'Y (expected outputs)',
		forwardNote: 'Z and A are formulas; backpropagation and the update are the engine’s values.'
	}
};
