/** The topics of the courses in library order, with their names in both languages; shared by lessons and exercises. */
export const TOPICS = [
	{ id: 'perceptron', title: { fr: 'Le perceptron', en: 'The perceptron' } },
	{ id: 'neuron', title: { fr: 'Le neurone artificiel', en: 'The artificial neuron' } },
	{ id: 'gradient-descent', title: { fr: 'Descente de gradient', en: 'Gradient descent' } },
	{ id: 'mlp-forward', title: { fr: 'Propagation avant', en: 'Forward pass' } },
	{ id: 'backprop', title: { fr: 'Rétropropagation du gradient', en: 'Backpropagation' } },
	{ id: 'training', title: { fr: 'Apprentissage', en: 'Training' } },
	{ id: 'evaluation', title: { fr: 'Évaluer et régulariser', en: 'Evaluating and regularising' } },
	{ id: 'activations', title: { fr: "Fonctions d'activation", en: 'Activation functions' } },
	{ id: 'losses', title: { fr: 'Fonctions de perte', en: 'Loss functions' } },
	{ id: 'convolution', title: { fr: 'Convolution', en: 'Convolution' } },
	{ id: 'pooling', title: { fr: 'Pooling', en: 'Pooling' } },
	{ id: 'cnn', title: { fr: 'Réseaux convolutifs', en: 'Convolutional networks' } }
] as const;

export type TopicId = (typeof TOPICS)[number]['id'];
export const TOPIC_IDS = TOPICS.map((t) => t.id) as [TopicId, ...TopicId[]];


/** The seed courses of `shared/seeds`, by number. */
export const COURSES = ['000', '001', '002', '003', '004'] as const;
export type CourseId = (typeof COURSES)[number];
