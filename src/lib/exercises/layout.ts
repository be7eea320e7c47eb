/**
 * Answers in the course's layout. The engine stores one row per instance, channels first and b
 * as a vector; a course may write one column per instance (003's X is n^{[0]} × m), an image as
 * height × width × channels (001's 7×7×8) or b as an n × 1 column (003). The profile of an
 * exercise's course (profiles.ts) says which: the expected value, the key and the input grid of
 * a question are written in that layout, and an answer written in it is read back into the
 * engine's, so that marking, error carried forward and the mistakes keep working on the run.
 *
 * A question's `layout` says what else is right: `course` (only the course's layout) or `either`
 * (also the same value in another course's layout, with a note). The default is `either` for a
 * shape fact (a shape asked as "2×10" or "10×2") and `course` for a matrix of values.
 */
import { baseOf } from '../engine/quantity';
import type { NestedNumbers } from '../engine/tensor';
import { profileOf, type BiasShape, type ChannelOrder, type InstanceLayout, type Profile } from '../profiles';
import type { Exercise, NumericQuestion } from './exercise';
import type { FeedbackPart, LayoutWriting } from './feedback-message';
import { parseAsk, type Expected } from './question';

export const ANSWER_LAYOUTS = ['course', 'either'] as const;
export type AnswerLayout = (typeof ANSWER_LAYOUTS)[number];

export type Layout = Profile['layout'];

/** How a question's value is written in a layout, from the engine's value. */
export type View =
	/** laid out as the engine stores it */
	| { kind: 'same' }
	/** a whole matrix with one row per instance, written with one column per instance */
	| { kind: 'transpose' }
	/** b^{[l]} as an n × 1 column */
	| { kind: 'column' }
	/** a shape as a list of sizes, reordered: the course's size i is the engine's size order[i] */
	| { kind: 'permute'; order: number[] }
	/** the shape of b as n × 1: [n] → [n, 1] */
	| { kind: 'append-one' };

/** What a view reads of a question: what it asks (a quantity, or a fact and what it is `of`); a statement's placeholder asks its quantity. */
export type Asked = Pick<NumericQuestion, 'ask' | 'of'>;

/** The conventions of a layout that can change how a question's value is written. */
export type LayoutConvention = 'instances' | 'channels' | 'bias';

/** Quantities with one row per instance in the engine (A[0] is X). */
const INSTANCE_QUANTITIES = ['A', 'Z', 'dA', 'dZ'] as const;
const BIAS_QUANTITIES = ['b', 'db'] as const;

const isOneOf = (list: readonly string[], value: string): boolean => list.includes(value);
const SAME: View = { kind: 'same' };

/** The convention a question's value depends on, if any: what makes a view other than `same` possible. */
export function conventionOf(q: Asked, engineValue: NestedNumbers): LayoutConvention | null {
	switch (q.ask) {
		case 'param_count':
			return null;
		case 'output_size':
			return Array.isArray(engineValue) && engineValue.length === 3 ? 'channels' : null;
		case 'shape': {
			const parsed = parseAsk(q.of ?? '');
			const quantity = parsed ? parsed.quantity.symbol : '';
			const rank = Array.isArray(engineValue) ? engineValue.length : 0;
			if (isOneOf(INSTANCE_QUANTITIES, quantity)) return rank === 2 ? 'instances' : rank === 4 ? 'channels' : null;
			return isOneOf(BIAS_QUANTITIES, quantity) && rank === 1 ? 'bias' : null;
		}
		default: {
			const parsed = parseAsk(q.ask);
			if (!parsed || parsed.index.length > 0 || !Array.isArray(engineValue)) return null;
			const quantity = parsed.quantity.symbol;
			const matrix = Array.isArray(engineValue[0]) && !Array.isArray((engineValue as NestedNumbers[][])[0][0]);
			if (isOneOf(INSTANCE_QUANTITIES, quantity)) return matrix ? 'instances' : null;
			return isOneOf(BIAS_QUANTITIES, quantity) && !Array.isArray(engineValue[0]) ? 'bias' : null;
		}
	}
}

