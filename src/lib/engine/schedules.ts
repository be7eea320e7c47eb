/**
 * Learning-rate schedules, as Keras's keras.optimizers.schedules compute them: the rate of update t,
 * where t counts the optimizer's updates from 0 (Keras's `optimizer.iterations` before the update),
 * so the first update uses the initial rate. Course 002: « α peut diminuer au cours du temps ».
 * - inverse_time (InverseTimeDecay): η_t = η₀ / (1 + r·t/T)
 * - exponential (ExponentialDecay): η_t = η₀ · r^(t/T)
 * With staircase, ⌊t/T⌋ takes the place of t/T: the rate drops every T updates.
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

/** The exponent or factor t/T of update t (from 0), ⌊t/T⌋ with staircase. */
export function decayProgress(schedule: LearningRateSchedule, t: number): number {
	const progress = t / schedule.decaySteps;
	return schedule.staircase ? Math.floor(progress) : progress;
}

/** η_t, the learning rate of update t counted from 0. */
export function learningRateAt(schedule: LearningRateSchedule, t: number): number {
	const p = decayProgress(schedule, t);
	switch (schedule.schedule) {
		case 'inverse_time':
			return schedule.initial / (1 + schedule.decayRate * p);
		case 'exponential':
			return schedule.initial * Math.pow(schedule.decayRate, p);
	}
}

/** Keras's class for each schedule, as import and export write it. */
export const KERAS_SCHEDULES: Record<ScheduleName, string> = { inverse_time: 'InverseTimeDecay', exponential: 'ExponentialDecay' };
