/** `value` questions: a quantity of the run at a step (`ask: "dW[1][0][1]"`, `step: 1`). */
import type { NestedNumbers } from '../../engine/tensor';
import { findEvent } from '../../engine/trace';
import type { ValueQuestion } from '../exercise';
import { symbolOf, writingOf } from '../feedback';
import { readAnswer } from '../mark';
import { expectedValue, parseAsk, type TensorQuestion } from '../question';
import type { KindModule } from './kind';
import { keyInCourse, markNumbers } from './numeric';

/** The question the engine resolves. */
export const engineValue = (q: ValueQuestion): TensorQuestion => ({ ask: q.ask, step: q.step });

export const value: KindModule<ValueQuestion, NestedNumbers> = {
	kind: 'value',
	readsRun: true,
	expected: (trace, q) => expectedValue(trace, engineValue(q)),
	read: (text, _q, shape) => readAnswer(text, shape, false),
	mark: markNumbers,
	key: keyInCourse,
	field(q, trace, exercise) {
		const name = parseAsk(q.ask)?.name;
		const event = name ? findEvent(trace, q.step, name) : undefined;
		return { kind: 'value', symbol: symbolOf(trace, writingOf(exercise), q), afterUpdate: event?.phase === 'update' ? event.step : null };
	}
};
