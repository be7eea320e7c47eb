import type { Tensor } from './tensor';
import { layerName, type StateSymbol, type TrainedName } from './quantity';

/**
 * The optimizers of the scenario's `optimizer:` key, with Keras's update rules (learning rate η
 * apart: it is the scenario's `lr`, which every rule reads):
 * - sgd: θ ← θ − η g
 * - momentum (Keras SGD(momentum=μ)): v ← μ v − η g; θ ← θ + v
 * - rmsprop (Keras RMSprop): s ← ρ s + (1 − ρ) g²; θ ← θ − η g / √(s + ε)
 * - adam (Keras Adam): m ← β₁ m + (1 − β₁) g; s ← β₂ s + (1 − β₂) g²;
 *   α_t = η √(1 − β₂ᵗ) / (1 − β₁ᵗ); θ ← θ − α_t m / (√s + ε)
 * where t counts the updates from 1. Each state starts at zeros.
 */
export type OptimizerPlan =
	| { type: 'sgd' }
	| { type: 'momentum'; momentum: number }
	| { type: 'rmsprop'; rho: number; epsilon: number }
	| { type: 'adam'; beta1: number; beta2: number; epsilon: number };

/** Keras's defaults, where the scenario leaves a key out (momentum's 0.9 is the courses' usual value). */
export const OPTIMIZER_DEFAULTS = { momentum: 0.9, rmspropLr: 0.001, rho: 0.9, adamLr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** A state: v (momentum's velocity), m (Adam's moving average of g), s (RMSprop's and Adam's moving average of g²). */
export type StateLetter = 'v' | 'm' | 's';

/** What a state symbol is made of: vW → the velocity of W, sgamma → the moving average of γ's squared gradient. */
export function stateParts(symbol: StateSymbol): { state: StateLetter; kind: TrainedName } {
	// stateName below only compiles while every letter and parameter makes a state symbol, so the split is one
	return { state: symbol.slice(0, 1) as StateLetter, kind: symbol.slice(1) as TrainedName };
}

/** The event name of a state: `stateName('m', 'W', 2)` → `mW[2]`. */
export function stateName(state: StateLetter, kind: TrainedName, layer: number): string {
	const symbol: StateSymbol = `${state}${kind}`;
	return layerName(symbol, layer);
}

/** Adam's step size at update t, as Keras computes it: η √(1 − β₂ᵗ) / (1 − β₁ᵗ). */
export function adamStepSize(lr: number, beta1: number, beta2: number, t: number): number {
	return (lr * Math.sqrt(1 - Math.pow(beta2, t))) / (1 - Math.pow(beta1, t));
}

/** An optimizer with its state, by event name; it updates parameters in place. */
export class Optimizer {
	private readonly state = new Map<string, Tensor>();

	constructor(
		readonly plan: OptimizerPlan,
		/** the rate of the update under way: a schedule sets it before each update */
		public lr: number,
		/** false: Adam steps by η without √(1 − β₂ᵗ)/(1 − β₁ᵗ), the mistake the grader names */
		readonly biasCorrection = true
	) {}

	/**
	 * Updates the states of a parameter from its gradient g; returns them by event name, for the
	 * run to record (a substitution included, through `set`) before `move` reads them.
	 */
	advance(g: Tensor, kind: TrainedName, layer: number): { name: string; value: Tensor }[] {
		const { plan } = this;
		const gd = g.data;
		switch (plan.type) {
			case 'sgd':
				return [];
			case 'momentum': {
				const v = this.stateOf('v', kind, layer, g);
				for (let i = 0; i < gd.length; i++) v.value.data[i] = plan.momentum * v.value.data[i] - this.lr * gd[i];
				return [v];
			}
			case 'rmsprop': {
				const s = this.stateOf('s', kind, layer, g);
				for (let i = 0; i < gd.length; i++) s.value.data[i] = plan.rho * s.value.data[i] + (1 - plan.rho) * gd[i] * gd[i];
				return [s];
			}
			case 'adam': {
				const m = this.stateOf('m', kind, layer, g);
				const s = this.stateOf('s', kind, layer, g);
				for (let i = 0; i < gd.length; i++) {
					m.value.data[i] = plan.beta1 * m.value.data[i] + (1 - plan.beta1) * gd[i];
					s.value.data[i] = plan.beta2 * s.value.data[i] + (1 - plan.beta2) * gd[i] * gd[i];
				}
				return [m, s];
			}
		}
	}

	/** Moves θ in place at update t (from 1), from its gradient g and its states as advanced. */
	move(theta: Tensor, g: Tensor, kind: TrainedName, layer: number, t: number): void {
		const { plan, lr } = this;
		const th = theta.data;
		const gd = g.data;
		switch (plan.type) {
			case 'sgd':
				for (let i = 0; i < th.length; i++) th[i] -= lr * gd[i];
				return;
			case 'momentum': {
				const v = this.stateOf('v', kind, layer, g).value.data;
				for (let i = 0; i < th.length; i++) th[i] += v[i];
				return;
			}
			case 'rmsprop': {
				const s = this.stateOf('s', kind, layer, g).value.data;
				for (let i = 0; i < th.length; i++) th[i] -= (lr * gd[i]) / Math.sqrt(s[i] + plan.epsilon);
				return;
			}
			case 'adam': {
				const m = this.stateOf('m', kind, layer, g).value.data;
				const s = this.stateOf('s', kind, layer, g).value.data;
				const alpha = this.biasCorrection ? adamStepSize(lr, plan.beta1, plan.beta2, t) : lr;
				for (let i = 0; i < th.length; i++) th[i] -= (alpha * m[i]) / (Math.sqrt(s[i]) + plan.epsilon);
				return;
			}
		}
	}

	/** Puts a state as recorded (a substitution included) in place of the one computed. */
	set(name: string, value: Tensor): void {
		this.state.set(name, { shape: value.shape, data: Float64Array.from(value.data) });
	}

	private stateOf(state: StateLetter, kind: TrainedName, layer: number, like: Tensor): { name: string; value: Tensor } {
		const name = stateName(state, kind, layer);
		let value = this.state.get(name);
		if (!value) {
			value = { shape: like.shape, data: new Float64Array(like.data.length) };
			this.state.set(name, value);
		}
		return { name, value };
	}
}

/** The gradient of W with L2 weight decay: ∂J/∂W + 2λW (Keras's l2(λ) adds λ‖W‖² to the loss); dW itself when λ is 0. */
export function withWeightDecay(dW: Tensor, W: Tensor, l2: number): Tensor {
	if (l2 === 0) return dW;
	const data = new Float64Array(dW.data.length);
	for (let i = 0; i < data.length; i++) data[i] = dW.data[i] + 2 * l2 * W.data[i];
	return { shape: dW.shape, data };
}
