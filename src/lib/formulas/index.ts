/** Event → TeX: the formulas of a trace's events in the courses' notations (pure TypeScript, no DOM). */
export { explain } from './explain';
export { texNumber } from './numbers';
export { toLatex } from './latex';
export { TERM_COLOURS } from './terms';
export { plainWriting, quantitySymbol, quantityText } from './notation';
export type { Notation, Writing, Locale, FormulaOptions, ElementRead, ElementFormula, EventFormula } from './types';
