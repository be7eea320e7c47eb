/** Event → TeX: the formulas of a trace's events in the courses' notations (pure TypeScript, no DOM). */
export { explain } from './explain';
export { toLatex } from './latex';
export type { Notation, Locale, FormulaOptions, ElementRead, ElementFormula, EventFormula } from './types';
