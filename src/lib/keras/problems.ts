import { ScenarioError, type ScenarioIssue } from '../engine/scenario/issues';

/** A place in the Python text: 1-based line and column. */
export interface Position {
	line: number;
	column: number;
}

/** Something in the Keras code that was not taken, at the place it was written. */
export interface KerasProblem extends Position {
	message: string;
}

/** `line 3, column 12: …` */
export function formatProblem(problem: KerasProblem): string {
	return `line ${problem.line}, column ${problem.column}: ${problem.message}`;
}

/**
 * The problems as scenario issues, so that the command line and the replay's editor show them
 * where they show a scenario's: at their line, the column leading the message.
 */
function problemIssues(problems: readonly KerasProblem[]): ScenarioIssue[] {
	return problems.map((p) => ({ path: [], line: p.line, message: `column ${p.column}: ${p.message}` }));
}

/** Thrown for Keras code that cannot become a scenario; its issues name line and column. */
export function kerasError(problems: KerasProblem[]): ScenarioError {
	return new ScenarioError(problemIssues(problems));
}

/** A problem at a position. */
export function problemAt(at: Position, message: string): KerasProblem {
	return { line: at.line, column: at.column, message };
}
