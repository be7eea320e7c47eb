/**
 * Facts carried forward: a student who forgot the + 1 in one layer's output size and then sized the
 * next layer rightly from their own wrong size has made one mistake, not two. Run questions get this
 * from a run that substitutes the student's values (grade.ts); facts are read from the model's plans
 * (question.ts), so here the model is planned again by the engine, from the student's own sizes,
 * and the fact read from that plan as question.ts reads it. Nothing is recomputed by a formula here.
 */
import { layerParamCount, planModel, type LayerPlan } from '../engine/plan';
import { ScenarioError } from '../engine/scenario/issues';
import { flattenNested, sameShape, type NestedNumbers } from '../engine/tensor';
import { declared } from './mistakes/catalogue';

/** A fact question (question.ts's FactQuestion without `shape`, which no size changes here). */
export interface FactAsked {
	ask: 'output_size' | 'param_count';
	/** 1-based; 0 is the input for output_size; none for param_count is the whole model */
	layer?: number;
}

/**
 * An output size the student gave before, in the engine's layout (grade.ts's answer after
 * `toEngine`): a number (or [n]) for a vector, [channels, height, width] for an image, or [height,
 * width] with the channels left out. Null (missing or unreadable) is skipped.
 */
export interface EarlierSize {
	ask: 'output_size';
	layer: number;
	value: NestedNumbers | null;
}

export interface CarriedFact<T extends EarlierSize> {
	/** the fact of the model planned from the student's own sizes */
	value: NestedNumbers;
	/** the earlier size to point at: the first (in the order given) that alone changes the fact */
	from: T;
	/** every earlier size that alone changes the fact, in the order given (for the grader's rule on trivial answers) */
	dependsOn: T[];
}

/**
 * The fact `question` asks, as it is when the model is planned again from the student's earlier
 * output sizes: the layers after the earliest wrong size (layer m) are planned from that size,
 * and from m on every size the student gave (wrong or right) is what the next layer is planned
 * from, as a student works from their own previous line. Null when no wrong earlier size comes
 * before what the question reads, when the model cannot be planned from the student's sizes (a
 * window larger than its input, a dense layer on an image), or when the fact comes out unchanged.
 *
 * Only sizes of layers before the question's layer count (for the whole model's parameter count:
 * every layer but the last): a layer's own output size changes neither itself nor its parameters.
 *
 * Parameters are counted as layerParamCount does (weights and biases). question.ts counts one
 * fewer for a perceptron without a bias; such a model has a single layer, fed only by the input's
 * size, so the grader should not call this for it (no exercise asks that input's size today).
 */
export function factGivenEarlier<T extends EarlierSize>(plans: readonly LayerPlan[], question: FactAsked, earlier: readonly T[]): CarriedFact<T> | null {
	const right = factOf(plans, question);
	if (right === null || plans.length === 0) return null;
	const reach = readsUpTo(plans, question);
	const given = new Map<number, T>();
	for (const size of earlier) {
		const { layer } = size;
		// the first answer for a layer is the one the student went on from
		if (!Number.isInteger(layer) || layer < 0 || layer >= reach || given.has(layer)) continue;
		if (readSize(size, shapeAt(plans, layer)) !== null) given.set(layer, size);
	}
	const wrong = [...given].filter(([layer, size]) => !sameSizes(readSize(size, shapeAt(plans, layer)), shapeAt(plans, layer)));
	if (wrong.length === 0) return null;
	const first = Math.min(...wrong.map(([layer]) => layer));
	const value = factFrom(plans, question, new Map([...given].filter(([layer]) => layer >= first)), reach);
	if (value === null || sameFact(value, right)) return null;
	const wrongSizes = new Set(wrong.map(([, size]) => size));
	// in the caller's order, as grade.ts picks the first earlier run question that alone changes a value
	const dependsOn = earlier.filter((size) => {
		if (!wrongSizes.has(size)) return false;
		const alone = factFrom(plans, question, new Map([[size.layer, size]]), reach);
		return alone !== null && !sameFact(alone, right);
	});
	const from = dependsOn[0] ?? given.get(first);
	return from ? { value, from, dependsOn } : null;
}

