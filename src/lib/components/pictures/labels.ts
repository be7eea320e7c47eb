import type { Locale } from '$lib/viz/types';

/**
 * The pictures' words, French and English. Kept here, keyed by locale, until they move to the
 * message files. Indices in text are 1-based, as in the courses.
 */
export interface PictureLabels {
	input: string;
	layer: (l: number) => string;
	output: string;
	units: (n: number) => string;
	sample: (n: number) => string;
	channel: (n: number) => string;
	filter: (n: number) => string;
	unit: (layer: number, unit: number) => string;
	activation: Record<string, string>;
	kernel: string;
	featureMap: string;
	inputMap: string;
	window: (kh: number, kw: number) => string;
	stride: (s: number) => string;
	padding: (p: number) => string;
	poolMode: Record<'max' | 'avg', string>;
	flatten: string;
	vector: string;
	threshold: string;
	cost: string;
	costPerStep: string;
	step: string;
	init: string;
	weightedSum: string;
	outputY: string;
	expectedY: string;
	correction: string;
	weightsBefore: string;
	weightsAfter: string;
	hiddenRows: (n: number) => string;
	notYet: string;
	positive: string;
	negative: string;
	written: string;
	read: string;
	selected: string;
	padCell: string;
	nextWindow: string;
	windowLegend: string;
	kept: string;
	fires: string;
	target: (y: number) => string;
	noPicture: string;
	channels: string;
	graphAria: (sizes: number[], step: number, name: string, sample: number) => string;
	gridAria: (mode: 'conv' | 'pool', layer: number, step: number, name: string, sample: number, channel: number) => string;
	flattenAria: (layer: number, step: number, name: string, sample: number) => string;
	lossAria: (steps: number, step: number, value: string | null) => string;
	lineAria: (equation: string, points: number) => string;
	tableCaption: string;
	element: (name: string, index: number[], value: string) => string;
}

const fr: PictureLabels = {
	input: 'entrée',
	layer: (l) => `couche ${l}`,
	output: 'sortie',
	units: (n) => (n === 1 ? '1 unité' : `${n} unités`),
	sample: (n) => `échantillon ${n + 1}`,
	channel: (n) => `canal ${n + 1}`,
	filter: (n) => `filtre ${n + 1}`,
	unit: (layer, unit) => `unité ${unit + 1} de la couche ${layer}`,
	activation: { identity: 'identité', step: 'seuil', sigmoid: 'sigmoïde', tanh: 'tanh', relu: 'ReLU', softplus: 'softplus', softmax: 'softmax' },
	kernel: 'noyau',
	featureMap: 'carte de caractéristiques',
	inputMap: 'entrée',
	window: (kh, kw) => `fenêtre ${kh}×${kw}`,
	stride: (s) => `pas ${s}`,
	padding: (p) => `marge ${p}`,
	poolMode: { max: 'max-pooling', avg: 'pooling moyen' },
	flatten: 'aplatissement',
	vector: 'vecteur',
	threshold: 'seuil θ',
	cost: 'coût J',
	costPerStep: 'coût J par étape',
	step: 'étape',
	init: 'init.',
	weightedSum: 'somme pondérée',
	outputY: 'sortie ŷ',
	expectedY: 'attendu y',
	correction: 'signe de la correction',
	weightsBefore: 'poids avant correction',
	weightsAfter: 'poids après correction',
	hiddenRows: (n) => `${n} ligne${n > 1 ? 's' : ''} précédente${n > 1 ? 's' : ''} non affichée${n > 1 ? 's' : ''}`,
	notYet: 'pas encore calculé',
	positive: 'positif',
	negative: 'négatif',
	written: 'écrit par cet événement',
	read: 'lu par la formule',
	selected: 'élément choisi',
	padCell: 'marge (zéros)',
	nextWindow: 'position suivante',
	windowLegend: 'fenêtre (champ récepteur)',
	kept: 'maximum retenu',
	fires: 'le neurone s’active (ŷ = 1)',
	target: (y) => `attendu y = ${y}`,
	noPicture: 'Pas de schéma pour cet événement.',
	channels: 'Canal affiché',
	graphAria: (sizes, step, name, sample) =>
		`Réseau ${sizes.join('-')}, étape ${step}, événement ${name}, valeurs de l’échantillon ${sample + 1} sur les neurones ; arêtes bleues : poids positifs, orange : négatifs, épaisseur : valeur absolue.`,
	gridAria: (mode, layer, step, name, sample, channel) =>
		`${mode === 'conv' ? 'Convolution' : 'Pooling'} de la couche ${layer}, étape ${step}, événement ${name} : entrée de l’échantillon ${sample + 1}, canal ${channel + 1}, avec la fenêtre glissante${mode === 'conv' ? ', le noyau' : ''} et la carte de sortie.`,
	flattenAria: (layer, step, name, sample) => `Aplatissement de la couche ${layer}, étape ${step}, événement ${name} : cartes de l’échantillon ${sample + 1} et le vecteur obtenu.`,
	lossAria: (steps, step, value) => `Courbe du coût J sur ${steps} étapes ; curseur à l’étape ${step}${value ? `, J = ${value}` : ''}.`,
	lineAria: (equation, points) => `Droite de séparation ${equation} et ${points} points des données.`,
	tableCaption: 'Le perceptron pas à pas (tableur du cours)',
	element: (name, index, value) => `${name}[${index.map((i) => i + 1).join(', ')}] = ${value}`
};

