import { readScenario } from '../engine/scenario/parse';
import { run } from '../engine/run';
import { findEvent } from '../engine/trace';
import { PROFILES } from '../profiles';
import { STARTER_SCENARIO } from '../replay/starter';
import { explain } from './explain';
import type { Locale } from './types';

/** The event and the element the home page shows: the second hidden unit's weighted sum, DESIGN.md's z = 0.45. */
const EVENT = 'Z[1]';
const ELEMENT = [0, 1];

/**
 * The home page's example as two lines of TeX, the scalar formula and its numbers put in, written
 * by the formulas from a run of DESIGN.md's example (the replay's starter): the page shows the
 * engine's numbers as the replay would, none typed by hand.
 */
export function homeExample(locale: Locale): [string, string] {
	const trace = run(readScenario(STARTER_SCENARIO));
	const event = findEvent(trace, 1, EVENT);
	const element = event && explain(trace, event.seq, { profile: PROFILES.neutral, digits: 4, locale }).element(ELEMENT);
	if (!element) throw new Error(`the starter scenario records no ${EVENT} at step 1`);
	return [element.symbolic, element.substituted];
}
