/**
 * Marking one answer against one expected value: read the string as the expected kind of value
 * (a number, a vector, a matrix, a shape; an option is read by kinds/choice.ts), then compare with the question's
 * tolerance, cell by cell for tensors. A sequence of named checks, as Numbas marks a part:
 * missing → readable → right shape → each cell within tolerance → precision.
 */
import { flattenNested, type NestedNumbers } from '../engine/tensor';
import { parseAnswer, type Expect } from './answer';
import type { FeedbackPart } from './feedback-message';
import { judge, judgeTensor, shapeOfNested, type Tolerance } from './tolerance';

/** What a student's string is, once read: numbers, or what another kind reads (kinds/choice.ts: an option). */
export type Reading<A = NestedNumbers> = { ok: true; value: A } | { ok: false; missing: boolean; message: FeedbackPart; at?: number };

export interface Mark {
	/** share of the marks, 0 to 1 (per cell for tensors) */
	score: number;
	/** wrong cells, 0-based in the expected value's shape; [] for a right answer, [[]] for a wrong number */
	wrong: number[][];
	/** the answer is right at the fewer digits it was written with */
	precision: boolean;
	/** a shape that does not match, said (no cell was compared) */
	shapeMessage?: FeedbackPart;
}

/** The dimensions that are not 1: a batch of one sample answers like a single vector. */
export function squeezedRank(shape: readonly number[]): number {
	return shape.filter((d) => d !== 1).length;
}

function expectFor(shape: readonly number[]): Expect {
	const rank = squeezedRank(shape);
	return rank === 0 ? 'number' : rank === 1 ? 'vector' : 'matrix';
}

const SHAPE_ANSWER = /^\s*[[(]?\s*\d+(\s*[×x*,;]\s*\d+)+\s*[\])]?\s*$/i;

/** A value question's answer, read as the expected value's kind. Shapes may be written 8×7×7. */
export function readAnswer(text: string | undefined, expectedShape: readonly number[], isShape: boolean): Reading {
	if (text === undefined || text.trim() === '') {
		return { ok: false, missing: true, message: { code: 'no_answer' } };
	}
	if (isShape && SHAPE_ANSWER.test(text)) return { ok: true, value: (text.match(/\d+/g) ?? []).map(Number) };
	let parsed = parseAnswer(text, expectFor(expectedShape));
	// [[0.5]] for a number, or a matrix for a vector: read it as written, the shapes are compared next
	if (!parsed.ok && parsed.reason === 'shape') {
		const asMatrix = parseAnswer(text, 'matrix');
		if (asMatrix.ok) parsed = asMatrix;
	}
	if (!parsed.ok) return { ok: false, missing: false, message: { code: 'unreadable', reason: parsed.reason, why: parsed.why }, ...(parsed.at === undefined ? {} : { at: parsed.at }) };
	if (parsed.kind === 'number') return { ok: true, value: parsed.value };
	return { ok: true, value: parsed.kind === 'vector' ? parsed.values : parsed.rows };
}

/** Compares a read answer with the expected value under the tolerance. */
export function markValue(answer: NestedNumbers, expected: NestedNumbers, tolerance: Tolerance): Mark {
	if (typeof expected === 'number' && typeof answer === 'number') {
		const verdict = judge(answer, expected, tolerance);
		return { score: verdict.correct ? 1 : 0, wrong: verdict.correct ? [] : [[]], precision: verdict.reason === 'precision' };
	}
	const verdict = judgeTensor(answer, expected, tolerance);
	if (!verdict.ok) {
		const expectedShape = shapeOfNested(expected) ?? [];
		return { score: 0, wrong: [], precision: false, shapeMessage: { code: 'expected_shape', expected: [...expectedShape], answer: shapeOfNested(answer) } };
	}
	const right = verdict.cells.filter((cell) => cell.correct).length;
	return {
		score: verdict.cells.length === 0 ? 0 : right / verdict.cells.length,
		wrong: verdict.wrong,
		precision: verdict.cells.some((cell) => cell.reason === 'precision')
	};
}

/** `like` (nested the same way) filled with `values` in row-major order. */
function refill(like: NestedNumbers, values: readonly number[]): NestedNumbers {
	let k = 0;
	const fill = (v: NestedNumbers): NestedNumbers => (typeof v === 'number' ? values[k++] : v.map(fill));
	return fill(like);
}

/**
 * The value closest to the answer among those within `spread` of `center`, cell by cell: what a
 * run gives from kept values that round to what the student wrote (carry.ts).
 */
export function nearestWithin(answer: NestedNumbers, center: NestedNumbers, spread: readonly number[] | null): NestedNumbers {
	const a = flattenNested(answer);
	const c = flattenNested(center);
	if (spread === null || a.length !== c.length || spread.length !== c.length) return center;
	return refill(
		center,
		c.map((v, j) => Math.min(v + spread[j], Math.max(v - spread[j], a[j])))
	);
}