/** How many layers the fact reads: output_size and param_count of layer l read layers 1..l; the total reads them all. */
function readsUpTo(plans: readonly LayerPlan[], question: FactAsked): number {
	return question.layer === undefined ? plans.length : question.layer;
}

/** The per-sample shape of layer `layer`'s output (0: the input), as planned. */
function shapeAt(plans: readonly LayerPlan[], layer: number): readonly number[] {
	return layer === 0 ? plans[0].inputShape : plans[layer - 1].outputShape;
}

/**
 * A student's size read as a shape like `like`: the same number of sizes in the same order, or
 * [h, w] for an image with the channels filled in from `like` (a student may leave them out, and
 * the + 1 and the windows never change them). Sizes must be whole and positive: anything else
 * cannot be planned from, so the answer is set aside rather than taken for a carried error.
 */
function readSize({ value }: EarlierSize, like: readonly number[]): number[] | null {
	if (value === null) return null;
	const sizes = flattenNested(value);
	if (!sizes.every((d) => Number.isSafeInteger(d) && d > 0)) return null;
	if (sizes.length === like.length) return sizes;
	if (like.length === 3 && sizes.length === 2) return [like[0], ...sizes];
	return null;
}

/** The fact read from the model planned again from the student's sizes `given` (by layer), up to layer `reach`. */
function factFrom(plans: readonly LayerPlan[], question: FactAsked, given: ReadonlyMap<number, EarlierSize>, reach: number): NestedNumbers | null {
	const replanned = replannedFrom(plans, given, reach);
	return replanned && factOf(replanned, question);
}

/**
 * The plans of layers 1..reach with every layer after the first given size planned by the
 * engine from the size before it: the student's where they gave one, else the replanned one.
 * Null when a layer cannot follow (the engine's ScenarioError), as the student's model would not exist.
 */
function replannedFrom(plans: readonly LayerPlan[], given: ReadonlyMap<number, EarlierSize>, reach: number): LayerPlan[] | null {
	const start = Math.min(...given.keys());
	const out = plans.slice(0, start);
	let shape = shapeAt(plans, start);
	for (let layer = start; layer <= reach; layer++) {
		// layers up to `start` keep their plans: the student's size of `start` only feeds the layers after it
		if (layer > start) {
			const plan = planAlone(plans[layer - 1], shape);
			if (!plan) return null;
			out.push(plan);
			shape = plan.outputShape;
		}
		const size = given.get(layer);
		// read against the replanned shape, so that [h, w] takes the channels the student's model has there
		const read = size ? readSize(size, shape) : null;
		if (read) shape = read;
	}
	return out;
}

/** One layer planned by the engine after an input of `shape`, keeping its number. */
function planAlone(plan: LayerPlan, shape: readonly number[]): LayerPlan | null {
	const input: number | [number, number, number] | null = shape.length === 1 ? shape[0] : shape.length === 3 ? [shape[0], shape[1], shape[2]] : null;
	if (input === null) return null;
	try {
		// declared() with the geometry unchanged: the layer as its file declares it
		const [planned] = planModel({ input, layers: [declared(plan, (window) => window.geometry)] });
		return { ...planned, index: plan.index };
	} catch (error) {
		if (error instanceof ScenarioError) return null;
		throw error;
	}
}

/** The fact as question.ts reads it from plans: a size as a number for a vector, the list for an image; a count of weights and biases. */
function factOf(plans: readonly LayerPlan[], question: FactAsked): NestedNumbers | null {
	const { layer } = question;
	if (question.ask === 'param_count') {
		if (layer === undefined) return plans.reduce((sum, plan) => sum + layerParamCount(plan), 0);
		return Number.isInteger(layer) && layer >= 1 && layer <= plans.length ? layerParamCount(plans[layer - 1]) : null;
	}
	if (layer === undefined || !Number.isInteger(layer) || layer < 0 || layer > plans.length || plans.length === 0) return null;
	const shape = shapeAt(plans, layer);
	return shape.length === 1 ? shape[0] : [...shape];
}

function sameSizes(a: readonly number[] | null, b: readonly number[]): boolean {
	return a !== null && sameShape(a, b);
}

/** Facts are a number or a list of sizes, both as factOf writes them. */
function sameFact(a: NestedNumbers, b: NestedNumbers): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}
