import { describeModel } from '../engine/scenario/validate';

/**
 * The small picture of a lesson or exercise card: what the scenario is about, read from its
 * declared model without running it (a list page draws dozens). A network is its layers left to
 * right, feature maps as stacked squares and dense layers as columns of dots, each with its size;
 * a perceptron on two inputs is its data points, coloured by class (on other input
 * counts, its inputs and its unit). Never a computed value.
 */

/** One stage of the network: the input or a layer's output. */
export type CardBlock = { kind: 'maps'; channels: number; height: number; width: number; label: string } | { kind: 'units'; count: number; label: string };

export type CardSubject = { kind: 'layers'; blocks: CardBlock[] } | { kind: 'points'; points: { x: number; y: number; positive: boolean }[] };

export interface PlacedLabel {
	x: number;
	y: number;
	text: string;
}

export type PlacedBlock =
	| { kind: 'maps'; x: number; y: number; w: number; h: number; stack: number; rows: number; cols: number; grid: boolean; label: PlacedLabel | null }
	| { kind: 'units'; dots: { cx: number; cy: number }[]; more: { x: number; y: number } | null; label: PlacedLabel | null };

export type CardPicture =
	| { kind: 'layers'; width: number; height: number; blocks: PlacedBlock[]; links: { x1: number; y1: number; x2: number; y2: number }[] }
	| { kind: 'points'; width: number; height: number; points: { cx: number; cy: number; positive: boolean }[] };

/** The widest picture a card holds at its narrowest (a 375 px phone, a 16 rem grid column), so that labels are never shrunk. */
export const CARD_WIDTH = 220;
/** Labels are drawn at this size in px, the smallest the pages allow. */
export const LABEL_PX = 11;
const HEIGHT = 72;
const LABEL_ROW = 14;
/** the gap between two stages: at least MIN_GAP, more while the picture stays under WIDE */
const MIN_GAP = 14;
const MAX_GAP = 44;
const WIDE = 180;
const DOT_R = 3.5;
const DOT_GAP = 10;
const MAX_DOTS = 5;
const MAX_STACK = 3;
const STACK_STEP = 3;
/** an estimate of a label's width: digits and × at 11 px */
const CHAR_PX = 6.6;

/** What a scenario's card shows, or null when the scenario cannot be read or has nothing to draw. */
export function cardSubject(scenario: unknown): CardSubject | null {
	let model: ReturnType<typeof describeModel>;
	try {
		model = describeModel(scenario);
	} catch {
		return null;
	}
	// a perceptron on other than two inputs: its inputs and its one unit
	if (model.kind === 'perceptron') return pointsOf(scenario) ?? { kind: 'layers', blocks: [blockOf([model.inputs]), blockOf([1])] };
	if (model.plans.length === 0) return null;
	const shapes = [model.plans[0].inputShape, ...model.plans.map((plan) => plan.outputShape)];
	return { kind: 'layers', blocks: shapes.map(blockOf) };
}

function blockOf(shape: number[]): CardBlock {
	if (shape.length === 3) {
		const [channels, height, width] = shape;
		return { kind: 'maps', channels, height, width, label: channels === 1 ? `${height}×${width}` : `${channels}×${height}×${width}` };
	}
	const count = shape.reduce((n, d) => n * d, 1);
	return { kind: 'units', count, label: String(count) };
}

/** A perceptron's data on two inputs, scaled to the unit square; null for other input counts. */
function pointsOf(scenario: unknown): CardSubject | null {
	const data = (scenario as { data?: { X?: unknown; Y?: unknown } }).data;
	const X = data?.X;
	const Y = data?.Y;
	if (!Array.isArray(X) || !Array.isArray(Y) || X.length !== Y.length || X.length === 0) return null;
	const rows = X.map((row, i) => ({ row, target: Array.isArray(Y[i]) ? Y[i][0] : Y[i] }));
	if (!rows.every(({ row, target }) => Array.isArray(row) && row.length === 2 && row.every(Number.isFinite) && Number.isFinite(target))) return null;
	const xs = rows.map(({ row }) => row[0] as number);
	const ys = rows.map(({ row }) => row[1] as number);
	const scale = (v: number, values: number[]) => {
		const lo = Math.min(...values);
		const hi = Math.max(...values);
		return hi > lo ? (v - lo) / (hi - lo) : 0.5;
	};
	// a sample seen twice is one point
	const points = new Map<string, { x: number; y: number; positive: boolean }>();
	for (const { row, target } of rows) {
		const point = { x: scale(row[0], xs), y: scale(row[1], ys), positive: (target as number) > 0 };
		points.set(`${point.x},${point.y},${point.positive}`, point);
	}
	return { kind: 'points', points: [...points.values()] };
}

/** The picture of a card, laid out to fit CARD_WIDTH; null when there is nothing to draw. */
export function cardPicture(scenario: unknown): CardPicture | null {
	const subject = cardSubject(scenario);
	if (!subject) return null;
	return subject.kind === 'points' ? placePoints(subject.points) : placeLayers(subject.blocks);
}

