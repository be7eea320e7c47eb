/**
 * How every page names a verdict: one label and one mark per verdict, checked by the compiler
 * against the grader's union, so a verdict added to the grader cannot reach a page unnamed.
 */
import type { Verdict } from '$lib/exercises/grade';
import { m } from '$lib/paraglide/messages';

export const VERDICT_LABELS: Record<Verdict, () => string> = {
	right: m.verdict_right,
	partial: m.verdict_partial,
	wrong: m.verdict_wrong,
	carried_forward: m.verdict_carried_forward,
	diagnosed: m.verdict_diagnosed,
	unreadable: m.verdict_unreadable,
	missing: m.verdict_missing
};

/** A shape beside the colour, so a verdict is never told by colour alone. */
export const VERDICT_MARKS: Record<Verdict, string> = { right: '✓', partial: '◐', wrong: '✗', carried_forward: '↪', diagnosed: '⚑', unreadable: '?', missing: '–' };
