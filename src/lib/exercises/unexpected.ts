import { ScenarioError } from '../engine/scenario/issues';

/**
 * The grader goes on without a part it could not compute (a carry-forward, a diagnosis, a
 * formula): a student's grade never fails for it. A ScenarioError is such a case (a student's
 * numbers or a mistake make a scenario that cannot run); anything else is a bug, written to the
 * server's log so that it is seen and mended rather than lost in a "no diagnosis".
 */
export function goOnWithout(part: string, error: unknown): void {
	if (!(error instanceof ScenarioError)) console.error(`stepwise: the grader went on without ${part}, after an unexpected error:`, error);
}