const en: PictureLabels = {
	input: 'input',
	layer: (l) => `layer ${l}`,
	output: 'output',
	units: (n) => (n === 1 ? '1 unit' : `${n} units`),
	sample: (n) => `sample ${n + 1}`,
	channel: (n) => `channel ${n + 1}`,
	filter: (n) => `filter ${n + 1}`,
	unit: (layer, unit) => `unit ${unit + 1} of layer ${layer}`,
	activation: { identity: 'identity', step: 'step', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'ReLU', softplus: 'softplus', softmax: 'softmax' },
	kernel: 'kernel',
	featureMap: 'feature map',
	inputMap: 'input',
	window: (kh, kw) => `${kh}×${kw} window`,
	stride: (s) => `stride ${s}`,
	padding: (p) => `padding ${p}`,
	poolMode: { max: 'max pooling', avg: 'average pooling' },
	flatten: 'flatten',
	vector: 'vector',
	threshold: 'threshold θ',
	cost: 'cost J',
	costPerStep: 'cost J per step',
	step: 'step',
	init: 'init',
	weightedSum: 'weighted sum',
	outputY: 'output ŷ',
	expectedY: 'expected y',
	correction: 'correction sign',
	weightsBefore: 'weights before',
	weightsAfter: 'weights after',
	hiddenRows: (n) => `${n} earlier row${n > 1 ? 's' : ''} not shown`,
	notYet: 'not computed yet',
	positive: 'positive',
	negative: 'negative',
	written: 'written by this event',
	read: 'read by the formula',
	selected: 'selected element',
	padCell: 'padding (zeros)',
	nextWindow: 'next position',
	windowLegend: 'window (receptive field)',
	kept: 'maximum kept',
	fires: 'the unit fires (ŷ = 1)',
	target: (y) => `expected y = ${y}`,
	noPicture: 'No picture for this event.',
	channels: 'Channel shown',
	graphAria: (sizes, step, name, sample) =>
		`Network ${sizes.join('-')}, step ${step}, event ${name}, values of sample ${sample + 1} on the units; blue edges: positive weights, orange: negative, width: absolute value.`,
	gridAria: (mode, layer, step, name, sample, channel) =>
		`${mode === 'conv' ? 'Convolution' : 'Pooling'} of layer ${layer}, step ${step}, event ${name}: input of sample ${sample + 1}, channel ${channel + 1}, with the sliding window${mode === 'conv' ? ', the kernel' : ''} and the output map.`,
	flattenAria: (layer, step, name, sample) => `Flatten of layer ${layer}, step ${step}, event ${name}: the maps of sample ${sample + 1} and the vector they become.`,
	lossAria: (steps, step, value) => `Cost J over ${steps} steps; cursor at step ${step}${value ? `, J = ${value}` : ''}.`,
	lineAria: (equation, points) => `Separating line ${equation} and ${points} data points.`,
	tableCaption: 'The perceptron step by step (the course spreadsheet)',
	element: (name, index, value) => `${name}[${index.map((i) => i + 1).join(', ')}] = ${value}`
};

export const LABELS: Record<Locale, PictureLabels> = { fr, en };

/** Enter and Space pick an element, as a click does. */
export function pickOnKey(event: KeyboardEvent, pick: () => void): void {
	if (event.key === 'Enter' || event.key === ' ') {
		event.preventDefault();
		pick();
	}
}
