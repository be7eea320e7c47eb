import type { ActivationName } from '$lib/engine/activations';
import type { PoolMode } from '$lib/engine/layers/pool';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/viz/types';

/**
 * The pictures' words that are picked by a value (an activation, a pooling mode) or built from an
 * index; the words themselves are in the message files. Indices in text are 1-based, as in the
 * courses.
 */
const ACTIVATIONS: Record<ActivationName, typeof m.picture_activation_identity> = {
	square: m.picture_activation_square,
	identity: m.picture_activation_identity,
	step: m.picture_activation_step,
	sigmoid: m.picture_activation_sigmoid,
	tanh: m.picture_activation_tanh,
	relu: m.picture_activation_relu,
	softplus: m.picture_activation_softplus,
	softmax: m.picture_activation_softmax
};

/** An activation's name. */
export function activationLabel(activation: ActivationName, locale: Locale): string {
	return ACTIVATIONS[activation]({}, { locale });
}

const POOL_MODES: Record<PoolMode, typeof m.picture_pool_max> = {
	max: m.picture_pool_max,
	avg: m.picture_pool_avg,
	min: m.picture_pool_min
};

/** A pooling layer's mode. */
export function poolModeLabel(mode: PoolMode, locale: Locale): string {
	return POOL_MODES[mode]({}, { locale });
}

/** An element and its value, `name[i, j] = value`, from its 0-based index. */
export function elementText(name: string, index: number[], value: string, locale: Locale): string {
	return m.picture_element({ name, index: index.map((i) => i + 1).join(', '), value }, { locale });
}

/** Enter and Space pick an element, as a click does. */
export function pickOnKey(event: KeyboardEvent, pick: () => void): void {
	if (event.key === 'Enter' || event.key === ' ') {
		event.preventDefault();
		pick();
	}
}
