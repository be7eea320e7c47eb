import { batchnormUnit } from './batchnorm';
import { convUnit } from './conv2d';
import { denseUnit } from './dense';
import { dropoutUnit } from './dropout';
import { flattenUnit } from './flatten';
import { poolUnit } from './pool';
import type { LayerType, LayerUnit, Unit } from './unit';
import type { LayerPlan } from '../plan';
import type { LayerConfig } from '../scenario/schema';

/** One unit per layer type: the plan, the parameters and the passes of each. */
export const LAYERS: { [T in LayerType]: LayerUnit<T> } = {
	dense: denseUnit,
	conv2d: convUnit,
	pool: poolUnit,
	flatten: flattenUnit,
	dropout: dropoutUnit,
	batchnorm: batchnormUnit
};

/** The unit of a layer type, to be called with a plan or a mapping of that same type. */
export function unitOf(type: LayerType): Unit<LayerPlan, LayerConfig> {
	return LAYERS[type];
}