const INSTANCES: Record<InstanceLayout, (q: Asked) => View> = {
	rows: () => SAME,
	columns: (q) => (q.ask === 'shape' ? { kind: 'permute', order: [1, 0] } : { kind: 'transpose' })
};
/** C×H×W (output_size) or m×C×H×W (shape) as H×W×C or m×H×W×C */
const CHANNELS: Record<ChannelOrder, (q: Asked) => View> = {
	first: () => SAME,
	last: (q) => ({ kind: 'permute', order: q.ask === 'shape' ? [0, 2, 3, 1] : [1, 2, 0] })
};
const BIAS: Record<BiasShape, (q: Asked) => View> = {
	vector: () => SAME,
	column: (q) => (q.ask === 'shape' ? { kind: 'append-one' } : { kind: 'column' })
};

/** How `layout` writes the value of question `q`, given the engine's value. */
export function viewOf(layout: Layout, q: Asked, engineValue: NestedNumbers): View {
	const convention = conventionOf(q, engineValue);
	if (convention === null) return SAME;
	switch (convention) {
		case 'instances':
			return INSTANCES[layout.instances](q);
		case 'channels':
			return CHANNELS[layout.channels](q);
		case 'bias':
			return BIAS[layout.bias](q);
	}
}

const isMatrix = (value: NestedNumbers): value is number[][] => Array.isArray(value) && value.length > 0 && value.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'));
const isList = (value: NestedNumbers): value is number[] => Array.isArray(value) && value.every((x) => typeof x === 'number');
const transpose = (m: number[][]): number[][] => (m[0] ?? []).map((_, j) => m.map((row) => row[j]));

/** The engine's value as the view writes it. */
export function toCourse(view: View, value: NestedNumbers): NestedNumbers {
	switch (view.kind) {
		case 'same':
			return value;
		case 'transpose':
			return isMatrix(value) ? transpose(value) : value;
		case 'column':
			return isList(value) ? value.map((x) => [x]) : value;
		case 'permute':
			return isList(value) && value.length === view.order.length ? view.order.map((k) => value[k]) : value;
		case 'append-one':
			return isList(value) ? [...value, 1] : value;
	}
}

/**
 * A value written in the view's layout (a student's answer), in the engine's; left as it is
 * where it cannot be that view's (a vector for a transposed matrix is the same vector), so that
 * marking then says what is wrong with it.
 */
export function toEngine(view: View, value: NestedNumbers): NestedNumbers {
	switch (view.kind) {
		case 'same':
			return value;
		case 'transpose':
			return isMatrix(value) ? transpose(value) : value;
		case 'column':
			return isMatrix(value) && value.every((row) => row.length === 1) ? value.map((row) => row[0]) : value;
		case 'permute': {
			if (!isList(value) || value.length !== view.order.length) return value;
			const engine = new Array<number>(value.length);
			view.order.forEach((k, i) => (engine[k] = value[i]));
			return engine;
		}
		case 'append-one':
			return isList(value) && value.length >= 2 && value[value.length - 1] === 1 ? value.slice(0, -1) : value;
	}
}

/** A cell of the engine's value (0-based, full shape), as indexed in the view's. */
export function cellToCourse(view: View, cell: readonly number[]): number[] {
	switch (view.kind) {
		case 'same':
		case 'append-one':
			return [...cell];
		case 'transpose':
			return cell.length === 2 ? [cell[1], cell[0]] : [...cell];
		case 'column':
			return cell.length === 1 ? [cell[0], 0] : [...cell];
		case 'permute':
			return cell.length === 1 ? [view.order.indexOf(cell[0])] : [...cell];
	}
}

/** A cell of the view's value, as indexed in the engine's: the inverse of cellToCourse. */
export function cellToEngine(view: View, cell: readonly number[]): number[] {
	switch (view.kind) {
		case 'same':
		case 'append-one':
			return [...cell];
		case 'transpose':
			return cell.length === 2 ? [cell[1], cell[0]] : [...cell];
		case 'column':
			return cell.length === 2 ? [cell[0]] : [...cell];
		case 'permute':
			return cell.length === 1 ? [view.order[cell[0]] ?? cell[0]] : [...cell];
	}
}

/** A shape of the engine's value, as the view writes the value. */
export function shapeToCourse(view: View, shape: readonly number[]): number[] {
	switch (view.kind) {
		case 'same':
		case 'permute':
			return [...shape];
		case 'transpose':
			return shape.length === 2 ? [shape[1], shape[0]] : [...shape];
		case 'column':
			return shape.length === 1 ? [shape[0], 1] : [...shape];
		case 'append-one':
			return shape.length === 1 ? [shape[0] + 1] : [...shape];
	}
}

