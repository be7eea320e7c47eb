import { reshape, sizeOf } from '../tensor';
import type { LayerUnit } from './unit';

/** Flatten: each sample's values in one row, in row-major order; its gradient is reshaped back. */
export const flattenUnit: LayerUnit<'flatten'> = {
	plan: (_config, { index, inputShape }) => ({ type: 'flatten', index, inputShape, outputShape: [sizeOf(inputShape)] }),
	declare: () => ({ type: 'flatten' }),
	parameters: () => [],
	multiplyAdds: () => 0,
	forward: (plan, _params, input) => ({ Z: null, A: reshape(input, [input.shape[0], ...plan.outputShape]), winners: null }),
	backward: (_plan, _params, input, _output, dA, _pairedDZ, _backend, _conventions, needInput) => ({
		dZ: null,
		gradients: {},
		dInput: needInput ? reshape(dA, input.shape) : null
	})
};