function placePoints(points: { x: number; y: number; positive: boolean }[]): CardPicture {
	// the points inside the frame, never on its edge
	const pad = 12;
	const side = HEIGHT - 2 * pad;
	return {
		kind: 'points',
		width: HEIGHT,
		height: HEIGHT,
		points: points.map((p) => ({ cx: pad + p.x * side, cy: pad + (1 - p.y) * side, positive: p.positive }))
	};
}

/** The drawing of one block: feature maps are squares of 12 to 36 px by their size, units a column of dots. */
function graphicOf(block: CardBlock): { w: number; h: number } {
	if (block.kind === 'units') return { w: 2 * DOT_R, h: 0 };
	const longest = Math.max(block.height, block.width);
	const side = Math.min(36, Math.max(12, 6 + 4 * longest));
	const stack = Math.min(block.channels, MAX_STACK) - 1;
	return { w: Math.max(4, (side * block.width) / longest) + stack * STACK_STEP, h: Math.max(4, (side * block.height) / longest) + stack * STACK_STEP };
}

/** Which labels to draw: all when they fit, else the input's and the output's only, else none. */
function chooseLabels(blocks: CardBlock[]): boolean[] {
	const widthWith = (shown: boolean[]) =>
		blocks.reduce((sum, block, i) => sum + Math.max(graphicOf(block).w, shown[i] ? block.label.length * CHAR_PX : 0), 0) + (blocks.length - 1) * MIN_GAP;
	const all = blocks.map(() => true);
	if (widthWith(all) <= CARD_WIDTH) return all;
	const ends = blocks.map((_, i) => i === 0 || i === blocks.length - 1);
	return widthWith(ends) <= CARD_WIDTH ? ends : blocks.map(() => false);
}

function placeLayers(blocks: CardBlock[]): CardPicture {
	const labelled = chooseLabels(blocks);
	const slots = blocks.map((block, i) => Math.max(graphicOf(block).w, labelled[i] ? block.label.length * CHAR_PX : 0));
	const filled = slots.reduce((sum, w) => sum + w, 0);
	const gap = blocks.length > 1 ? Math.min(MAX_GAP, Math.max(MIN_GAP, (WIDE - filled) / (blocks.length - 1))) : 0;
	const middle = (HEIGHT - LABEL_ROW) / 2;
	const placed: PlacedBlock[] = [];
	/** each block's left and right edges at the middle line, for the links */
	const edges: { left: number; right: number; dots: { cx: number; cy: number }[] | null }[] = [];
	let x = 0;
	blocks.forEach((block, i) => {
		const graphic = graphicOf(block);
		const slot = slots[i];
		const centre = x + slot / 2;
		const label = labelled[i] ? { x: centre, y: HEIGHT - 3, text: block.label } : null;
		if (block.kind === 'maps') {
			const stack = Math.min(block.channels, MAX_STACK);
			const w = graphic.w - (stack - 1) * STACK_STEP;
			const h = graphic.h - (stack - 1) * STACK_STEP;
			const left = centre - graphic.w / 2;
			const top = middle - graphic.h / 2;
			placed.push({ kind: 'maps', x: left, y: top, w, h, stack, rows: block.height, cols: block.width, grid: Math.max(block.height, block.width) <= 10, label });
			edges.push({ left, right: left + graphic.w, dots: null });
		} else {
			const shown = Math.min(block.count, MAX_DOTS);
			const more = block.count > MAX_DOTS;
			// a long layer: its first dots, a gap with an ellipsis, its last dot
			const rows = more ? shown + 1 : shown;
			const top = middle - ((rows - 1) * DOT_GAP) / 2;
			const dots = Array.from({ length: shown }, (_, k) => ({ cx: centre, cy: top + (more && k === shown - 1 ? k + 1 : k) * DOT_GAP }));
			placed.push({ kind: 'units', dots, more: more ? { x: centre, y: top + (shown - 1) * DOT_GAP + 3 } : null, label });
			edges.push({ left: centre - DOT_R, right: centre + DOT_R, dots });
		}
		x += slot + gap;
	});
	const links: { x1: number; y1: number; x2: number; y2: number }[] = [];
	for (let i = 1; i < edges.length; i++) {
		const from = edges[i - 1];
		const to = edges[i];
		// dense to dense: every unit to every unit; anything else, one line at the middle
		if (from.dots && to.dots) {
			for (const a of from.dots) for (const b of to.dots) links.push({ x1: a.cx + DOT_R, y1: a.cy, x2: b.cx - DOT_R, y2: b.cy });
		} else links.push({ x1: from.right + 1, y1: middle, x2: to.left - 1, y2: middle });
	}
	return { kind: 'layers', width: Math.ceil(x - gap), height: HEIGHT, blocks: placed, links };
}
