/**
 * Where the nodes of a dense network go: one column per layer, left to right, each column
 * centred vertically. Large layers show their first units, an ellipsis and their last units,
 * so that any width stays readable.
 */

export interface LayoutOptions {
	/** a layer with more units than this is shortened */
	maxUnits: number;
	/** units kept before the ellipsis */
	head: number;
	/** units kept after it */
	tail: number;
	columnGap: number;
	rowGap: number;
	marginX: number;
	marginTop: number;
	marginBottom: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
	maxUnits: 16,
	head: 6,
	tail: 2,
	columnGap: 170,
	rowGap: 62,
	marginX: 70,
	marginTop: 82,
	marginBottom: 64
};

/** A place in a column: a unit, or an ellipsis standing for the hidden ones. */
export interface NodeSlot {
	/** unique in its column, for keyed blocks */
	key: string;
	column: number;
	/** 0-based unit, null for an ellipsis */
	unit: number | null;
	/** for an ellipsis, how many units it hides */
	hidden: number;
	x: number;
	y: number;
}

export interface NetworkLayout {
	width: number;
	height: number;
	columns: { x: number; size: number; slots: NodeSlot[] }[];
}

/**
 * The units a column shows, in order; null marks an ellipsis. `pinned` units (the selected
 * one) are shown even in the hidden middle, between two ellipses if need be.
 */
export function visibleUnits(count: number, o: Pick<LayoutOptions, 'maxUnits' | 'head' | 'tail'> = DEFAULT_LAYOUT, pinned: readonly number[] = []): (number | null)[] {
	if (count <= o.maxUnits) return Array.from({ length: count }, (_, i) => i);
	const keep = new Set<number>();
	for (let i = 0; i < o.head; i++) keep.add(i);
	for (let i = count - o.tail; i < count; i++) keep.add(i);
	for (const unit of pinned) if (Number.isInteger(unit) && unit >= 0 && unit < count) keep.add(unit);
	const units = [...keep].sort((a, b) => a - b);
	const shown: (number | null)[] = [];
	units.forEach((unit, i) => {
		if (i > 0 && unit !== units[i - 1] + 1) shown.push(null);
		shown.push(unit);
	});
	return shown;
}

/** Node positions for layers of `sizes` units (sizes[0] is the input); `pinned[c]` units of column c stay visible. */
export function layoutNetwork(sizes: readonly number[], options: Partial<LayoutOptions> = {}, pinned: readonly (readonly number[])[] = []): NetworkLayout {
	const o = { ...DEFAULT_LAYOUT, ...options };
	const shown = sizes.map((size, c) => visibleUnits(size, o, pinned[c] ?? []));
	const tallest = Math.max(1, ...shown.map((units) => units.length));
	const inner = (tallest - 1) * o.rowGap;
	const height = o.marginTop + inner + o.marginBottom;
	const width = 2 * o.marginX + Math.max(0, sizes.length - 1) * o.columnGap;
	const columns = shown.map((units, column) => {
		const x = o.marginX + column * o.columnGap;
		const top = o.marginTop + (inner - (units.length - 1) * o.rowGap) / 2;
		const slots = units.map((unit, row): NodeSlot => {
			// an ellipsis hides the units between its neighbours
			const hidden = unit === null ? (units[row + 1] ?? sizes[column]) - (units[row - 1] ?? -1) - 1 : 0;
			return { key: unit === null ? `more-${row}` : String(unit), column, unit, hidden, x, y: top + row * o.rowGap };
		});
		return { x, size: sizes[column], slots };
	});
	return { width, height, columns };
}

/** The slot of unit `unit` in column `column`, if it is shown. */
export function slotOf(layout: NetworkLayout, column: number, unit: number): NodeSlot | undefined {
	return layout.columns[column]?.slots.find((slot) => slot.unit === unit);
}

/** The closest columns may stand: a node, its value and a short title (at 11 px or more) between two. */
export const MIN_COLUMN_GAP = 80;
/** The widest: beyond it a wide screen draws the graph larger instead of further apart. */
export const MAX_COLUMN_GAP = 210;

/**
 * The gap between columns that fills `available` pixels, the graph being drawn at one user unit
 * per pixel so that its text keeps its size: `extra` is what stands right of the last column
 * (the cost). Below MIN_COLUMN_GAP the graph is wider than `available`, and scrolls.
 */
export function columnGapFor(available: number, columns: number, extra: number, marginX: number): number {
	if (columns < 2) return MAX_COLUMN_GAP;
	const gap = (available - 2 * marginX - extra) / (columns - 1);
	return Math.max(MIN_COLUMN_GAP, Math.min(MAX_COLUMN_GAP, Math.floor(gap)));
}
