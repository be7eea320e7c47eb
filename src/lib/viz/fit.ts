/**
 * The width a picture is drawn at: the width it is given on screen, so that one user unit is one
 * pixel and its text keeps its size (11 px at least) on a phone as on a laptop; `fallback` before
 * it is measured (server rendering), never beyond `max` (wider, a chart only stretches) nor below
 * `min` (narrower, it is drawn at `min` and scaled down).
 */
export function drawnWidth(given: number, fallback: number, max: number, min = 200): number {
	if (!(given > 0)) return fallback;
	return Math.round(Math.max(min, Math.min(max, given)));
}
