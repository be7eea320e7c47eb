/**
 * Learning-rate schedules, as Keras's keras.optimizers.schedules compute them: the rate of an update
 * after k updates (Keras's `optimizer.iterations` before it: the trace's step − 1), so the first
 * update uses the initial rate. Course 002: « α peut diminuer au cours du temps ».
 * - inverse_time (InverseTimeDecay): η_k = η₀ / (1 + r·k/T)
 * - exponential (ExponentialDecay): η_k = η₀ · r^(k/T)
 * With staircase, ⌊k/T⌋ takes the place of k/T: the rate drops every T updates.
 */
export type ScheduleName = 'inverse_time' | 'exponential';

export interface LearningRateSchedule {
	schedule: ScheduleName;
	/** η₀, the rate of the first update */
	initial: number;
	/** r */
	decayRate: number;
	/** T, in updates */
	decaySteps: number;
	staircase: boolean;
}

/** The exponent or factor k/T after k updates, ⌊k/T⌋ with staircase. */
export function decayProgress(schedule: LearningRateSchedule, k: number): number {
	const progress = k / schedule.decaySteps;
	return schedule.staircase ? Math.floor(progress) : progress;
}

/** η_k, the learning rate of the update made after k updates. */
export function learningRateAt(schedule: LearningRateSchedule, k: number): number {
	const p = decayProgress(schedule, k);
	switch (schedule.schedule) {
		case 'inverse_time':
			return schedule.initial / (1 + schedule.decayRate * p);
		case 'exponential':
			return schedule.initial * Math.pow(schedule.decayRate, p);
	}
}

/** Keras's class for each schedule, as import and export write it. */
export const KERAS_SCHEDULES: Record<ScheduleName, string> = { inverse_time: 'InverseTimeDecay', exponential: 'ExponentialDecay' };
