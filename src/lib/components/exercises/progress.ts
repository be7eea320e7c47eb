/**
 * The student's progress, kept in this browser only: the best score of each exercise, over all
 * its numbers. Nothing is sent anywhere; a private window starts afresh.
 */
const KEY = 'stepwise.exercises.best';

export interface Best {
	points: number;
	max: number;
}

function read(): Record<string, Best> {
	try {
		const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
		return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Best>) : {};
	} catch {
		// no storage (blocked, or not a browser) or a damaged entry: no progress
		return {};
	}
}

/** Every exercise's best score so far. */
export function bestScores(): Record<string, Best> {
	return read();
}

/** Keeps a score when it beats the exercise's best. */
export function recordScore(id: string, score: Best): void {
	const all = read();
	const best = all[id];
	if (best && best.points >= score.points) return;
	all[id] = { points: score.points, max: score.max };
	try {
		localStorage.setItem(KEY, JSON.stringify(all));
	} catch {
		// storage full or blocked: the score is simply not kept
	}
}