/** Every layout a course may write, neutral first. */
const ALL_LAYOUTS: Layout[] = (['rows', 'columns'] as const).flatMap((instances) =>
	(['first', 'last'] as const).flatMap((channels) => (['vector', 'column'] as const).map((bias) => ({ instances, channels, bias })))
);

/** The same value as other courses write it: one entry per distinct writing other than the course's own. */
export function otherLayouts(layout: Layout, q: NumericQuestion, engineValue: NestedNumbers): { layout: Layout; view: View; value: NestedNumbers }[] {
	const own = JSON.stringify(toCourse(viewOf(layout, q, engineValue), engineValue));
	const seen = new Set([own]);
	const others: { layout: Layout; view: View; value: NestedNumbers }[] = [];
	for (const other of ALL_LAYOUTS) {
		const view = viewOf(other, q, engineValue);
		const value = toCourse(view, engineValue);
		const key = JSON.stringify(value);
		if (seen.has(key)) continue;
		seen.add(key);
		others.push({ layout: other, view, value });
	}
	return others;
}

/** What a question accepts: its own `layout`, else `either` for a shape fact and `course` for values. */
export function answerLayoutOf(q: NumericQuestion): AnswerLayout {
	return q.layout ?? (q.ask === 'shape' || q.ask === 'output_size' ? 'either' : 'course');
}

/**
 * Whether `either` may be asked of a question: a fact with another writing, or a whole matrix of
 * activations (Z, A, dZ, dA) whose transpose is no other quantity's. Never W: Wᵀ is a matrix of
 * the same kind, and taking it would hide rows and columns swapped. Null when it may, else why not.
 */
export function eitherRefusal(q: NumericQuestion, engineValue: NestedNumbers): string | null {
	const convention = conventionOf(q, engineValue);
	const parsed = q.ask === 'shape' || q.ask === 'output_size' || q.ask === 'param_count' ? null : parseAsk(q.ask);
	if (parsed && parsed.quantity.layer !== null && baseOf(parsed.quantity.symbol) === 'W') return `${q.ask} is n^[l] × n^[l-1] in every course: its transpose is another matrix, and accepting it would hide rows and columns swapped`;
	if (convention === null) return `${q.ask === 'shape' ? `the shape of ${q.of}` : q.ask} is written the same way in every course; layout: either changes nothing`;
	if (q.ask !== 'shape' && q.ask !== 'output_size' && convention !== 'instances') return `only a shape, an output size or a whole matrix of activations (Z, A, dZ, dA) may accept either layout`;
	return null;
}

/** How each convention is written, for a note (feedback-text.ts words it). */
const INSTANCES_WRITTEN: Record<InstanceLayout, LayoutWriting> = { rows: 'instance_rows', columns: 'instance_columns' };
const CHANNELS_WRITTEN: Record<ChannelOrder, LayoutWriting> = { first: 'channels_first', last: 'channels_last' };
const BIAS_WRITTEN: Record<BiasShape, LayoutWriting> = { vector: 'bias_vector', column: 'bias_column' };

function written(convention: LayoutConvention, layout: Layout): LayoutWriting {
	switch (convention) {
		case 'instances':
			return INSTANCES_WRITTEN[layout.instances];
		case 'channels':
			return CHANNELS_WRITTEN[layout.channels];
		case 'bias':
			return BIAS_WRITTEN[layout.bias];
	}
}

/** The note of an answer right in another layout: what the exercise expects, and why it is the same. */
export function otherLayoutNote(convention: LayoutConvention, own: Layout, other: Layout): FeedbackPart {
	return { code: 'right_in_other_layout', expects: written(convention, own), given: written(convention, other) };
}

/** An expected value as the exercise's course writes it, with its view (for the key, the input grid, the sheets). */
export function inCourseLayout(exercise: Exercise, q: NumericQuestion, expected: Expected & { ok: true }): { view: View; value: NestedNumbers; shape: number[] } {
	const view = viewOf(profileOf(exercise.course).layout, q, expected.value);
	return { view, value: toCourse(view, expected.value), shape: shapeToCourse(view, expected.shape) };
}

/** The note of the right value written in a layout the question does not accept. */
export function wrongLayoutNote(convention: LayoutConvention, own: Layout, other: Layout): FeedbackPart {
	return { code: 'other_layout', expects: written(convention, own), given: written(convention, other) };
}
