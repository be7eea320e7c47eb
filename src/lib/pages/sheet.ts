import type { FactAsk } from '$lib/exercises/kinds/kind';

/** One question of a printed sheet, as the server writes it (TeX symbol and key, texts in the page's language). */
export type SheetAsk =
	| { kind: 'value'; id: string; points: number; symbol: string; key?: string }
	| { kind: 'fact'; id: string; points: number; fact: FactAsk; key?: string }
	| { kind: 'choice'; id: string; points: number; prompt: string; options: string[]; key?: string };
